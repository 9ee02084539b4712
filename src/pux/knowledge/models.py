"""Knowledge tables: technique profiles with their alternatives and comparisons, the evidence ledger,
success stories, myths and facts, and the translations of every text they hold.

A text field holds the text as written, in ``source_language``; its versions in the other languages live in
``KnowledgeTranslation``, each with its own status, so a reader gets their language or a labelled fallback.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.audit.models import column_values, utcnow
from pux.db import Base
from pux.reference.models import Country, Technique


class TechniqueProfile(Base):
    """What PUX says about one technique of the reference catalogue: a plain summary, the SDG targets it
    serves, what a country needs before using it, and its conventional alternatives."""

    __tablename__ = "knowledge_technique"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    technique_code: Mapped[str] = mapped_column(ForeignKey("technique.code"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    sdg_target_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    technique: Mapped[Technique] = relationship(lazy="joined")
    prerequisites: Mapped[list[Prerequisite]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="Prerequisite.position"
    )
    alternatives: Mapped[list[Alternative]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="Alternative.position"
    )

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class Prerequisite(Base):
    """What a country needs before using a technique, by kind (regulatory body, trained staff...)."""

    __tablename__ = "knowledge_prerequisite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_technique.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Alternative(Base):
    """A conventional technique used instead of, or alongside, the nuclear one."""

    __tablename__ = "knowledge_alternative"
    __table_args__ = (UniqueConstraint("profile_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_technique.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    relation: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)

    cells: Mapped[list[ComparisonCell]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ComparisonCell.position"
    )


class ComparisonCell(Base):
    """The technique against one alternative on one criterion; a text that is None is *unknown*, and a
    cell without a source says so (never a guess)."""

    __tablename__ = "knowledge_comparison"
    __table_args__ = (UniqueConstraint("alternative_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alternative_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_alternative.id", ondelete="CASCADE"), index=True
    )
    criterion: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    technique_text: Mapped[str | None] = mapped_column(Text)
    alternative_text: Mapped[str | None] = mapped_column(Text)
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    # {"title", "publisher", "year", "url", "doi"} or None when no source is known.
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class EvidenceEntry(Base):
    """One claim of the evidence ledger with its figure and its citation (required: nothing is shown as
    fact without one); reported as published, checked by a second person, or disputed with a reason."""

    __tablename__ = "knowledge_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    # A stable identifier for imports (a re-import updates the entry of the same key).
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    technique_code: Mapped[str] = mapped_column(ForeignKey("technique.code"), index=True)
    comparator: Mapped[str] = mapped_column(String(300), default="")
    claim: Mapped[str] = mapped_column(Text)
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(120), default="")
    currency: Mapped[str | None] = mapped_column(String(3))
    price_year: Mapped[int | None] = mapped_column(Integer)
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), index=True)
    region: Mapped[str | None] = mapped_column(String(120))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    # How the figure was obtained (vocabulary.STUDY_METHODS); None: the source does not say.
    study_method: Mapped[str | None] = mapped_column(String(30))
    citation_title: Mapped[str] = mapped_column(String(500))
    citation_publisher: Mapped[str] = mapped_column(String(300), default="")
    citation_year: Mapped[int | None] = mapped_column(Integer)
    citation_url: Mapped[str | None] = mapped_column(String(1000))
    citation_doi: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="reported", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A check made before PUX held the entry (the seed's, data/evidence_checks.csv): who made it, and the
    # copy of the source they read. None for a check made in PUX (its reviewer is checked_by_id).
    checked_by_name: Mapped[str | None] = mapped_column(String(200))
    check_source: Mapped[str | None] = mapped_column(String(1000))
    disputed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    technique: Mapped[Technique] = relationship(lazy="joined")
    country: Mapped[Country | None] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class SuccessStory(Base):
    """A short, sourced account linked to what it tells of in PUX (a country, technique, need, programme
    or activity); a draft is seen by editors and facilitators only."""

    __tablename__ = "knowledge_story"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), index=True)
    technique_code: Mapped[str | None] = mapped_column(ForeignKey("technique.code"), index=True)
    thematic_area_code: Mapped[str | None] = mapped_column(ForeignKey("thematic_area.code"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("assistance_activity.id", ondelete="SET NULL"))
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    country: Mapped[Country | None] = relationship(lazy="joined")
    technique: Mapped[Technique | None] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class Myth(Base):
    """A common claim and what the evidence finds, for a general public, with its sources."""

    __tablename__ = "knowledge_myth"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    claim: Mapped[str] = mapped_column(String(500))
    finding: Mapped[str] = mapped_column(Text, default="")  # Markdown
    source_language: Mapped[str] = mapped_column(String(2), default="en")
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    technique_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    thematic_area_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class KnowledgeTranslation(Base):
    """One field of one knowledge record in one language other than the one it was written in."""

    __tablename__ = "knowledge_translation"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "field", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="machine_draft")
    # Who wrote or last changed the text: its review is a second person's. None for the texts the system
    # wrote (the seed's, the demo's), which any reviewer reviews.
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)
