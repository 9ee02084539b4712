"""Site-wide pages: home and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from pux import migrate
from pux.gaps import dashboard
from pux.gaps.views import map_chart
from pux.i18n import normalise_language
from pux.needs import workflow
from pux.reference import service as reference
from pux.web.deps import SessionDep
from pux.web.headers import is_production
from pux.web.middleware import LANGUAGE_COOKIE
from pux.web.routing import page_router
from pux.web.security import PageActor
from pux.web.templating import render

router = page_router()
health_router = APIRouter(include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    board = dashboard.dashboard(session, actor=actor, inbox=getattr(request.state, "waiting", None))
    world_map = map_chart(board.map, chart_id="home-map")
    return render(
        request,
        "home.html",
        {
            "counts": reference.reference_counts(session),
            "board": board,
            "world_map": world_map,
            "status_label": workflow.status_label,
        },
    )


def _safe_local_path(target: str | None) -> str:
    """Only same-site paths, so the switch cannot be used to redirect people elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str | None = None) -> RedirectResponse:
    language = normalise_language(code) or "en"
    response = RedirectResponse(_safe_local_path(next), status_code=303)
    # Sent over HTTPS only in production, as the session cookie is (its https_only in create_app).
    secure = is_production(request.scope)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=ONE_YEAR, httponly=True, samesite="lax", secure=secure
    )
    return response


@health_router.get("/healthz")
async def health() -> dict[str, str]:
    """The process answers (on the event loop: no thread or database connection needed)."""
    return {"status": "ok"}


@health_router.get("/readyz")
async def ready(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and its schema is the code's (503 otherwise)."""
    ok, status = await run_in_threadpool(migrate.readiness, request.app.state.engine)
    return JSONResponse({"status": status}, status_code=200 if ok else 503)
