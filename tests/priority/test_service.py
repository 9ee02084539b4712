"""The priority index on the real reference data."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import PermissionDenied
from pux.assistance import service as assistance
from pux.errors import ValidationFailed
from pux.i18n import language_context
from pux.priority import engine, service
from pux.priority.engine import PriorityResult
from pux.web.middleware import LANGUAGE_COOKIE
from tests.web_helpers import bearer
from tests.world import World, activity_data


def test_health_ranking_excludes_high_income_and_carries_sources(session: Session) -> None:
    results = service.ranking(session, area="health")
    iso3 = {r.iso3 for r in results}
    assert "KEN" in iso3 and "CHE" not in iso3 and "USA" not in iso3
    top = results[0]
    assert top.rank == 1 and top.score is not None
    for component in top.components:
        for part in component.parts:
            if part.observation is not None:
                assert part.observation.year >= 2015 and part.observation.source


def test_facilitator_can_replace_the_configuration_and_others_cannot(session: Session, world: World) -> None:
    data = engine.default_config_data()
    data["component_weights"] = {"burden": 1.0, "capacity": 0.0, "assistance": 0.0, "groups": 0.0}
    with pytest.raises(PermissionDenied):
        service.save_config(session, actor=world.actors["focal_ken"], data=data)
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    config, saved = service.active_config(session)
    assert config.component_weights["capacity"] == 0.0 and saved == data
    with pytest.raises(ValidationFailed):
        service.save_config(session, actor=world.actors["facilitator"], data={"areas": {}})


def test_api_and_pages(client: TestClient, world: World) -> None:
    ranking = client.get("/api/v1/priority", params={"area": "food"}).json()
    assert ranking[0]["rank"] == 1 and ranking[0]["components"][0]["name"] == "burden"
    kenya = client.get("/api/v1/priority/countries/KEN").json()
    assert {r["area"] for r in kenya} == {"health", "food", "water", "energy", "industry", "safety"}
    page = client.get("/priority", params={"area": "water"})
    assert page.status_code == 200 and 'href="/countries/' in page.text
    assert "Priority position" in client.get("/countries/KEN").text
    refused = client.put(
        "/api/v1/priority/config", json=engine.default_config_data(), headers=bearer(world.tokens["expert"])
    )
    assert refused.status_code == 403


def test_the_method_and_configuration_errors_speak_the_reader_s_language(
    client: TestClient, session: Session, world: World
) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.get("/priority", params={"area": "health"})
    assert "Score de 0 à 100 par pays bénéficiaire" in page.text
    assert "Score 0-100 per recipient country" not in page.text
    data = engine.default_config_data()
    data["component_weights"] = {"burden": 0.0, "capacity": 0.0, "assistance": 0.0, "groups": 0.0}
    with language_context("fr"), pytest.raises(ValidationFailed) as refused:
        service.save_config(session, actor=world.actors["facilitator"], data=data)
    assert "pas tous nuls" in refused.value.problems[0].message


def test_a_facilitator_s_own_explanation_is_shown_as_written(
    client: TestClient, session: Session, world: World
) -> None:
    data = engine.default_config_data()
    data["explanation"] = "Our round weighs burden only."
    assert engine.method_explanation(engine.parse_config(data)) == "Our round weighs burden only."
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    client.cookies.set(LANGUAGE_COOKIE, "fr")
    page = client.get("/priority", params={"area": "health"}).text
    assert "Our round weighs burden only." in page and "Score de 0 à 100" not in page


def test_the_kept_index_follows_a_new_configuration_and_new_assistance(
    session: Session, world: World
) -> None:
    # The index is kept between pages; a saved configuration or a recorded activity must show at once.
    # (Read as an administrator, who sees every activity of the world, Uganda's private one included.)
    def kenya() -> PriorityResult:
        ranked = service.ranking(session, area="health", actor=world.actors["admin"])
        return next(r for r in ranked if r.iso3 == "KEN")

    before = kenya()
    recorded = assistance.record_activity(
        session,
        actor=world.actors["admin"],
        data=activity_data(world.organisations["donor_a"], amount_committed=Decimal("900000000")),
    )
    assert recorded.id
    helped = kenya()
    assert helped.components[2].name == "assistance"
    # Far more assistance per person already flowing: the assistance component is less pressing.
    assert (helped.components[2].pressing or 0) < (before.components[2].pressing or 0)
    data = engine.default_config_data()
    data["component_weights"] = {"burden": 1.0, "capacity": 0.0, "assistance": 0.0, "groups": 0.0}
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    burden_only = kenya()
    assert burden_only.score == pytest.approx(100 * (burden_only.components[0].pressing or 0))


def test_a_country_s_positions_are_its_places_in_the_rankings_and_follow_a_new_configuration(
    session: Session, world: World
) -> None:
    def positions() -> dict[str, tuple[PriorityResult, int]]:
        return {
            result.area: (result, ranked) for result, ranked in service.country_positions(session, iso3="KEN")
        }

    config, _data = service.active_config(session)
    for area, (result, ranked) in positions().items():
        # The index computed here, not the kept one that country_positions reads.
        ranking = engine.compute(service.country_inputs(session), config, area)
        assert result == next(r for r in ranking if r.iso3 == "KEN")
        assert ranked == sum(1 for r in ranking if r.rank is not None)
    data = engine.default_config_data()
    data["component_weights"] = {"burden": 1.0, "capacity": 0.0, "assistance": 0.0, "groups": 0.0}
    service.save_config(session, actor=world.actors["facilitator"], data=data)
    health, _ranked = positions()["health"]
    assert health.score == pytest.approx(100 * (health.components[0].pressing or 0))


def _with(change: dict[str, object]) -> dict[str, object]:
    return {**engine.default_config_data(), **change}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (_with({"group_points": {"ldc": "abc"}}), "group_points"),
        (_with({"group_points": [1, 2]}), "group_points"),
        (_with({"excluded_income_groups": 5}), "excluded_income_groups"),
        (_with({"version": "x"}), "version"),
        (
            _with({"areas": {"health": {"burden": [{"code": "SH.X", "weight": "heavy"}]}}}),
            "areas.health.burden",
        ),
        (_with({"areas": {"health": {"burden": 7}}}), "areas.health.burden"),
        # A misspelt key was ignored without a word, its weight or rule lost: each is named.
        (_with({"groop_points": {"ldc": 10}}), "groop_points"),
        (_with({"areas": {"health": {"burdn": []}}}), "areas.health.burdn"),
        (
            _with({"areas": {"health": {"burden": [{"code": "SH.X", "weight": 1, "worse": "lower"}]}}}),
            "areas.health.burden.0.worse",
        ),
    ],
)
def test_a_configuration_sent_to_the_api_that_cannot_be_used_is_refused_naming_its_part(
    client: TestClient, world: World, body: dict[str, object], named: str
) -> None:
    before = client.get("/api/v1/priority/config").json()
    refused = client.put("/api/v1/priority/config", json=body, headers=bearer(world.tokens["facilitator"]))
    assert refused.status_code == 422
    assert named in refused.text
    assert client.get("/api/v1/priority/config").json() == before  # nothing saved


def test_weights_that_are_not_numbers_in_json_are_refused(client: TestClient, world: World) -> None:
    """Python's JSON reader takes NaN and Infinity; a weight of NaN was saved and every country brief
    then failed on its priority line."""
    text = json.dumps(engine.default_config_data())
    for weird in ("NaN", "Infinity", "-Infinity"):
        for body in (
            text.replace('"burden": 0.45', f'"burden": {weird}', 1),
            text.replace('"weight": 1.0', f'"weight": {weird}', 1),
        ):
            assert body != text
            refused = client.put(
                "/api/v1/priority/config",
                content=body,
                headers={**bearer(world.tokens["facilitator"]), "content-type": "application/json"},
            )
            assert refused.status_code == 422, (weird, refused.text)
    assert client.get("/countries/KEN/brief").status_code == 200


def test_group_points_that_are_not_finite_are_refused() -> None:
    with pytest.raises(engine.ConfigError, match="group_points"):
        engine.parse_config(_with({"group_points": {"LDC": float("nan")}}))


def test_every_score_shown_carries_the_years_and_sources_of_its_data(client: TestClient) -> None:
    """A score without its years and sources is a figure without a source: the ranking and the country
    page showed scores and ranks alone."""
    for path in ("/priority?area=health", "/countries/KEN"):
        page = client.get(path)
        assert page.status_code == 200
        rows = re.findall(r"<tr>(.*?)</tr>", page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)
        assert rows, path
        for row in rows:
            last = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]
            assert re.fullmatch(r"\d{4}(–\d{4})?", last.strip()) or "no data" in last, (path, last)
        assert re.search(r"Source: PUX priority index, computed from \w[^;]+; the years", page.text), path
    # On a phone the country's table becomes cards with labelled cells (its sixth column was cut off).
    assert 'data-label="Years of the data"' in client.get("/countries/KEN").text
