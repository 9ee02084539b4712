"""All queries on needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Integer, and_, cast, event, func, insert, literal, or_, select, true
from sqlalchemy.orm import Session, SessionTransaction, lazyload

from pux import db
from pux.accounts.permissions import VisibilityScope
from pux.db import ChunkedRows, linked_codes, once_per_transaction, rows_in_chunks
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.needs.workflow import PUBLISHED_STATUSES
from pux.pagination import Page, PageRequest, count_of, fetch_page
from pux.reference import repository as reference_repository
from pux.reference.models import Country, SdgTarget, Technique, fold_for_search

# The orders a list of needs is paged in: by country, then national rank (the pages' and the API's
# default), or the order they were drafted in, for a pull page by page: a need drafted meanwhile comes
# last, so no page skips or repeats one (in the ranked order, one drafted for Albania pushed every row down).
BY_COUNTRY_RANK, BY_ID = "country_rank", "id"
ORDERS = (BY_COUNTRY_RANK, BY_ID)


@dataclass(frozen=True)
class NeedFilter:
    country_iso3: str | None = None
    region_m49: str | None = None
    thematic_area_code: str | None = None
    technique_code: str | None = None
    sdg_code: str | None = None  # a goal ("3") or a target ("3.4")
    status: str | None = None
    income_group: str | None = None
    organisation_id: int | None = None
    text: str | None = None
    # "Only the needs I drafted": asked by a reader, resolved by the service to drafted_by_id.
    mine: bool = False
    drafted_by_id: int | None = None
    # Only needs changed at or after this moment (aware, UTC): what changed since a previous pull.
    updated_since: datetime | None = None
    # The order of a paged list (one of ORDERS), carried with the filters that every layer passes on.
    order: str = BY_COUNTRY_RANK


def visible_clause(scope: VisibilityScope) -> ColumnElement[bool]:
    """The needs a scope may see, as SQL (used for lists, counts and exports alike)."""
    if scope.everything:
        return true()
    shared = and_(Need.status.in_(PUBLISHED_STATUSES), Need.visibility.in_(scope.visibilities))
    if scope.countries:
        return or_(Need.country_iso3.in_(scope.countries), shared)
    return shared


def _filtered(statement, filters: NeedFilter):  # type: ignore[no-untyped-def]
    if filters.country_iso3:
        statement = statement.where(Need.country_iso3 == filters.country_iso3)
    if filters.region_m49:
        code = filters.region_m49
        in_region = select(Country.iso3).where(
            or_(Country.region_m49 == code, Country.subregion_m49 == code, Country.intermediate_m49 == code)
        )
        statement = statement.where(Need.country_iso3.in_(in_region))
    if filters.thematic_area_code:
        statement = statement.where(Need.thematic_area_code == filters.thematic_area_code)
    if filters.technique_code:
        with_technique = select(need_technique.c.need_id).where(
            need_technique.c.technique_code == filters.technique_code
        )
        statement = statement.where(Need.id.in_(with_technique))
    if filters.sdg_code:
        code = filters.sdg_code
        target_match = (
            need_sdg_target.c.target_code == code
            if "." in code
            else need_sdg_target.c.target_code.startswith(f"{code}.", autoescape=True)
        )
        statement = statement.where(Need.id.in_(select(need_sdg_target.c.need_id).where(target_match)))
    if filters.status:
        statement = statement.where(Need.status == filters.status)
    if filters.organisation_id:
        statement = statement.where(Need.organisation_id == filters.organisation_id)
    if filters.drafted_by_id is not None:
        statement = statement.where(Need.created_by_id == filters.drafted_by_id)
    if filters.updated_since is not None:
        statement = statement.where(Need.updated_at >= filters.updated_since)
    if filters.income_group:
        in_group = reference_repository.countries_in_income_group(filters.income_group)
        statement = statement.where(Need.country_iso3.in_(in_group))
    if filters.text and filters.text.strip():
        statement = statement.where(
            Need.search_text.contains(fold_for_search(filters.text.strip()), autoescape=True)
        )
    return statement


def list_visible(
    session: Session, scope: VisibilityScope, filters: NeedFilter, page: PageRequest, *, whole: bool = True
) -> Page[Need]:
    """``whole=False``: without their lists read ahead (see TITLES_AND_COUNTRIES)."""
    base = _filtered(select(Need).where(visible_clause(scope)), filters)
    if not whole:
        base = base.options(*TITLES_AND_COUNTRIES)
    if filters.order == BY_ID:
        return fetch_page(session, base.order_by(Need.id), page)
    # Unranked needs last, written as NULLS LAST: PostgreSQL then walks ix_need_listing in this order.
    statement = base.order_by(Need.country_iso3, Need.national_rank.nulls_last(), Need.id)
    return fetch_page(session, statement, page)


def all_visible(session: Session, scope: VisibilityScope, filters: NeedFilter) -> Sequence[Need]:
    statement = _filtered(select(Need).where(visible_clause(scope)), filters).order_by(Need.id)
    return session.scalars(statement).unique().all()


class NeedPlace(NamedTuple):
    """What a list that sorts many needs and shows a few sorts them by (the few are then read whole)."""

    id: int
    country_iso3: str
    thematic_area_code: str
    national_rank: int | None
    updated_at: datetime
    estimated_cost: Decimal | None
    currency: str  # of the cost: costs are compared in one currency, or through a stated rate


# The columns of a NeedPlace, in its order.
PLACE_COLUMNS = (
    Need.id,
    Need.country_iso3,
    Need.thematic_area_code,
    Need.national_rank,
    Need.updated_at,
    Need.estimated_cost,
    Need.currency,
)


def places_visible(session: Session, scope: VisibilityScope, filters: NeedFilter) -> list[NeedPlace]:
    """What all_visible finds, as each need's place (no need read whole)."""
    statement = _filtered(select(*PLACE_COLUMNS).where(visible_clause(scope)), filters).order_by(Need.id)
    return [NeedPlace(*row) for row in session.execute(statement)]


def export_rows(
    session: Session, scope: VisibilityScope, filters: NeedFilter, columns: Sequence[str]
) -> ChunkedRows:
    """What all_visible returns, as plain rows (the values of ``columns``) with their technique and target
    codes, a chunk at a time."""
    matching = _filtered(select(Need.id).where(visible_clause(scope)), filters)
    links = {
        "technique_codes": linked_codes(need_technique, Technique),
        "sdg_target_codes": linked_codes(need_sdg_target, SdgTarget),
    }
    return rows_in_chunks(session, matching, Need.__table__, columns, links)


def ranked_visible(
    session: Session, scope: VisibilityScope, countries: frozenset[str]
) -> Sequence[tuple[int, str, int]]:
    """(id, country, national rank) of the ranked needs of ``countries`` a scope may see, in rank order."""
    statement = (
        select(Need.id, Need.country_iso3, Need.national_rank)
        .where(Need.country_iso3.in_(countries), Need.national_rank.is_not(None), visible_clause(scope))
        .order_by(Need.country_iso3, Need.national_rank, Need.id)
    )
    return [(need_id, country, int(rank or 0)) for need_id, country, rank in session.execute(statement)]


def count_visible(session: Session, scope: VisibilityScope, filters: NeedFilter) -> int:
    return count_of(session, _filtered(select(Need.id).where(visible_clause(scope)), filters))


def get(session: Session, need_id: int) -> Need | None:
    return session.get(Need, need_id)


def get_by_reference(session: Session, reference: str) -> Need | None:
    return session.scalars(select(Need).where(Need.reference == reference)).first()


def _of_countries(statement: Any, countries: frozenset[str] | None, statuses: Sequence[str]) -> Any:
    """Needs in these statuses, of these countries (None: of every country)."""
    statement = statement.where(Need.status.in_(statuses))
    return statement if countries is None else statement.where(Need.country_iso3.in_(countries))


def in_statuses(
    session: Session, *, countries: frozenset[str] | None, statuses: Sequence[str], limit: int = 100
) -> Sequence[Need]:
    """Needs in some statuses, of some countries (None: of every country), oldest change first."""
    statement = _of_countries(select(Need), countries, statuses).order_by(Need.updated_at, Need.id)
    return session.scalars(statement.limit(limit)).unique().all()


# count, newest change, sums of versions and ids
_FINGERPRINT = select(func.count(), func.max(Need.updated_at), func.sum(Need.version), func.sum(Need.id))


def fingerprint(
    session: Session, *, statuses: Iterable[str], visibilities: Iterable[str] | None = None
) -> tuple[object, ...]:
    """The count, latest change, sum of versions and sum of ids of the needs in these statuses (and
    visibilities): it moves when one of them changes, arrives or leaves (what is computed from those needs
    alone is kept by it), and not when any other need is written. Read once per transaction until its next
    write: the home page asks three times; one index (ix_need_fingerprint) holds it all.

    The versions follow commits whatever their order: every save of a need adds one to its version, and a
    reader's sum counts exactly the saves committed before it read (a change time, written before the
    commit, leaves a save that commits after a later one unseen). The audit chain's latest place of a need
    moved too, but at every draft written anywhere: at the mission's scale each draft made every app
    process read all 10,000 matchable needs again for the next programme page (two thirds of the app's
    time under the load benchmark). The time catches writes made around PUX."""
    statuses, visibilities = sorted(statuses), None if visibilities is None else sorted(visibilities)

    def read() -> tuple[object, ...]:
        statement = _FINGERPRINT.where(Need.status.in_(statuses))
        if visibilities is not None:
            statement = statement.where(Need.visibility.in_(visibilities))
        return tuple(session.execute(statement).one())

    return once_per_transaction(session, f"needs fingerprint {statuses} {visibilities}", read)


def fingerprint_of_visible(session: Session, scope: VisibilityScope) -> tuple[object, ...]:
    """fingerprint of the needs ``scope`` may see: it moves when one of them changes, arrives or leaves,
    and a draft moves only the fingerprints of those who see it."""
    return tuple(session.execute(_FINGERPRINT.where(visible_clause(scope))).one())


def counts_in_statuses(
    session: Session, asks: Sequence[tuple[frozenset[str] | None, Sequence[str]]]
) -> list[int]:
    """How many needs are in some statuses, of some countries (None: of every country), for each
    (countries, statuses) asked: all of them (in_statuses lists the oldest 100), without loading them, in
    one statement (the header of every signed-in page asks three; an index on the status holds the count)."""

    def counted(countries: frozenset[str] | None, statuses: Sequence[str]) -> ColumnElement[int]:
        if countries is not None and not countries:
            return literal(0)  # no country: no need
        needs = _of_countries(select(Need.id), countries, statuses).subquery()
        return select(func.count()).select_from(needs).scalar_subquery()

    return list(session.execute(select(*(counted(*ask) for ask in asks))).one())


def drafted_by(
    session: Session, *, user_id: int, statuses: Sequence[str], limit: int = 100
) -> Sequence[Need]:
    """A person's needs in some statuses, the latest change first (at most ``limit``)."""
    statement = select(Need).where(_drafted_by(user_id, statuses)).order_by(Need.updated_at.desc(), Need.id)
    return session.scalars(statement.limit(limit)).unique().all()


def count_drafted_by(session: Session, *, user_id: int, statuses: Sequence[str]) -> int:
    """How many needs drafted_by would list without its limit."""
    return session.scalar(select(func.count(Need.id)).where(_drafted_by(user_id, statuses))) or 0


def _drafted_by(user_id: int, statuses: Sequence[str]) -> ColumnElement[bool]:
    return and_(Need.created_by_id == user_id, Need.status.in_(statuses))


def for_country(session: Session, country_iso3: str, statuses: frozenset[str]) -> Sequence[Need]:
    statement = (
        select(Need)
        .where(Need.country_iso3 == country_iso3, Need.status.in_(statuses))
        .order_by(Need.national_rank.is_(None), Need.national_rank, Need.id)
    )
    return session.scalars(statement).unique().all()


def _reserve_references(session: Session, prefix: str) -> None:
    """Until this transaction ends, no other one hands out references with this prefix. SQLite runs one
    writer at a time already; on PostgreSQL two people drafting a need for the same country at the same
    moment both read the same newest reference, and the second save was refused as a conflict."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"need-reference:{prefix}"))))


# The last reference of each prefix this transaction handed out: the next one follows it without a query
# (an import of thousands of needs read the newest reference once a row, in the write lock).
_HANDED_OUT = "need_references_handed_out"


@event.listens_for(Session, "after_transaction_end")
def _forget_handed_out(session: Session, transaction: SessionTransaction) -> None:
    # A savepoint's end too (a rolled-back one may have taken its references back); not a flush's.
    if transaction.nested or transaction.parent is None:
        session.info.pop(_HANDED_OUT, None)


def next_reference(session: Session, country_iso3: str, year: int) -> str:
    """Readable, stable references such as KEN-2026-007.

    References are handed out in order, so the newest need of the year normally has the highest: found
    through the primary key, not by reading every reference of the year (which made each new need cost as
    much as all before it: a 20,000-row import held the write lock for hours). Should that number's
    successor be taken already, the highest number is counted in full."""
    prefix = f"{country_iso3}-{year}-"
    handed_out: dict[str, int] = session.info.setdefault(_HANDED_OUT, {})
    if prefix in handed_out:  # reserved already, and its successor is this transaction's to give
        handed_out[prefix] += 1
        return f"{prefix}{handed_out[prefix]:03d}"
    reference = _next_reference_read(session, prefix)
    handed_out[prefix] = int(reference.removeprefix(prefix))
    return reference


def _next_reference_read(session: Session, prefix: str) -> str:
    _reserve_references(session, prefix)
    of_year = Need.reference.like(f"{prefix}%")
    newest = session.scalar(select(Need.reference).where(of_year).order_by(Need.id.desc()).limit(1))
    candidate = f"{prefix}{int(newest.removeprefix(prefix)) + 1 if newest else 1:03d}"
    if newest is None or session.scalar(select(Need.id).where(Need.reference == candidate)) is None:
        return candidate
    highest = session.scalar(
        select(func.max(cast(func.substr(Need.reference, len(prefix) + 1), Integer))).where(of_year)
    )
    return f"{prefix}{(highest or 0) + 1:03d}"


# For lists that show needs by title and country: their techniques and SDG targets are read only if
# something asks for them (a country's income-group history is read on demand anyway).
TITLES_AND_COUNTRIES = (lazyload(Need.techniques), lazyload(Need.sdg_targets))


def by_ids(session: Session, ids: Sequence[int], *, whole: bool = True) -> dict[int, Need]:
    """The needs with these ids, by id (an id with no need is left out). ``whole=False``: without their
    lists read ahead (see TITLES_AND_COUNTRIES)."""
    if not ids:
        return {}
    statement = select(Need).where(Need.id.in_(ids))
    if not whole:
        statement = statement.options(*TITLES_AND_COUNTRIES)
    return {need.id: need for need in session.scalars(statement).unique()}


def add(session: Session, need: Need) -> Need:
    session.add(need)
    session.flush()
    return need


def new_ids(session: Session, count: int) -> list[int]:
    """The ids of ``count`` needs about to be written together (db.new_ids)."""
    return db.new_ids(session, Need.__table__, count)  # type: ignore[arg-type]


def add_all(session: Session, needs: Sequence[Need]) -> None:
    """New needs (their ids given) written together: a statement for the needs, one for their techniques
    and one for their SDG targets (db.insert_new_records: an import writes thousands while it holds the
    write lock). The needs stay outside the session, as built."""
    db.insert_new_records(session, needs)
    techniques = [{"need_id": need.id, "technique_code": t.code} for need in needs for t in need.techniques]
    targets = [{"need_id": need.id, "target_code": t.code} for need in needs for t in need.sdg_targets]
    if techniques:
        session.execute(insert(need_technique), techniques)
    if targets:
        session.execute(insert(need_sdg_target), targets)
