"""The API describes the priority configuration it reads and writes: request and response were free-form
objects in its description, so a client learnt the shape, and its bounds, only from refusals."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from pux.priority import engine
from tests.web_helpers import bearer
from tests.world import World

CONFIG = "/api/v1/priority/config"


def _schema(description: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = description["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_the_api_describes_the_configuration_it_reads_and_writes(client: TestClient) -> None:
    description = client.get("/api/v1/openapi.json").json()
    put = description["paths"][CONFIG]["put"]
    body = _schema(description, put["requestBody"]["content"]["application/json"]["schema"])
    assert {"component_weights", "areas"} <= set(body["required"])
    assert body["additionalProperties"] is False
    weights = _schema(description, body["properties"]["component_weights"])
    assert set(weights["properties"]) == set(engine.COMPONENTS)
    assert weights["properties"]["burden"]["minimum"] == 0
    assert weights["properties"]["burden"]["maximum"] == engine.MAX_WEIGHT
    areas = body["properties"]["areas"]["additionalProperties"]
    rule = _schema(description, _schema(description, areas)["properties"]["burden"]["items"])
    assert rule["properties"]["weight"]["maximum"] == engine.MAX_WEIGHT and "code" in rule["required"]
    for route in (put, description["paths"][CONFIG]["get"]):
        answered = _schema(description, route["responses"]["200"]["content"]["application/json"]["schema"])
        assert {"component_weights", "areas", "name"} <= set(answered["properties"])


def test_a_configuration_read_is_saved_back_as_sent(client: TestClient, world: World) -> None:
    read = client.get(CONFIG).json()
    sent = {**read, "explanation": "Burden first."}
    saved = client.put(CONFIG, json=sent, headers=bearer(world.tokens["facilitator"]))
    assert saved.status_code == 200, saved.text
    assert _document(saved.json()) == _document(sent) == _document(client.get(CONFIG).json())


def _document(answer: dict[str, Any]) -> dict[str, Any]:
    """The configuration itself, without the revision it was read at or saved as."""
    return {key: value for key, value in answer.items() if key != "revision"}


def test_a_part_of_the_wrong_shape_is_refused_naming_it(client: TestClient, world: World) -> None:
    before = client.get(CONFIG).json()
    wrong = {**before, "areas": {"health": {"burden": [{"code": "SH.DYN.MORT", "weight": "heavy"}]}}}
    refused = client.put(CONFIG, json=wrong, headers=bearer(world.tokens["facilitator"]))
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["areas.health.burden.0.weight"]
    assert client.get(CONFIG).json() == before
