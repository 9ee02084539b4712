"""The AssistanceActivity table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
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
    # Indexed: the newest change is part of the stamp of every kept result that reads activities.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Optimistic locking: an UPDATE that finds another version changes nothing and fails loudly.
    __mapper_args__ = {"version_id_col": version}
    # --- Activities imported from IATI files (origin "iati"); None for activities typed into PUX. ---
    iati_identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    iati_last_updated: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    iati_reporting_org_ref: Mapped[str | None] = mapped_column(String(150), index=True)
    iati_reporting_org_type: Mapped[str | None] = mapped_column(String(10))
    iati_default_language: Mapped[str | None] = mapped_column(String(10))
    # The file's default-currency (PUX's ``currency`` is also set when only transactions name one).
    iati_default_currency: Mapped[str | None] = mapped_column(String(3))
    iati_source_id: Mapped[int | None] = mapped_column(ForeignKey("iati_source.id"), index=True)
    # (ref, type) of the file's related-activity elements.
    iati_related_activities: Mapped[list[dict[str, str]]] = mapped_column(
        JSON, default=list, server_default=sql_text("'[]'")
    )
    # The funder's activity whose figures already count this one's money (an implementer's report of
    # the same funds): left out of totals so that nothing is counted twice.
    counted_in_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("assistance_activity.id", ondelete="SET NULL"), index=True
    )

    provider: Mapped[Organisation] = relationship(lazy="joined")
    recipient_country: Mapped[Country] = relationship(lazy="joined")
    iati_source: Mapped[IatiSource | None] = relationship(lazy="joined")

    def snapshot(self) -> dict[str, Any]:
        return column_values(self)


# --- IATI: where imported figures come from, and what an activity file says beyond PUX's own fields ----


# The activity list's order (newest start first, undated last, then id): read by walking this index instead
# of sorting every activity on each page (160 ms of a 220 ms page at 200,000 activities). NULLS LAST on
# PostgreSQL only (migration 0029): SQLite refuses the words, and its DESC index holds them last already.
Index(
    "ix_assistance_activity_listing",
    AssistanceActivity.start_date.desc().nulls_last(),
    AssistanceActivity.id,
)

# The same order within what the public may see, and within one recipient country: the public's page 300
# walked the whole listing index to skip the others' activities (14 ms at the mission's scale, 0.8 from
# this one), and a country's first page walked it past every other country's (8 ms, now 0.1).
Index(
    "ix_assistance_activity_visibility_listing",
    AssistanceActivity.visibility,
    AssistanceActivity.start_date.desc().nulls_last(),
    AssistanceActivity.id,
)
Index(
    "ix_assistance_activity_country_listing",
    AssistanceActivity.recipient_country_iso3,
    AssistanceActivity.start_date.desc().nulls_last(),
    AssistanceActivity.id,
)

# What a sum or count over the activities running at a time reads (see repository.not_ended_before), all of
# it in the index, so that the database reads the running activities from the index alone.
Index(
    "ix_assistance_activity_running",
    AssistanceActivity.end_date,
    AssistanceActivity.start_date,
    AssistanceActivity.status,
    AssistanceActivity.currency,
    AssistanceActivity.counted_in_activity_id,
    AssistanceActivity.visibility,
    AssistanceActivity.recipient_country_iso3,
    AssistanceActivity.thematic_area_code,
    AssistanceActivity.technique_code,
    AssistanceActivity.provider_organisation_id,
    AssistanceActivity.amount_committed,
    AssistanceActivity.amount_disbursed,
    AssistanceActivity.id,
)


class IatiSource(Base):
    """One IATI activity file as PUX read it: its publisher, name, content hash and generated date."""

    __tablename__ = "iati_source"
    __table_args__ = (UniqueConstraint("sha256", "file_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    publisher_ref: Mapped[str | None] = mapped_column(String(150))
    publisher_name: Mapped[str | None] = mapped_column(String(300))
    iati_version: Mapped[str | None] = mapped_column(String(10))
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IatiImportRun(Base):
    """One import of one file: its counts, its refusals (rule codes, shown in the reader's language)
    and how far it got, so that a run stopped half way is continued instead of repeated."""

    __tablename__ = "iati_import_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("iati_source.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    # The process running it ("host:pid") and when it last finished a batch: a run whose process is gone,
    # or that has not moved for a while, has stopped even though it still says "running".
    runner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Activities of the file handled so far, in file order (the point a re-run continues from).
    done_count: Mapped[int] = mapped_column(Integer, default=0)
    total_count: Mapped[int] = mapped_column(Integer, default=0)
    read_count: Mapped[int] = mapped_column(Integer, default=0)
    relevant_count: Mapped[int] = mapped_column(Integer, default=0)
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    refused_count: Mapped[int] = mapped_column(Integer, default=0)
    # [{"identifier", "line", "rule", "details"}], at most a few thousand.
    refusals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Activities read but neither imported nor refused, by why they were passed over
    # ({"outside-countries": 12, ...}); None for a run begun before PUX counted them.
    passed_over: Mapped[dict[str, int] | None] = mapped_column(JSON)

    source: Mapped[IatiSource] = relationship(lazy="joined")


class IatiTransaction(Base):
    """A commitment, disbursement, expenditure (or other IATI transaction) of an imported activity."""

    __tablename__ = "iati_transaction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_activity.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    transaction_type: Mapped[str] = mapped_column(String(3))
    transaction_date: Mapped[date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[date | None] = mapped_column(Date)
    provider_org_ref: Mapped[str | None] = mapped_column(String(150))
    provider_org_type: Mapped[str | None] = mapped_column(String(10))
    provider_org_name: Mapped[str | None] = mapped_column(String(300))
    provider_activity_id: Mapped[str | None] = mapped_column(String(200), index=True)
    receiver_org_ref: Mapped[str | None] = mapped_column(String(150), index=True)
    receiver_org_type: Mapped[str | None] = mapped_column(String(10))
    receiver_org_name: Mapped[str | None] = mapped_column(String(300))
    receiver_activity_id: Mapped[str | None] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)


class IatiSplit(Base):
    """A sector, recipient country or region of an imported activity (or of one of its transactions),
    with its vocabulary and its share in percent (None when the file gives none)."""

    __tablename__ = "iati_split"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_activity.id", ondelete="CASCADE"), index=True
    )
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("iati_transaction.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    vocabulary: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(100))
    percentage: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    vocabulary_uri: Mapped[str | None] = mapped_column(String(300))


class IatiParticipatingOrganisation(Base):
    """An organisation taking part in an imported activity, with its IATI role (1 funding, 2
    accountable, 3 extending, 4 implementing) and the PUX organisation it was matched to."""

    __tablename__ = "iati_participating_organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_activity.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(3))
    ref: Mapped[str | None] = mapped_column(String(150))
    org_type: Mapped[str | None] = mapped_column(String(10))
    their_activity_id: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)


class IatiNarrative(Base):
    """A text of an imported activity in one language: "title", "description-1" ... "description-4",
    or the name of a participating organisation ("participant-<position>") or the reporting one."""

    __tablename__ = "iati_narrative"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("assistance_activity.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)


class IatiOrganisationToConfirm(Base):
    """An organisation an IATI import created because no PUX organisation had its IATI identifier; a
    facilitator confirms it (or merges it by hand) before it is trusted."""

    __tablename__ = "iati_organisation_to_confirm"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    iati_ref: Mapped[str] = mapped_column(String(150))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("iati_import_run.id", ondelete="SET NULL"))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
