"""Matching rules: recommendations both ways, allocation rounds, proposals both sides decide on, warnings."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityCreate
from pux.audit import service as audit
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed
from pux.gaps import engine as gap_engine
from pux.gaps.engine import ExchangeRate
from pux.i18n import get_language, number_text
from pux.i18n import gettext as _
from pux.kept import KeptResults
from pux.matching import repository
from pux.matching.allocation import Allocation, AllocationInfeasible, RoundRules, allocate
from pux.matching.engine import (
    CodeLabeller,
    MatchingData,
    NeedItem,
    PairSet,
    ProgrammeItem,
    Recommendation,
    eligible_pairs,
    explain,
    fit_components,
    reasons,
    render_reasons,
    without_pairs,
)
from pux.matching.engine import top_needs_for_programme as engine_top_needs
from pux.matching.engine import top_programmes_for_need as engine_top_programmes
from pux.matching.models import AllocationRound, MatchProposal
from pux.matching.text import VECTORS, shipped_embedder
from pux.needs import repository as needs_repository
from pux.needs import service as needs
from pux.needs import workflow
from pux.needs.models import Need
from pux.pagination import DEFAULT_PAGE_SIZE, Page, PageRequest
from pux.priority import engine as priority_engine
from pux.priority import service as priority
from pux.programmes import service as programmes
from pux.programmes.models import Programme
from pux.reference import repository as reference_repository
from pux.reference.choices import reference_labels
from pux.reference.vocabulary import DIVISIBLE_MODALITIES, income_group_label
from pux.sdg_tagging.embedder import Embedder, FloatArray
from pux.validation import cleaned_field

ENTITY = "match_proposal"
MAX_DECLINE_REASON = 1000  # the column's length


def _need_item(need: Need, priorities: dict[tuple[str, str], float]) -> NeedItem:
    country = need.country
    groups = frozenset(
        n
        for flag, n in ((country.is_ldc, "LDC"), (country.is_lldc, "LLDC"), (country.is_sids, "SIDS"))
        if flag
    )
    regions = frozenset(
        code for code in (country.region_m49, country.subregion_m49, country.intermediate_m49) if code
    )
    income = country.income_group
    return NeedItem(
        id=need.id,
        country=need.country_iso3,
        regions=regions,
        income_group=income.income_group if income else None,
        groups=groups,
        area=need.thematic_area_code,
        techniques=frozenset(need.technique_codes),
        targets=frozenset(need.sdg_target_codes),
        modalities=frozenset(need.modalities_wanted),
        readiness={
            "regulatory_body": need.regulatory_body,
            "infrastructure": need.infrastructure,
            "trained_staff": need.trained_staff,
        },
        languages=frozenset(code for code in country.un_languages.split(";") if code),
        cost=float(need.estimated_cost) if need.estimated_cost is not None else None,
        currency=need.currency,
        women_focus=bool(
            (need.beneficiaries_women_share or 0) >= 50 or "women_girls" in need.vulnerable_groups
        ),
        priority=priorities.get((need.country_iso3, need.thematic_area_code)),
        status=need.status,
        title=need.title,
    )


def _programme_item(programme: Programme) -> ProgrammeItem:
    return ProgrammeItem(
        id=programme.id,
        organisation=programme.organisation.name,
        modality=programme.modality,
        areas=frozenset(programme.thematic_area_codes),
        techniques=frozenset(programme.technique_codes),
        targets=frozenset(programme.sdg_target_codes),
        countries=frozenset(programme.eligible_country_codes),
        regions=frozenset(programme.eligible_region_codes),
        income_groups=frozenset(programme.eligible_income_groups),
        groups=frozenset(programme.eligible_groups),
        remaining=float(programme.remaining_budget) if programme.remaining_budget is not None else None,
        max_per_need=float(programme.max_per_need) if programme.max_per_need is not None else None,
        currency=programme.currency,
        window_end=programme.window_end,
        window_start=programme.window_start,
        languages=frozenset(programme.working_languages),
        gender_focus=programme.gender_focus,
        divisible=programme.modality in DIVISIBLE_MODALITIES,
        title=programme.title,
    )


@dataclass
class MatchingContext:
    data: MatchingData
    needs: list[Need]
    programmes: list[Programme]
    priority_ranks: dict[tuple[str, str], tuple[int, int]]


def _priorities(
    session: Session, areas: set[str] | None = None
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], tuple[int, int]]]:
    """Priority scores and ranks by (country, area), for the areas asked (all when None)."""
    config, _data = priority.active_config(session)
    inputs = priority.country_inputs(session)
    scores, ranks = {}, {}
    for area in config.areas:
        if areas is not None and area not in areas:
            continue
        results = priority_engine.compute(inputs, config, area)
        ranked = sum(1 for r in results if r.rank is not None)
        for result in results:
            if result.score is not None and result.rank is not None:
                scores[(result.iso3, area)] = result.score
                ranks[(result.iso3, area)] = (result.rank, ranked)
    return scores, ranks


def load_context(
    session: Session,
    *,
    programme_ids: Sequence[int] | None = None,
    only_need: Need | None = None,
    kept_needs: bool = False,
) -> MatchingContext:
    """Endorsed and published needs (or just one) and published programmes, turned into engine data.
    ``kept_needs``: the needs' side may come from the last computation on the same data (for reading
    recommendations; the context's ``needs`` records are then left empty)."""
    embedder = shipped_embedder()
    if only_need is not None and programme_ids is None:
        # A need's page: every published programme as the engine reads it, kept (its records are left out).
        programme_records: list[Programme] = []
        programme_side = _PROGRAMME_SIDES.get(
            ("programmes", _data_stamp(session)),
            lambda: _programme_side(list(repository.matchable_programmes(session, None)), embedder),
        )
    else:
        programme_records = list(repository.matchable_programmes(session, programme_ids))
        programme_side = _programme_side(programme_records, embedder)
    areas = {only_need.thematic_area_code} if only_need is not None else None
    if programme_ids is not None and only_need is None:
        areas = {code for p in programme_records for code in p.thematic_area_codes}
    if kept_needs and only_need is None:
        # Priorities of every area (the programme's own are among them): one side for all programmes.
        need_records: list[Need] = []
        side = _NEED_SIDES.get(
            ("needs", _data_stamp(session)),
            lambda: _need_side(session, list(repository.matchable_needs(session)), None),
        )
    else:
        need_records = [only_need] if only_need is not None else list(repository.matchable_needs(session))
        side = _need_side(session, need_records, areas)
    data = MatchingData(
        side.items,
        programme_side.items,
        need_vectors=side.vectors,
        programme_vectors=programme_side.vectors,
    )
    return MatchingContext(data, need_records, programme_records, side.ranks)


@dataclass(frozen=True)
class _ProgrammeSide:
    """The programmes as the engine reads them, and their text vectors."""

    items: list[ProgrammeItem]
    vectors: FloatArray


# The programmes' side of a need's recommendations is the same for every need until a programme, a
# matchable need or a priority input changes: reading 2,000 programmes as records with their codes took
# 1.2-2 s of each first visit to a need's page at the mission's scale on PostgreSQL.
_PROGRAMME_SIDES: KeptResults[_ProgrammeSide] = KeptResults(2)


def _programme_side(records: Sequence[Programme], embedder: Embedder) -> _ProgrammeSide:
    vectors = VECTORS.vectors(
        embedder, "programme", [(p.id, p.version, f"{p.title} {p.description}") for p in records]
    )
    return _ProgrammeSide([_programme_item(p) for p in records], vectors)


def prepare(session: Session) -> None:
    """Compute what every programme's recommendations share (each matchable need's item and text vector,
    and the published programmes' vectors) ahead of the first reader: a few seconds at the mission's scale
    that the first programme pages of a cold process waited for, side by side."""
    load_context(session, kept_needs=True)


def prepare_pages(session: Session) -> None:
    """One need's programmes and one programme's needs, ahead of the first reader: the first of each in a
    process read the programmes as records and built the queries' compiled forms, two seconds apiece at
    the mission's scale (on PostgreSQL), while the first readers of need and programme pages waited."""
    reader = Actor.system("warm-up")
    need_id, programme_id = repository.first_matchable_ids(session)
    if need_id is not None:
        programmes_for_need(session, actor=reader, need_id=need_id, k=5)
    if programme_id is not None:
        needs_for_programme(session, actor=reader, programme_id=programme_id, k=10)


@dataclass(frozen=True)
class _NeedSide:
    """The needs as the engine reads them, their text vectors, and the priority ranks of their places."""

    items: list[NeedItem]
    vectors: FloatArray
    ranks: dict[tuple[str, str], tuple[int, int]]


# The needs' side of a programme's recommendations is the same for every programme until a matchable
# need, a programme or a priority input changes: reading and converting 14,500 needs took a second of each
# first visit to a programme's page at the mission's scale. Two are kept (each holds every matchable
# need's item and vector, tens of megabytes): the current one and the one a slow reader still uses.
_NEED_SIDES: KeptResults[_NeedSide] = KeptResults(2)


def _need_side(session: Session, need_records: Sequence[Need], areas: set[str] | None) -> _NeedSide:
    scores, ranks = _priorities(session, areas)
    vectors = VECTORS.vectors(
        shipped_embedder(), "need", [(n.id, n.version, f"{n.title} {n.description}") for n in need_records]
    )
    return _NeedSide([_need_item(n, scores) for n in need_records], vectors, ranks)


@dataclass(frozen=True)
class ProgrammeSuggestion:
    programme: Programme
    fit: float
    reasons: tuple[str, ...]
    components: dict[str, float]


@dataclass(frozen=True)
class NeedSuggestion:
    need: Need
    fit: float
    reasons: tuple[str, ...]
    components: dict[str, float]


def code_labeller(session: Session) -> CodeLabeller:
    """Names for the codes in match reasons (techniques, country groups, income groups, countries,
    regions)."""
    names = reference_labels(session)
    regions = {region.m49: region for region in reference_repository.list_regions(session)}

    def label(key: str, code: str) -> str:
        if key == "names":
            return names.technique(code)
        if key == "groups":
            return programmes.eligible_group_label(code)
        if key == "group":
            return income_group_label(code)
        if key == "country":
            return names.country(code)
        if key == "region":
            region = regions.get(code)
            return region.name() if region else code
        return code

    return label


def _reasons(
    context: MatchingContext, recommendation: Recommendation, label: CodeLabeller
) -> tuple[str, ...]:
    need = next(n for n in context.data.needs if n.id == recommendation.need_id)
    programme = next(p for p in context.data.programmes if p.id == recommendation.programme_id)
    rank = context.priority_ranks.get((need.country, need.area))
    return explain(need, programme, recommendation.components, rank, label)


@dataclass(frozen=True)
class _Ranked:
    """One engine recommendation with its reasons, before the reader's permissions are applied."""

    record_id: int
    fit: float
    reasons: tuple[str, ...]
    components: dict[str, float]


# Recommendations computed lately, by data version, record, its version, how many and the language: the
# engine reads every published need (or programme), seconds at the mission's scale; a record's page and
# its JSON route ask for the same list again and again between changes.
_RANKED: KeptResults[list[_Ranked]] = KeptResults(2048)


def _data_stamp(session: Session) -> tuple[object, ...]:
    return (*priority.inputs_stamp(session), *repository.candidates_stamp(session))


def _ranked_programmes(session: Session, need: Need, count: int) -> list[_Ranked]:
    context = load_context(session, only_need=need)
    index = next((i for i, n in enumerate(context.needs) if n.id == need.id), None)
    if index is None:
        return []
    label = code_labeller(session)  # once: it reads every country (45 ms on PostgreSQL)
    return [
        _Ranked(r.programme_id, r.fit, _reasons(context, r, label), dict(r.components))
        for r in engine_top_programmes(context.data, index, count)
    ]


def _ranked_needs(session: Session, programme: Programme, count: int) -> list[_Ranked]:
    context = load_context(session, programme_ids=[programme.id], kept_needs=True)
    index = next((j for j, p in enumerate(context.programmes) if p.id == programme.id), None)
    if index is None:
        return []
    label = code_labeller(session)
    return [
        _Ranked(r.need_id, r.fit, _reasons(context, r, label), dict(r.components))
        for r in engine_top_needs(context.data, index, count)
    ]


def programmes_for_need(
    session: Session, *, actor: Actor, need_id: int, k: int = 10
) -> list[ProgrammeSuggestion]:
    """The best eligible programmes for a need the actor may see, with reasons."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    # The engine ranks every open programme, the reader sees only some: when those ranked first are
    # hidden from them, rank deeper (a public brief said "no open programme matches" while a public one
    # ranked seventh).
    depth = k * 2
    while True:
        key = ("programmes", _data_stamp(session), need.id, need.version, depth, get_language())
        ranked = _RANKED.get(key, functools.partial(_ranked_programmes, session, need, depth))
        suggestions = _programmes_seen_by(session, actor, ranked)
        if len(suggestions) >= k or len(ranked) < depth:
            return suggestions[:k]
        depth *= 4


def _programmes_seen_by(session: Session, actor: Actor, ranked: list[_Ranked]) -> list[ProgrammeSuggestion]:
    by_id = repository.programmes_by_id(session, [r.record_id for r in ranked])
    suggestions = []
    for recommendation in ranked:
        programme = by_id.get(recommendation.record_id)
        if programme is not None and permissions.can_view_programme(
            actor,
            organisation_id=programme.organisation_id,
            status=programme.status,
            visibility=programme.visibility,
        ):
            suggestions.append(
                ProgrammeSuggestion(
                    programme, recommendation.fit, recommendation.reasons, dict(recommendation.components)
                )
            )
    return suggestions


def needs_for_programme(
    session: Session, *, actor: Actor, programme_id: int, k: int = 10
) -> list[NeedSuggestion]:
    """The best eligible needs for a programme the actor may see, with reasons (only needs they may see)."""
    programme = programmes.get_programme(session, actor=actor, programme_id=programme_id)
    key = ("needs", _data_stamp(session), programme.id, programme.version, k, get_language())
    ranked = _RANKED.get(key, lambda: _ranked_needs(session, programme, k * 3))
    by_id = needs_repository.by_ids(session, [r.record_id for r in ranked], whole=False)
    suggestions = []
    for recommendation in ranked:
        need = by_id.get(recommendation.record_id)
        if need is not None and permissions.can_view_need(
            actor, country_iso3=need.country_iso3, status=need.status, visibility=need.visibility
        ):
            suggestions.append(
                NeedSuggestion(
                    need, recommendation.fit, recommendation.reasons, dict(recommendation.components)
                )
            )
    return suggestions[:k]


def check_round_programmes(session: Session, actor: Actor, programme_ids: Sequence[int] | None) -> None:
    """Refuse a round over programmes that are not open to matching (unknown, draft, closed): it ran over
    the others, or over none at all, as if they had been given. Who may not run rounds is refused first."""
    require(permissions.can_run_allocation(actor), _("Only facilitators may run allocation rounds."))
    if not programme_ids:
        return
    open_ones = {programme.id for programme in repository.matchable_programmes(session, programme_ids)}
    missing = sorted(set(programme_ids) - open_ones)
    if missing:
        message = _("not programmes open to matching: %(ids)s") % {"ids": ", ".join(map(str, missing))}
        raise ValidationFailed([FieldProblem("programme_ids", message)])


def run_round(
    session: Session,
    *,
    actor: Actor,
    title: str,
    rules: RoundRules,
    programme_ids: Sequence[int] | None = None,
) -> AllocationRound:
    """Run an allocation round and store its proposals (facilitators)."""
    require(permissions.can_run_allocation(actor), _("Only facilitators may run allocation rounds."))
    if not 0 < rules.country_cap_share <= 1 or (
        rules.ldc_floor_share is not None and not 0 <= rules.ldc_floor_share <= 1
    ):
        raise ValidationFailed([FieldProblem("country_cap_share", _("shares must be between 0 and 1"))])
    # A round over every programme reads the needs as a programme's recommendations do, kept per data
    # version (a served process has them ready: reading and converting 10,000 needs took 1.8 s a round).
    check_round_programmes(session, actor, programme_ids)
    context = load_context(session, programme_ids=programme_ids, kept_needs=programme_ids is None)
    pairs, declined = _without_declined(session, context, eligible_pairs(context.data, for_allocation=True))
    pairs, already_proposed = _without_already_proposed(session, context, pairs)
    try:
        result = allocate(context.data, pairs, rules)
    except AllocationInfeasible as infeasible:
        raise ValidationFailed([_infeasible_rules(rules, infeasible)]) from infeasible
    round_record = AllocationRound(
        title=title,
        method=result.method,
        objective=result.objective,
        upper_bound=result.upper_bound,
        greedy_objective=result.greedy_objective,
        binding=result.binding,
        created_by_id=actor.user_id,
        parameters={
            "country_cap_share": rules.country_cap_share,
            "ldc_floor_share": rules.ldc_floor_share,
            "programmes": [p.id for p in context.programmes],
            "declined_pairs_left_out": declined,
            "proposed_pairs_left_out": already_proposed,
        },
        summary=_summary(result),
    )
    repository.add(session, round_record)
    _store_proposals(session, context, result, round_record)
    audit.record(
        session,
        actor=actor.label,
        action="matching.round",
        entity_type="allocation_round",
        entity_id=str(round_record.id),
        after={"objective": result.objective, "gap": result.gap, "proposals": len(result.awards)},
    )
    return round_record


def _infeasible_rules(rules: RoundRules, infeasible: AllocationInfeasible) -> FieldProblem:
    """Why no allocation meets the rules, naming the currency whose budget the floor could not be met in:
    each currency's floor is a share of its own budget, and a round in dollars and euros said only "this
    share of the round", leaving the facilitator to guess which budget to lower it for."""
    field = "ldc_floor_percent" if rules.ldc_floor_share else "country_cap_percent"
    if infeasible.currency is None:
        return FieldProblem(
            field,
            _(
                "No allocation can meet these rules: the least developed countries cannot receive "
                "this share of the round (their eligible needs and the caps do not allow it). "
                "Lower the floor, or leave it empty."
            ),
        )
    return FieldProblem(
        field,
        _(
            "No allocation can meet these rules in %(currency)s: the least developed countries cannot "
            "receive this share of the round's %(currency)s budget (their eligible needs costed in "
            "%(currency)s and the caps do not allow it). Lower the floor, or leave it empty."
        )
        % {"currency": infeasible.currency},
    )


def _without_declined(session: Session, context: MatchingContext, pairs: PairSet) -> tuple[PairSet, int]:
    """The pairs without those a side has declined before, and how many were left out: a declined pair
    proposed again by the next round made the partner or the country refuse it a second time."""
    return without_pairs(context.data, pairs, repository.declined_pairs(session))


# Proposals whose pair a new round leaves alone: one still waiting for its decisions, or one accepted.
STANDING_PROPOSAL_STATUSES = frozenset({"proposed", "accepted"})


def _without_already_proposed(
    session: Session, context: MatchingContext, pairs: PairSet
) -> tuple[PairSet, int]:
    """The pairs without those an earlier proposal still stands for, and how many were left out: each round
    proposed again every pair still open (a programme officer had the same two proposals from six rounds
    to decline one by one), and an accepted pair is funded already."""
    every_proposal = repository.proposals(session, None, permissions.ProposalDeciders(everything=True))
    standing = {
        (proposal.need_id, proposal.programme_id)
        for proposal in every_proposal
        if proposal.status in STANDING_PROPOSAL_STATUSES
    }
    return without_pairs(context.data, pairs, standing)


def _summary(result: Allocation) -> dict[str, object]:
    return {
        "pairs": result.pairs,
        "awards": len(result.awards),
        # Budget, allocated, cap and floor of each currency: amounts in two currencies are never added.
        "currencies": {code: dataclasses.asdict(money) for code, money in result.currencies.items()},
        "seconds": round(result.seconds, 3),
        "gap": result.gap,
    }


def _store_proposals(
    session: Session, context: MatchingContext, result: Allocation, round_record: AllocationRound
) -> None:
    """The round's awards as proposals, written in one flush (one at a time, a round at the mission's scale
    spent 1.2 s writing its 5,460 proposals; 0.7 s now)."""
    proposals = []
    for award, components in zip(result.awards, _award_components(context, result), strict=True):
        need_item = context.data.needs[award.need]
        programme_item = context.data.programmes[award.programme]
        fit = (
            award.value
            / max(award.amount, 1.0)
            * max(need_item.cost or 1.0, 1.0)
            / ((need_item.priority or 50.0) / 100.0)
        )
        found = reasons(
            need_item,
            programme_item,
            components,
            context.priority_ranks.get((need_item.country, need_item.area)),
        )
        proposals.append(
            MatchProposal(
                round_id=round_record.id,
                need_id=need_item.id,
                programme_id=programme_item.id,
                amount=Decimal(str(round(award.amount, 2))),
                fit=float(fit),
                # Stored without a language: each reader sees it in theirs (proposal_explanation).
                explanation=json.dumps(found, ensure_ascii=False),
            )
        )
    repository.add_all(session, proposals)


def _award_components(context: MatchingContext, result: Allocation) -> list[dict[str, float]]:
    """Each award's fit components, for its reasons: without them a proposal's "Why" left out what the
    recommendation of the same pair says (no shared working language, a cost above the programme's
    maximum per need, the same SDG goal, a gender focus on both sides)."""
    if not result.awards:
        return []
    needs = np.array([award.need for award in result.awards], dtype=np.int64)
    programmes = np.array([award.programme for award in result.awards], dtype=np.int64)
    components = fit_components(context.data, needs, programmes)
    return [
        {name: float(values[index]) for name, values in components.items()}
        for index in range(len(result.awards))
    ]


def proposal_explanation(proposal: MatchProposal, label: CodeLabeller | None = None) -> str:
    """Why the round proposed this transfer, in the active language (codes named by ``label``)."""
    try:
        stored = json.loads(proposal.explanation)
    except ValueError:
        return proposal.explanation  # written as text, before reasons were stored without a language
    if not isinstance(stored, list):
        return proposal.explanation
    return "; ".join(render_reasons([(str(message), dict(values)) for message, values in stored], label))


def get_round(session: Session, *, actor: Actor, round_id: int) -> AllocationRound:
    """A stored round: facilitators see every round; partners and focal points see a round only when it
    holds a proposal of theirs (anyone else gets the same answer as for a round that does not exist)."""
    round_record = repository.get_round(session, round_id)
    if round_record is None or not _may_view_round(session, actor, round_record):
        raise NotFound(_("No such allocation round."))
    return round_record


def list_rounds(session: Session, *, actor: Actor) -> Sequence[AllocationRound]:
    """The rounds the actor may open, newest first."""
    return [r for r in repository.list_rounds(session) if _may_view_round(session, actor, r)]


def _may_view_round(session: Session, actor: Actor, round_record: AllocationRound) -> bool:
    deciders = permissions.proposal_deciders(actor)
    decides = not (deciders.everything or deciders.none) and repository.decides_in_round(
        session, round_record.id, deciders
    )
    return permissions.can_view_round(actor, decides_in_it=decides)


def proposals_for(session: Session, *, actor: Actor, round_id: int | None = None) -> list[MatchProposal]:
    """The proposals the actor may see: those they decide (``permissions.proposal_deciders``), every one
    for facilitators (then without their needs and programmes, see the repository)."""
    return list(repository.proposals(session, round_id, permissions.proposal_deciders(actor)))


def proposal_currencies(session: Session, proposals: Sequence[MatchProposal]) -> dict[int, str]:
    """The currency of each proposal's amount (its programme's), by programme id, in one query: a round's
    proposals are read without their programmes."""
    return repository.programme_currencies(session, {proposal.programme_id for proposal in proposals})


def round_proposals(
    session: Session, *, actor: Actor, round_id: int, page: PageRequest
) -> Page[MatchProposal]:
    """One page of a round's proposals the actor may see (see proposals_for), read a page at a time: a
    round at the mission's scale has thousands (the page took seconds to build and the browser longer to
    show). A round the actor may not open is not found."""
    get_round(session, actor=actor, round_id=round_id)
    return repository.proposals_page(session, round_id, permissions.proposal_deciders(actor), page)


def open_proposals_for(session: Session, *, actor: Actor) -> list[MatchProposal]:
    """The open proposals of proposals_for (the first 200 by number), chosen by the database: a round at
    the mission's scale makes thousands of proposals, and reading them all to keep the open ones took a
    second of every matching page."""
    deciders = permissions.proposal_deciders(actor)
    return [] if deciders.none else list(repository.open_proposals(session, deciders))


def activities_of_accepted(
    session: Session, *, actor: Actor, proposals: Sequence[MatchProposal]
) -> dict[int, AssistanceActivity]:
    """The activity each accepted proposal became (by proposal id), for those the actor may see: the
    partner completes that one (a new one recorded beside it counted the same money twice)."""
    became = {p.id: p.activity_id for p in proposals if p.status == "accepted" and p.activity_id is not None}
    found = assistance_repository.by_ids(session, list(became.values()))
    visible = {a.id: a for a in found if assistance.may_see(actor, a)}
    return {proposal: visible[activity] for proposal, activity in became.items() if activity in visible}


@dataclass(frozen=True)
class RecordProposals:
    """A programme's or a need's proposals as its page lists them: the newest the reader may see (those
    they decide, as on the matching page), how many there are in all, the activity each accepted one
    became (those the reader may see), and for each still waiting for the reader's decision the page of
    its round that holds it (decisions are given there, with the round's other proposals)."""

    shown: list[MatchProposal]
    total: int
    became: dict[int, AssistanceActivity]
    decide_on_page: dict[int, int]


def proposals_of_programme(session: Session, *, actor: Actor, programme_id: int) -> RecordProposals:
    """The proposals of a programme the actor may see (see RecordProposals)."""
    programmes.get_programme(session, actor=actor, programme_id=programme_id)
    return _record_proposals(session, actor, programme_id=programme_id)


def proposals_of_need(session: Session, *, actor: Actor, need_id: int) -> RecordProposals:
    """The proposals of a need the actor may see (see RecordProposals)."""
    needs.get_need(session, actor=actor, need_id=need_id)
    return _record_proposals(session, actor, need_id=need_id)


def _record_proposals(
    session: Session, actor: Actor, *, programme_id: int | None = None, need_id: int | None = None
) -> RecordProposals:
    deciders = permissions.proposal_deciders(actor)
    if deciders.none:
        return RecordProposals([], 0, {}, {})
    found, total = repository.newest_proposals_of(
        session, deciders, programme_id=programme_id, need_id=need_id
    )
    # The lists of the matching page show a proposal only when its reader sees both its sides.
    shown = [proposal for proposal in found if _sees_both_sides(actor, proposal)]
    total -= len(found) - len(shown)
    waiting = [p.id for p in shown if p.round_id is not None and waiting_for(actor, p)]
    places = repository.places_in_rounds(session, waiting, deciders)
    return RecordProposals(
        shown,
        total,
        activities_of_accepted(session, actor=actor, proposals=shown),
        {proposal: (place - 1) // DEFAULT_PAGE_SIZE + 1 for proposal, place in places.items()},
    )


def waiting_for(actor: Actor, proposal: MatchProposal) -> tuple[str, ...]:
    """The sides of an open proposal this actor may still decide ("donor", "country")."""
    if proposal.status != "proposed" or not _sees_both_sides(actor, proposal):
        return ()
    sides = []
    if proposal.donor_decision is None and permissions.can_decide_proposal_for_programme(
        actor, organisation_id=proposal.programme.organisation_id
    ):
        sides.append("donor")
    if proposal.country_decision is None and permissions.can_decide_proposal_for_country(
        actor, country_iso3=proposal.need.country_iso3
    ):
        sides.append("country")
    return tuple(sides)


def _sees_both_sides(actor: Actor, proposal: MatchProposal) -> bool:
    """Whether the actor may see the proposal's need and its programme (the rule the lists follow, see
    ProposalDeciders): one of them made private since the round hides the proposal from the other side."""
    need, programme = proposal.need, proposal.programme
    return permissions.can_view_need(
        actor, country_iso3=need.country_iso3, status=need.status, visibility=need.visibility
    ) and permissions.can_view_programme(
        actor,
        organisation_id=programme.organisation_id,
        status=programme.status,
        visibility=programme.visibility,
    )


def _may_decide(actor: Actor, proposal: MatchProposal) -> str | None:
    if permissions.can_decide_proposal_for_programme(
        actor, organisation_id=proposal.programme.organisation_id
    ):
        return "donor"
    if permissions.can_decide_proposal_for_country(actor, country_iso3=proposal.need.country_iso3):
        return "country"
    return None


def _decidable_proposal(session: Session, actor: Actor, proposal_id: int) -> MatchProposal:
    """The proposal, if the actor may decide on it; anyone else is answered as for a number that does not
    exist (an outsider was told "No such allocation round." and a focal point of another country 403,
    where a missing number answered "No such proposal.": each told them the proposal was there)."""
    missing = NotFound(_("No such proposal."))
    proposal = repository.get_proposal(session, proposal_id)
    if proposal is None or not _sees_both_sides(actor, proposal) or _may_decide(actor, proposal) is None:
        raise missing
    if proposal.round_id is not None:
        try:
            get_round(session, actor=actor, round_id=proposal.round_id)
        except NotFound:
            raise missing from None
    return proposal


def decide(
    session: Session,
    *,
    actor: Actor,
    proposal_id: int,
    accept: bool,
    side: str | None = None,
    reason: str | None = None,
) -> MatchProposal:
    """A donor or the country's focal point accepts or declines a proposal; both acceptances make a match."""
    require(actor.is_authenticated, _("Sign in to decide on proposals."))
    proposal = _decidable_proposal(session, actor, proposal_id)
    sides = waiting_for(actor, proposal) if proposal.status == "proposed" else ()
    if side is None:
        if len(sides) > 1:
            # A facilitator acts for either side: they must say which, never decide for both at once.
            raise ValidationFailed(
                [FieldProblem("side", _("say whether you decide for the partner or for the country"))]
            )
        side = sides[0] if sides else _may_decide(actor, proposal)
    allowed = {
        "donor": permissions.can_decide_proposal_for_programme(
            actor, organisation_id=proposal.programme.organisation_id
        ),
        "country": permissions.can_decide_proposal_for_country(
            actor, country_iso3=proposal.need.country_iso3
        ),
    }
    require(side in allowed and allowed[side], _("You may not decide on this proposal."))
    decision = "accepted" if accept else "declined"
    if decision == (proposal.donor_decision if side == "donor" else proposal.country_decision):
        # The same decision again (a second press, a call retried): it changes nothing, so nothing is
        # recorded (each repeat wrote one more acceptance into the trail).
        return proposal
    if proposal.status != "proposed":
        raise InvalidTransition(_("This proposal has been decided already."))
    reason = cleaned_field("reason", reason or "", max_length=MAX_DECLINE_REASON) or None
    if not accept and reason is None:
        raise ValidationFailed([FieldProblem("reason", _("say why the proposal is declined"))])
    if accept:
        _check_still_fundable(session, proposal)
    before = proposal.snapshot()
    if reason is not None:
        proposal.decline_reason = reason
    if side == "donor":
        proposal.donor_decision = decision
    else:
        proposal.country_decision = decision
    if not accept:
        proposal.status, proposal.decided_at = "declined", datetime.now(UTC)
    elif proposal.donor_decision == "accepted" and proposal.country_decision == "accepted":
        _conclude(session, proposal)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action=f"proposal.{side}.{decision}",
        entity_type=ENTITY,
        entity_id=str(proposal.id),
        before=before,
        after=proposal.snapshot(),
    )
    return proposal


def _written_amount(amount: Decimal | float) -> str:
    """An amount as the pages write it (1,250.50, not 1,250.5)."""
    return number_text(float(amount), 2)


def _check_still_fundable(session: Session, proposal: MatchProposal) -> None:
    """Refuse an acceptance that would fund a need twice or spend money that is gone: rounds run one after
    another propose the same pair again, and each round counts a programme's remaining budget before the
    proposals of the others are decided (two rounds accepted committed twice a programme's budget)."""
    programme, need = proposal.programme, proposal.need
    figures = {"amount": _written_amount(proposal.amount), "currency": programme.currency}
    accepted = [
        other
        for other in repository.proposals_for_need(session, proposal.need_id)
        if other.status == "accepted" and other.id != proposal.id
    ]
    if any(other.programme_id == proposal.programme_id for other in accepted):
        raise InvalidTransition(
            _(
                "This programme already funds this need (a proposal accepted earlier): accepting this one "
                "too would fund it twice. Decline it, giving that as the reason."
            )
        )
    if programme.remaining_budget is not None and proposal.amount > programme.remaining_budget:
        raise InvalidTransition(
            _(
                "The programme has %(remaining)s %(currency)s left, less than the %(amount)s %(currency)s "
                "of this proposal (proposals accepted since the round have used its budget). Decline it, "
                "or ask a facilitator for a new round."
            )
            % {**figures, "remaining": _written_amount(programme.remaining_budget)}
        )
    if need.estimated_cost is not None and need.currency == programme.currency:
        committed = sum((o.amount for o in accepted if o.programme.currency == need.currency), Decimal(0))
        if committed + proposal.amount > need.estimated_cost:
            raise InvalidTransition(
                _(
                    "This need's cost is %(cost)s %(currency)s and proposals accepted earlier already give "
                    "it %(committed)s %(currency)s: with this one's %(amount)s %(currency)s it would be "
                    "funded beyond its cost. Decline it, giving that as the reason."
                )
                % {
                    **figures,
                    "cost": _written_amount(need.estimated_cost),
                    "committed": _written_amount(committed),
                }
            )


def _conclude(session: Session, proposal: MatchProposal) -> None:
    """Both sides accepted: the need is matched and a planned activity records the commitment."""
    system = Actor.system(f"matching:proposal:{proposal.id}")
    need = proposal.need
    if need.status == workflow.PUBLISHED:
        needs.transition_need(
            session, actor=system, need_id=need.id, target=workflow.MATCHED, version=need.version
        )
    programme = proposal.programme
    activity = assistance.record_activity(
        session,
        actor=system,
        data=ActivityCreate(
            title=need.title[:300],
            provider_organisation_id=programme.organisation_id,
            recipient_country_iso3=need.country_iso3,
            need_id=need.id,
            programme_id=programme.id,
            thematic_area_code=need.thematic_area_code,
            technique_code=need.technique_codes[0] if need.technique_codes else None,
            amount_committed=proposal.amount,
            currency=programme.currency,
            status="pipeline",
            # The work's start is not agreed yet: the day of the agreement until the partner states it.
            # The commitment is dated by its record, whatever start is set later (committed_by).
            start_date=date.today(),
            # As visible as the need itself, never more: the activity carries the need's title.
            visibility=need.visibility,
        ),
        origin="match",
    )
    programmes.commit_budget(session, actor=system, programme=programme, amount=proposal.amount)
    proposal.status, proposal.activity_id, proposal.decided_at = "accepted", activity.id, datetime.now(UTC)


@dataclass(frozen=True)
class CoordinationWarning:
    kind: str
    message: str


def warnings_for_need(
    session: Session, *, actor: Actor, need_id: int, rates: Sequence[ExchangeRate] = ()
) -> list[CoordinationWarning]:
    """Possible double funding or overlap with other partners, for a need the actor may see. ``rates``:
    stated exchange rates to the need's currency (as the gap figures take them), for commitments in
    another currency; without one such a commitment is not compared, and the warning says so."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    found = []
    activities = [a for a in repository.activities_for_need(session, need.id) if assistance.may_see(actor, a)]
    proposals = [p for p in repository.proposals_for_need(session, need.id) if _may_see_proposal(actor, p)]
    providers = {activity.provider_organisation_id for activity in activities}
    if providers:
        found.append(
            CoordinationWarning(
                "funded",
                _("Already supported by %(count)s organisation(s): check before adding funds.")
                % {"count": len(providers)},
            )
        )
    open_proposals = [p for p in proposals if p.status == "proposed"]
    if open_proposals:
        found.append(
            CoordinationWarning(
                "proposed",
                _("%(count)s open proposal(s) from allocation rounds.") % {"count": len(open_proposals)},
            )
        )
    over_committed = _over_commitment(need, activities, proposals, rates)
    if over_committed is not None:
        found.append(over_committed)
    overlapping = repository.overlapping_activities(
        session,
        country_iso3=need.country_iso3,
        area=need.thematic_area_code,
        techniques=need.technique_codes,
        on=date.today(),
    )
    other = {a.provider_organisation_id for a in overlapping if assistance.may_see(actor, a)} - providers
    if len(other) >= 1:
        found.append(
            CoordinationWarning(
                "overlap",
                _("%(count)s other provider(s) run activities in this country, area and technique now.")
                % {"count": len(other)},
            )
        )
    return found


def _may_see_proposal(actor: Actor, proposal: MatchProposal) -> bool:
    """Those who decide a proposal see it (facilitators decide every one: see permissions.proposal_deciders),
    when they may see both its sides."""
    return _may_decide(actor, proposal) is not None and _sees_both_sides(actor, proposal)


def _commitments(
    activities: Sequence[AssistanceActivity], proposals: Sequence[MatchProposal]
) -> list[gap_engine.Money]:
    """What is committed or offered to a need: the activities' committed amounts, and the proposals still
    open (or accepted without an activity yet: an accepted one is counted by its activity). An
    implementer's report of money that a listed funder's activity already counts is not added again."""
    listed = {activity.id for activity in activities}
    committed = [
        gap_engine.Money(float(a.amount_committed), a.currency)
        for a in activities
        if a.amount_committed is not None and a.counted_in_activity_id not in listed
    ]
    offered = [
        gap_engine.Money(float(p.amount), p.programme.currency)
        for p in proposals
        if p.status == "proposed" or (p.status == "accepted" and p.activity_id is None)
    ]
    return committed + offered


def _over_commitment(
    need: Need,
    activities: Sequence[AssistanceActivity],
    proposals: Sequence[MatchProposal],
    rates: Sequence[ExchangeRate],
) -> CoordinationWarning | None:
    """A warning when what is committed to the need exceeds its stated cost, compared in the need's
    currency (converted only with a stated rate), or when a commitment in another currency leaves the
    comparison incomplete; None otherwise. Accepting a proposal refuses funding beyond the cost, but
    activities recorded by hand and proposals still open were never compared with it."""
    amounts = _commitments(activities, proposals)
    if need.estimated_cost is None or not amounts:
        return None
    committed, conversion = gap_engine.total(amounts, need.currency, rates)
    figures = {
        "committed": _written_amount(committed or 0.0),
        "cost": _written_amount(need.estimated_cost),
        "currency": need.currency,
        "unconverted": ", ".join(f"{_written_amount(m.amount)} {m.currency}" for m in conversion.unconverted),
    }
    if committed is not None and committed > float(need.estimated_cost):
        message = _(
            "Commitments recorded for this need and its open proposals (%(committed)s %(currency)s) exceed "
            "its stated cost (%(cost)s %(currency)s): check before adding funds."
        )
        if not conversion.complete:
            message += " " + _(
                "Not counted: %(unconverted)s, which no stated exchange rate converts to %(currency)s."
            )
        return CoordinationWarning("over_committed", message % figures + _rates_note(conversion))
    if not conversion.complete:
        message = _(
            "Commitments recorded for this need and its open proposals include %(unconverted)s, which no "
            "stated exchange rate converts to %(currency)s: the comparison with its stated cost (%(cost)s "
            "%(currency)s) is incomplete (%(committed)s %(currency)s counted)."
        )
        return CoordinationWarning("over_committed_incomplete", message % figures + _rates_note(conversion))
    return None


def _rates_note(conversion: gap_engine.Conversion) -> str:
    """The stated rates a comparison used, each with its year and source (no figure without them)."""
    if not conversion.applied:
        return ""
    used = "; ".join(
        f"1 {rate.from_currency} = {number_text(rate.rate, 4)} {rate.to_currency} "
        f"({rate.year}, {rate.source})"
        for rate in conversion.applied
    )
    return " " + _("Converted with %(rates)s.") % {"rates": used}


def provider_overlaps(
    session: Session, *, actor: Actor, on: date | None = None
) -> list[tuple[str, str, str | None, int]]:
    """Country, area and technique where several providers run activities at the same time (counting
    only the activities the actor may see)."""
    scope, on = permissions.activity_scope(actor), on or date.today()
    # Kept per activities' stamp: counting providers over 200,000 activities took SQLite 0.23 s, on every
    # opening of the matching page.
    key = ("overlaps", assistance_repository.activities_stamp(session), scope, on)
    visible = assistance_repository.visible_clause(scope)
    return _OVERLAPS.get(key, lambda: repository.provider_overlaps(session, on, visible))


# Provider overlaps counted lately, by the activities' stamp, the reader's scope and the day.
_OVERLAPS: KeptResults[list[tuple[str, str, str | None, int]]] = KeptResults(32)
