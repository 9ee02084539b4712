"""Refuse request bodies larger than the site accepts, before they are read (413)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pux.web.errors import BodyTooLarge, error_page, too_large_message

__all__ = ["BodySizeLimit", "BodyTooLarge"]


class BodySizeLimit:
    """A pure ASGI middleware: a body over the limit is refused with 413 when it announces its length,
    and cut off at the limit when it does not (BodyTooLarge, raised while the route reads the body, is
    answered by the route's own error handling). File uploads (multipart) may be larger than other bodies.

    It sits inside the language and session layers (``app.create_app``): the refusal is the site's own
    page, or the API's JSON error, in the reader's language, saying the limit."""

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
                await _refuse(scope, receive, send, limit)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
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
                await _refuse(scope, receive, send, limit)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    answer = error_page(Request(scope, receive), 413, too_large_message(limit))
    await answer(scope, receive, send)
