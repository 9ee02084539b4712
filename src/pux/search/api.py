"""JSON route of search (GET /api/v1/search), and the query parameters its page shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from pux.search import service
from pux.search.repository import SearchFilter
from pux.search.schemas import SearchRead
from pux.search.sources import SOURCES
from pux.web.deps import Locale, SessionDep
from pux.web.filters import ApiPage, country_code, sdg_code
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("search")
Code = Annotated[str | None, Query(max_length=40)]
SearchWords = Annotated[str, Query(max_length=service.MAX_QUERY_CHARS)]


def search_filters(
    kind: Annotated[list[str] | None, Query(max_length=20)] = None,
    country: Code = None,
    area: Code = None,
    technique: Code = None,
    sdg: Code = None,
) -> SearchFilter:
    """The facets chosen; an unknown kind is ignored, an SDG that cannot be is refused."""
    goal = sdg_code(sdg)
    return SearchFilter(
        kinds=tuple(k for k in (kind or []) if k in SOURCES),
        country_iso3=country_code(country),
        area_code=(area or "").strip() or None,
        technique_code=(technique or "").strip() or None,
        sdg_goal=goal.split(".")[0] if goal else None,
    )


SearchFilters = Annotated[SearchFilter, Depends(search_filters)]


@router.get("/search", response_model=SearchRead, responses=error_responses(401, 422))
def search(
    session: SessionDep,
    actor: ApiActor,
    language: Locale,
    filters: SearchFilters,
    page: ApiPage,
    q: SearchWords = "",
    lang: Annotated[str | None, Query(pattern="^(en|fr|es|ar|zh|ru)$")] = None,
) -> SearchRead:
    """Needs, programmes, activities, events, countries and techniques the caller may see, by words and
    meaning in any of the six languages; with counts per kind and facets."""
    results = service.search(
        session, actor=actor, query=q, language=lang or language, filters=filters, page=page
    )
    return SearchRead.of(results)
