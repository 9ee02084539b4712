"""JSON routes of matching."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response
from pydantic import BaseModel, Field

from pux.i18n import get_language
from pux.jobs import service as job_service
from pux.jobs.api import JobRead, job_location
from pux.jobs.kinds import ALLOCATION_ROUND, round_params
from pux.matching import service
from pux.matching.allocation import RoundRules
from pux.matching.engine import CodeLabeller
from pux.matching.models import AllocationRound, MatchProposal
from pux.validation import CleanInput, RecordNumber
from pux.web.deps import SessionDep
from pux.web.filters import ApiPage
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("matching")


class SuggestionRead(BaseModel):
    id: int
    title: str
    fit: float
    reasons: list[str]
    components: dict[str, float]


class RoundRequest(CleanInput):
    title: str = Field(default="Allocation round", min_length=1, max_length=200)
    country_cap_share: float = Field(default=0.25, gt=0, le=1)
    ldc_floor_share: float | None = Field(default=None, ge=0, le=1)
    programme_ids: list[RecordNumber] | None = None
    mip_time_limit: float = Field(default=30.0, gt=0, le=120)


class ProposalRead(BaseModel):
    id: int
    need_id: int
    programme_id: int
    amount: float = Field(description="The amount proposed, in ``currency``")
    currency: str = Field(description="The currency of ``amount``: the programme's (ISO 4217)")
    fit: float
    explanation: str
    donor_decision: str | None
    country_decision: str | None
    status: str

    @classmethod
    def of(cls, proposal: MatchProposal, label: CodeLabeller, currencies: dict[int, str]) -> ProposalRead:
        """``label`` names the explanation's codes as the pages do (it gave "income group LMC");
        ``currencies``: the programmes' currencies by id (service.proposal_currencies)."""
        return cls(
            id=proposal.id,
            need_id=proposal.need_id,
            programme_id=proposal.programme_id,
            amount=float(proposal.amount),
            currency=currencies[proposal.programme_id],
            fit=proposal.fit,
            explanation=service.proposal_explanation(proposal, label),
            donor_decision=proposal.donor_decision,
            country_decision=proposal.country_decision,
            status=proposal.status,
        )


class RoundRulesRead(BaseModel):
    """The rules a round ran under. Amounts in different currencies are never added: the cap and the floor
    are shares of each currency's budget (their amounts per currency are in the summary's
    ``currencies``)."""

    country_cap_share: float = Field(description="Most one country may receive, as a share of the budget")
    ldc_floor_share: float | None = Field(
        description="Least the least developed countries receive together, as a share of the budget "
        "(null: no floor)"
    )
    programme_ids: list[int] = Field(description="The programmes of the round")


class RoundRead(BaseModel):
    id: int
    title: str
    method: str
    objective: float
    upper_bound: float
    gap: float
    greedy_objective: float
    optimal_vs_greedy: float | None
    binding: list[str]
    rules: RoundRulesRead
    summary: dict[str, object] = Field(
        description="pairs, awards, seconds, gap, and per currency (``currencies``): budget, allocated, "
        "country_cap and ldc_floor, in that currency"
    )
    declined_pairs_left_out: int = Field(
        description="Pairs of a need and a programme not proposed again: declined in an earlier proposal"
    )
    proposed_pairs_left_out: int = Field(
        description="Pairs not proposed again: an earlier proposal of theirs is still open or was accepted"
    )
    proposals: list[ProposalRead]

    @classmethod
    def of(
        cls,
        record: AllocationRound,
        proposals: list[MatchProposal],
        label: CodeLabeller,
        currencies: dict[int, str],
    ) -> RoundRead:
        ratio = record.objective / record.greedy_objective if record.greedy_objective else None
        return cls(
            id=record.id,
            title=record.title,
            method=record.method,
            objective=record.objective,
            upper_bound=record.upper_bound,
            gap=record.gap,
            greedy_objective=record.greedy_objective,
            optimal_vs_greedy=ratio,
            binding=record.binding,
            rules=RoundRulesRead(
                country_cap_share=float(record.parameters.get("country_cap_share") or 0.0),
                ldc_floor_share=record.parameters.get("ldc_floor_share"),
                programme_ids=list(record.parameters.get("programmes") or []),
            ),
            summary=record.summary,
            declined_pairs_left_out=int(record.parameters.get("declined_pairs_left_out") or 0),
            proposed_pairs_left_out=int(record.parameters.get("proposed_pairs_left_out") or 0),
            proposals=[ProposalRead.of(p, label, currencies) for p in proposals],
        )


class Decision(CleanInput):
    decision: Literal["accept", "decline"]
    side: Literal["donor", "country"] | None = Field(
        default=None, description="Required when the caller may decide for both sides (facilitators)"
    )
    reason: str | None = Field(default=None, max_length=1000, description="Required to decline")


@router.get("/needs/{need_id}/recommendations", response_model=list[SuggestionRead])
def programmes_for_need(
    session: SessionDep, actor: ApiActor, need_id: RecordPath, k: Annotated[int, Query(ge=1, le=50)] = 10
) -> list[SuggestionRead]:
    """The best eligible programmes for a need, each with its reasons."""
    return [
        SuggestionRead(
            id=s.programme.id,
            title=s.programme.title,
            fit=s.fit,
            reasons=list(s.reasons),
            components=s.components,
        )
        for s in service.programmes_for_need(session, actor=actor, need_id=need_id, k=k)
    ]


@router.get("/programmes/{programme_id}/recommendations", response_model=list[SuggestionRead])
def needs_for_programme(
    session: SessionDep, actor: ApiActor, programme_id: RecordPath, k: Annotated[int, Query(ge=1, le=50)] = 10
) -> list[SuggestionRead]:
    """The best eligible needs for a programme (only needs the caller may see), each with its reasons."""
    return [
        SuggestionRead(
            id=s.need.id, title=s.need.title, fit=s.fit, reasons=list(s.reasons), components=s.components
        )
        for s in service.needs_for_programme(session, actor=actor, programme_id=programme_id, k=k)
    ]


@router.post("/matching/rounds", response_model=RoundRead, status_code=201)
def run_round(session: SessionDep, actor: ApiActor, request: ApiBody[RoundRequest]) -> RoundRead:
    """Run an allocation round and wait for it (facilitators): objective, proven gap, greedy comparison,
    proposals. On large data queue it instead (POST /api/v1/matching/round-jobs)."""
    rules = RoundRules(
        country_cap_share=request.country_cap_share,
        ldc_floor_share=request.ldc_floor_share,
        mip_time_limit=request.mip_time_limit,
    )
    record = service.run_round(
        session, actor=actor, title=request.title, rules=rules, programme_ids=request.programme_ids
    )
    proposals = service.proposals_for(session, actor=actor, round_id=record.id)
    currencies = service.proposal_currencies(session, proposals)
    return RoundRead.of(record, proposals, service.code_labeller(session), currencies)


@router.post("/matching/round-jobs", response_model=JobRead, status_code=202)
def queue_round(
    session: SessionDep, actor: ApiActor, request: ApiBody[RoundRequest], response: Response
) -> JobRead:
    """Queue an allocation round as a job (facilitators): on the mission's data a round takes seconds, too
    long to hold a request. The answer is the job; follow its Location until it is done, then its
    ``result_url`` leads to the round."""
    # Refused now rather than when the job runs.
    service.check_round_programmes(session, actor, request.programme_ids)
    job = job_service.enqueue(
        session,
        actor=actor,
        kind=ALLOCATION_ROUND,
        params=round_params(
            title=request.title,
            country_cap_share=request.country_cap_share,
            ldc_floor_share=request.ldc_floor_share,
            mip_time_limit=request.mip_time_limit,
            programme_ids=request.programme_ids,
        ),
        language=get_language(),
    )
    session.flush()  # the job's id, for its address
    response.headers["Location"] = job_location(job)
    return JobRead.of(job)


@router.get("/matching/rounds/{round_id}", response_model=RoundRead)
def get_round(session: SessionDep, actor: ApiActor, round_id: RecordPath) -> RoundRead:
    """A stored round with the proposals the caller may see."""
    record = service.get_round(session, actor=actor, round_id=round_id)
    proposals = service.proposals_for(session, actor=actor, round_id=round_id)
    currencies = service.proposal_currencies(session, proposals)
    return RoundRead.of(record, proposals, service.code_labeller(session), currencies)


@router.get("/matching/rounds/{round_id}/proposals", response_model=ListPage[ProposalRead])
def list_round_proposals(
    session: SessionDep, actor: ApiActor, round_id: RecordPath, page: ApiPage
) -> ListPage[ProposalRead]:
    """A stored round's proposals the caller may see, in number order, a page at a time (the round's own
    answer lists them all at once: thousands in a round at the mission's scale)."""
    shown = service.round_proposals(session, actor=actor, round_id=round_id, page=page)
    label = service.code_labeller(session)
    currencies = service.proposal_currencies(session, shown.items)
    return ListPage[ProposalRead].of(shown, lambda proposal: ProposalRead.of(proposal, label, currencies))


@router.post("/proposals/{proposal_id}/decision", response_model=ProposalRead)
def decide(
    session: SessionDep, actor: ApiActor, proposal_id: RecordPath, decision: ApiBody[Decision]
) -> ProposalRead:
    """Accept or decline a proposal for the donor side or the country side."""
    proposal = service.decide(
        session,
        actor=actor,
        proposal_id=proposal_id,
        accept=decision.decision == "accept",
        side=decision.side,
        reason=decision.reason,
    )
    currencies = service.proposal_currencies(session, [proposal])
    return ProposalRead.of(proposal, service.code_labeller(session), currencies)
