"""the search index: documents, facets, and the database's own word index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_WORD_INDEX = (
    # External content: the terms are stored once, in search_document; the triggers keep FTS5 in step.
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF terms ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms); END",
)
POSTGRESQL_WORD_INDEX = (
    # Terms are stemmed in Python before they are stored: the 'simple' configuration keeps them as they are.
    "ALTER TABLE search_document ADD COLUMN terms_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    "CREATE INDEX ix_search_document_terms_tsv ON search_document USING gin (terms_tsv)",
)


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source_key", sa.String(length=60), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("owner_country_iso3", sa.String(length=3), nullable=True),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("visibility", sa.String(length=10), nullable=True),
        sa.Column("is_public", sa.Boolean(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "source_key", name=op.f("uq_search_document_kind")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_search_document_updated_at"), "search_document", ["updated_at"], unique=False)
    op.create_table(
        "search_facet",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["search_document.id"],
            name=op.f("fk_search_facet_document_id_search_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "facet", "value", name=op.f("pk_search_facet")),
    )
    op.create_index("ix_search_facet_facet_value", "search_facet", ["facet", "value"], unique=False)
    statements = SQLITE_WORD_INDEX if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_WORD_INDEX
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_document_ai", "search_document_ad", "search_document_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_facet_facet_value", table_name="search_facet")
    op.drop_table("search_facet")
    op.drop_index(op.f("ix_search_document_updated_at"), table_name="search_document")
    op.drop_table("search_document")
