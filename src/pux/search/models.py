"""The search index: one document per searchable record, with its terms, its vector, the facts the
visibility rules need and its facets.

The word index itself lives in the database's own full-text structures, kept in step by the database:
on SQLite an FTS5 table (``search_fts``, external content, filled by triggers on ``search_document``);
on PostgreSQL a generated ``tsvector`` column (``terms_tsv``) with GIN indexes. They differ between the
two databases, so they are made by migrations (0007, 0019) rather than declared here, and schema comparison
(``alembic revision --autogenerate`` and the migration test) is told to leave them alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alembic.autogenerate.compare import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pux.audit.models import utcnow
from pux.db import Base

FTS_TABLE = "search_fts"
TSVECTOR_COLUMN = "terms_tsv"
# The word indexes on PostgreSQL: of every document, and of the few-record kinds' alone (migration 0019).
TSVECTOR_INDEXES = ("ix_search_document_terms_tsv", "ix_search_document_few_kinds_terms_tsv")


class SearchDocument(Base):
    """What search knows of one record (``kind`` + ``source_key``): its text, its terms (stemmed in
    its language), its meaning vector, and what deciding who may see it needs."""

    __tablename__ = "search_document"
    __table_args__ = (
        UniqueConstraint("kind", "source_key"),
        # Ids are never reused (the in-memory vector matrix notices changes by the highest id).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No index on kind alone: it would tempt SQLite away from the id lookups the searches make.
    kind: Mapped[str] = mapped_column(String(30))
    source_key: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    # What the visibility rules read (the same rules as the lists of each kind).
    owner_country_iso3: Mapped[str | None] = mapped_column(String(3))
    owner_organisation_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(20))
    visibility: Mapped[str | None] = mapped_column(String(10))
    is_public: Mapped[bool | None] = mapped_column(Boolean)
    event_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class SearchFacet(Base):
    """One facet value of a document: country, area, technique or SDG goal (a document has several)."""

    __tablename__ = "search_facet"
    __table_args__ = (Index("ix_search_facet_facet_value", "facet", "value"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("search_document.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)


def _is_database_word_index(op: Any) -> bool:
    if isinstance(op, ops.DropTableOp | ops.CreateTableOp):
        return bool(op.table_name.startswith(FTS_TABLE))
    if isinstance(op, ops.DropColumnOp):
        return bool(op.table_name == "search_document" and op.column_name == TSVECTOR_COLUMN)
    if isinstance(op, ops.DropIndexOp):
        return bool(op.index_name in TSVECTOR_INDEXES)
    if isinstance(op, ops.ModifyTableOps):
        if op.table_name.startswith(FTS_TABLE):
            return True
        op.ops = [inner for inner in op.ops if not _is_database_word_index(inner)]
        return not op.ops
    return False


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _leave_the_word_index_alone(autogen_context: Any, upgrade_ops: Any, schemas: Any) -> Any:
    """Schema comparison sees the FTS5 tables or the tsvector column, which no model declares: they are
    the database's own and not to be dropped."""
    upgrade_ops.ops = [op for op in upgrade_ops.ops if not _is_database_word_index(op)]
    return PriorityDispatchResult.CONTINUE
