"""The task inbox page (/me): what waits for the person signed in."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.dialogues import vocabulary as dialogue_words
from pux.needs import workflow
from pux.tasks import service
from pux.web.deps import SessionDep
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
