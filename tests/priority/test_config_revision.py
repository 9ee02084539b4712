"""A save of the priority configuration names the revision it was made from: two facilitators reading the
same configuration and saving one after the other both got 200, and the first one's weights were lost."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.priority import engine
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

CONFIG = "/api/v1/priority/config"


def _saves(session: Session) -> int:
    statement = select(func.count()).where(AuditEvent.action == "priority.configure")
    return session.scalar(statement) or 0


def _with_burden(read: dict[str, Any], burden: float) -> dict[str, Any]:
    return {**read, "component_weights": {**read["component_weights"], "burden": burden}}


def test_a_save_made_from_an_older_read_answers_409_and_the_newer_weights_stay(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = bearer(world.tokens["facilitator"])
    read = client.get(CONFIG).json()
    saves = _saves(session)
    first = client.put(CONFIG, json=_with_burden(read, 0.5), headers=facilitator)
    assert first.status_code == 200, first.text
    assert first.json()["revision"] > read["revision"]
    assert first.json()["component_weights"]["burden"] == 0.5
    stale = client.put(CONFIG, json=_with_burden(read, 0.4), headers=facilitator)
    assert stale.status_code == 409, stale.text
    assert f"revision {first.json()['revision']}" in stale.json()["detail"]
    assert client.get(CONFIG).json() == first.json()  # the first save stands
    assert _saves(session) == saves + 1  # each save audited, the refused one not
    again = client.put(CONFIG, json=_with_burden(first.json(), 0.4), headers=facilitator)
    assert again.status_code == 200 and again.json()["component_weights"]["burden"] == 0.4
    assert _saves(session) == saves + 2


def test_a_save_without_a_revision_is_refused_naming_it_and_what_else_is_wrong(
    client: TestClient, world: World
) -> None:
    before = client.get(CONFIG).json()
    unread = engine.default_config_data()
    unread["areas"]["health"]["burden"][0]["code"] = "SH.DYN.MORTT"
    refused = client.put(CONFIG, json=unread, headers=bearer(world.tokens["facilitator"]))
    assert refused.status_code == 422
    fields = [problem["field"] for problem in refused.json()["problems"]]
    assert fields == ["areas.health.burden[0].code", "revision"]
    assert client.get(CONFIG).json() == before


def test_the_saved_document_is_what_was_sent_and_its_format_version_is_not_the_revision(
    client: TestClient, world: World
) -> None:
    read = client.get(CONFIG).json()
    sent = {**read, "version": 1, "explanation": "Burden first."}
    saved = client.put(CONFIG, json=sent, headers=bearer(world.tokens["facilitator"])).json()
    assert saved == {**sent, "revision": saved["revision"]}
    assert saved["version"] == 1 and saved["revision"] != read["revision"]


def test_the_api_describes_the_revision(client: TestClient) -> None:
    description = client.get("/api/v1/openapi.json").json()
    put = description["paths"][CONFIG]["put"]
    schemas = description["components"]["schemas"]
    body = schemas[put["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert "revision" in body["required"] and "409" in body["properties"]["revision"]["description"]
    for route in (put, description["paths"][CONFIG]["get"]):
        answered = route["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert "revision" in schemas[answered.rsplit("/", 1)[-1]]["required"]
    assert "409" in put["responses"]


def test_someone_else_s_save_meanwhile_is_said_beside_the_form_and_what_was_typed_is_kept(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    opened = client.get("/priority")
    revision = re.search(r'name="revision" value="(\d+)"', opened.text)
    assert revision, "the form names the revision it was made from"
    # Someone else saves through the API while the page is open.
    theirs = _with_burden(client.get(CONFIG).json(), 0.5)
    assert client.put(CONFIG, json=theirs, headers=bearer(world.tokens["facilitator"])).status_code == 200
    mine = engine.default_config_data()
    mine["component_weights"]["burden"] = 0.33
    typed = json.dumps(mine, indent=1)
    saves = _saves(session)
    form = {"csrf_token": csrf_token(client, "/priority"), "configuration": typed, "revision": revision[1]}
    page = client.post("/priority/config", data=form, follow_redirects=False)
    assert page.status_code == 409
    text = html.unescape(page.text)
    assert "Someone else saved the priority configuration after you opened this page" in text
    assert typed in text  # what was typed, in the box
    assert "The configuration now in force" in text and '"burden": 0.5' in text
    assert _saves(session) == saves and client.get(CONFIG).json()["component_weights"]["burden"] == 0.5
    # The page now names the configuration in force: saving again replaces it knowingly.
    now = re.search(r'name="revision" value="(\d+)"', page.text)
    assert now and now[1] != revision[1]
    again = client.post("/priority/config", data={**form, "revision": now[1]}, follow_redirects=False)
    assert again.status_code == 303
    assert client.get(CONFIG).json()["component_weights"]["burden"] == 0.33
    assert _saves(session) == saves + 1


def test_a_form_without_its_revision_saves_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    saves = _saves(session)
    form = {
        "csrf_token": csrf_token(client, "/priority"),
        "configuration": json.dumps(engine.default_config_data()),
    }
    page = client.post("/priority/config", data=form, follow_redirects=False)
    assert page.status_code == 422 and "reload the page" in page.text
    assert _saves(session) == saves


def test_a_configuration_saved_without_a_name_is_read_back_as_custom(
    client: TestClient, world: World
) -> None:
    """The name may be left out (the index calls it "custom"); saved so, every later read of the
    configuration answered 500, the page's form included."""
    read = client.get(CONFIG).json()
    unnamed = {key: value for key, value in read.items() if key != "name"}
    saved = client.put(CONFIG, json=unnamed, headers=bearer(world.tokens["facilitator"]))
    assert saved.status_code == 200, saved.text
    assert saved.json()["name"] == "custom"
    again = client.get(CONFIG)
    assert again.status_code == 200 and again.json()["revision"] == saved.json()["revision"]
    sign_in(client, world.emails["facilitator"])
    assert client.get("/priority").status_code == 200
