"""Request middleware: the active language for each request."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from pux.i18n import DEFAULT_LANGUAGE, choose_language, language_context

LANGUAGE_COOKIE = "pux_lang"


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = part.strip().partition("=")
                if cookie_name == name:
                    return str(cookie_value)
    return None


def request_header(scope: Scope, name: bytes) -> str | None:
    """A request header's value (the first, if sent twice), decoded as HTTP allows: latin-1."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class LanguageMiddleware:
    """Sets the request's language: the cookie (explicit choice), else Accept-Language, else the
    installation's default language (PUX_DEFAULT_LANGUAGE, English unless set).

    A pure ASGI middleware, so the ContextVar it sets is visible to the handler and the templates.
    """

    def __init__(self, app: ASGIApp, default_language: str = DEFAULT_LANGUAGE) -> None:
        self.app = app
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        language = choose_language(
            _cookie(scope, LANGUAGE_COOKIE), request_header(scope, b"accept-language"), self.default_language
        )
        scope.setdefault("state", {})["language"] = language
        with language_context(language):
            await self.app(scope, receive, send)
