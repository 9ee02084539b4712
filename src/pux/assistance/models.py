"""The AssistanceActivity table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.accounts.models import Organisation
from pux.audit.models import column_values, utcnow
from pux.db import Base
from pux.reference.models import Country

ACTIVITY_STATUSES = ("pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended")


class AssistanceActivity(Base):
    """One activity of one provider in one recipient country, with amounts, dates and classifications."""

    __tablename__ = "assistance_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(150), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    provider_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    implementer: Mapped[str | None] = mapped_column(String(200))
    recipient_country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    thematic_area_code: Mapped[str | None] = mapped_column(ForeignKey("thematic_area.code"), index=True)
    technique_code: Mapped[str | None] = mapped_column(ForeignKey("technique.code"), index=True)
    amount_committed: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    amount_disbursed: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(ForeignKey("currency.code"), default="USD")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="implementation", index=True)
    dac_sector_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sdg_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    origin: Mapped[str] = mapped_column(String(10), default="manual")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}

    provider: Mapped[Organisation] = relationship(lazy="joined")
    recipient_country: Mapped[Country] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)
