"""The task inbox page (/me): what waits for the person signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.dialogues import vocabulary as dialogue_words
from pux.i18n import LANGUAGE_AUTONYMS, LANGUAGES, number_text
from pux.needs import workflow
from pux.tasks import service
from pux.web.deps import SessionDep
from pux.web.filters import PageNumber
from pux.web.forms import listing, sign_in_first
from pux.web.routing import page_router
from pux.web.security import PageActor
from pux.web.templating import render

router = page_router()


@router.get("/me", response_class=HTMLResponse)
def my_tasks(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/me", status_code=303)
    return render(
        request,
        "tasks/inbox.html",
        {
            "inbox": service.inbox(session, actor=actor),
            "status_label": workflow.status_label,
            "participant_status_label": dialogue_words.participant_status_label,
            "action_status_label": dialogue_words.action_status_label,
            "concept_status_label": dialogue_words.concept_status_label,
        },
    )


@router.get("/me/translations", response_class=HTMLResponse)
def loaded_translations(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    page: PageNumber,
    language: Annotated[str | None, Query(pattern=f"^({'|'.join(LANGUAGES)})?$")] = None,
) -> Response:
    """The machine-assisted translations loaded with PUX that wait for a reviewer, by language."""
    if (redirect := sign_in_first(actor, "/me/translations")) is not None:
        return redirect
    found = service.loaded_translations_to_review(session, actor=actor, language=language or None, page=page)
    return render(
        request,
        "tasks/translations.html",
        {**listing(found.page, request), "language_choices": _language_choices(found.by_language)},
    )


def _language_choices(waiting: dict[str, int]) -> list[tuple[str, str]]:
    """The languages that have drafts waiting, each with how many ("العربية (240)")."""
    return [
        (code, f"{LANGUAGE_AUTONYMS[code]} ({number_text(waiting[code], 0)})")
        for code in LANGUAGES
        if waiting.get(code)
    ]
