"""All queries on assistance activities."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, exists, func, or_, select, true, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import AliasedClass

from pux import db
from pux.accounts.models import Organisation
from pux.accounts.permissions import VisibilityScope
from pux.assistance.models import AssistanceActivity, IatiSplit, IatiTransaction
from pux.audit.repository import latest_seq_of
from pux.db import ChunkedRows, once_per_transaction, rows_in_chunks
from pux.pagination import Page, PageRequest, fetch_page
from pux.reference.models import fold_for_search

# The columns a select of activities reads, whatever they are.
Columns = TypeVarTuple("Columns")


# The orders a list of activities is paged in: latest start first (the pages' and the API's default), or
# the order they were recorded in, for a pull page by page: an activity recorded meanwhile comes last, so
# no page skips or repeats one (in the order of start dates, one starting later pushed every row down).
BY_START_DATE, BY_ID = "start_date", "id"
ORDERS = (BY_START_DATE, BY_ID)


@dataclass(frozen=True)
class ActivityFilter:
    country_iso3: str | None = None
    # The providers chosen (None: every one; empty: a typed name that fits none, so nothing is listed).
    provider_organisation_ids: tuple[int, ...] | None = None
    thematic_area_code: str | None = None
    technique_code: str | None = None
    status: str | None = None
    need_id: int | None = None
    text: str | None = None
    # Only activities recorded for one of these countries (empty: any country).
    country_iso3_in: tuple[str, ...] = ()
    # Only activities running on this day (the rule of service.is_current, applied by the database: a
    # country with thousands of imported past activities is not loaded to keep a handful).
    current_on: date | None = None
    # Only activities changed at or after this moment (aware, UTC): what changed since a previous pull.
    updated_since: datetime | None = None
    # The order of a paged list (one of ORDERS), carried with the filters that every layer passes on.
    order: str = BY_START_DATE


def visible_clause(
    scope: VisibilityScope,
    activity: type[AssistanceActivity] | AliasedClass[AssistanceActivity] = AssistanceActivity,
) -> ColumnElement[bool]:
    """The activities ``scope`` may see (``activity``: another name for the table, in a subquery)."""
    if scope.everything:
        return true()
    clauses = [activity.visibility.in_(scope.visibilities)]
    if scope.organisations:
        clauses.append(activity.provider_organisation_id.in_(scope.organisations))
    if scope.countries:
        clauses.append(activity.recipient_country_iso3.in_(scope.countries))
    return or_(*clauses)


def counted_once(scope: VisibilityScope) -> ColumnElement[bool]:
    """The activities whose money a sum for a reader of ``scope`` adds: all but an implementer's report of
    money that its funder's activity already counts (linked by IATI's provider-activity-id), when the
    reader sees that funder's activity. An implementer's report whose funder the reader may not see is
    the reader's only record of that money: it counts, so that no hidden record lowers a visible sum.
    Every sum of amounts over activities (gaps, maps, who does what where, the priority index) uses this
    clause, so that none counts the same money twice."""
    if scope.everything:
        return AssistanceActivity.counted_in_activity_id.is_(None)
    funder = aliased(AssistanceActivity)
    return or_(
        AssistanceActivity.counted_in_activity_id.is_(None),
        ~exists().where(
            funder.id == AssistanceActivity.counted_in_activity_id, visible_clause(scope, funder)
        ),
    )


def amount_counted_once(amount: Any, scope: VisibilityScope) -> ColumnElement[Any]:
    """An activity's ``amount`` (committed or disbursed) as a sum for ``scope`` adds it: the amount, 0 when
    the money is counted in its funder's activity (see counted_once), missing when not stated. The
    activity is still counted, and its amount still counts as stated: only its money is not added again."""
    return case((counted_once(scope), amount), (amount.is_not(None), 0), else_=None)


def _filtered(statement, filters: ActivityFilter):  # type: ignore[no-untyped-def]
    if filters.country_iso3:
        statement = statement.where(AssistanceActivity.recipient_country_iso3 == filters.country_iso3)
    if filters.provider_organisation_ids is not None:
        statement = statement.where(
            AssistanceActivity.provider_organisation_id.in_(filters.provider_organisation_ids)
        )
    if filters.thematic_area_code:
        statement = statement.where(AssistanceActivity.thematic_area_code == filters.thematic_area_code)
    if filters.technique_code:
        statement = statement.where(AssistanceActivity.technique_code == filters.technique_code)
    if filters.status:
        statement = statement.where(AssistanceActivity.status == filters.status)
    if filters.need_id:
        statement = statement.where(AssistanceActivity.need_id == filters.need_id)
    if filters.country_iso3_in:
        statement = statement.where(AssistanceActivity.recipient_country_iso3.in_(filters.country_iso3_in))
    if filters.current_on is not None:
        statement = statement.where(*running_on(filters.current_on))
    if filters.updated_since is not None:
        statement = statement.where(AssistanceActivity.updated_at >= filters.updated_since)
    if filters.text and filters.text.strip():
        statement = statement.where(
            AssistanceActivity.search_text.contains(fold_for_search(filters.text.strip()), autoescape=True)
        )
    return statement


ENDED_STATUSES = ("cancelled", "closed")
# Planned, not yet under way: its commitment may be recorded long before its work starts.
PIPELINE = "pipeline"


def running_on(day: date) -> tuple[ColumnElement[bool], ...]:
    """Started by ``day`` (or no start given), not ended before it, neither cancelled nor closed: the rule
    of service.is_current, for the database (coordination views, briefs, matching's overlaps)."""
    return (*started_by(day), or_(AssistanceActivity.end_date.is_(None), AssistanceActivity.end_date >= day))


def started_by(day: date) -> tuple[ColumnElement[bool], ...]:
    """``running_on`` but for the end date (see ``not_ended_before``)."""
    return (
        AssistanceActivity.status.not_in(ENDED_STATUSES),
        or_(AssistanceActivity.start_date.is_(None), AssistanceActivity.start_date <= day),
    )


def committed_by(day: date) -> tuple[ColumnElement[bool], ...]:
    """``started_by`` for sums of commitments: a pipeline activity's commitment also counts from the day it
    was recorded, whatever start its work is planned for (the model keeps no commitment date). One agreed
    this year for work starting next year was counted from next year, as if its money were not yet
    promised. Activities under way keep the rule of ``running_on``: the commitment of one said to start
    later is counted from its start. (The end date: see ``not_ended_before``.)"""
    planned = AssistanceActivity.status == PIPELINE
    if day < date.today():
        recorded_by = AssistanceActivity.created_at < datetime.combine(day + timedelta(days=1), time.min, UTC)
        planned = and_(planned, recorded_by)
    # From today on, every stored activity has been recorded: no record date is read, and the sums keep
    # reading their covering index (ix_assistance_activity_running holds the status, not that date).
    start_or_plan = or_(
        AssistanceActivity.start_date.is_(None), AssistanceActivity.start_date <= day, planned
    )
    return (AssistanceActivity.status.not_in(ENDED_STATUSES), start_or_plan)


def not_ended_before(rows: Select[*Columns], day: date) -> Subquery:
    """The ``rows`` (a select of activity columns) of activities that end on or after ``day`` or have no
    end, for a sum or count over the activities running at a time. Read as two ranges of the index
    ix_assistance_activity_running, which holds every column such a sum reads: written as one condition
    (no end or a later one), neither SQLite's nor PostgreSQL's planner used an index, and each such sum read
    all 200,000 activities of the mission's scale to find the 18,000 running today (0.2-0.3 s each, paid by
    the first reader after any change)."""
    return union_all(
        rows.where(AssistanceActivity.end_date >= day), rows.where(AssistanceActivity.end_date.is_(None))
    ).subquery()


def thematic_area_codes(session: Session, scope: VisibilityScope, filters: ActivityFilter) -> set[str]:
    """The thematic areas of the visible activities matching ``filters`` (without loading them)."""
    statement = _filtered(
        select(AssistanceActivity.thematic_area_code).where(visible_clause(scope)).distinct(), filters
    )
    return {code for code in session.scalars(statement) if code}


def list_visible(
    session: Session, scope: VisibilityScope, filters: ActivityFilter, page: PageRequest
) -> Page[AssistanceActivity]:
    base = _filtered(select(AssistanceActivity).where(visible_clause(scope)), filters)
    if filters.order == BY_ID:
        statement = base.order_by(AssistanceActivity.id)
    else:
        # Said explicitly: PostgreSQL puts a missing value first in a descending order, SQLite last, so the
        # undated activities headed the list on one and ended it on the other. Last on both; the listing
        # indexes are in this order (migration 0029 on PostgreSQL; SQLite's DESC already is).
        statement = base.order_by(AssistanceActivity.start_date.desc().nulls_last(), AssistanceActivity.id)
    return fetch_page(session, statement, page, kept_by=activities_stamp(session))


# The kind of entity of the activities' audit records (assistance.service.ENTITY): recording, editing
# and importing (IATI) an activity each record one, and its commit gives it its place in the chain.
AUDITED_AS = "assistance_activity"


def activities_stamp(session: Session) -> tuple[object, ...]:
    """Moves when an activity is added or changed (PUX deletes none; a deletion around it is seen when it
    takes the newest). Three index lookups, read once per transaction until its next write.

    The chain place of the latest committed write moves at each commit, in commit order. The newest change
    and the highest id are written before the commit, so a save that commits after a later one leaves
    them as they were; they are kept for writes made around PUX, which record no audit."""
    # Each maximum a query of its own: SQLite finds one maximum with one index step, but two in one select
    # walk a whole index (29 ms at 200,000 activities, on every page that lists them).
    return once_per_transaction(
        session,
        "activities",
        lambda: tuple(
            session.execute(
                select(
                    select(func.max(AssistanceActivity.updated_at)).scalar_subquery(),
                    select(func.max(AssistanceActivity.id)).scalar_subquery(),
                    latest_seq_of(AUDITED_AS),
                )
            ).one()
        ),
    )


def all_visible(
    session: Session, scope: VisibilityScope, filters: ActivityFilter
) -> Sequence[AssistanceActivity]:
    statement = _filtered(select(AssistanceActivity).where(visible_clause(scope)), filters)
    return session.scalars(statement.order_by(AssistanceActivity.id)).unique().all()


def visible_ids(session: Session, scope: VisibilityScope, filters: ActivityFilter) -> list[int]:
    """The ids of what all_visible returns, in its order (a large export loads a chunk at a time)."""
    statement = _filtered(select(AssistanceActivity.id).where(visible_clause(scope)), filters)
    return list(session.scalars(statement.order_by(AssistanceActivity.id)).unique())


def export_rows(
    session: Session, scope: VisibilityScope, filters: ActivityFilter, columns: Sequence[str]
) -> ChunkedRows:
    """What all_visible returns, as plain rows (the values of ``columns``), a chunk at a time."""
    matching = _filtered(select(AssistanceActivity.id).where(visible_clause(scope)), filters)
    return rows_in_chunks(session, matching, AssistanceActivity.__table__, columns)


def by_ids(session: Session, ids: Sequence[int]) -> list[AssistanceActivity]:
    """The activities with these ids, in id order."""
    if not ids:
        return []
    statement = select(AssistanceActivity).where(AssistanceActivity.id.in_(list(ids)))
    return list(session.scalars(statement.order_by(AssistanceActivity.id)).unique())


def get(session: Session, activity_id: int) -> AssistanceActivity | None:
    return session.get(AssistanceActivity, activity_id)


def for_need_and_programme(session: Session, need_id: int, programme_id: int) -> list[AssistanceActivity]:
    """The activities linked to both this need and this programme, oldest first."""
    statement = select(AssistanceActivity).where(
        AssistanceActivity.need_id == need_id, AssistanceActivity.programme_id == programme_id
    )
    return list(session.scalars(statement.order_by(AssistanceActivity.id)).unique())


def get_by_external_id(session: Session, external_id: str) -> AssistanceActivity | None:
    return session.scalars(
        select(AssistanceActivity).where(AssistanceActivity.external_id == external_id)
    ).first()


# Values per query when records are looked up by a list of values: well under every database's limit of
# bound parameters.
LOOKUP_CHUNK = 1000


def organisations_by_iati_reference(session: Session, references: Collection[str]) -> dict[str, int]:
    """The organisations (by id) whose IATI reference is one of ``references`` (a thousand a query: an
    import asks about every prefix of every identifier of its file)."""
    wanted = sorted(references)
    owners: dict[str, int] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        rows = session.execute(
            select(Organisation.iati_identifier, Organisation.id).where(
                Organisation.iati_identifier.in_(chunk)
            )
        )
        owners.update((reference, organisation_id) for reference, organisation_id in rows if reference)
    return owners


def add(session: Session, activity: AssistanceActivity) -> AssistanceActivity:
    session.add(activity)
    session.flush()
    return activity


def new_ids(session: Session, count: int) -> list[int]:
    """The ids of ``count`` activities about to be written together (db.new_ids)."""
    return db.new_ids(session, AssistanceActivity.__table__, count)  # type: ignore[arg-type]


def add_all(session: Session, activities: Sequence[AssistanceActivity]) -> None:
    """New activities (their ids given) written together by one statement (db.insert_new_records: an
    import writes thousands while it holds the write lock). They stay outside the session, as built."""
    db.insert_new_records(session, activities)


def external_ids_taken(session: Session, identifiers: Collection[str]) -> set[str]:
    """Those of ``identifiers`` that some activity has as its external identifier (a thousand a query)."""
    wanted = sorted(identifiers)
    taken: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        statement = select(AssistanceActivity.external_id).where(AssistanceActivity.external_id.in_(chunk))
        taken.update(identifier for identifier in session.scalars(statement) if identifier)
    return taken


def current_commitments_by_country_and_area(
    session: Session, on: date, scope: VisibilityScope | None = None
) -> dict[tuple[str, str], float]:
    """Committed US dollars of the activities ``scope`` may see (everything when None) whose commitment
    stands on a date (made by then: see ``committed_by``; not ended before it), by recipient country and
    thematic area.

    Activities in other currencies are left out here (PUX converts no currency silently): see
    current_commitments_by_currency for what is left out.
    """
    by_currency = current_commitments_by_currency(session, on, scope)
    return {
        (country, area): total
        for (country, area, currency), total in by_currency.items()
        if currency == "USD"
    }


def current_commitments_by_currency(
    session: Session, on: date, scope: VisibilityScope | None = None
) -> dict[tuple[str, str, str], float]:
    """The commitments of current_commitments_by_country_and_area in every currency, each summed in its
    own (never converted), by recipient country, thematic area and currency: what the priority index
    counts (US dollars) and what it does not."""
    scope = scope or VisibilityScope(everything=True)
    rows = select(
        AssistanceActivity.recipient_country_iso3,
        AssistanceActivity.thematic_area_code,
        AssistanceActivity.currency,
        AssistanceActivity.amount_committed,
    ).where(
        AssistanceActivity.thematic_area_code.is_not(None),
        visible_clause(scope),
        counted_once(scope),
        *committed_by(on),
    )
    running = not_ended_before(rows, on).c
    statement = select(
        running.recipient_country_iso3,
        running.thematic_area_code,
        running.currency,
        func.sum(running.amount_committed),
    ).group_by(running.recipient_country_iso3, running.thematic_area_code, running.currency)
    return {
        (country, str(area), currency): float(total or 0)
        for country, area, currency, total in session.execute(statement)
    }


def ids_among(
    session: Session, key: Any, visible: ColumnElement[bool], ids: Collection[int | None]
) -> set[int]:
    """Those of ``ids`` whose records (by ``key``: a need's, a programme's or an activity's id) match
    ``visible``, in one query for a page of links."""
    wanted = {number for number in ids if number is not None}
    if not wanted:
        return set()
    return set(session.scalars(select(key).where(key.in_(wanted), visible)))


def sector_splits(session: Session, activity_id: int) -> list[tuple[str, str, Decimal | None]]:
    """(vocabulary, code, percentage) of the sectors an imported activity's file gives at activity level,
    in file order."""
    statement = (
        select(IatiSplit.vocabulary, IatiSplit.code, IatiSplit.percentage)
        .where(
            IatiSplit.activity_id == activity_id,
            IatiSplit.kind == "sector",
            IatiSplit.transaction_id.is_(None),
        )
        .order_by(IatiSplit.position)
    )
    return [(vocabulary, code, percentage) for vocabulary, code, percentage in session.execute(statement)]


def transaction_totals(session: Session, activity_id: int) -> list[tuple[str, str | None, Any]]:
    """(IATI transaction type, currency, total) of an imported activity's transactions, by type and currency
    (a currency left out by a transaction is the activity's default: None here)."""
    statement = (
        select(IatiTransaction.transaction_type, IatiTransaction.currency, func.sum(IatiTransaction.value))
        .where(IatiTransaction.activity_id == activity_id, IatiTransaction.value.is_not(None))
        .group_by(IatiTransaction.transaction_type, IatiTransaction.currency)
        .order_by(IatiTransaction.transaction_type, IatiTransaction.currency)
    )
    return [(kind, currency, total) for kind, currency, total in session.execute(statement)]
