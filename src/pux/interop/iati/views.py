"""The IATI pages: the upload page (/activities/import/iati), where facilitators upload an activity file
and read the import's report, and the list's IATI download (/activities/iati.xml)."""

from __future__ import annotations

from typing import Any

from fastapi import Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.errors import ValidationFailed
from pux.i18n import get_language
from pux.i18n import gettext as _
from pux.interop.iati import service, uploads
from pux.interop.iati.relevance import RulesFileError
from pux.web import downloads
from pux.web.deps import SessionDep
from pux.web.filters import ActivityFilters
from pux.web.forms import RecordPath, flash
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
PAGE = "/activities/import/iati"


@router.get("/activities/iati.xml", response_class=StreamingResponse)
def export_iati_page(
    request: Request, session: SessionDep, actor: PageActor, filters: ActivityFilters
) -> StreamingResponse:
    """The list page's activities, with its filters, as IATI 2.03 XML, for whoever is signed in: the page
    linked to the API's export, which knows bearer tokens only, so a signed-in partner's file lacked the
    activities only partners may see."""
    target = downloads.spool()
    settings = request.app.state.settings
    service.export_activities(
        session,
        actor=actor,
        filters=filters,
        target=target,
        base_url=settings.base_url,
        reporter=service.Reporter.of(settings),
    )
    return downloads.streamed(target, "application/xml", "pux-activities.iati.xml")


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    settings = request.app.state.settings
    return render(
        request,
        "assistance/import_iati.html",
        {
            "problem": None,
            "underway": None,
            "max_upload_mb": settings.max_upload_bytes // (1024 * 1024),
            **context,
        },
        status_code,
    )


@router.get(PAGE, response_class=HTMLResponse)
def iati_import_form(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse(f"/sign-in?next={PAGE}", status_code=303)
    return _page(request, _lists(session, actor))


def _lists(session: Session, actor: Actor) -> dict[str, Any]:
    """The recent imports and the organisations waiting to be confirmed (a refused upload's page lost
    them)."""
    return {
        "runs": service.recent_imports(session, actor=actor),
        "to_confirm": service.organisations_to_confirm(session, actor=actor),
    }


@router.post(PAGE, dependencies=[CsrfChecked])
def iati_import_upload(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    file: UploadFile,
    countries: str | None = Form(default=None, max_length=200),
    sector_prefixes: str | None = Form(default=None, max_length=200),
    everything: bool = Form(default=False),
) -> Response:
    # A plain function (the thread pool): the upload is copied and read through once, then imported by a
    # job (uploads.queue_import); the answer is the run's page, which follows its progress.
    try:
        options = uploads.import_options(
            session, actor=actor, countries=countries, sector_prefixes=sector_prefixes, everything=everything
        )
    except ValidationFailed as failed:
        return _page(request, {**_lists(session, actor), "problem": failed.problems[0].message}, 422)
    session.commit()  # no transaction held while the file is checked (uploads.queue_import)
    try:
        queued = uploads.queue_import(
            session,
            session_factory=request.app.state.session_factory,
            settings=request.app.state.settings,
            actor=actor,
            options=options,
            upload=file.file,
            file_name=file.filename,
            language=get_language(),
        )
    except (service.IatiFileRefused, RulesFileError) as refused:
        return _page(request, {**_lists(session, actor), "problem": str(refused)}, 422)
    except service.ImportUnderway as underway:
        # Someone is importing this very file now: the page says so and links to that run; no second one.
        return _page(request, {**_lists(session, actor), "underway": underway}, 409)
    return RedirectResponse(f"{PAGE}/runs/{queued.run_id}", status_code=303)


@router.get(PAGE + "/runs/{run_id}", response_class=HTMLResponse)
def iati_import_run(request: Request, session: SessionDep, actor: PageActor, run_id: RecordPath) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse(f"/sign-in?next={PAGE}/runs/{run_id}", status_code=303)
    report = service.import_report(session, actor=actor, run_id=run_id)
    return render(request, "assistance/import_iati_run.html", {"report": report})


@router.post(PAGE + "/organisations/{organisation_id}/confirm", dependencies=[CsrfChecked])
def confirm_organisation(
    request: Request, session: SessionDep, actor: PageActor, organisation_id: RecordPath
) -> RedirectResponse:
    service.confirm_organisation(session, actor=actor, organisation_id=organisation_id)
    flash(request, _("The organisation was confirmed."))
    return RedirectResponse(PAGE, status_code=303)
