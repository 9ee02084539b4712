"""GET /api/v1/activities.iati.xml: the activities the caller may see, with the list's filters, as
IATI 2.03 XML; POST /api/v1/activities/import/iati: an IATI activity file imported by a job."""

from __future__ import annotations

from fastapi import Form, Request, Response, UploadFile
from fastapi.responses import StreamingResponse

from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import get_language
from pux.interop.iati import service, uploads
from pux.interop.iati.relevance import RulesFileError
from pux.jobs.api import JobRead, job_location
from pux.web import downloads
from pux.web.deps import SessionDep
from pux.web.filters import ActivityFilters
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("exchange")


@router.get(
    "/activities.iati.xml",
    response_class=StreamingResponse,
    responses={
        **error_responses(401, 422),
        200: {"description": "IATI 2.03 activity XML.", "content": {"application/xml": {}}},
    },
)
def export_iati(
    request: Request, session: SessionDep, actor: ApiActor, filters: ActivityFilters
) -> StreamingResponse:
    """The activities visible to the caller, filtered as the list is, as an IATI 2.03 activity file (PUX's
    techniques as the reporting-organisation sector vocabulary 99, with its vocabulary URI)."""
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


@router.post(
    "/activities/import/iati",
    response_model=JobRead,
    status_code=202,
    responses=error_responses(401, 403, 409, 413, 422),
)
def import_iati(
    request: Request,
    session: SessionDep,
    actor: ApiActor,
    response: Response,
    file: UploadFile,
    countries: str | None = Form(
        default=None, max_length=200, description="Only these recipient countries (alpha-3 or alpha-2)"
    ),
    sector_prefixes: str | None = Form(
        default=None, max_length=200, description="Only DAC sector codes beginning so (e.g. 121 43082)"
    ),
    everything: bool = Form(default=False, description="Every activity, not only nuclear techniques'"),
) -> JobRead:
    """Import an IATI 2.03 activity file (facilitators), as the upload page does: the file is read through
    at once (a file that is not IATI XML is refused, nothing written) and imported by a job. The answer is
    the job; follow its Location: once done, its ``result`` counts the new, updated and refused activities
    (``run_id``: the run's report on /activities/import/iati). The same file with the same choices being
    imported already answers 409."""
    options = uploads.import_options(
        session, actor=actor, countries=countries, sector_prefixes=sector_prefixes, everything=everything
    )
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
        raise ValidationFailed([FieldProblem("file", str(refused))]) from refused
    session.flush()  # the job's id, for its address
    response.headers["Location"] = job_location(queued.job)
    return JobRead.of(queued.job)
