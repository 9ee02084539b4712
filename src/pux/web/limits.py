"""Refuse request bodies larger than the site accepts, before they are read (413)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pux.i18n import gettext as _


class BodyTooLarge(HTTPException):
    """Raised while the body is read: an HTTP error, so the route's own error handling answers 413."""

    def __init__(self) -> None:
        super().__init__(413)


class BodySizeLimit:
    """A pure ASGI middleware: a body over the limit is refused with 413 when it announces its length,
    and cut off at the limit when it does not. File uploads (multipart) may be larger than other bodies."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def _limit(self, scope: Scope) -> int:
        for key, value in scope.get("headers", []):
            if key == b"content-type" and value.startswith(b"multipart/form-data"):
                return self.max_upload
        return self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        for key, value in scope.get("headers", []):
            if key == b"content-length" and value.isdigit() and int(value) > limit:
                await _refuse(scope, send)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, send)


async def _refuse(scope: Scope, send: Send) -> None:
    path = str(scope.get("path", ""))
    if path.startswith("/api/"):
        import json

        body = json.dumps({"detail": _("What was sent is larger than this site accepts.")}).encode()
        content_type = b"application/json"
    else:
        body = _("What was sent is larger than this site accepts.").encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
