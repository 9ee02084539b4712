"""The web edge of the SDG tagger: a JSON route and the form helper that pre-fills SDG targets."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from pux.i18n import normalise_language
from pux.reference import service as reference
from pux.sdg_tagging.engine import SdgSuggestion, get_tagger
from pux.web.deps import SessionDep
from pux.web.forms import form_data
from pux.web.security import CsrfChecked
from pux.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["sdg"])
MAX_TEXT = 20_000


class SuggestRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    language: str | None = Field(default=None, description="en, fr, es, ar, zh or ru; detected when omitted")


class SuggestionRead(BaseModel):
    goal: str
    confidence: float
    targets: list[str]
    evidence: list[str]


def _read(suggestion: SdgSuggestion) -> SuggestionRead:
    return SuggestionRead(
        goal=suggestion.goal,
        confidence=round(suggestion.confidence, 4),
        targets=list(suggestion.targets),
        evidence=list(suggestion.evidence),
    )


@api_router.post("/sdg/suggest", response_model=list[SuggestionRead])
def suggest(request: SuggestRequest) -> list[SuggestionRead]:
    """The SDG goals (and targets where it can tell) a text addresses, with the evidence for each.

    Read-only and offline: nothing is stored. A person confirms the tags.
    """
    language = normalise_language(request.language) if request.language else None
    return [_read(s) for s in get_tagger().suggest(request.text, language)]


@router.post("/sdg/suggest-form", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def suggest_for_form(request: Request, session: SessionDep) -> HTMLResponse:
    """Used by the 'Suggest SDGs' button: returns the SDG field pre-filled, for the person to confirm."""
    values = form_data(await request.form())
    text = f"{values.get('title', '')}. {values.get('description', '')}".strip(" .")
    current = [code for code in re.split(r"[\s,;]+", str(values.get("sdg_target_codes", ""))) if code]
    suggestions = get_tagger().suggest(text[:MAX_TEXT]) if text else []
    known = {target.code for goal in reference.list_goals(session) for target in goal.targets}
    proposed = [t for s in suggestions for t in s.targets[:2] if t in known]
    merged = list(dict.fromkeys(current + proposed))
    goals = {goal.code: goal for goal in reference.list_goals(session)}
    return render(
        request,
        "_sdg_field.html",
        {
            "value": ", ".join(merged),
            "suggestions": suggestions,
            "goals": goals,
            "errors": {},
        },
    )
