"""A stale edit is refused (HTTP 409 or a clear message) and the newer data survives."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World


def _body(need: dict[str, object], title: str, version: int) -> dict[str, object]:
    return {
        "title": title,
        "thematic_area_code": need["thematic_area_code"],
        "technique_codes": need["technique_codes"],
        "sdg_target_codes": need["sdg_target_codes"],
        "currency": need["currency"],
        "visibility": need["visibility"],
        "version": version,
    }


def test_api_stale_edit_gets_409_and_the_newer_data_survives(client: TestClient, world: World) -> None:
    need_id = world.needs["draft_ken"]
    headers = bearer(world.tokens["counterpart_ken"])
    loaded = client.get(f"/api/v1/needs/{need_id}", headers=headers).json()
    first = client.put(
        f"/api/v1/needs/{need_id}",
        headers=headers,
        json=_body(loaded, "Edited first by the focal point", loaded["version"]),
    )
    assert first.status_code == 200 and first.json()["version"] == loaded["version"] + 1
    stale = client.put(
        f"/api/v1/needs/{need_id}",
        headers=headers,
        json=_body(loaded, "Edited later from an old copy", loaded["version"]),
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    current = client.get(f"/api/v1/needs/{need_id}", headers=headers).json()
    assert current["title"] == "Edited first by the focal point"


def test_page_stale_edit_shows_a_clear_message(client: TestClient, world: World) -> None:
    need_id = world.needs["draft_ken"]
    sign_in(client, world.emails["counterpart_ken"])
    loaded = client.get(f"/api/v1/needs/{need_id}", headers=bearer(world.tokens["counterpart_ken"])).json()
    token = csrf_token(client, f"/needs/{need_id}/edit")
    form = {
        "title": "Saved first",
        "thematic_area_code": "health",
        "currency": "USD",
        "visibility": "public",
        "version": str(loaded["version"]),
        "csrf_token": token,
    }
    assert client.post(f"/needs/{need_id}/edit", data=form, follow_redirects=False).status_code == 303
    stale = client.post(
        f"/needs/{need_id}/edit",
        data={**form, "title": "Saved second from an old form"},
        follow_redirects=False,
    )
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert "Saved first" in client.get(f"/needs/{need_id}").text


def test_stale_programme_status_change_is_refused(client: TestClient, world: World) -> None:
    programme_id = world.programmes["draft_a"]
    headers = bearer(world.tokens["partner_a"])
    version = client.get(f"/api/v1/programmes/{programme_id}", headers=headers).json()["version"]
    assert (
        client.post(
            f"/api/v1/programmes/{programme_id}/status",
            headers=headers,
            json={"target": "published", "version": version},
        ).status_code
        == 200
    )
    stale = client.post(
        f"/api/v1/programmes/{programme_id}/status",
        headers=headers,
        json={"target": "closed", "version": version},
    )
    assert stale.status_code == 409
    assert client.get(f"/api/v1/programmes/{programme_id}", headers=headers).json()["status"] == "published"
