"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from pux import __version__, logs
from pux.accounts import views as accounts_views
from pux.assistance import api as assistance_api
from pux.assistance import views as assistance_views
from pux.briefs import views as briefs_views
from pux.config import Settings, get_settings
from pux.db import make_engine, make_session_factory, optimize_on_close
from pux.dialogues import api as dialogues_api
from pux.dialogues import views as dialogues_views
from pux.gaps import api as gaps_api
from pux.gaps import views as gaps_views
from pux.interop.iati import api as iati_api
from pux.interop.iati import views as iati_views
from pux.interop.tabular import views as tabular_views
from pux.interop.tabular.formats import MEDIA_TYPES
from pux.jobs import api as jobs_api
from pux.jobs import queue as job_queue
from pux.jobs import views as jobs_views
from pux.knowledge import api as knowledge_api
from pux.knowledge import views as knowledge_views
from pux.matching import api as matching_api
from pux.matching import views as matching_views
from pux.needs import api as needs_api
from pux.needs import views as needs_views
from pux.priority import api as priority_api
from pux.priority import views as priority_views
from pux.processes import limit_malloc_arenas, space_out_collections
from pux.programmes import api as programmes_api
from pux.programmes import views as programmes_views
from pux.reference import api as reference_api
from pux.reference import views as reference_views
from pux.search import api as search_api
from pux.search import views as search_views
from pux.tasks import api as tasks_api
from pux.tasks import views as tasks_views
from pux.web import errors, pages, sdg
from pux.web.headers import SecurityHeaders
from pux.web.limits import BodySizeLimit
from pux.web.middleware import LanguageMiddleware
from pux.web.openapi import install_docs
from pux.web.request_log import RequestLog
from pux.web.templating import build_templates
from pux.web.warm import warm_up

STATIC_DIR = Path(__file__).parent / "static"
SESSION_LIFETIME_SECONDS = 8 * 3600
# Downloads compressed already (an xlsx is a zip; a PDF's contents are deflated): compressing them again
# cost an Excel export of 20,000 needs 0.1 s of CPU for 4% fewer bytes.
ALREADY_COMPRESSED = (MEDIA_TYPES["xlsx"], "application/pdf")
# Connections beyond the worker threads: the password and token steps run in short units of their own.
SPARE_CONNECTIONS = 4


def _lifespan(settings: Settings):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Every plain-function route runs on one of these threads; each may hold one database
        # connection, and the pool has room for all of them (no request ever waits on the pool while
        # holding a thread that another request needs).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        limit_malloc_arenas(settings.malloc_arenas)  # before the request threads start
        space_out_collections()
        if settings.warm_up:  # in a thread: the event loop stays free to answer uvicorn's health checks
            await anyio.to_thread.run_sync(warm_up, app.state.session_factory)
        # Jobs left queued or running when the app last stopped are taken up (when this process runs jobs).
        app.state.start_jobs()
        yield
        app.state.stop_jobs()
        optimize_on_close(app.state.engine)
        app.state.engine.dispose()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the PUX web application for ``settings`` (the environment's by default)."""
    settings = settings or get_settings()
    if settings.log_level:
        logs.configure(settings.log_level)
    app = FastAPI(
        title="PUX - Peaceful Uses Exchange",
        version=__version__,
        description="Open data and services of the dialogue on peaceful uses of nuclear techniques.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_lifespan(settings),
    )
    engine = make_engine(settings.database_url, pool_size=settings.worker_threads + SPARE_CONNECTIONS)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.start_jobs, app.state.stop_jobs = job_queue.install(app.state.session_factory, settings)
    app.state.jobs_factory = app.state.session_factory  # the sessions this app's own runner works with
    app.state.templates = build_templates()
    # Added first, so innermost: an unexpected error is answered inside every layer below (language,
    # session, security headers, request id and its log line), as any other answer is.
    app.add_middleware(errors.AnswerUnexpectedErrors)
    # Inside the language and session layers, so that a body over the limit is refused like any other
    # request: the site's own page (or the API's JSON error) in the reader's language.
    app.add_middleware(BodySizeLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    app.add_middleware(LanguageMiddleware, default_language=settings.default_language)
    # Pages are text: compressing them matters on the slow connections many users have. At zlib's own
    # default level (6), not Starlette's 9: on 200 KB of PUX's pages 0.7% larger, a third less CPU.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=1000,
        compresslevel=6,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *ALREADY_COMPRESSED),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie="pux_session",
        max_age=SESSION_LIFETIME_SECONDS,
        same_site="lax",
        https_only=settings.mode == "production",
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)  # added last: the outermost layer, it logs every answer
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_docs(app)
    routers = (
        tabular_views.router,
        tabular_views.api_router,  # before the /{entity}/{id} routes they resemble
        pages.health_router,
        pages.router,
        tasks_views.router,
        tasks_api.router,
        jobs_views.router,
        jobs_api.router,
        accounts_views.sign_in_router,
        accounts_views.choices_router,
        reference_views.router,
        reference_api.router,
        accounts_views.router,
        needs_views.router,
        needs_api.router,
        programmes_views.router,
        programmes_api.router,
        iati_views.router,
        iati_api.router,
        assistance_views.router,
        assistance_api.router,
        dialogues_views.router,
        dialogues_api.router,
        knowledge_views.router,
        knowledge_api.router,
        briefs_views.router,
        gaps_views.router,
        gaps_api.router,
        priority_views.router,
        priority_api.router,
        matching_views.router,
        matching_api.router,
        sdg.router,
        sdg.api_router,
        search_views.router,
        search_api.router,
    )
    for router in routers:
        app.include_router(router)
    errors.install(app)
    return app
