"""A page of results with its total, so lists can say "41-60 of 300"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

Item = TypeVar("Item")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
# Far beyond any real list, and small enough that an offset never overflows a database integer.
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class PageRequest:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (max(self.number, 1) - 1) * self.size


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: Sequence[Item]
    total: int
    request: PageRequest

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))

    @property
    def first_index(self) -> int:
        return self.request.offset + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return self.request.offset + len(self.items)


def fetch_page(session: Session, statement: Select[Any], request: PageRequest) -> Page[Any]:
    """One page of an ordered query with the total; a page past the end shows the last page instead."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    if total and request.offset >= total:
        request = replace(request, number=-(-total // request.size))
    items = session.scalars(statement.offset(request.offset).limit(request.size)).unique().all()
    return Page(items=items, total=total, request=request)
