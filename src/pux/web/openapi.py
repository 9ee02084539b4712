"""The API's own documentation: the bodies it takes, error answers described, and the Swagger UI served
from PUX itself.

The browsable documentation must work on closed networks (and PUX never reaches the network at run
time), so its scripts come from a registry package installed with PUX, not from a CDN.
"""

from __future__ import annotations

import functools
import types
from pathlib import Path
from typing import Annotated, Any, TypeVar

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import CoreSchema

SWAGGER_ASSETS = "/api/docs-assets"
Shape = TypeVar("Shape", bound=BaseModel)


# One class per shape, however many routes take it: two classes of one name would be given long,
# module-qualified names in the description.
@functools.cache
def closed_shape(shape: type[Shape]) -> type[Shape]:
    """``shape`` as the API takes it: the same name, fields and checks, and a field it does not know is
    refused by name (pydantic's ``extra_forbidden``), where the shape itself drops it without a word (a
    misspelt ``estimated_costs`` was answered 201 and the cost was lost). The forms keep the shape itself:
    what they post holds more than its fields (the CSRF token, the button pressed)."""

    def body(namespace: dict[str, Any]) -> None:
        namespace.update(
            __module__=shape.__module__,
            __qualname__=shape.__qualname__,
            __doc__=shape.__doc__,
            model_config=ConfigDict(extra="forbid"),
        )

    return types.new_class(shape.__name__, (shape,), exec_body=body)


class _Closed:
    """The mark of ApiBody: the body is read with ``closed_shape`` of the shape it is written with."""

    def __get_pydantic_core_schema__(
        self, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler.generate_schema(closed_shape(source))


# The JSON body of an API write (``data: ApiBody[NeedCreate]``): the shape, with unknown fields refused
# (422 naming each one) and its description saying so (additionalProperties: false).
ApiBody = Annotated[Shape, _Closed()]


class ProblemRead(BaseModel):
    field: str
    message: str
    row: int | None = None


class ErrorRead(BaseModel):
    """Every refusal of the API: a message in the caller's language, and for bad input each problem."""

    detail: str
    problems: list[ProblemRead] | None = None
    request_id: str | None = Field(
        default=None, description="On a server error: the reference to quote to the operator (its log line's)"
    )


_DESCRIPTIONS = {
    400: "The request body could not be read (for JSON: not valid UTF-8).",
    401: "The bearer token is unknown or revoked.",
    403: "The caller may not do this (the message says why).",
    404: "No such record, or one the caller may not see (the two are not told apart).",
    409: "The record changed since the caller read it, or the move is not allowed in its status.",
    413: "The request body is larger than this server accepts.",
    422: "The input was refused; every problem names its field (and row, for files).",
    429: "Too many attempts; try again later.",
    503: "The service is busy; nothing was saved; try again.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route can give, for its OpenAPI description."""
    return {status: {"model": ErrorRead, "description": _DESCRIPTIONS[status]} for status in statuses}


def install_docs(app: FastAPI) -> None:
    """Serve the Swagger UI at /api/docs with its assets from the swagger-ui-bundle package."""
    assets = Path(swagger_ui_bundle.swagger_ui_path)
    app.mount(SWAGGER_ASSETS, StaticFiles(directory=assets), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="PUX API",
            swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
        )
        # Swagger UI speaks English only: say so, for screen readers and translation tools.
        return HTMLResponse(bytes(page.body).replace(b"<html>", b'<html lang="en">', 1))
