"""How domain errors reach people: a page with the message, or JSON with a status code."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pux.accounts.permissions import PermissionDenied
from pux.accounts.service import SignInThrottled
from pux.errors import DomainError, InvalidTransition, NotFound, StaleEdit, ValidationFailed
from pux.i18n import gettext as _
from pux.web.security import CsrfRejected, Unauthenticated
from pux.web.templating import render

STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (CsrfRejected, 403),
    (NotFound, 404),
    (StaleEdit, 409),
    (InvalidTransition, 409),
    (ValidationFailed, 422),
    (SignInThrottled, 429),
)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _status_of(error: Exception) -> int:
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 400


async def domain_error(request: Request, error: Exception) -> Response:
    status = _status_of(error)
    if _is_api(request):
        body: dict[str, object] = {"detail": str(error)}
        if isinstance(error, ValidationFailed):
            body["problems"] = [
                {"row": p.row, "field": p.field, "message": p.message} for p in error.problems
            ]
        return JSONResponse(body, status_code=status)
    actor = getattr(request.state, "actor", None)
    if (
        status == 403
        and isinstance(error, PermissionDenied)
        and (actor is None or not actor.is_authenticated)
    ):
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)
    return render(request, "error.html", {"status_code": status, "message": str(error)}, status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    message = exc.detail if exc.status_code == 404 else _("Something went wrong.")
    return render(
        request, "error.html", {"status_code": exc.status_code, "message": message}, exc.status_code
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DomainError, domain_error)
