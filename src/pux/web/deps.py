"""Named dependency types shared by pages and API routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from pux.i18n import get_language


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back when it raises."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_locale() -> str:
    return get_language()


SessionDep = Annotated[Session, Depends(get_session)]
Locale = Annotated[str, Depends(get_locale)]
