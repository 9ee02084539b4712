"""Named dependency types shared by pages and API routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pux.db import committed_when_done, writer
from pux.i18n import get_language

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, the request's unit of work.

    Routes commit it in their own thread when they return (pux.web.routing); what is left is committed
    here, when the route function ends and before the response is sent ("function" scope below), so a
    client is never told "saved" about something that was not. A request that may write (any method
    but GET, HEAD, OPTIONS) takes SQLite's write lock when its transaction begins, so concurrent edits
    queue and the loser gets a clear 409 instead of "database is locked".
    """
    factory = request.app.state.session_factory
    engine = factory.kw["bind"]
    session: Session = factory(bind=engine if request.method in READ_ONLY_METHODS else writer(engine))
    yield from committed_when_done(session)


def get_session_writing_later(request: Request) -> Iterator[Session]:
    """A request's unit of work, as ``get_session``, whose transaction does not begin with SQLite's write
    lock whatever the method: for routes that read at length before they write (an import checks every
    row first), whose service takes the lock itself when it starts writing (``pux.db.write_from_here``).
    A write made without it could fail at once on a busy SQLite database."""
    factory = request.app.state.session_factory
    yield from committed_when_done(factory(bind=factory.kw["bind"]))


async def read_form(request: Request) -> FormData:
    """The posted form, read on the event loop so that the route itself can be a plain function that
    runs in the thread pool (its database work must never block the event loop)."""
    return await request.form()


def get_locale() -> str:
    return get_language()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
# For routes whose service takes the write lock itself, after reading (see get_session_writing_later).
SessionWritingLaterDep = Annotated[Session, Depends(get_session_writing_later, scope="function")]
FormDep = Annotated[FormData, Depends(read_form)]
Locale = Annotated[str, Depends(get_locale)]
