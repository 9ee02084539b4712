"""A page of results with its total, so lists can say "41-60 of 300"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


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
