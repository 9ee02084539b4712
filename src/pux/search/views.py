"""The search page (/search): works without JavaScript; the header of every page has its box."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from pux.pagination import PageRequest
from pux.search import service
from pux.search.api import SearchFilters, SearchWords
from pux.web.deps import Locale, SessionDep
from pux.web.filters import PageNumber
from pux.web.routing import page_router
from pux.web.security import PageActor
from pux.web.templating import render

router = page_router()


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    language: Locale,
    filters: SearchFilters,
    page: PageNumber,
    q: SearchWords = "",
) -> HTMLResponse:
    results = service.search(
        session, actor=actor, query=q, language=language, filters=filters, page=PageRequest(page.number, 20)
    )
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "page" and value]
    return render(
        request,
        "search/results.html",
        {
            "results": results,
            "q": results.query,
            "filters": filters,
            "facet_label": service.facet_label,
            # Snippets are escaped by the search engine before <mark> is added around matches.
            "safe_html": Markup,
            "query_string": urlencode(kept),
            "facet_link": lambda facet, value: _facet_link(kept, facet, value),
        },
    )


def _facet_link(kept: list[tuple[str, str]], facet: str, value: str) -> str:
    """The search with ``facet`` set to ``value`` (or cleared when it already is)."""
    name = facet
    chosen = (name, value) in kept
    others = [(n, v) for n, v in kept if n != name]
    return "/search?" + urlencode(others if chosen else [*others, (name, value)])
