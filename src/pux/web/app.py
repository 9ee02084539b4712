"""The application factory."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from pux import __version__
from pux.config import Settings, get_settings
from pux.db import make_engine, make_session_factory
from pux.i18n import gettext as _
from pux.reference import api as reference_api
from pux.reference import views as reference_views
from pux.web import pages
from pux.web.middleware import LanguageMiddleware
from pux.web.templating import build_templates, render

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the PUX web application for ``settings`` (the environment's by default)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="PUX - Peaceful Uses Exchange",
        version=__version__,
        description="Open data and services of the dialogue on peaceful uses of nuclear techniques.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.templates = build_templates()
    app.add_middleware(LanguageMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (pages.router, reference_views.router, reference_api.router):
        app.include_router(router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    message = exc.detail if exc.status_code == 404 else _("Something went wrong.")
    return render(
        request, "error.html", {"status_code": exc.status_code, "message": message}, exc.status_code
    )
