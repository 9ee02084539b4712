"""Shapes of search answers in the JSON API."""

from __future__ import annotations

from pydantic import BaseModel

from pux.search.service import SearchResults


class SearchHitRead(BaseModel):
    kind: str
    key: str
    title: str
    url: str
    language: str
    snippet_html: str  # escaped text with <mark> around the matching words


class FacetValueRead(BaseModel):
    value: str
    label: str
    count: int


class SearchRead(BaseModel):
    query: str
    language: str
    total: int
    page: int
    pages: int
    size: int
    items: list[SearchHitRead]
    facets: dict[str, list[FacetValueRead]]
    capped: bool  # the caps on word and meaning hits left matches out of items, total and facets

    @classmethod
    def of(cls, results: SearchResults) -> SearchRead:
        return cls(
            query=results.query,
            language=results.language,
            total=results.total,
            page=results.page.number,
            pages=results.pages,
            size=results.page.size,
            items=[
                SearchHitRead(
                    kind=hit.kind,
                    key=hit.key,
                    title=hit.title,
                    url=hit.url,
                    language=hit.language,
                    snippet_html=hit.snippet_html,
                )
                for hit in results.hits
            ],
            facets={
                facet: [FacetValueRead(value=v.value, label=v.label, count=v.count) for v in values]
                for facet, values in results.facets.items()
            },
            capped=results.capped,
        )
