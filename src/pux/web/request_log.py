"""One log line per request: request id, who (user id), route, status and duration. The id comes from
the caller's X-Request-ID when it is a sane value (a proxy's), else a new one, and is sent back."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pux.web.middleware import request_header

log = logging.getLogger("pux.request")
REQUEST_ID_HEADER = b"x-request-id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


def request_id_of(scope: Scope) -> str | None:
    """The id this request's log line names, once RequestLog has given it one."""
    state = scope.get("state") or {}
    found = state.get("request_id")
    return str(found) if found is not None else None


def _incoming_id(scope: Scope) -> str | None:
    text = request_header(scope, REQUEST_ID_HEADER)
    return text if text is not None and _SANE_ID.match(text) else None


class RequestLog:
    """Pure ASGI, outermost: it sees the final status, even of errors answered by inner layers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info("request", extra=_fields(scope, request_id, status, started))


def _fields(scope: Scope, request_id: str, status: int, started: float) -> dict[str, Any]:
    route = scope.get("route")
    actor = scope.get("state", {}).get("actor")
    return {
        "request_id": request_id,
        "user_id": getattr(actor, "user_id", None),
        "method": scope.get("method"),
        # The route's pattern (/needs/{need_id}), not the path: lines group by route, ids stay out.
        "route": getattr(route, "path", None) or "(no route)",
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
