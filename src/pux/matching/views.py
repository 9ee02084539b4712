"""Pages of matching: allocation rounds, proposals and their decisions, overlaps between providers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import decimal_text, get_language, number_text
from pux.i18n import gettext as _
from pux.jobs import service as job_service
from pux.jobs.kinds import ALLOCATION_ROUND, round_params
from pux.jobs.kinds import status_label as job_status_label
from pux.matching import service
from pux.matching.allocation import FLOW_EXACT, FLOW_THEN_MIP, WHOLE_MIP
from pux.matching.models import AllocationRound, MatchProposal
from pux.pagination import MAX_PAGE_NUMBER, PageRequest
from pux.reference.choices import reference_labels
from pux.validation import clean_text, record_number, typed_field_number
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import PageNumber
from pux.web.forms import RecordPath, flash, form_data, problems_context
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

DEFAULT_COUNTRY_CAP = 0.25  # a country may receive at most this share of a round unless told otherwise
MAX_ROUND_TITLE = 200

router = page_router()


def allocation_method_label(method: str) -> str:
    labels = {
        FLOW_EXACT: _("min-cost flow (exact)"),
        WHOLE_MIP: _("mixed-integer programme (HiGHS)"),
        FLOW_THEN_MIP: _("flow relaxation, then mixed-integer repair (HiGHS)"),
    }
    return labels.get(method, method)


def binding_label(constraint: str, country_name: Callable[[str], str] | None = None) -> str:
    """A binding constraint as stored ("budget:12", "country_cap:KEN:USD", "ldc_floor:USD"; rounds before
    currencies were kept apart: "country_cap:KEN", "ldc_floor"), in words."""
    kind, _separator, subject = constraint.partition(":")
    subject, _separator, currency = subject.partition(":")
    in_currency = f" ({currency})" if currency else ""
    if kind == "budget":
        return _("budget of programme %(id)s") % {"id": subject}
    if kind == "country_cap":
        country = country_name(subject) if country_name else subject
        return _("country cap of %(country)s") % {"country": country} + in_currency
    if kind == "ldc_floor":
        return _("LDC floor") + (f" ({subject})" if subject else "")
    return constraint


@dataclass(frozen=True)
class RoundMoney:
    """A round's money in one currency, as its summary keeps it."""

    currency: str
    budget: float
    allocated: float
    country_cap: float
    ldc_floor: float


def round_money(round_record: AllocationRound) -> list[RoundMoney] | None:
    """The round's money per currency; None for a round stored before currencies were kept apart (its
    summary has one total, which may add amounts in several currencies)."""
    currencies = round_record.summary.get("currencies")
    if not isinstance(currencies, dict):
        return None
    return [
        RoundMoney(
            code,
            float(totals.get("budget", 0)),
            float(totals.get("allocated", 0)),
            float(totals.get("country_cap", 0)),
            float(totals.get("ldc_floor", 0)),
        )
        for code, totals in sorted(currencies.items())
    ]


def percent_text(share: float | None) -> str:
    """A share of the round (0.015) as the percentage typed on the form (1.5), in the reader's notation."""
    return decimal_text(round((share or 0.0) * 100, 6), "#,##0.######")


def _round_title(typed: object, problems: list[FieldProblem]) -> str:
    try:
        title = clean_text(str(typed or "")).strip()
    except ValueError as error:
        problems.append(FieldProblem("title", str(error)))
        return ""
    if len(title) > MAX_ROUND_TITLE:
        problems.append(
            FieldProblem(
                "title", _("is too long (at most %(limit)s characters)") % {"limit": MAX_ROUND_TITLE}
            )
        )
    return title or _("Allocation round")


# A percentage written in the page's language, to show how to write one.
EXAMPLE_PERCENT = Decimal("12.5")


def _share(values: dict[str, object], name: str, default: float | None) -> float | None:
    raw = values.get(name)
    if raw in (None, ""):
        return default
    # Read as the page's language writes it: "12,5" on a French page was refused "must be a percentage".
    share = float(typed_field_number(name, str(raw), example=EXAMPLE_PERCENT)) / 100.0
    if not 0 <= share <= 1:
        raise ValidationFailed([FieldProblem(name, _("must be between 0 and 100"))])
    return share


def _round_defaults() -> dict[str, object]:
    """The round form's first values, in the reader's language."""
    return {"title": _("Allocation round"), "country_cap_percent": "25"}


def _home(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, object] | None = None,
    failed: ValidationFailed | None = None,
    refused: RefusedDecision | None = None,
) -> HTMLResponse:
    return render(
        request,
        "matching/home.html",
        {
            "refused_decision": refused,
            "rounds": service.list_rounds(session, actor=actor),
            "rounds_under_way": job_service.under_way(session, actor=actor, kind=ALLOCATION_ROUND),
            "job_status_label": job_status_label,
            "proposals": service.open_proposals_for(session, actor=actor),
            "overlaps": service.provider_overlaps(session, actor=actor)[:50],
            "overlap_labels": reference_labels(session),
            "proposal_explanation": _explanation(session),
            "waiting_for": lambda proposal: service.waiting_for(actor, proposal),
            "round_values": values or _round_defaults(),
            **(problems_context(failed) if failed else {"errors": {}, "problems": []}),
        },
        422 if failed or refused else 200,
    )


def _explanation(session: Session) -> Callable[[MatchProposal], str]:
    label = service.code_labeller(session)
    return lambda proposal: service.proposal_explanation(proposal, label)


@router.get("/matching", response_class=HTMLResponse)
def matching_home(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    title: Annotated[str | None, Query(max_length=300)] = None,
    country_cap_percent: Annotated[str | None, Query(max_length=20)] = None,
    ldc_floor_percent: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/matching", status_code=303)
    # A failed round's page links back here with its title and rules, for the form to show them again.
    asked = {
        "title": title,
        "country_cap_percent": country_cap_percent,
        "ldc_floor_percent": ldc_floor_percent,
    }
    values = {name: value for name, value in asked.items() if value is not None}
    return _home(request, session, actor, values={**_round_defaults(), **values} if values else None)


@router.post("/matching/rounds", dependencies=[CsrfChecked])
def run_round(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = form_data(form)
    try:
        shares: dict[str, float | None] = {}
        problems: list[FieldProblem] = []
        for name, default in (("country_cap_percent", DEFAULT_COUNTRY_CAP), ("ldc_floor_percent", None)):
            try:
                shares[name] = _share(values, name, default)
            except ValidationFailed as failed:  # every problem of the form at once, not the first
                problems += failed.problems
        if shares.get("country_cap_percent") == 0:  # no country could receive anything (it became 25%)
            problems.append(FieldProblem("country_cap_percent", _("must be more than 0")))
        title = _round_title(values.get("title"), problems)
        if problems:
            raise ValidationFailed(problems)
        # The round runs as a job (on real data it takes seconds to minutes): the answer is its page.
        job = job_service.enqueue(
            session,
            actor=actor,
            kind=ALLOCATION_ROUND,
            params=round_params(
                title=title,
                country_cap_share=shares["country_cap_percent"] or DEFAULT_COUNTRY_CAP,
                ldc_floor_share=shares["ldc_floor_percent"],
            ),
            language=get_language(),
        )
    except ValidationFailed as failed:
        return _home(request, session, actor, values, failed)
    flash(request, _("The round is queued: this page follows it and links to its proposals once done."))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/matching/rounds/{round_id}", response_class=HTMLResponse)
def round_page(
    request: Request, session: SessionDep, actor: PageActor, round_id: RecordPath, page: PageNumber
) -> HTMLResponse:
    return _round(request, session, actor, round_id, page)


def _round(
    request: Request,
    session: Session,
    actor: Actor,
    round_id: int,
    page: PageRequest,
    refused: RefusedDecision | None = None,
) -> HTMLResponse:
    round_record = service.get_round(session, actor=actor, round_id=round_id)
    shown = service.round_proposals(session, actor=actor, round_id=round_id, page=page)
    labels = reference_labels(session)
    return render(
        request,
        "matching/round.html",
        {
            "refused_decision": refused,
            "round": round_record,
            "money": round_money(round_record),
            "percent": percent_text,
            "method_label": allocation_method_label,
            "binding_label": lambda constraint: binding_label(constraint, labels.country),
            "page": shown,
            "proposals": shown.items,
            "proposal_explanation": _explanation(session),
            "waiting_for": lambda proposal: service.waiting_for(actor, proposal),
            "became": service.activities_of_accepted(session, actor=actor, proposals=shown.items),
        },
        422 if refused else 200,
    )


@router.post("/proposals/{proposal_id}/decision", dependencies=[CsrfChecked])
def decide(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, proposal_id: RecordPath
) -> Response:
    values = form_data(form)
    side = str(values["side"]) if values.get("side") in {"donor", "country"} else None
    accept = values.get("decision") == "accept"
    typed_reason = str(values.get("reason") or "")
    try:
        proposal = service.decide(
            session,
            actor=actor,
            proposal_id=proposal_id,
            accept=accept,
            side=side,
            reason=typed_reason or None,
        )
    except ValidationFailed as failed:
        message = " ".join(problem.message for problem in failed.problems)
        refused = RefusedDecision(proposal_id, side, typed_reason, message)
        return _decision_refused(request, session, actor, values, refused)
    target = f"/matching/rounds/{proposal.round_id}" if proposal.round_id else "/matching"
    if not accept:
        flash(request, _("The proposal was declined."))
        return RedirectResponse(target, status_code=303)
    activity = service.activities_of_accepted(session, actor=actor, proposals=[proposal]).get(proposal.id)
    if activity is None:  # the other side has still to accept (or the actor may not see the activity)
        flash(request, _("Your acceptance was recorded."))
        return RedirectResponse(target, status_code=303)
    return _concluded(request, actor, activity, target)


@dataclass(frozen=True)
class RefusedDecision:
    """A decision refused (a decline with no reason): shown again in its own form, with the problem beside
    the reason box and what was typed still in it. A blank reason answered a bare error page."""

    proposal_id: int
    side: str | None
    reason: str
    message: str


def _decision_refused(
    request: Request, session: Session, actor: Actor, values: dict[str, object], refused: RefusedDecision
) -> HTMLResponse:
    """The page the decision was sent from, again: a round's page (its form says which, and on which page
    of proposals), else the matching page."""
    round_id = record_number(values.get("round_id"))
    if round_id is None:
        return _home(request, session, actor, refused=refused)
    page = min(record_number(values.get("page")) or 1, MAX_PAGE_NUMBER)
    return _round(request, session, actor, round_id, PageRequest(number=page), refused)


def _concluded(request: Request, actor: Actor, activity: AssistanceActivity, round_page: str) -> Response:
    """Both sides have now accepted and a pipeline activity records the commitment. Said, and linked: a
    partner who was told only "Your acceptance was recorded" recorded the same money again as a new
    activity. The partner is taken to it to complete it; the country back to the round (whose proposal links
    it)."""
    figures = {
        "number": activity.id,
        "amount": number_text(float(activity.amount_committed or 0), 2),
        "currency": activity.currency,
    }
    if assistance.may_edit(actor, activity):  # its partner, who completes it
        flash(
            request,
            _(
                "Both sides have accepted: pipeline activity %(number)s now records this commitment of "
                "%(amount)s %(currency)s. Complete it here (dates, status, disbursements) rather than "
                "recording a new activity, which would count the same money twice."
            )
            % figures,
        )
        return RedirectResponse(f"/activities/{activity.id}", status_code=303)
    flash(
        request,
        _(
            "Both sides have accepted: pipeline activity %(number)s now records this commitment of "
            "%(amount)s %(currency)s. The partner completes it (dates, status, disbursements)."
        )
        % figures,
    )
    return RedirectResponse(round_page, status_code=303)
