"""Security headers on every answer: no scripts but PUX's own files, no framing, no type sniffing, and in
production mode HTTPS only (Strict-Transport-Security)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages run no inline script (htmx comes from /static); the bar widths of the priority page are inline
# styles. The API documentation page (Swagger UI) starts itself with an inline script.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
DOCS_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
# Production is served over HTTPS (its session cookie is Secure): browsers are told to use nothing else for a
# year. Never in development, served over plain http, where it would lock browsers out of the host.
STRICT_TRANSPORT = "max-age=31536000; includeSubDomains"


def is_production(scope: Scope) -> bool:
    """Whether the app answering runs in production mode (its settings, as create_app keeps them)."""
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return getattr(settings, "mode", None) == "production"


class SecurityHeaders:
    """A pure ASGI middleware adding the headers to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope.get("path") == "/api/docs" else PAGE_POLICY
        production = is_production(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if production:
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
            await send(message)

        await self.app(scope, receive, with_headers)
