"""Pages to export and import needs, programmes and activities as CSV or Excel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from pux.assistance.repository import ActivityFilter
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import gettext as _
from pux.interop.tabular import service
from pux.needs.views import need_filter
from pux.programmes.repository import ProgrammeFilter
from pux.web.deps import SessionDep
from pux.web.security import ApiActor, CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["exchange"])
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
Format = Annotated[str, Query(pattern="^(csv|xlsx)$")]


def _download(content: bytes, name: str, file_format: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="pux-{name}.{file_format}"'},
    )


@router.get("/needs/export")
def export_needs(
    session: SessionDep,
    actor: PageActor,
    format: Format = "csv",
    hxl: bool = False,
    country: str | None = None,
    region: str | None = None,
    area: str | None = None,
    technique: str | None = None,
    sdg: str | None = None,
    status: str | None = None,
    income_group: str | None = None,
    q: str | None = None,
) -> Response:
    filters = need_filter(country, region, area, technique, sdg, status, income_group, q)
    content = service.export_table(
        session, actor=actor, entity_name="needs", filters=filters, file_format=format, hxl=hxl
    )
    return _download(content, "needs", format)


@router.get("/programmes/export")
def export_programmes(
    session: SessionDep,
    actor: PageActor,
    format: Format = "csv",
    hxl: bool = False,
    organisation: int | None = None,
    area: str | None = None,
) -> Response:
    filters = ProgrammeFilter(organisation_id=organisation, thematic_area_code=area or None)
    content = service.export_table(
        session, actor=actor, entity_name="programmes", filters=filters, file_format=format, hxl=hxl
    )
    return _download(content, "programmes", format)


@router.get("/activities/export")
def export_activities(
    session: SessionDep,
    actor: PageActor,
    format: Format = "csv",
    hxl: bool = False,
    country: str | None = None,
    provider: int | None = None,
    area: str | None = None,
) -> Response:
    filters = ActivityFilter(
        country_iso3=country or None, provider_organisation_id=provider, thematic_area_code=area or None
    )
    content = service.export_table(
        session, actor=actor, entity_name="activities", filters=filters, file_format=format, hxl=hxl
    )
    return _download(content, "activities", format)


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
def import_form(request: Request, actor: PageActor, entity: str) -> HTMLResponse:
    if entity not in service.ENTITIES:
        raise HTTPException(404)
    return _import_page(request, entity, {})


async def _read_upload(upload: UploadFile) -> bytes:
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed([FieldProblem("file", _("the file is larger than 20 MB"), 1)])
    return content


@router.post("/{entity}/import", dependencies=[CsrfChecked])
async def import_file(
    request: Request, session: SessionDep, actor: PageActor, entity: str, file: UploadFile
) -> HTMLResponse:
    if entity not in service.ENTITIES:
        raise HTTPException(404)
    try:
        content = await _read_upload(file)
        report = service.import_table(
            session, actor=actor, entity_name=entity, content=content, filename=file.filename or "upload.csv"
        )
    except ValidationFailed as failed:
        return _import_page(request, entity, {"problems": failed.problems}, 422)
    return _import_page(request, entity, {"report": report})


@api_router.post("/{entity}/import", response_model=dict[str, Any])
async def import_file_api(
    session: SessionDep, actor: ApiActor, entity: str, file: UploadFile
) -> dict[str, Any]:
    """Import a CSV or xlsx file of needs, programmes or activities; all rows or none are applied."""
    if entity not in service.ENTITIES:
        raise HTTPException(404)
    report = service.import_table(
        session,
        actor=actor,
        entity_name=entity,
        content=await _read_upload(file),
        filename=file.filename or "upload.csv",
    )
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "ids": report.ids,
    }


@api_router.get("/{entity}/export")
def export_api(
    session: SessionDep, actor: ApiActor, entity: str, format: Format = "csv", hxl: bool = False
) -> Response:
    """Export what the caller may see, as CSV or xlsx (optionally with HXL hashtags)."""
    if entity not in service.ENTITIES:
        raise HTTPException(404)
    return _download(
        service.export_table(session, actor=actor, entity_name=entity, file_format=format, hxl=hxl),
        entity,
        format,
    )
