"""Dialogue tables: events and their agenda, targets, participants, travel support, outcomes, follow-up.

Event and session times are stored as local wall-clock times with the event's IANA time zone beside them:
that is what the facilitator typed and what participants read, and it stays right when time-zone rules
change between planning and the event. Beside them the event keeps the same start and end as instants in
UTC, derived on every write: an event 14 hours ahead of UTC whose local date is tomorrow may have ended
already, so whether it has begun or ended, and which event comes first, is decided on those.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from pux.accounts.models import Organisation, User
from pux.audit.models import column_values, utcnow
from pux.db import Base
from pux.reference.models import Country


class DialogueEvent(Base):
    """A workshop, meeting, visit, conference, webinar, virtual symposium or side event of the dialogue
    (the kinds of dialogues.vocabulary.EVENT_KINDS)."""

    __tablename__ = "dialogue_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    is_cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    host_country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The same start and end as naive UTC instants (see the module's docstring), written by _place_in_utc
    # below on every insert and update. The database admits null only because making the columns NOT NULL
    # on SQLite would rebuild this table (migration 0024).
    starts_at_utc: Mapped[datetime] = mapped_column(DateTime, nullable=True, index=True)
    ends_at_utc: Mapped[datetime] = mapped_column(DateTime, nullable=True, index=True)
    working_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)
    thematic_area_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    technique_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    focus_country_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    travel_budget: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    budget_currency: Mapped[str] = mapped_column(ForeignKey("currency.code"), default="USD")
    # The largest share of the daily allowance an award may leave out (0: the whole request or nothing).
    allowance_cut_allowed: Mapped[float] = mapped_column(Float, default=0.5)
    max_supported_per_country: Mapped[int | None] = mapped_column(Integer)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    host_country: Mapped[Country | None] = relationship(lazy="joined")
    sessions: Mapped[list[AgendaSession]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="AgendaSession.starts_at"
    )
    targets: Mapped[list[BalanceTargetRow]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="BalanceTargetRow.id"
    )

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


def utc_instant(local: datetime, time_zone: str) -> datetime:
    """A local wall-clock time of ``time_zone`` as a naive UTC instant (a time the clocks skip or repeat
    is read as the earlier one, zoneinfo's fold=0)."""
    return local.replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC).replace(tzinfo=None)


@listens_for(DialogueEvent, "before_insert")
@listens_for(DialogueEvent, "before_update")
def _place_in_utc(mapper: Mapper[DialogueEvent], connection: object, dialogue_event: DialogueEvent) -> None:
    # On every write, whoever writes (the service, the demo, a script): the UTC instants can never lag
    # behind the local times or the zone they come from.
    zone = dialogue_event.time_zone or "UTC"  # the column's default, not yet applied before an insert
    dialogue_event.starts_at_utc = utc_instant(dialogue_event.starts_at, zone)
    dialogue_event.ends_at_utc = utc_instant(dialogue_event.ends_at, zone)


class AgendaSession(Base):
    """One item of an event's agenda."""

    __tablename__ = "dialogue_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    title: Mapped[str] = mapped_column(String(300))
    speakers: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(2))


class BalanceTargetRow(Base):
    """A participation target of an event (see ``vocabulary.BalanceTarget``)."""

    __tablename__ = "dialogue_balance_target"
    __table_args__ = (UniqueConstraint("event_id", "dimension", "category", "bound"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(40))
    bound: Mapped[str] = mapped_column(String(10))
    share: Mapped[float] = mapped_column(Float)


class Participant(Base):
    """A person on an event's list, from invitation to attendance. Their email, gender and travel are
    personal data: only the facilitators, the person and their country's focal point see them."""

    __tablename__ = "dialogue_participant"
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    stakeholder_type: Mapped[str | None] = mapped_column(String(40))
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"), index=True)
    gender: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="invited", index=True)
    status_comment: Mapped[str | None] = mapped_column(Text)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    endorsed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    event: Mapped[DialogueEvent] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    country: Mapped[Country | None] = relationship(lazy="joined")
    user: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[user_id])
    application: Mapped[TravelApplication | None] = relationship(
        lazy="selectin", back_populates="participant", uselist=False
    )

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class TravelApplication(Base):
    """A participant's request for travel support, in the event's budget currency."""

    __tablename__ = "dialogue_travel_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue_participant.id", ondelete="CASCADE"), unique=True
    )
    fare: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    daily_allowance: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    nights: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="applied", index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="application", lazy="joined")
    grant: Mapped[TravelGrant | None] = relationship(
        lazy="selectin", uselist=False, back_populates="application"
    )

    @property
    def requested(self) -> Decimal:
        return self.fare + self.daily_allowance * self.nights

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class FundAllocationRun(Base):
    """One run of the travel-fund optimiser for an event: what it was given and what it proved."""

    __tablename__ = "dialogue_fund_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20))
    budget: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    total_awarded: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    proven_gap: Mapped[float] = mapped_column(Float, default=0.0)
    solve_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    binding: Mapped[list[str]] = mapped_column(JSON, default=list)
    conflicting: Mapped[list[str]] = mapped_column(JSON, default=list)


class TravelGrant(Base):
    """The fund's decision on one application: an amount (0 = not supported) and the reason for it."""

    __tablename__ = "dialogue_travel_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    application_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue_travel_application.id", ondelete="CASCADE"), unique=True
    )
    run_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue_fund_run.id", ondelete="SET NULL"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reason_code: Mapped[str] = mapped_column(String(30))
    reason_detail: Mapped[str] = mapped_column(String(200), default="")
    is_override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[TravelApplication] = relationship(back_populates="grant", lazy="joined")
    disbursements: Mapped[list[Disbursement]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="Disbursement.paid_on"
    )

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class Disbursement(Base):
    """Money paid against a travel grant, and whether the receipts came back."""

    __tablename__ = "dialogue_disbursement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue_travel_grant.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    paid_on: Mapped[date] = mapped_column(Date)
    receipt_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EventOutcome(Base):
    """What an event concluded: a summary and the challenges raised, tagged for search and statistics."""

    __tablename__ = "dialogue_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(2))
    thematic_area_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    technique_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sdg_goal_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class Recommendation(Base):
    """One recommendation made at an event, possibly addressed to one country."""

    __tablename__ = "dialogue_recommendation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("country.iso3"))
    thematic_area_code: Mapped[str | None] = mapped_column(ForeignKey("thematic_area.code"))
    technique_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sdg_goal_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    country: Mapped[Country | None] = relationship(lazy="joined")
    concept_notes: Mapped[list[ConceptNote]] = relationship(lazy="selectin", back_populates="recommendation")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class ConceptNote(Base):
    """A short project design grown from a recommendation; the country's counterpart refines it and
    converts it into a need, which keeps the link back to the event."""

    __tablename__ = "dialogue_concept_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue_recommendation.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    counterpart_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    title: Mapped[str] = mapped_column(String(300))
    thematic_area_code: Mapped[str] = mapped_column(ForeignKey("thematic_area.code"))
    technique_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    problem: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    outputs: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    indicators: Mapped[str] = mapped_column(Text, default="")
    assumptions: Mapped[str] = mapped_column(Text, default="")
    estimated_cost: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(ForeignKey("currency.code"), default="USD")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="concept_notes", lazy="joined")
    country: Mapped[Country] = relationship(lazy="joined")
    counterpart_organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class ActionItem(Base):
    """A follow-up action agreed at an event, with an owner (a person or an organisation) and a due date."""

    __tablename__ = "dialogue_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    event_id: Mapped[int] = mapped_column(ForeignKey("dialogue_event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    event: Mapped[DialogueEvent] = relationship(lazy="joined")
    owner_user: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[owner_user_id])
    owner_organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    notes: Mapped[list[ActionNote]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ActionNote.written_at"
    )

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


class ActionNote(Base):
    """A progress note on an action item."""

    __tablename__ = "dialogue_action_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("dialogue_action.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    written_by_label: Mapped[str] = mapped_column(String(200), default="")
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
