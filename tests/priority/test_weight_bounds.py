"""Weights bounded to what they can mean: a component weight of 1e308 was saved, every weighted sum became
infinite and every score "no score", while the countries were still ranked 1, 2, 3..."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.priority import engine, repository, service
from pux.priority.models import PriorityConfigVersion
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World


def _with(change: str, value: float) -> dict[str, Any]:
    data = engine.default_config_data()
    if change == "component":
        data["component_weights"]["burden"] = value
    elif change == "indicator":
        data["areas"]["health"]["capacity"][1]["weight"] = value
    else:
        data["group_points"]["SIDS"] = value
    return data


OUT_OF_BOUNDS = [
    ("component", 1e308, "component_weights.burden", "100"),
    ("component", 100.5, "component_weights.burden", "100"),
    ("indicator", 1e308, "areas.health.capacity", "100"),
    ("group", 2.0, "group_points.SIDS", "1"),
    ("group", -0.5, "group_points.SIDS", "0"),
]


@pytest.mark.parametrize(("change", "value", "field", "bound"), OUT_OF_BOUNDS)
def test_a_weight_out_of_bounds_is_refused_by_the_api_naming_it_and_its_bounds(
    client: TestClient, world: World, change: str, value: float, field: str, bound: str
) -> None:
    before = client.get("/api/v1/priority/config").json()
    refused = client.put(
        "/api/v1/priority/config",
        json={**before, **_with(change, value)},
        headers=bearer(world.tokens["facilitator"]),
    )
    assert refused.status_code == 422, refused.text
    named = [p for p in refused.json()["problems"] if p["field"].startswith(field)]
    assert named and bound in named[0]["message"], refused.text
    assert client.get("/api/v1/priority/config").json() == before  # nothing saved


def test_a_weight_out_of_bounds_is_refused_on_the_form_naming_it_and_its_bounds(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    before = client.get("/api/v1/priority/config").json()
    form = {
        "csrf_token": csrf_token(client, "/priority"),
        "configuration": json.dumps(_with("component", 1e308)),
        "revision": str(before.get("revision")),
    }
    page = client.post("/priority/config", data=form, follow_redirects=False)
    assert page.status_code == 422
    assert "component_weights.burden: must be from 0 to 100" in html.unescape(page.text)
    assert client.get("/api/v1/priority/config").json() == before


def test_the_bounds_leave_the_weights_a_facilitator_means(session: Session, world: World) -> None:
    """At the bounds, and as percentages: both are saved and give the same ranking (only ratios count)."""
    shares = engine.default_config_data()
    service.save_config(session, actor=world.actors["facilitator"], data=shares)
    ranked = [(r.iso3, r.rank) for r in service.ranking(session, area="health")]
    percentages = _with("group", 1.0)
    percentages["component_weights"] = {"burden": 45, "capacity": 30, "assistance": 10, "groups": 15}
    percentages["group_points"] = shares["group_points"]
    service.save_config(session, actor=world.actors["facilitator"], data=percentages)
    assert [(r.iso3, r.rank) for r in service.ranking(session, area="health")] == ranked
    at_the_bounds = _with("group", 1.0)
    at_the_bounds["component_weights"]["burden"] = 100
    service.save_config(session, actor=world.actors["facilitator"], data=at_the_bounds)


def test_a_configuration_saved_before_the_bounds_can_still_be_read_and_replaced(
    client: TestClient, session: Session, world: World
) -> None:
    """Bounds are checked when a configuration is saved, not when it is read: one saved before them is
    still given to the facilitator, who can replace it (refusing to read it refused every priority page)."""
    data = _with("component", 1e308)
    old = PriorityConfigVersion(
        name="old", data=data, created_by_id=None, made_from=repository.latest_config_id(session)
    )
    repository.add(session, old)
    assert client.get("/api/v1/priority/config").json()["component_weights"]["burden"] == 1e308
    service.save_config(session, actor=world.actors["facilitator"], data=engine.default_config_data())
    assert client.get("/priority", params={"area": "health"}).status_code == 200
