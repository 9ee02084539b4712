"""Who is asking: the signed-in person (session cookie) or an API token holder; CSRF protection for forms."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.errors import DomainError
from pux.i18n import gettext as _
from pux.web.deps import get_session

SESSION_USER = "user_id"
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
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfRejected(_("This form has expired. Reload the page and send it again."))


def page_actor(request: Request, session: Annotated[Session, Depends(get_session)]) -> Actor:
    """The person signed in to the web pages, or the public."""
    user_id = request.session.get(SESSION_USER)
    user = accounts.get_user(session, user_id=int(user_id)) if user_id else None
    actor = accounts.actor_for(user) if user else Actor.public()
    request.state.actor = actor
    request.state.user = user
    return actor


def api_actor(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    authorization: Annotated[str | None, Header()] = None,
) -> Actor:
    """The holder of a bearer token, or the public. API calls never use the session cookie (no CSRF risk)."""
    actor = Actor.public()
    if authorization and authorization.lower().startswith("bearer "):
        found = accounts.actor_for_api_token(session, secret=authorization[7:].strip())
        if found is None:
            raise Unauthenticated(_("The API token is unknown or revoked."))
        actor = found
    request.state.actor = actor
    return actor


PageActor = Annotated[Actor, Depends(page_actor)]
ApiActor = Annotated[Actor, Depends(api_actor)]
CsrfChecked = Depends(verify_csrf)
