"""Pages to export and import needs, programmes and activities as CSV or Excel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.interop.tabular import service
from pux.interop.tabular.formats import MEDIA_TYPES
from pux.web import downloads
from pux.web.deps import SessionDep, SessionWritingLaterDep
from pux.web.filters import ActivityFilters, NeedFilters, ProgrammeFilters
from pux.web.openapi import error_responses
from pux.web.routing import api_router as api_router_for
from pux.web.routing import page_router
from pux.web.security import ApiActor, CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
api_router = api_router_for("exchange")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
Format = Annotated[str, Query(pattern="^(csv|xlsx)$")]
Entity = Annotated[str, Path(pattern="^(needs|programmes|activities)$")]


def _download(
    session: Session, actor: Actor, entity: str, file_format: str, *, filters: Any = None, hxl: bool = False
) -> StreamingResponse:
    """The table written to a spool while the session is open, then sent in chunks."""
    target = downloads.spool()
    service.export_table(
        session,
        actor=actor,
        entity_name=entity,
        target=target,
        filters=filters,
        file_format=file_format,
        hxl=hxl,
    )
    return downloads.streamed(target, MEDIA_TYPES[file_format], f"pux-{entity}.{file_format}")


@router.get("/needs/export")
def export_needs(
    session: SessionDep, actor: PageActor, filters: NeedFilters, format: Format = "csv", hxl: bool = False
) -> Response:
    """The needs of the list page, with the same filters, as a file."""
    return _download(session, actor, "needs", format, filters=filters, hxl=hxl)


@router.get("/programmes/export")
def export_programmes(
    session: SessionDep,
    actor: PageActor,
    filters: ProgrammeFilters,
    format: Format = "csv",
    hxl: bool = False,
) -> Response:
    return _download(session, actor, "programmes", format, filters=filters, hxl=hxl)


@router.get("/activities/export")
def export_activities(
    session: SessionDep,
    actor: PageActor,
    filters: ActivityFilters,
    format: Format = "csv",
    hxl: bool = False,
) -> Response:
    return _download(session, actor, "activities", format, filters=filters, hxl=hxl)


def _titles() -> dict[str, str]:
    return {
        "needs": _("Import needs"),
        "programmes": _("Import programmes"),
        "activities": _("Import activities"),
    }


def _import_page(
    request: Request, entity: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    columns = [column for column in service.ENTITIES[entity].columns if not column.export_only]
    return render(
        request,
        "import.html",
        {
            "entity": entity,
            "title": _titles()[entity],
            "columns": columns,
            "problems": [],
            "report": None,
            **context,
        },
        status_code,
    )


@router.get("/{entity}/import", response_class=HTMLResponse)
def import_form(request: Request, actor: PageActor, entity: Entity) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse(f"/sign-in?next=/{entity}/import", status_code=303)
    service.require_may_import(actor, entity_name=entity)
    return _import_page(request, entity, {})


def _read_upload(upload: UploadFile) -> bytes:
    """The uploaded file (already spooled to disk by the server), refused when too large."""
    content = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed([FieldProblem("file", _("the file is larger than 20 MB"), 1)])
    return content


@router.post("/{entity}/import", dependencies=[CsrfChecked])
def import_file(
    request: Request, session: SessionWritingLaterDep, actor: PageActor, entity: Entity, file: UploadFile
) -> HTMLResponse:
    # A plain function: the file is read and checked in the thread pool, never on the event loop. The
    # session takes SQLite's write lock only when the checked rows are saved (service.import_table).
    service.require_may_import(actor, entity_name=entity)
    try:
        report = service.import_table(
            session,
            actor=actor,
            entity_name=entity,
            content=_read_upload(file),
            filename=file.filename or "upload.csv",
        )
    except ValidationFailed as failed:
        return _import_page(request, entity, {"problems": failed.problems}, 422)
    return _import_page(request, entity, {"report": report})


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    ids: list[int]


@api_router.post(
    "/{entity}/import", response_model=ImportResult, responses=error_responses(401, 403, 413, 422)
)
def import_file_api(
    session: SessionWritingLaterDep, actor: ApiActor, entity: Entity, file: UploadFile
) -> ImportResult:
    """Import a CSV or xlsx file of needs, programmes or activities; all rows or none are applied.

    Amounts are read as PUX's exports write them, whatever the language asked for: digits with a point
    before the decimals and no group separators ("1250000.50"). The import page also reads them as its
    language writes numbers ("1 250 000,50" in French)."""
    # The rows are checked without SQLite's write lock; it is taken only to save them (import_table).
    service.require_may_import(actor, entity_name=entity)
    report = service.import_table(
        session,
        actor=actor,
        entity_name=entity,
        content=_read_upload(file),
        filename=file.filename or "upload.csv",
        numbers_as_page_writes=False,
    )
    return ImportResult(
        created=report.created, updated=report.updated, unchanged=report.unchanged, ids=report.ids
    )


_EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **error_responses(401, 422),
    200: {
        "description": "The table as a file (CSV or xlsx, per `format`).",
        "content": {media_type.split(";")[0]: {} for media_type in MEDIA_TYPES.values()},
    },
}


# One route per table, each with its list's filters (one route for the three took no filter: an export
# asked for one country's activities held all of them).
@api_router.get("/needs/export", response_class=Response, responses=_EXPORT_RESPONSES)
def export_needs_api(
    session: SessionDep, actor: ApiActor, filters: NeedFilters, format: Format = "csv", hxl: bool = False
) -> Response:
    """The needs the caller may see, with the filters of GET /needs, as CSV or xlsx (optionally with HXL
    hashtags)."""
    return _download(session, actor, "needs", format, filters=filters, hxl=hxl)


@api_router.get("/programmes/export", response_class=Response, responses=_EXPORT_RESPONSES)
def export_programmes_api(
    session: SessionDep,
    actor: ApiActor,
    filters: ProgrammeFilters,
    format: Format = "csv",
    hxl: bool = False,
) -> Response:
    """The programmes the caller may see, with the filters of GET /programmes, as CSV or xlsx."""
    return _download(session, actor, "programmes", format, filters=filters, hxl=hxl)


@api_router.get("/activities/export", response_class=Response, responses=_EXPORT_RESPONSES)
def export_activities_api(
    session: SessionDep,
    actor: ApiActor,
    filters: ActivityFilters,
    format: Format = "csv",
    hxl: bool = False,
) -> Response:
    """The activities the caller may see, with the filters of GET /activities, as CSV or xlsx."""
    return _download(session, actor, "activities", format, filters=filters, hxl=hxl)
