"""A partner's mark of interest in a need (from the unfunded-needs board)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.accounts.models import Organisation
from pux.audit.models import column_values, utcnow
from pux.db import Base
from pux.needs.models import Need


class NeedInterest(Base):
    """An organisation says it may fund or support a need; the need's country sees it and acknowledges it."""

    __tablename__ = "need_interest"
    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    need: Mapped[Need] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)
