"""The same money reported twice through IATI (a funder's commitment and its implementer's report of the
funds received, linked by provider-activity-id) is added once in every sum a reader sees: the gap, the
world map, who does what where (and its export), the country brief."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.briefs import service as briefs
from pux.gaps import service
from pux.gaps.schemas import WhoFilter
from pux.interop.iati import repository as iati_repository
from tests.world import World, activity_data

MONEY = Decimal("200000")


def _funder_and_implementer(session: Session, world: World, *, funder_visibility: str = "public") -> None:
    """Madagascar health: a funder's 200,000 USD and the implementer's report of the same money, linked as
    the IATI import links them."""
    common = {"recipient_country_iso3": "MDG", "amount_committed": MONEY}
    funder = assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], title="Radiotherapy services (funder)",
                           visibility=funder_visibility, **common),
    )  # fmt: skip
    implementer = assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], title="Radiotherapy services (implementer)",
                           amount_disbursed=MONEY, **common),
    )  # fmt: skip
    iati_repository.set_counted_in(session, [(implementer.id, funder.id)])
    session.flush()


@pytest.mark.parametrize("role", ["public", "admin"])
def test_a_funder_and_its_implementer_add_their_money_once(
    session: Session, world: World, client: TestClient, role: str
) -> None:
    _funder_and_implementer(session, world)
    actor = world.actors[role]

    if role == "public":
        gaps = client.get("/api/v1/gaps/countries/MDG").json()["gaps"]
        health = next(line for line in gaps if line["thematic_area"] == "health")
        assert health["covered"]["value"] == 200_000
        assert health["activities_count"] == 2  # both are still counted as activities
    gap = next(
        line.gap for line in service.country_gaps(session, actor=actor, iso3="MDG").lines
        if line.gap.area == "health"
    )  # fmt: skip
    assert (gap.covered.value, gap.activities_count, gap.activities_without_amount) == (200_000, 2, 0)

    assert service.map_figures(session, actor=actor, indicator="assistance").values["MDG"] == 200_000

    who = service.who_does_what_where(session, actor=actor, filters=WhoFilter(country_iso3="MDG"))
    assert [(row.activities, row.committed, row.disbursed) for row in who.rows] == [(2, 200_000, 0)]
    assert who.committed_by_currency == {"USD": 200_000}
    exported = service.export_who(session, actor=actor, filters=WhoFilter(country_iso3="MDG"))
    assert b",2,USD,200000,0," in exported

    brief = briefs.country_brief(session, actor=actor, iso3="MDG")
    assert [(figure.value, figure.unit) for figure in brief.assistance_total] == [(200_000, "USD")]


def test_an_implementers_report_counts_when_the_reader_may_not_see_its_funder(
    session: Session, world: World
) -> None:
    """Leaving the implementer's money out because of a private record would let that record change what
    the public sees: the public's sum holds the money once, from the only report it may see."""
    _funder_and_implementer(session, world, funder_visibility="private")
    for role in ("public", "admin"):
        gap = next(
            line.gap for line in service.country_gaps(session, actor=world.actors[role], iso3="MDG").lines
            if line.gap.area == "health"
        )  # fmt: skip
        assert gap.covered.value == 200_000, role
