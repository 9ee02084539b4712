"""The web edge of the SDG tagger: a JSON route and the form helper that pre-fills SDG targets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy.orm import Session

from pux.i18n import N_, listed, normalise_language
from pux.i18n import gettext as _
from pux.reference import service as reference
from pux.sdg_tagging.engine import LANGUAGES, SdgSuggestion, get_tagger
from pux.web.deps import FormDep, SessionDep
from pux.web.forms import form_data
from pux.web.routing import api_router as api_router_for
from pux.web.routing import page_router
from pux.web.security import CsrfChecked
from pux.web.templating import render

router = page_router()
api_router = api_router_for("sdg")
MAX_TEXT = 20_000


def _any_case(code: str) -> str:
    return "".join(f"[{letter.lower()}{letter.upper()}]" for letter in code)


# What the API's description promises for "language" (a JSON Schema pattern has no case-insensitive flag):
# one of the six codes in any case, perhaps with a region ("fr-CA", "zh_Hans").
LANGUAGE_TAG = f"^({'|'.join(_any_case(code) for code in LANGUAGES)})([-_][A-Za-z0-9]+)*$"


class SuggestRequest(BaseModel):
    # A misspelt "language" would otherwise be dropped and the language guessed without a word.
    model_config = ConfigDict(extra="forbid")

    # Stripped before it is measured: a text of only spaces is as empty as "" and refused the same way (the
    # description says so with its pattern: some character other than a space).
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT, pattern=r"\S")
    ]
    language: Annotated[str, Field(pattern=LANGUAGE_TAG)] | None = Field(
        default=None,
        description="en, fr, es, ar, zh or ru (a regional form such as fr-CA is read as fr); detected from "
        "the text when omitted or null; any other language is refused",
    )

    @field_validator("language", mode="before")
    @classmethod
    def _a_language_the_tagger_reads(cls, value: object) -> object:
        # An unknown language was dropped and the text's language guessed without a word to the caller.
        if not isinstance(value, str):
            return value  # null, or not a text at all: the type says so
        language = normalise_language(value)
        if language is None:
            raise ValueError(
                _("is not a language the tagger reads (it reads %(languages)s)")
                % {"languages": listed(LANGUAGES)}
            )
        return language


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
    return [_read(s) for s in get_tagger().suggest(request.text, request.language)]


# The engine names the kind of some evidence items with an English prefix (it knows nothing of the reader);
# the page says it in the reader's language. Items without a prefix (matched phrases, target labels) are
# shown as they are.
_EVIDENCE_KINDS = {
    "words: ": N_("Words: %(evidence)s"),
    "sentence: ": N_("Sentence: %(evidence)s"),
    "example: ": N_("Labelled example: %(evidence)s"),
}
EVIDENCE_SHOWN = 4


def evidence_for_reader(evidence: Sequence[str]) -> list[str]:
    """The first evidence items of a suggestion, their kind named in the reader's language."""
    readable = []
    for item in evidence[:EVIDENCE_SHOWN]:
        prefix = next((prefix for prefix in _EVIDENCE_KINDS if item.startswith(prefix)), None)
        readable.append(
            _(_EVIDENCE_KINDS[prefix]) % {"evidence": item.removeprefix(prefix)} if prefix else item
        )
    return readable


def suggestions_for_form(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The SDG field of a need or programme form, pre-filled with the tagger's suggestions for its title
    and description (the person confirms them; nothing is saved)."""
    text = f"{values.get('title', '')}. {values.get('description', '')}".strip(" .")
    typed = values.get("sdg_target_codes", "")
    typed_text = ", ".join(typed) if isinstance(typed, list) else str(typed)
    current = [code for code in re.split(r"[\s,;]+", typed_text) if code]
    suggestions = get_tagger().suggest(text[:MAX_TEXT]) if text else []
    goals = {goal.code: goal for goal in reference.list_goals(session)}
    known = {target.code for goal in goals.values() for target in goal.targets}
    proposed = [t for s in suggestions for t in s.targets[:2] if t in known]
    return {
        "sdg_value": ", ".join(dict.fromkeys(current + proposed)),
        "suggestions": suggestions,
        "evidence": {suggestion.goal: evidence_for_reader(suggestion.evidence) for suggestion in suggestions},
        "goals": goals,
    }


@router.post("/sdg/suggest-form", response_class=HTMLResponse, dependencies=[CsrfChecked])
def suggest_for_form(request: Request, session: SessionDep, form: FormDep) -> HTMLResponse:
    """Used by the 'Suggest SDGs' button (with JavaScript): returns the SDG field pre-filled."""
    found = suggestions_for_form(session, form_data(form))
    return render(
        request,
        "_sdg_field.html",
        {
            "value": found["sdg_value"],
            "suggestions": found["suggestions"],
            "evidence": found["evidence"],
            "goals": found["goals"],
            "errors": {},
        },
    )
