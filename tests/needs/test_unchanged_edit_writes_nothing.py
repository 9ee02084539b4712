"""An edit of a need that changes nothing a reader can see is no new version and no history entry: an
unchanged PUT (or form) added a "need.update" entry with nothing in it, in the need's public history too,
and an amount written "1200000.00" for a stored 1200000 counted as a change."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.needs.models import Need
from pux.needs.schemas import NeedUpdate
from pux.reference.models import SdgTarget, Technique
from tests.web.test_form_digits_m2 import NEED
from tests.web.test_forms import post_form
from tests.web_helpers import bearer, history_length, sign_in, update_fields
from tests.world import World


def _editable(client: TestClient, need_id: int, headers: dict[str, str]) -> dict[str, Any]:
    return update_fields(client.get(f"/api/v1/needs/{need_id}", headers=headers).json(), NeedUpdate)


def _with_two_techniques_and_targets(session: Session, need_id: int) -> None:
    """Two techniques and two SDG targets, so that an order can differ (set in the tables: no edit, and
    the history stays the one creation)."""
    need = session.get_one(Need, need_id)
    need.techniques = [session.get_one(Technique, code) for code in ("radiotherapy", "isotope_hydrology")]
    need.sdg_targets = [session.get_one(SdgTarget, code) for code in ("3.4", "6.4")]
    session.flush()


def test_an_unchanged_need_put_back_through_the_api_is_no_new_version_nor_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    need_id, headers = world.needs["draft_ken"], bearer(world.tokens["counterpart_ken"])
    _with_two_techniques_and_targets(session, need_id)
    before, entries = _editable(client, need_id, headers), history_length(session, "need", need_id)
    assert len(before["technique_codes"]) == len(before["sdg_target_codes"]) == 2
    # The same links in another order are the same links (the need keeps them in the lists' order).
    reordered = {key: before[key][::-1] for key in ("technique_codes", "sdg_target_codes")}
    sent = {**before, **reordered, "estimated_cost": "1200000.00"}

    answer = client.put(f"/api/v1/needs/{need_id}", json=sent, headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == before["version"]
    assert history_length(session, "need", need_id) == entries
    history = client.get(f"/api/v1/needs/{need_id}/history", headers=headers).json()
    assert [entry["action"] for entry in history] == ["need.create"]


def test_a_change_sent_twice_is_saved_once_and_a_stale_change_is_still_refused(
    client: TestClient, session: Session, world: World
) -> None:
    need_id, headers = world.needs["draft_ken"], bearer(world.tokens["counterpart_ken"])
    read = _editable(client, need_id, headers)
    renamed = {**read, "title": "Draft: second linear accelerator for Kisumu"}

    first = client.put(f"/api/v1/needs/{need_id}", json=renamed, headers=headers)
    again = client.put(f"/api/v1/needs/{need_id}", json=renamed, headers=headers)  # a retried PUT
    other = client.put(f"/api/v1/needs/{need_id}", json={**read, "title": "Another title"}, headers=headers)

    assert first.status_code == 200, first.text
    # Made on the version before the first save, but it overwrites nothing: answered as saved.
    assert again.status_code == 200, again.text
    assert again.json()["version"] == first.json()["version"] == read["version"] + 1
    assert other.status_code == 409, other.text  # it would overwrite the first save
    assert history_length(session, "need", need_id) == 2


def test_an_unchanged_need_form_is_no_history_entry(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    created = post_form(client, "/needs", {**NEED, "estimated_cost": "1000.00"}, "/needs/new")
    assert created.status_code == 303, created.text[:400]
    need = session.get(Need, int(created.headers["location"].rsplit("/", 1)[1]))
    assert need is not None
    path, version = f"/needs/{need.id}/edit", need.version

    saved = post_form(client, path, {**NEED, "estimated_cost": "1000", "version": str(version)}, path)

    assert saved.status_code == 303, saved.text[:400]
    session.refresh(need)
    assert need.version == version
    assert [event.action for event in audit.history(session, entity_type="need", entity_id=str(need.id))] == [
        "need.create"
    ]
