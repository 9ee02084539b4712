"""The Need table and its links to techniques and SDG targets."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.audit.models import column_values, utcnow
from pux.db import Base, link_table
from pux.reference.models import Country, SdgTarget, Technique

need_technique = link_table("need_technique", "need", "technique_code", "technique.code")
need_sdg_target = link_table("need_sdg_target", "need", "target_code", "sdg_target.code")


class Need(Base):
    """A need that a country identifies itself, ranks and clears before it is published."""

    __tablename__ = "need"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    thematic_area_code: Mapped[str] = mapped_column(ForeignKey("thematic_area.code"), index=True)
    modalities_wanted: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Up to the ten billion the schema admits: past 32 bits (PostgreSQL refused 3,000,000,000 with a 500).
    # SQLite's INTEGER holds 64 bits already, so it keeps that type (migration 0023).
    beneficiaries_count: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    beneficiaries_women_share: Mapped[int | None] = mapped_column(Integer)
    beneficiary_description: Mapped[str | None] = mapped_column(Text)
    gender_dimension: Mapped[str | None] = mapped_column(Text)
    vulnerable_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(ForeignKey("currency.code"), default="USD")
    cofinancing_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    cofinancing_note: Mapped[str | None] = mapped_column(Text)
    regulatory_body: Mapped[str | None] = mapped_column(String(10))
    infrastructure: Mapped[str | None] = mapped_column(String(10))
    trained_staff: Mapped[str | None] = mapped_column(String(10))
    horizon: Mapped[str | None] = mapped_column(String(10))
    national_plan_reference: Mapped[str | None] = mapped_column(String(300))
    cpf_priority: Mapped[str | None] = mapped_column(String(300))
    tc_project_code: Mapped[str | None] = mapped_column(String(20), index=True)
    unfunded_footnote_a: Mapped[bool] = mapped_column(Boolean, default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    national_rank: Mapped[int | None] = mapped_column(Integer)
    status_comment: Mapped[str | None] = mapped_column(Text)
    # Title, reference and description folded for accent- and case-insensitive matching.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}

    country: Mapped[Country] = relationship(lazy="joined")
    techniques: Mapped[list[Technique]] = relationship(
        secondary=need_technique, lazy="selectin", order_by="Technique.position"
    )
    sdg_targets: Mapped[list[SdgTarget]] = relationship(
        secondary=need_sdg_target, lazy="selectin", order_by="SdgTarget.position"
    )

    @property
    def technique_codes(self) -> list[str]:
        return [technique.code for technique in self.techniques]

    @property
    def sdg_target_codes(self) -> list[str]:
        return [target.code for target in self.sdg_targets]

    def snapshot(self) -> dict[str, Any]:
        """The audited values of the need (for before/after records)."""
        values = column_values(self)
        values["techniques"] = sorted(t.code for t in self.techniques)
        values["sdg_targets"] = sorted(t.code for t in self.sdg_targets)
        return values


# The count, newest change and sums of versions and ids of the needs in some statuses
# (needs_repository.fingerprint) from the index alone: kept matching and gap results check it on every page
# that shows them.
Index("ix_need_fingerprint", Need.status, Need.visibility, Need.updated_at, Need.version, Need.id)

# The needs list's order (country, ranked needs by rank, then id; PostgreSQL puts the unranked last in an
# ascending index, as the list does), with what every reader's scope filters on: a page, even far down the
# list, is read by walking this index alone instead of sorting all the needs a reader may see (the
# public's page 250 at the mission's scale: 6.5 -> 1.5 ms).
Index("ix_need_listing", Need.country_iso3, Need.national_rank, Need.id, Need.status, Need.visibility)
