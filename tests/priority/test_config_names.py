"""A priority configuration may only name what PUX knows (indicator codes of the catalogue, the World
Bank's income groups, the LDC / LLDC / SIDS groups), and its worse_when reads as the catalogue's."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.priority import engine, service
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World


def _changed(change: str) -> dict[str, Any]:
    data = engine.default_config_data()
    if change == "indicator":
        data["areas"]["health"]["burden"][0]["code"] = "SH.DYN.MORTT"
    elif change == "income group":
        data["excluded_income_groups"] = ["HI"]
    else:
        data["group_points"]["SID"] = 0.5
    return data


NAMED = {
    "indicator": ("areas.health.burden[0].code", "SH.DYN.MORTT"),
    "income group": ("excluded_income_groups", "HI"),
    "group": ("group_points.SID", "SID"),
}


@pytest.mark.parametrize("change", list(NAMED))
def test_a_name_pux_does_not_know_is_refused_by_the_api_naming_it(
    client: TestClient, world: World, change: str
) -> None:
    before = client.get("/api/v1/priority/config").json()
    refused = client.put(
        "/api/v1/priority/config", json=_changed(change), headers=bearer(world.tokens["facilitator"])
    )
    assert refused.status_code == 422
    path, value = NAMED[change]
    assert path in refused.text and value in refused.text.replace(path, "")
    assert client.get("/api/v1/priority/config").json() == before  # nothing saved


@pytest.mark.parametrize("change", list(NAMED))
def test_a_name_pux_does_not_know_is_refused_on_the_form_naming_it(
    client: TestClient, world: World, change: str
) -> None:
    sign_in(client, world.emails["facilitator"])
    before = client.get("/api/v1/priority/config").json()
    page = client.post(
        "/priority/config",
        data={"csrf_token": csrf_token(client, "/priority"), "configuration": json.dumps(_changed(change))},
        follow_redirects=False,
    )
    assert page.status_code == 422
    text = html.unescape(page.text)
    path, value = NAMED[change]
    assert "Nothing was saved" in text
    assert f"{path}: PUX knows no" in text or f"{path}: PUX has no" in text
    assert value in text.split(f"{path}: ", 1)[1][:80]
    assert client.get("/api/v1/priority/config").json() == before


def test_worse_when_on_a_capacity_indicator_means_what_the_catalogue_says(
    session: Session, world: World
) -> None:
    """GNI per capita is "worse when lower" in the catalogue: saying so in the configuration changes
    nothing (it used to reverse the capacity ranking: rich countries became the most pressing)."""
    shipped = [(r.iso3, r.rank) for r in service.ranking(session, area="health")]
    data = engine.default_config_data()
    for rule in data["areas"]["health"]["capacity"]:
        if rule["code"] == "NY.GNP.PCAP.CD":
            rule["worse_when"] = "lower"
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    assert [(r.iso3, r.rank) for r in service.ranking(session, area="health")] == shipped


def test_a_rule_without_worse_when_reads_the_catalogues_direction(session: Session, world: World) -> None:
    """Access to electricity is "worse when lower" in the catalogue: a rule that leaves the direction out
    reads it so (it was read "higher", the burden's usual direction, and the ranking reversed)."""
    shipped = [(r.iso3, r.rank) for r in service.ranking(session, area="energy")]
    data = engine.default_config_data()
    for rule in data["areas"]["energy"]["burden"]:
        del rule["worse_when"]
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    assert [(r.iso3, r.rank) for r in service.ranking(session, area="energy")] == shipped
