"""Pages of a list: the records of each page are those of the whole ordered list at that place (paging on
ids first, then reading the page's records, keeps the order and the loading options of the query)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.repository import ActivityFilter
from pux.assistance.schemas import ActivityRead, ActivityUpdate
from pux.needs.models import Need
from pux.pagination import PageRequest, fetch_page
from pux.reference.models import Country
from tests.world import World, activity_data

ORDERINGS = {
    "by country then rank": (Need.country_iso3, Need.national_rank.is_(None), Need.national_rank, Need.id),
    "newest first": (Need.updated_at.desc(), Need.id.desc()),
}


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("size", [1, 2, 3])
def test_every_page_holds_its_slice_of_the_ordered_list(
    session: Session, world: World, ordering: str, size: int
) -> None:
    statement = select(Need).order_by(*ORDERINGS[ordering])
    everything = list(session.scalars(statement).unique())
    assert len(everything) > size  # two pages at least
    pages = -(-len(everything) // size)
    for number in range(1, pages + 1):
        page = fetch_page(session, statement, PageRequest(number=number, size=size))
        assert page.total == len(everything)
        assert [need.id for need in page.items] == [
            need.id for need in everything[(number - 1) * size : number * size]
        ]
    past_the_end = fetch_page(session, statement, PageRequest(number=pages + 5, size=size))
    assert past_the_end.request.number == pages
    assert [n.id for n in past_the_end.items] == [n.id for n in everything[(pages - 1) * size :]]


def test_a_query_of_something_else_than_one_record_kind_is_paged_as_it_is(
    session: Session, world: World
) -> None:
    statement = select(Country.iso3, Country.name_en).order_by(Country.iso3)
    page = fetch_page(session, statement, PageRequest(number=2, size=3))
    codes = list(session.scalars(select(Country.iso3).order_by(Country.iso3)))
    assert list(page.items) == codes[3:6] and page.total == len(codes)


def test_a_kept_total_follows_every_added_or_hidden_activity(session: Session, world: World) -> None:
    """The activities list keeps its total between changes; the next page read after one counts again."""
    public, partner = world.actors["public"], world.actors["partner_a"]

    def total() -> int:
        return assistance.list_activities(
            session, actor=public, filters=ActivityFilter(), page=PageRequest()
        ).total

    before = total()
    assert total() == before  # kept
    added = assistance.record_activity(
        session, actor=partner, data=activity_data(world.organisations["donor_a"], title="Isotope hydrology")
    )
    assert total() == before + 1
    hidden = ActivityUpdate.model_validate(
        {**ActivityRead.model_validate(added).model_dump(), "visibility": "private", "version": added.version}
    )
    assistance.update_activity(session, actor=partner, activity_id=added.id, data=hidden)
    assert total() == before
