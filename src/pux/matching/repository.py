"""All queries of the matching package."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session, defaultload, joinedload, lazyload

from pux.accounts.permissions import ProposalDeciders
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import not_ended_before, running_on, started_by
from pux.matching.models import AllocationRound, MatchProposal
from pux.needs import repository as needs_repository
from pux.needs.models import Need
from pux.needs.workflow import PUBLISHED
from pux.pagination import Page, PageRequest, fetch_page
from pux.programmes import repository as programmes_repository
from pux.programmes.models import Programme
from pux.reference.models import Country

# A round shows its proposals to the partners concerned: only needs they may see take part.
MATCHABLE_VISIBILITIES = ("public", "partners")
_MATCHABLE_NEED = (Need.status == PUBLISHED, Need.visibility.in_(MATCHABLE_VISIBILITIES))
_MATCHABLE_PROGRAMME = Programme.status == "published"
# Open proposals listed on a page (the matching page, a person's inbox): the first ones by number.
OPEN_PROPOSALS_SHOWN = 200
# Proposals listed on a programme's or a need's page: the newest ones.
RECORD_PROPOSALS_SHOWN = 50


def matchable_needs(session: Session) -> Sequence[Need]:
    """Published needs that partners may see: a round shows its proposals to the partners concerned, so
    a need still inside its country (endorsed, or private) is never part of one."""
    # Each need's country's income group, for eligibility (a country's history is read on demand only).
    statement = (
        select(Need)
        .where(*_MATCHABLE_NEED)
        .order_by(Need.id)
        .options(defaultload(Need.country).selectinload(Country.income_groups))
    )
    return session.scalars(statement).unique().all()


def matchable_programmes(session: Session, ids: Sequence[int] | None) -> Sequence[Programme]:
    statement = select(Programme).where(_MATCHABLE_PROGRAMME).order_by(Programme.id)
    if ids:
        statement = statement.where(Programme.id.in_(ids))
    return session.scalars(statement).unique().all()


def first_matchable_ids(session: Session) -> tuple[int | None, int | None]:
    """The first need and the first programme that matchable_needs and matchable_programmes read."""
    need = session.scalar(select(func.min(Need.id)).where(*_MATCHABLE_NEED))
    return need, session.scalar(select(func.min(Programme.id)).where(_MATCHABLE_PROGRAMME))


def candidates_stamp(session: Session) -> tuple[object, ...]:
    """The count and latest change of the needs and programmes matchable_needs and matchable_programmes
    read: it moves when one of them changes, arrives or leaves, not when a draft is written."""
    return (
        *needs_repository.fingerprint(session, statuses=(PUBLISHED,), visibilities=MATCHABLE_VISIBILITIES),
        *programmes_repository.fingerprint(session, status="published"),
    )


# A programme's lists (areas, techniques, targets, eligible countries): hundreds of rows for twenty
# programmes, left unread where a programme is shown by its title and organisation.
_PROGRAMME_LISTS = (
    Programme.thematic_areas,
    Programme.techniques,
    Programme.sdg_targets,
    Programme.eligible_countries,
)


def programmes_by_id(session: Session, ids: Sequence[int]) -> dict[int, Programme]:
    """Suggested programmes, shown by title and organisation: their lists are read only if something asks
    for them."""
    lists = (lazyload(each) for each in _PROGRAMME_LISTS)
    statement = select(Programme).where(Programme.id.in_(ids)).options(*lists)
    return {programme.id: programme for programme in session.scalars(statement).unique()}


def programme_currencies(session: Session, ids: Collection[int]) -> dict[int, str]:
    """The currency of each programme of ``ids``, without reading the programmes (a round's proposals are
    read without theirs)."""
    if not ids:
        return {}
    statement = select(Programme.id, Programme.currency).where(Programme.id.in_(sorted(set(ids))))
    return {programme_id: currency for programme_id, currency in session.execute(statement)}


def add(session: Session, record: object) -> None:
    session.add(record)
    session.flush()


def add_all(session: Session, records: Sequence[object]) -> None:
    session.add_all(records)
    session.flush()


def get_round(session: Session, round_id: int) -> AllocationRound | None:
    return session.get(AllocationRound, round_id)


def list_rounds(session: Session) -> Sequence[AllocationRound]:
    return session.scalars(select(AllocationRound).order_by(AllocationRound.id.desc())).all()


def get_proposal(session: Session, proposal_id: int) -> MatchProposal | None:
    return session.get(MatchProposal, proposal_id)


def proposals(session: Session, round_id: int | None, deciders: ProposalDeciders) -> Sequence[MatchProposal]:
    """The proposals ``deciders`` decide, in number order (of one round, or all). Every proposal is read
    without its need and programme (a round at the mission's scale has thousands, and reading each with
    its need and programme took a second); a decider's few come with theirs."""
    statement = select(MatchProposal).where(_decided_by(deciders)).order_by(MatchProposal.id)
    if round_id is not None:
        statement = statement.where(MatchProposal.round_id == round_id)
    if deciders.everything:
        statement = statement.options(lazyload(MatchProposal.need), lazyload(MatchProposal.programme))
    return session.scalars(statement).unique().all()


def proposals_page(
    session: Session, round_id: int, deciders: ProposalDeciders, request: PageRequest
) -> Page[MatchProposal]:
    """One page of the round's proposals ``deciders`` decide, in number order (thousands in a round at the
    mission's scale)."""
    statement = (
        select(MatchProposal)
        .where(MatchProposal.round_id == round_id, _decided_by(deciders))
        .order_by(MatchProposal.id)
    )
    return fetch_page(session, statement, request)


def decides_in_round(session: Session, round_id: int, deciders: ProposalDeciders) -> bool:
    """Whether the round holds a proposal ``deciders`` decide."""
    statement = select(MatchProposal.id).where(MatchProposal.round_id == round_id, _decided_by(deciders))
    return session.scalar(select(exists(statement))) or False


def open_proposals(session: Session, deciders: ProposalDeciders) -> Sequence[MatchProposal]:
    """The first OPEN_PROPOSALS_SHOWN proposals (by number) ``deciders`` decide that still wait for a
    decision (either side's)."""
    statement = select(MatchProposal).where(MatchProposal.status == "proposed", _decided_by(deciders))
    return session.scalars(statement.order_by(MatchProposal.id).limit(OPEN_PROPOSALS_SHOWN)).unique().all()


def waiting_proposals(session: Session, deciders: ProposalDeciders) -> Sequence[MatchProposal]:
    """The first OPEN_PROPOSALS_SHOWN open proposals (by number) waiting for a decision ``deciders`` may
    still give (see ``_waiting_for``): chosen before the limit, so those they decided already never take
    the places of those still waiting for them."""
    statement = select(MatchProposal).where(MatchProposal.status == "proposed", _waiting_for(deciders))
    return session.scalars(statement.order_by(MatchProposal.id).limit(OPEN_PROPOSALS_SHOWN)).unique().all()


def newest_proposals_of(
    session: Session,
    deciders: ProposalDeciders,
    *,
    programme_id: int | None = None,
    need_id: int | None = None,
) -> tuple[Sequence[MatchProposal], int]:
    """The RECORD_PROPOSALS_SHOWN newest proposals of a programme (or of a need) ``deciders`` decide, the
    newest round first, each read with its need, programme and round in the same query; and how many
    there are in all (counted apart only when there are more than shown)."""
    statement = select(MatchProposal).where(_decided_by(deciders))
    if programme_id is not None:
        statement = statement.where(MatchProposal.programme_id == programme_id)
    if need_id is not None:
        statement = statement.where(MatchProposal.need_id == need_id)
    newest = statement.order_by(MatchProposal.round_id.desc().nulls_last(), MatchProposal.id.desc())
    shown = session.scalars(newest.options(*_LISTED_WITH).limit(RECORD_PROPOSALS_SHOWN)).unique().all()
    if len(shown) < RECORD_PROPOSALS_SHOWN:
        return shown, len(shown)
    return shown, session.scalar(statement.with_only_columns(func.count(MatchProposal.id))) or 0


# A listed proposal's need and programme are shown by reference and title: their country and lists
# (techniques, targets, eligible countries, the country's income groups) are left unread, each would
# have been one more query.
_LISTED_WITH = (
    joinedload(MatchProposal.round),
    *(
        defaultload(MatchProposal.need).lazyload(each)
        for each in (Need.country, Need.techniques, Need.sdg_targets)
    ),
    *(defaultload(MatchProposal.programme).lazyload(each) for each in _PROGRAMME_LISTS),
)


def places_in_rounds(
    session: Session, proposal_ids: Collection[int], deciders: ProposalDeciders
) -> dict[int, int]:
    """Where each proposal of ``proposal_ids`` stands among its round's proposals ``deciders`` decide,
    in number order (1 for the first): the round's page lists them so, a page at a time."""
    if not proposal_ids:
        return {}
    decided = select(MatchProposal.id, MatchProposal.round_id).where(_decided_by(deciders)).subquery()
    statement = (
        select(MatchProposal.id, func.count(decided.c.id))
        .join(decided, and_(decided.c.round_id == MatchProposal.round_id, decided.c.id <= MatchProposal.id))
        .where(MatchProposal.id.in_(sorted(set(proposal_ids))))
        .group_by(MatchProposal.id)
    )
    return {proposal_id: int(place) for proposal_id, place in session.execute(statement)}


def _decided_by(deciders: ProposalDeciders) -> ColumnElement[bool]:
    """Proposals of the deciders' programmes or of their countries' needs (none if they have neither)."""
    if deciders.everything:
        return true()
    clauses: list[ColumnElement[bool]] = [false()]
    if deciders.organisations:
        clauses.append(_donor_side(deciders))
    if deciders.countries:
        clauses.append(_country_side(deciders))
    return or_(*clauses)


def _donor_side(deciders: ProposalDeciders) -> ColumnElement[bool]:
    """Proposals of the deciders' programmes, for needs they may see."""
    offered = select(Programme.id).where(Programme.organisation_id.in_(deciders.organisations))
    seen = select(Need.id).where(needs_repository.visible_clause(deciders.needs_seen))
    return and_(MatchProposal.programme_id.in_(offered), MatchProposal.need_id.in_(seen))


def _country_side(deciders: ProposalDeciders) -> ColumnElement[bool]:
    """Proposals for their countries' needs, of programmes they may see."""
    identified = select(Need.id).where(Need.country_iso3.in_(deciders.countries))
    seen = select(Programme.id).where(programmes_repository.visible_clause(deciders.programmes_seen))
    return and_(MatchProposal.need_id.in_(identified), MatchProposal.programme_id.in_(seen))


def count_waiting_proposals(session: Session, deciders: ProposalDeciders) -> int:
    """How many open proposals wait for a decision ``deciders`` may still give (see ``_waiting_for``),
    counted by the database instead of loading the proposals."""
    statement = select(func.count()).where(MatchProposal.status == "proposed", _waiting_for(deciders))
    return session.scalar(statement) or 0


def _waiting_for(deciders: ProposalDeciders) -> ColumnElement[bool]:
    """The donor side not yet decided, for the deciders' programmes; the country side not yet decided, for
    their countries' needs (the rule of service.waiting_for)."""
    donor_side: ColumnElement[bool] = MatchProposal.donor_decision.is_(None)
    country_side: ColumnElement[bool] = MatchProposal.country_decision.is_(None)
    if not deciders.everything:
        donor_side = and_(donor_side, _donor_side(deciders))
        country_side = and_(country_side, _country_side(deciders))
    return or_(donor_side, country_side)


def declined_pairs(session: Session) -> set[tuple[int, int]]:
    """The (need, programme) pairs of every declined proposal."""
    rows = session.execute(
        select(MatchProposal.need_id, MatchProposal.programme_id).where(MatchProposal.status == "declined")
    )
    return {(need_id, programme_id) for need_id, programme_id in rows}


def proposals_for_need(session: Session, need_id: int) -> Sequence[MatchProposal]:
    return session.scalars(select(MatchProposal).where(MatchProposal.need_id == need_id)).unique().all()


def activities_for_need(session: Session, need_id: int) -> Sequence[AssistanceActivity]:
    statement = select(AssistanceActivity).where(
        AssistanceActivity.need_id == need_id, AssistanceActivity.status.not_in(("cancelled",))
    )
    return session.scalars(statement).unique().all()


def overlapping_activities(
    session: Session, *, country_iso3: str, area: str, techniques: Sequence[str], on: date
) -> Sequence[AssistanceActivity]:
    statement = select(AssistanceActivity).where(
        AssistanceActivity.recipient_country_iso3 == country_iso3,
        AssistanceActivity.thematic_area_code == area,
        *running_on(on),
    )
    if techniques:
        statement = statement.where(AssistanceActivity.technique_code.in_(techniques))
    return session.scalars(statement).unique().all()


def provider_overlaps(
    session: Session, on: date, visible: ColumnElement[bool]
) -> list[tuple[str, str, str | None, int]]:
    """Where several providers run activities now, counting only activities ``visible`` to the reader."""
    place = (
        AssistanceActivity.recipient_country_iso3,
        AssistanceActivity.thematic_area_code,
        AssistanceActivity.technique_code,
    )
    rows = select(*place, AssistanceActivity.provider_organisation_id).where(
        AssistanceActivity.thematic_area_code.is_not(None), visible, *started_by(on)
    )
    running = not_ended_before(rows, on).c
    running_place = (running.recipient_country_iso3, running.thematic_area_code, running.technique_code)
    providers = func.count(func.distinct(running.provider_organisation_id))
    statement = (
        select(*running_place, providers)
        .group_by(*running_place)
        .having(providers > 1)
        .order_by(providers.desc())
    )
    return [
        (country, str(area), technique, int(count))
        for country, area, technique, count in session.execute(statement)
    ]
