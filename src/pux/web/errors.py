"""How errors reach people: the site's own page in their language, or JSON with a status code.

Every refusal a service raises (permission, not found, stale edit, invalid transition, bad input) has
its status here; so do the database's own refusals that a busy site meets (a write that lost a race, a
lock not obtained in time). Nothing here touches the database: the request's session is already closed
when these run, and what the page needs of the person signed in is plain data (request.state).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pux.accounts.permissions import PermissionDenied
from pux.accounts.service import SignInThrottled
from pux.errors import (
    DomainError,
    FieldProblem,
    InvalidTransition,
    NotFound,
    StaleEdit,
    ValidationFailed,
    WorkUnderway,
)
from pux.i18n import gettext as _
from pux.i18n import listed, number_text
from pux.validation import problem_field, problem_message
from pux.web.field_labels import field_label
from pux.web.request_log import request_id_of
from pux.web.security import CsrfRejected, Unauthenticated
from pux.web.templating import render

log = logging.getLogger("pux.web")

STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (CsrfRejected, 403),
    (NotFound, 404),
    (StaleEdit, 409),
    (InvalidTransition, 409),
    (WorkUnderway, 409),
    (ValidationFailed, 422),
    (SignInThrottled, 429),
)
# PostgreSQL's answers that mean it cannot serve this connection: connection exceptions (08), the server
# shutting down, crashed or starting (57P01-57P03), the account or database refused at sign-in (28, 3D).
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "28", "3D")
# Longest piece of a refused value ever repeated back (a 20 MB body is not echoed).
MAX_ECHOED_CHARACTERS = 200
MEGABYTE = 1024 * 1024


class BodyTooLarge(StarletteHTTPException):
    """A request body over the largest the site accepts (``web.limits``): 413, saying that limit."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413)
        self.limit_bytes = limit_bytes


def too_large_message(limit_bytes: int) -> str:
    """What a person is told when what they sent is over ``limit_bytes``: a person who pasted a long
    report into a form needs to know how much is accepted to cut it down."""
    limit = number_text(limit_bytes / MEGABYTE)
    return (
        _("What was sent is larger than this site accepts.")
        + " "
        + _("The most it accepts is %(limit)s MB.") % {"limit": limit}
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _status_of(error: Exception) -> int:
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 400


def _title(status: int) -> str:
    titles = {
        400: _("The request could not be understood"),
        401: _("Sign in needed"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not allowed"),
        409: _("Changed in the meantime"),
        413: _("Too large"),
        422: _("Please check what you entered"),
        429: _("Too many attempts"),
        503: _("Busy, try again"),
    }
    return titles.get(status, _("Something went wrong"))


def error_page(
    request: Request,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    reference: str | None = None,
    title: str | None = None,
) -> Response:
    """The site's own error page (pages) or a JSON error (API), in the reader's language; ``reference``
    is what the person can quote to the administrator to find the request's log lines; ``title`` replaces
    the status's own heading."""
    if _is_api(request):
        body = {"detail": message} if reference is None else {"detail": message, "request_id": reference}
        return JSONResponse(body, status_code=status, headers=headers)
    context = {
        "status_code": status,
        "title": title or _title(status),
        "message": message,
        "reference": reference,
    }
    response = render(request, "error.html", context, status)
    if headers:
        response.headers.update(headers)
    return response


async def domain_error(request: Request, error: Exception) -> Response:
    status = _status_of(error)
    actor = getattr(request.state, "actor", None)
    if _is_api(request):
        body: dict[str, object] = {"detail": str(error)}
        if isinstance(error, PermissionDenied) and (actor is None or not actor.is_authenticated):
            # A call without a token that needed one: say so (it answered "only for your own country").
            status = 401
            body["detail"] = _("This needs an API token: send it as 'Authorization: Bearer <token>'.")
        if isinstance(error, ValidationFailed):
            body["problems"] = [
                {"row": p.row, "field": p.field, "message": p.message} for p in error.problems
            ]
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    if isinstance(error, PermissionDenied) and (actor is None or not actor.is_authenticated):
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)
    message = str(error)
    if isinstance(error, ValidationFailed):  # each problem under its field's name in the reader's language
        message = "; ".join(_problem_text(problem) for problem in error.problems[:20])
    return error_page(request, status, message)


def _problem_text(problem: FieldProblem) -> str:
    where = _("row %(row)s") % {"row": problem.row} + ", " if problem.row is not None else ""
    return f"{where}{field_label(problem.field)}: {problem.message}"


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        message = _("There is no page at this address.")
    elif exc.status_code == 405:
        message = _("This address does not accept this kind of request.")
    elif isinstance(exc, BodyTooLarge):
        message = too_large_message(exc.limit_bytes)
    elif exc.status_code == 413:
        message = _("What was sent is larger than this site accepts.")
    elif isinstance(exc.detail, str) and exc.status_code < 500:
        message = exc.detail
    else:
        message = _("Something went wrong.")
    return error_page(request, exc.status_code, message, dict(exc.headers or {}))


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= MAX_ECHOED_CHARACTERS else text[:MAX_ECHOED_CHARACTERS] + "…"


async def request_validation_error(request: Request, exc: Exception) -> Response:
    """A path, query or body that does not fit the route: 404 for a bad address, else 422; the refused
    value is never echoed back whole."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    in_path = any(error.get("loc", ("",))[0] == "path" for error in errors)
    status = 404 if in_path else 422
    if _is_api(request):
        # In the reader's language as in the forms; a kind the forms never meet keeps pydantic's words.
        problems = [
            {
                "field": problem_field(error, skip=1, positions=True) or "body",
                "message": _short(problem_message(error, otherwise=str(error.get("msg", "")))),
            }
            for error in errors[:50]
        ]
        detail = _("No such record.") if in_path else _("The request does not match what this route accepts.")
        return JSONResponse({"detail": detail, "problems": problems}, status_code=status)
    if in_path:
        return error_page(request, 404, _("There is no page at this address."))
    names = dict.fromkeys(str(error["loc"][-1]) for error in errors if len(error.get("loc", ())) > 1)
    if not names:
        return error_page(request, 422, _("A value in the address of this page is not valid."))
    fields = listed(field_label(name) for name in list(names)[:5])
    return error_page(
        request, 422, _("A value in the address of this page is not valid: %(fields)s.") % {"fields": fields}
    )


async def stale_write(request: Request, exc: Exception) -> Response:
    """Two people saved the same record at once: the first save stands, the second is told so."""
    return error_page(
        request,
        409,
        _("Someone else changed this record at the same moment. Reload it to see the change, then retry."),
    )


async def database_busy(request: Request, exc: Exception) -> Response:
    """The database stayed locked too long, or no connection came free in time (it was reached, and is
    busy); or it could not be reached at all. Nothing was saved either way."""
    unreachable = isinstance(exc, OperationalError) and database_unreachable(exc)
    log.warning(
        "database %s for %s %s: %s",
        "unreachable" if unreachable else "busy",
        request.method,
        request.url.path,
        exc.__class__.__name__,
    )
    if unreachable:
        # Not "very busy": a person told so tries again at once, and an operator looks for load.
        return error_page(
            request,
            503,
            _("The database cannot be reached just now; nothing was saved. Try again in a few minutes."),
            {"Retry-After": "60"},
            title=_("The database cannot be reached"),
        )
    return error_page(
        request,
        503,
        _("The site is very busy and nothing was saved. Please try again in a moment."),
        {"Retry-After": "5"},
    )


def database_unreachable(error: OperationalError) -> bool:
    """Whether ``error`` says the database was not there to answer (its server stopped or restarting, its
    file gone), rather than reached and busy (a lock not obtained in time, a statement timed out)."""
    if error.connection_invalidated:  # lost during the request
        return True
    original = error.orig
    sqlite_error = getattr(original, "sqlite_errorname", None)
    if sqlite_error is not None:
        return str(sqlite_error).startswith("SQLITE_CANTOPEN")
    # psycopg: no SQLSTATE at all when no server answered (connection refused, host unknown, timeout).
    sqlstate = getattr(original, "sqlstate", "")
    return sqlstate is None or str(sqlstate).startswith(UNREACHABLE_SQLSTATES)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """A defect: still the site's own page in the reader's language, with the request's id to quote (the
    error is logged under the same id, never shown)."""
    reference = request_id_of(request.scope)
    log.error(
        "unexpected error on %s %s",
        request.method,
        request.url.path,
        exc_info=exc,
        extra={"request_id": reference},
    )
    return error_page(
        request,
        500,
        _("Something went wrong on our side. Nothing was saved. Please try again."),
        reference=reference,
    )


class AnswerUnexpectedErrors:
    """Pure ASGI, innermost: a defect in a route is answered here, inside PUX's own layers, so its answer
    carries the security headers, the request id and the reader's language, and is logged with its status
    like any other. (Starlette answers an exception left unhandled from outside every middleware.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer_started = False
        session_before = dict(scope.get("session") or {})

        async def watched(message: Message) -> None:
            nonlocal answer_started
            answer_started = answer_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            if answer_started:
                raise  # part of the answer is on its way: only the server can end the connection now
            # The page says nothing was saved: what the failed route wrote into the signed cookie is not.
            if isinstance(scope.get("session"), dict):
                scope["session"].clear()
                scope["session"].update(session_before)
            answer = await unexpected_error(Request(scope, receive), error)
            await answer(scope, receive, send)
            if getattr(scope["app"].state, RERAISE_DEFECTS, False):
                raise  # after the answer, for a test client: a defect must fail the test that met it


# Set on an app's state by the tests' client: the defect is raised again after its 500 page is sent, as
# Starlette's own outer handler does (not in production, where the log line above already holds it).
RERAISE_DEFECTS = "reraise_defects"


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, request_validation_error)
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(StaleDataError, stale_write)
    app.add_exception_handler(IntegrityError, stale_write)
    app.add_exception_handler(OperationalError, database_busy)
    app.add_exception_handler(PoolTimeout, database_busy)  # every connection in use for its whole wait
    # The last resort, for a defect in a middleware itself (AnswerUnexpectedErrors answers the routes').
    app.add_exception_handler(Exception, unexpected_error)
