"""A field the API does not know is refused by name, and nothing is saved.

The API dropped such fields without a word: a client that misspelt ``estimated_cost`` as ``estimated_costs``
on POST /api/v1/needs got 201, and its figure was lost. The HTML forms read the same shapes and keep doing
so: what a browser posts holds more than the fields (the CSRF token, the button pressed), see
tests/web/test_forms.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.dialogues.models import DialogueEvent
from pux.gaps.models import NeedInterest
from pux.knowledge.models import EvidenceEntry
from pux.matching.models import AllocationRound
from pux.needs.models import Need
from pux.programmes.models import Programme
from tests.web.test_forms import count
from tests.web_helpers import bearer
from tests.world import World, activity_data, event_json, need_data, programme_data

# Write routes whose JSON body is not a shape of named fields, each with the reason.
NOT_A_SHAPE_OF_FIELDS: dict[str, str] = {}


def _problem_fields(answer: Any) -> list[str]:
    assert answer.status_code == 422, (answer.status_code, answer.text[:500])
    return [problem["field"] for problem in answer.json()["problems"]]


@dataclass(frozen=True)
class Create:
    """A write that makes a record: who writes it, where, a body the route takes, the field misspelt in it
    (as a client would) and its misspelling, and the records it would have made."""

    role: str
    path: str
    body: Callable[[World], dict[str, Any]]
    misspelt: tuple[str, str]
    made: type


# One per family of write routes.
CREATES = {
    "needs": Create(
        "counterpart_ken",
        "/api/v1/needs",
        lambda world: need_data().model_dump(mode="json"),
        ("estimated_cost", "estimated_costs"),
        Need,
    ),
    "programmes": Create(
        "partner_a",
        "/api/v1/programmes",
        lambda world: programme_data(world.organisations["donor_a"]).model_dump(mode="json"),
        ("total_budget", "total_budgets"),
        Programme,
    ),
    "activities": Create(
        "partner_a",
        "/api/v1/activities",
        lambda world: activity_data(world.organisations["donor_a"]).model_dump(mode="json"),
        ("amount_committed", "amount_commited"),
        AssistanceActivity,
    ),
    "dialogue events": Create(
        "facilitator",
        "/api/v1/events",
        lambda world: event_json(city="Nairobi"),
        ("city", "town"),
        DialogueEvent,
    ),
    "knowledge evidence": Create(
        "facilitator",
        "/api/v1/evidence",
        lambda world: {
            "technique_code": "radiotherapy",
            "claim": "Radiotherapy is needed by about half of all cancer patients.",
            "citation_title": "Radiotherapy in cancer care",
            "citation_url": "https://example.org/radiotherapy",
            "note": "Checked against the 2024 edition.",
        },
        ("note", "notes"),
        EvidenceEntry,
    ),
    "gaps interest": Create(
        "partner_a",
        "/api/v1/needs/{published_ken}/interest",
        lambda world: {"note": "We could fund the equipment."},
        ("note", "notes"),
        NeedInterest,
    ),
    "matching rounds": Create(
        "facilitator",
        "/api/v1/matching/rounds",
        lambda world: {"title": "Round with a cap", "country_cap_share": 0.5},
        ("country_cap_share", "country_cap_shares"),
        AllocationRound,
    ),
}


@pytest.mark.parametrize("family", list(CREATES))
def test_a_misspelt_field_is_refused_by_name_and_nothing_is_saved(
    client: TestClient, session: Session, world: World, family: str
) -> None:
    case = CREATES[family]
    role, model, (field, misspelt) = case.role, case.made, case.misspelt
    path = case.path.format(published_ken=world.needs["published_ken"])
    body = case.body(world)
    misspelt_body = {(misspelt if name == field else name): value for name, value in body.items()}
    records, events = count(session, model), count(session, AuditEvent)

    refused = client.post(path, json=misspelt_body, headers=bearer(world.tokens[role]))

    assert _problem_fields(refused) == [misspelt]
    assert (count(session, model), count(session, AuditEvent)) == (records, events)
    # Spelt right, the same body is taken: the misspelling was all that was wrong with it.
    taken = client.post(path, json=body, headers=bearer(world.tokens[role]))
    assert taken.status_code == 201, taken.text[:500]
    assert count(session, model) == records + 1


def test_an_edit_with_a_misspelt_field_changes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    need_id = world.needs["draft_ken"]
    headers = bearer(world.tokens["counterpart_ken"])
    before = client.get(f"/api/v1/needs/{need_id}", headers=headers).json()
    edit = {
        **need_data().model_dump(mode="json", exclude={"country_iso3", "estimated_cost"}),
        "estimated_costs": "999",
        "version": before["version"],
    }

    assert _problem_fields(client.put(f"/api/v1/needs/{need_id}", json=edit, headers=headers)) == [
        "estimated_costs"
    ]
    move = {"target": "submitted", "version": before["version"], "comments": "Ready for the focal point."}
    assert _problem_fields(
        client.post(f"/api/v1/needs/{need_id}/transitions", json=move, headers=headers)
    ) == ["comments"]

    after = client.get(f"/api/v1/needs/{need_id}", headers=headers).json()
    assert after == before


def _write_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"post", "put", "patch"}
        and "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _body_shape(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        return dict(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    return dict(schema)


def _address(path: str, operation: dict[str, Any]) -> str:
    # The body is refused before the route runs: any well-formed record number or code will do.
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            value = "1" if parameter["schema"].get("type") == "integer" else "KEN"
            if parameter["name"] == "slug":
                value = "no-such-record"  # a slug is lower case: "KEN" is not in its format
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def test_every_api_write_refuses_a_field_it_does_not_know_and_says_so_in_its_description(
    client: TestClient, session: Session, world: World
) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    writes = _write_operations(spec)
    labels = {f"{method} {path}" for method, path, _operation in writes}
    assert set(NOT_A_SHAPE_OF_FIELDS) <= labels, "an exception names a route the API no longer has"
    checked = []
    events = count(session, AuditEvent)
    for method, path, operation in writes:
        label = f"{method} {path}"
        if label in NOT_A_SHAPE_OF_FIELDS:
            continue
        assert _body_shape(spec, operation).get("additionalProperties") is False, label
        answer = client.request(
            method,
            _address(path, operation),
            json={"no_such_field": "lost without a word"},
            headers=bearer(world.tokens["admin"]),
        )
        assert "no_such_field" in _problem_fields(answer), label
        checked.append(label)
    assert count(session, AuditEvent) == events
    assert len(checked) >= 25  # needs, programmes, activities, events, evidence, interest, matching...
