"""The gap world map adds up a country's known uncovered costs: an area whose cost is not known (assistance
without an endorsed need) makes the total partial, and says so, instead of wiping it out as "no data"."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from tests.world import World, activity_data


def _assistance_without_a_need(session: Session, world: World, country: str) -> None:
    assistance.record_activity(
        session, actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], title="Seed irradiation trials",
                           recipient_country_iso3=country, thematic_area_code="food",
                           technique_code=None),
    )  # fmt: skip
    session.flush()


def test_a_country_with_an_area_of_unknown_cost_keeps_its_known_gap_on_the_map(
    session: Session, world: World, client: TestClient
) -> None:
    _assistance_without_a_need(session, world, "KEN")  # Kenya: food has assistance but no endorsed need
    _assistance_without_a_need(session, world, "TZA")  # Tanzania: nothing but that

    table = client.get("/api/v1/gaps/countries/KEN").json()["gaps"]
    known = [line["uncovered"]["value"] for line in table if line["uncovered"]["value"] is not None]
    assert known and any(line["uncovered"]["value"] is None for line in table)

    gap_map = client.get("/api/v1/map/gap").json()
    assert gap_map["values"]["KEN"] == sum(known) == 950_000  # the public need less donor A's activity
    assert "KEN" in gap_map["partial"]
    assert gap_map["values"].get("TZA") is None and "TZA" not in gap_map["partial"]

    page = client.get("/map", params={"indicator": "gap"}).text
    assert "Kenya: no data" not in page
    assert "Partial totals" in page and "Kenya" in page.split("Partial totals", 1)[1][:600]
    assert "Uncovered cost (partial for some countries)" in page
