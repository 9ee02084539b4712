"""A page of results with its total, so lists can say "41-60 of 300"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pux.kept import KeptResults

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


def page_of_rows(rows: Sequence[Item], request: PageRequest) -> Page[Item]:
    """One page of rows already in memory (a report's table); a page past the end shows the last one."""
    pages = max(1, -(-len(rows) // request.size))
    request = replace(request, number=min(max(request.number, 1), pages))
    return Page(items=rows[request.offset : request.offset + request.size], total=len(rows), request=request)


def count_of(session: Session, statement: Select[Any]) -> int:
    """How many rows ``statement`` returns, counted by the database (none of them loaded)."""
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


# Totals of large lists, by query and the stamp of the data they count (see fetch_page's ``kept_by``).
_TOTALS: KeptResults[int] = KeptResults(500)


def fetch_page(
    session: Session, statement: Select[Any], request: PageRequest, kept_by: tuple[object, ...] | None = None
) -> Page[Any]:
    """One page of an ordered query with the total; a page past the end shows the last page instead.

    A query of one kind of record with an ``id`` is paged on its ids first, and only the page's records
    are then read whole (with the query's loading options): sorting thousands of whole rows (texts,
    joined countries) to keep twenty cost a list page at the mission's scale a quarter of a second.
    ``kept_by``: a stamp that moves whenever what the query counts may have changed; the total is then
    counted once per stamp and query (counting 200,000 activities took PostgreSQL 15-200 ms a page)."""
    entity = _paged_entity(statement)
    counted = statement.order_by(None) if entity is None else statement.with_only_columns(entity.id)
    total = _total(session, counted.order_by(None), kept_by)
    if total and request.offset >= total:
        request = replace(request, number=-(-total // request.size))
    if entity is None:
        items = session.scalars(statement.offset(request.offset).limit(request.size)).unique().all()
        return Page(items=items, total=total, request=request)
    ids = list(dict.fromkeys(session.scalars(counted.offset(request.offset).limit(request.size))))
    found = {item.id: item for item in session.scalars(statement.where(entity.id.in_(ids))).unique()}
    return Page(items=[found[i] for i in ids if i in found], total=total, request=request)


def _total(session: Session, counted: Select[Any], kept_by: tuple[object, ...] | None) -> int:
    def count() -> int:
        return count_of(session, counted)

    if kept_by is None:
        return count()
    compiled = counted.compile(session.get_bind())
    question = (str(compiled), repr(sorted(compiled.params.items())))
    return _TOTALS.get((*kept_by, *question), count)


def _paged_entity(statement: Select[Any]) -> Any:
    """The mapped class a query selects, when it selects exactly one and it has an ``id`` column."""
    described = statement.column_descriptions
    if len(described) != 1:
        return None
    entity = described[0].get("entity")
    if entity is None or described[0].get("expr") is not entity or not hasattr(entity, "id"):
        return None
    return entity
