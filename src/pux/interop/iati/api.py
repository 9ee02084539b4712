"""GET /api/v1/activities.iati.xml: the activities the caller may see, with the list's filters, as
IATI 2.03 XML."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import Request
from fastapi.responses import StreamingResponse

from pux.interop.iati import service
from pux.web.deps import SessionDep
from pux.web.filters import ActivityFilters
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("exchange")
# Exports up to this size stay in memory; larger ones are written to a temporary file first.
SPOOL_BYTES = 8 * 1024 * 1024


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk
    finally:
        spool.close()


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
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by _chunks)
    service.export_activities(
        session, actor=actor, filters=filters, target=spool, base_url=request.app.state.settings.base_url
    )
    return StreamingResponse(
        _chunks(spool),
        media_type="application/xml",
        headers={"Content-Disposition": 'attachment; filename="pux-activities.iati.xml"'},
    )
