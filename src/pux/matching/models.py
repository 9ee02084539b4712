"""Allocation rounds and the proposals they produce."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.audit.models import column_values, utcnow
from pux.db import Base
from pux.matching.engine import proven_gap
from pux.needs.models import Need
from pux.programmes.models import Programme


class AllocationRound(Base):
    """One run of the allocation: parameters, optimum, greedy comparison and the proven gap."""

    __tablename__ = "allocation_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    method: Mapped[str] = mapped_column(String(80))  # allocation.FLOW_EXACT and the like, labelled when shown
    objective: Mapped[float] = mapped_column(Float)
    upper_bound: Mapped[float] = mapped_column(Float)
    greedy_objective: Mapped[float] = mapped_column(Float)
    binding: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposals: Mapped[list[MatchProposal]] = relationship(back_populates="round", order_by="MatchProposal.id")

    @property
    def gap(self) -> float:
        return proven_gap(self.objective, self.upper_bound)


class MatchProposal(Base):
    """A proposed transfer from a programme to a need; both sides accept or decline it."""

    __tablename__ = "match_proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("allocation_round.id"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    fit: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    donor_decision: Mapped[str | None] = mapped_column(String(10))
    country_decision: Mapped[str | None] = mapped_column(String(10))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("assistance_activity.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    round: Mapped[AllocationRound | None] = relationship(back_populates="proposals")
    need: Mapped[Need] = relationship(lazy="joined")
    programme: Mapped[Programme] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)
