"""Brief pages and their PDF: /countries/KEN/brief, /regions/014/brief, /organisations/7/brief (+ .pdf)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.briefs import service
from pux.briefs import vocabulary as v
from pux.briefs.content import Brief, Figure
from pux.i18n import get_language, text_direction
from pux.web.deps import SessionDep
from pux.web.forms import RecordPath
from pux.web.routing import page_router
from pux.web.security import PageActor
from pux.web.templating import build_templates, render

router = page_router()

ADDRESSES = {
    v.COUNTRY: "/countries/{key}/brief",
    v.REGION: "/regions/{key}/brief",
    v.ORGANISATION: "/organisations/{key}/brief",
}


def brief_address(kind: str, key: str) -> str:
    return ADDRESSES[kind].format(key=key)


def pdf_filename(kind: str, key: str, made_on: date) -> str:
    """A name that says what the file is: pux-country-brief-KEN-fr-2026-12-01.pdf."""
    return f"pux-{kind}-brief-{key}-{get_language()}-{made_on.isoformat()}.pdf"


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string (for the page footer of the PDF): quotes, backslashes and tags escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{escaped}"')


def _context(brief: Brief) -> dict[str, Any]:
    def source_number(figure: Figure) -> int:
        return brief.sources.index(figure.source) + 1 if figure.source in brief.sources else 0

    return {
        "brief": brief,
        "source_number": source_number,
        "kind_country": v.COUNTRY,
        "kind_region": v.REGION,
        "kind_organisation": v.ORGANISATION,
        "pdf_address": brief_address(brief.heading.kind, brief.heading.key) + ".pdf",
        "css_string": css_string,
    }


@lru_cache(maxsize=1)
def _print_templates() -> Jinja2Templates:
    """The same templates, filters and translations as the pages, for documents made outside a request."""
    return build_templates()


def printable_html(brief: Brief) -> str:
    """The complete, self-contained HTML document that the PDF is made from (its style sheet inside)."""
    template = _print_templates().env.get_template("briefs/print.html")
    return template.render({**_context(brief), "direction": text_direction()})


def _page(request: Request, session: Session, actor: Actor, kind: str, key: str) -> HTMLResponse:
    brief = service.cached_brief(session, actor=actor, kind=kind, key=key)
    return render(request, "briefs/page.html", _context(brief))


def _pdf(session: Session, actor: Actor, kind: str, key: str) -> Response:
    rendered = service.pdf_brief(session, actor=actor, kind=kind, key=key, printable=printable_html)
    filename = pdf_filename(kind, key, rendered.stamp.made_on)
    return Response(
        rendered.content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-PUX-Data-Version": rendered.stamp.data_version,
            # The brief depends on who reads it: no shared cache may keep it.
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/countries/{iso3}/brief", response_class=HTMLResponse)
def country_brief_page(request: Request, session: SessionDep, actor: PageActor, iso3: str) -> HTMLResponse:
    return _page(request, session, actor, v.COUNTRY, iso3.upper())


@router.get("/countries/{iso3}/brief.pdf")
def country_brief_pdf(session: SessionDep, actor: PageActor, iso3: str) -> Response:
    return _pdf(session, actor, v.COUNTRY, iso3.upper())


@router.get("/regions/{m49}/brief", response_class=HTMLResponse)
def region_brief_page(request: Request, session: SessionDep, actor: PageActor, m49: str) -> HTMLResponse:
    return _page(request, session, actor, v.REGION, m49)


@router.get("/regions/{m49}/brief.pdf")
def region_brief_pdf(session: SessionDep, actor: PageActor, m49: str) -> Response:
    return _pdf(session, actor, v.REGION, m49)


@router.get("/organisations/{organisation_id}/brief", response_class=HTMLResponse)
def organisation_brief_page(
    request: Request, session: SessionDep, actor: PageActor, organisation_id: RecordPath
) -> HTMLResponse:
    return _page(request, session, actor, v.ORGANISATION, str(organisation_id))


@router.get("/organisations/{organisation_id}/brief.pdf")
def organisation_brief_pdf(session: SessionDep, actor: PageActor, organisation_id: RecordPath) -> Response:
    return _pdf(session, actor, v.ORGANISATION, str(organisation_id))
