"""The one page envelope of every JSON list: its items, the total and where the page is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from pux.pagination import Page

Item = TypeVar("Item", bound=BaseModel)


class ListPage(BaseModel, Generic[Item]):
    """A page of a list: ``total`` counts only what the caller may see."""

    total: int
    page: int
    page_size: int
    items: list[Item]

    @classmethod
    def of(cls, result: Page[Any], read: Callable[[Any], Item]) -> ListPage[Item]:
        return cls(
            total=result.total,
            page=result.request.number,
            page_size=result.request.size,
            items=[read(record) for record in result.items],
        )
