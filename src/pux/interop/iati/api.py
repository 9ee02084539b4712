"""GET /api/v1/activities.iati.xml: the activities the caller may see, with the list's filters, as
IATI 2.03 XML."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import StreamingResponse

from pux.interop.iati import service
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
