"""Pages of matching: allocation rounds, proposals and their decisions, overlaps between providers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.matching import service
from pux.matching.allocation import FLOW_EXACT, FLOW_THEN_MIP, WHOLE_MIP, RoundRules
from pux.web.deps import SessionDep
from pux.web.forms import form_data
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)


def allocation_method_label(method: str) -> str:
    labels = {
        FLOW_EXACT: _("min-cost flow (exact)"),
        WHOLE_MIP: _("mixed-integer programme (HiGHS)"),
        FLOW_THEN_MIP: _("flow relaxation, then mixed-integer repair (HiGHS)"),
    }
    return labels.get(method, method)


def binding_label(constraint: str) -> str:
    """A binding constraint as stored ("budget:12", "country_cap:KEN", "ldc_floor"), in words."""
    kind, _separator, subject = constraint.partition(":")
    if kind == "budget":
        return _("budget of programme %(id)s") % {"id": subject}
    if kind == "country_cap":
        return _("country cap of %(country)s") % {"country": subject}
    if kind == "ldc_floor":
        return _("LDC floor")
    return constraint


def _share(values: dict[str, object], name: str, default: float | None) -> float | None:
    raw = values.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(str(raw)) / 100.0
    except ValueError as error:
        raise ValidationFailed([FieldProblem(name, _("must be a percentage"))]) from error


@router.get("/matching", response_class=HTMLResponse)
def matching_home(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/matching", status_code=303)
    return render(
        request,
        "matching/home.html",
        {
            "rounds": service.list_rounds(session, actor=actor),
            "proposals": [p for p in service.proposals_for(session, actor=actor) if p.status == "proposed"][
                :200
            ],
            "overlaps": service.provider_overlaps(session)[:50],
            "proposal_explanation": service.proposal_explanation,
        },
    )


@router.post("/matching/rounds", dependencies=[CsrfChecked])
async def run_round(request: Request, session: SessionDep, actor: PageActor) -> Response:
    values = form_data(await request.form())
    rules = RoundRules(
        country_cap_share=_share(values, "country_cap_percent", 0.25) or 0.25,
        ldc_floor_share=_share(values, "ldc_floor_percent", None),
        mip_time_limit=20.0,
    )
    round_record = service.run_round(
        session, actor=actor, title=str(values.get("title") or _("Allocation round")), rules=rules
    )
    return RedirectResponse(f"/matching/rounds/{round_record.id}", status_code=303)


@router.get("/matching/rounds/{round_id}", response_class=HTMLResponse)
def round_page(request: Request, session: SessionDep, actor: PageActor, round_id: int) -> HTMLResponse:
    round_record = service.get_round(session, actor=actor, round_id=round_id)
    return render(
        request,
        "matching/round.html",
        {
            "round": round_record,
            "method_label": allocation_method_label,
            "binding_label": binding_label,
            "proposals": service.proposals_for(session, actor=actor, round_id=round_id),
            "proposal_explanation": service.proposal_explanation,
        },
    )


@router.post("/proposals/{proposal_id}/decision", dependencies=[CsrfChecked])
async def decide(request: Request, session: SessionDep, actor: PageActor, proposal_id: int) -> Response:
    values = form_data(await request.form())
    proposal = service.decide(
        session,
        actor=actor,
        proposal_id=proposal_id,
        accept=values.get("decision") == "accept",
        side=str(values["side"]) if values.get("side") else None,
    )
    target = f"/matching/rounds/{proposal.round_id}" if proposal.round_id else "/matching"
    return RedirectResponse(target, status_code=303)
