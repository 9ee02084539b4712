"""Who is asking: the signed-in person (session cookie) or an API token holder; CSRF protection for forms."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.db import unit_of_work
from pux.errors import DomainError
from pux.i18n import gettext as _
from pux.tasks import service as tasks
from pux.web.deps import SessionDep

# The cookie carries only this random token; the session itself lives in the database.
SESSION_TOKEN = "sid"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class CsrfRejected(DomainError):
    """A form was posted without the token of the page that showed it."""


class Unauthenticated(DomainError):
    """A token was sent but is not valid."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing form post whose token does not match the session's."""
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not _same(str(expected), sent):
        raise CsrfRejected(_("This form has expired. Reload the page and send it again."))


def _same(expected: str, sent: str) -> bool:
    # As bytes: compare_digest refuses text with non-ASCII characters (a forged token answered 500).
    return secrets.compare_digest(expected.encode(), sent.encode("utf-8", "surrogatepass"))


def page_actor(request: Request, session: SessionDep) -> Actor:
    """The person signed in to the web pages (a live server-side session), or the public."""
    token = request.session.get(SESSION_TOKEN)
    resumed = accounts.resume_session(session, token=str(token)) if token else None
    if token and resumed is None:
        request.session.pop(SESSION_TOKEN, None)  # ended, expired or closed: forget it
    actor, user = resumed if resumed else (Actor.public(), None)
    request.state.actor = actor
    request.state.user = user
    if user is not None:
        # The count of waiting tasks shown in the header of every page (the home page lists them too).
        request.state.waiting = tasks.waiting_counts(session, actor=actor)
    _end_read(session)
    return actor


def _end_read(session: Session) -> None:
    """End the transaction a who-is-asking dependency read in: it runs on a thread of its own, and the
    request then waits for another thread to run its route. Holding the connection (and, for a write
    request on SQLite, the write lock) across that wait let a burst of requests hold every connection
    while the threads that should run their routes all waited for one (pool timeouts, answered 500)."""
    session.commit()


def api_actor(
    request: Request,
    session: SessionDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    """The holder of a bearer token, or the public. API calls never use the session cookie (no CSRF risk)."""
    actor = Actor.public()
    if authorization and not authorization.lower().startswith("bearer "):
        # Another scheme ("Token abc", a bare token) was read as no token at all: the caller got the
        # public's answers without being told why.
        raise Unauthenticated(_("Send the API token as 'Authorization: Bearer <token>'."))
    if authorization and authorization.lower().startswith("bearer "):
        holder = accounts.actor_for_api_token(session, secret=authorization[7:].strip())
        _end_read(session)
        if holder is None:
            raise Unauthenticated(_("The API token is unknown or revoked."))
        actor = holder.actor
        if holder.use_to_record:
            _record_token_use(request, holder.token_id)
    request.state.actor = actor
    return actor


def _record_token_use(request: Request, token_id: int) -> None:
    # In a short write transaction of its own, so that a read request never has to write.
    with unit_of_work(request.app.state.session_factory, write=True) as session:
        accounts.record_token_use(session, token_id=token_id)


PageActor = Annotated[Actor, Depends(page_actor)]
# Every page loads the person signed in, so the header is right on every page, error pages included.
LoadPageActor = Depends(page_actor)
ApiActor = Annotated[Actor, Depends(api_actor)]
CsrfChecked = Depends(verify_csrf)
