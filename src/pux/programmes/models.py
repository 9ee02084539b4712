"""The Programme table and its links."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.accounts.models import Organisation
from pux.audit.models import column_values, utcnow
from pux.db import Base, link_table
from pux.reference.models import Country, SdgTarget, Technique, ThematicArea

programme_thematic_area = link_table(
    "programme_thematic_area", "programme", "thematic_area_code", "thematic_area.code"
)
programme_technique = link_table("programme_technique", "programme", "technique_code", "technique.code")
programme_sdg_target = link_table("programme_sdg_target", "programme", "target_code", "sdg_target.code")
programme_eligible_country = link_table(
    "programme_eligible_country", "programme", "country_iso3", "country.iso3"
)


class Programme(Base):
    """What a partner offers: a modality, in areas and techniques, to eligible countries, under a budget."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    modality: Mapped[str] = mapped_column(String(30), index=True)
    # Empty eligibility lists mean "no restriction" on that dimension.
    eligible_region_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligible_income_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligible_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    total_budget: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    remaining_budget: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    max_per_need: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(ForeignKey("currency.code"), default="USD")
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    working_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    gender_focus: Mapped[bool] = mapped_column(default=False)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    thematic_areas: Mapped[list[ThematicArea]] = relationship(
        secondary=programme_thematic_area, lazy="selectin", order_by="ThematicArea.position"
    )
    techniques: Mapped[list[Technique]] = relationship(
        secondary=programme_technique, lazy="selectin", order_by="Technique.position"
    )
    sdg_targets: Mapped[list[SdgTarget]] = relationship(
        secondary=programme_sdg_target, lazy="selectin", order_by="SdgTarget.position"
    )
    eligible_countries: Mapped[list[Country]] = relationship(
        secondary=programme_eligible_country, lazy="selectin", order_by="Country.iso3"
    )

    @property
    def thematic_area_codes(self) -> list[str]:
        return [area.code for area in self.thematic_areas]

    @property
    def technique_codes(self) -> list[str]:
        return [technique.code for technique in self.techniques]

    @property
    def sdg_target_codes(self) -> list[str]:
        return [target.code for target in self.sdg_targets]

    @property
    def eligible_country_codes(self) -> list[str]:
        return [country.iso3 for country in self.eligible_countries]

    def snapshot(self) -> dict[str, Any]:
        values = column_values(self)
        values.update(
            thematic_areas=self.thematic_area_codes,
            techniques=self.technique_codes,
            sdg_targets=self.sdg_target_codes,
            eligible_countries=self.eligible_country_codes,
        )
        return values
