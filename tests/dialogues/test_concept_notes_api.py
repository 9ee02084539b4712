"""Concept notes through the JSON API, as a ministry's system would follow one: a facilitator turns an
event's recommendation into a concept note for Kenya; Kenya's counterpart finds it in the inbox, reads it
where the inbox points, refines it (a stale version is refused and changes nothing) and converts it into a
draft need; nobody outside Kenya's drafters and the facilitators reads it. Also one follow-up action read
where the inbox points."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import repository as audit_repository
from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ActionFields
from tests.web_helpers import bearer
from tests.world import World, event_data, kenyan_recommendation

API = "/api/v1"
PARTS = {
    "problem": "No independent audit of the doses radiotherapy centres deliver",
    "objective": "Every centre audited once a year",
    "outputs": "A national dosimetry audit service",
    "activities": "Train four auditors; buy reference dosimeters",
}


def _recommendation_id(session: Session, world: World) -> int:
    recommendation = kenyan_recommendation(session, world, "Kenya should plan a dosimetry audit network.")
    session.commit()
    return recommendation.id


def _as(world: World, role: str) -> dict[str, str]:
    return bearer(world.tokens[role])


def _drafted(client: TestClient, session: Session, world: World) -> dict[str, Any]:
    note = {"country_iso3": "KEN", "title": "Dosimetry audit network", "thematic_area_code": "health"}
    answer = client.post(
        f"{API}/recommendations/{_recommendation_id(session, world)}/concept-notes",
        json=note,
        headers=_as(world, "facilitator"),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _edit(note: dict[str, Any], **changes: Any) -> dict[str, Any]:
    editable = ("title", "thematic_area_code", "technique_codes", "counterpart_organisation_id", "currency")
    return {name: note[name] for name in editable} | {"version": note["version"]} | changes


def test_the_counterpart_refines_a_concept_note_and_turns_it_into_a_need(
    client: TestClient, session: Session, world: World
) -> None:
    note = _drafted(client, session, world)
    assert note["status"] == "draft" and note["need_id"] is None
    counterpart = _as(world, "counterpart_ken")

    inbox = client.get(f"{API}/inbox", headers=counterpart).json()["concept_notes"]["items"]
    listed = next(item for item in inbox if item["id"] == note["id"])
    read = client.get(listed["api_url"], headers=counterpart)
    assert read.status_code == 200 and read.json() == note

    half = client.put(
        f"{API}/concept-notes/{note['id']}", json=_edit(note, problem=PARTS["problem"]), headers=counterpart
    )
    assert half.status_code == 200, half.text
    assert half.json()["status"] == "draft" and half.json()["version"] == note["version"] + 1
    refused = client.post(
        f"{API}/concept-notes/{note['id']}/conversion",
        json={"version": half.json()["version"]},
        headers=counterpart,
    )
    assert refused.status_code == 422
    assert {problem["field"] for problem in refused.json()["problems"]} == {
        "objective",
        "outputs",
        "activities",
    }

    stale = client.put(f"{API}/concept-notes/{note['id']}", json=_edit(note, **PARTS), headers=counterpart)
    assert stale.status_code == 409
    assert client.get(f"{API}/concept-notes/{note['id']}", headers=counterpart).json() == half.json()

    whole = client.put(
        f"{API}/concept-notes/{note['id']}", json=_edit(half.json(), **PARTS), headers=counterpart
    )
    assert whole.status_code == 200 and whole.json()["status"] == "ready"

    converted = client.post(
        f"{API}/concept-notes/{note['id']}/conversion",
        json={"version": whole.json()["version"]},
        headers=counterpart,
    )
    assert converted.status_code == 201, converted.text
    need = converted.json()
    assert (need["country_iso3"], need["title"], need["status"]) == ("KEN", note["title"], "draft")
    assert PARTS["objective"] in need["description"]
    after = client.get(f"{API}/concept-notes/{note['id']}", headers=counterpart).json()
    assert (after["status"], after["need_id"]) == ("converted", need["id"])
    again = client.post(
        f"{API}/concept-notes/{note['id']}/conversion",
        json={"version": after["version"]},
        headers=counterpart,
    )
    assert again.status_code == 409
    assert client.get(f"{API}/needs/{need['id']}", headers=counterpart).status_code == 200

    history = audit_repository.events_for(session, entity_type="concept_note", entity_id=str(note["id"]))
    assert [event.action for event in history] == [
        "concept_note.create",
        "concept_note.update",
        "concept_note.update",
        "concept_note.convert",
    ]


def test_only_kenyas_drafters_and_the_facilitators_read_kenyas_concept_notes(
    client: TestClient, session: Session, world: World
) -> None:
    note = _drafted(client, session, world)
    path = f"{API}/concept-notes/{note['id']}"
    for role in ("focal_ken", "counterpart_ken", "facilitator", "admin"):
        assert client.get(path, headers=_as(world, role)).status_code == 200, role
        listed = client.get(f"{API}/concept-notes", headers=_as(world, role)).json()
        assert note["id"] in [item["id"] for item in listed], role
    for role in ("focal_uga", "partner_a", "expert"):
        assert client.get(path, headers=_as(world, role)).status_code == 404, role
        listed = client.get(f"{API}/concept-notes", headers=_as(world, role)).json()
        assert note["id"] not in [item["id"] for item in listed], role
        edit = client.put(path, json=_edit(note, **PARTS), headers=_as(world, role))
        assert edit.status_code == 404, role
    assert client.get(path).status_code == 404  # to the public, as a missing one (as every record's route)
    assert client.get(f"{API}/concept-notes").status_code == 401
    assert client.get(path, headers=_as(world, "focal_ken")).json()["version"] == note["version"]


def test_an_action_in_the_inbox_is_read_where_the_inbox_points(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    action = dialogues.create_action(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ActionFields(
            title="Draft the audit network's terms",
            owner_user_id=world.user_ids["expert"],
            due_on=date(2099, 6, 1),
        ),
    )
    session.commit()
    inbox = client.get(f"{API}/inbox", headers=_as(world, "expert")).json()["my_actions"]["items"]
    listed = next(item for item in inbox if item["id"] == action.id)
    read = client.get(listed["api_url"], headers=_as(world, "expert"))
    assert read.status_code == 200
    assert (read.json()["id"], read.json()["title"]) == (action.id, "Draft the audit network's terms")
    for stranger in ("focal_uga", "partner_a"):
        assert client.get(listed["api_url"], headers=_as(world, stranger)).status_code == 404, stranger
    assert client.get(listed["api_url"], headers=_as(world, "facilitator")).status_code == 200
    assert client.get(listed["api_url"]).status_code == 404
