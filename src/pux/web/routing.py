"""Routers whose routes commit the request's unit of work before anything is sent.

FastAPI serialises a plain-function route's result in a second pass through the thread pool. If the
request still held its database connection while it waited for that second thread, a burst of requests
could hold every connection while waiting for threads that were all waiting for connections (the pool
timeout of 200 parallel API reads). So a route's session is committed in the route's own thread, as soon
as the route returns: the connection goes back to the pool before the response is serialised, a failed
commit is the route's error (an error response, never a "saved" that was not), and nothing is committed
after the response is sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette._utils import is_async_callable


def _committing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, Session):
                value.commit()
        return result

    return run


class UnitOfWorkRoute(APIRoute):
    """A route whose plain-function endpoint commits its session in its own thread when it returns."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not is_async_callable(endpoint):
            endpoint = _committing(endpoint)
        super().__init__(path, endpoint, **kwargs)


def page_router(**kwargs: Any) -> APIRouter:
    """A router for HTML pages (left out of the OpenAPI description)."""
    from pux.web.security import LoadPageActor

    return APIRouter(
        route_class=UnitOfWorkRoute, include_in_schema=False, dependencies=[LoadPageActor], **kwargs
    )


def api_router(tag: str, **kwargs: Any) -> APIRouter:
    """A router for the JSON API under /api/v1; its description lists the error answers any route may
    give (an unreadable body, a bad token, a refusal, a record not visible, a stale edit, too large, bad
    input, busy)."""
    from pux.web.openapi import error_responses

    return APIRouter(
        route_class=UnitOfWorkRoute,
        prefix="/api/v1",
        tags=[tag],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422, 503),
        **kwargs,
    )
