"""An edit that changes only a record's lists (a need's techniques or SDG targets, a programme's areas,
techniques, targets or eligible countries) is a new version like any other. Those lists live in tables of
their own, and such an edit left the record's own row as it was: its version stayed, so a colleague's
edit made meanwhile from the same version was saved without a 409 and silently put the old lists back;
and the stamps that keep matching and gap results (the sum of the versions) did not see it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.needs import repository as needs_repository
from pux.needs.schemas import NeedUpdate
from pux.programmes import repository as programmes_repository
from pux.programmes.schemas import ProgrammeUpdate
from tests.web_helpers import bearer, update_fields
from tests.world import World

PUBLISHED = ("published",)


def _read(client: TestClient, path: str, headers: dict[str, str], shape: Any) -> dict[str, Any]:
    return update_fields(client.get(path, headers=headers).json(), shape)


def test_a_need_edit_of_its_techniques_only_is_a_new_version_and_a_later_stale_edit_is_refused(
    client: TestClient, world: World
) -> None:
    path, headers = f"/api/v1/needs/{world.needs['published_ken']}", bearer(world.tokens["focal_ken"])
    read = _read(client, path, headers, NeedUpdate)
    added = sorted({*read["technique_codes"], "brachytherapy"})

    first = client.put(path, json={**read, "technique_codes": added}, headers=headers)
    retitled = {**read, "title": "Radiotherapy for the west, retitled"}
    meanwhile = client.put(path, json=retitled, headers=headers)

    assert first.status_code == 200, first.text
    assert first.json()["version"] == read["version"] + 1
    assert meanwhile.status_code == 409, meanwhile.text  # it would have put the old techniques back
    assert sorted(client.get(path, headers=headers).json()["technique_codes"]) == added


def test_a_programme_edit_of_its_eligible_countries_only_is_a_new_version_and_a_later_stale_edit_is_refused(
    client: TestClient, world: World
) -> None:
    path = f"/api/v1/programmes/{world.programmes['published_a']}"
    headers = bearer(world.tokens["partner_a"])
    read = _read(client, path, headers, ProgrammeUpdate)
    countries = sorted({*read["eligible_country_codes"], "SEN"})

    first = client.put(path, json={**read, "eligible_country_codes": countries}, headers=headers)
    meanwhile = client.put(path, json={**read, "title": "Radiotherapy grants, retitled"}, headers=headers)

    assert first.status_code == 200, first.text
    assert first.json()["version"] == read["version"] + 1
    assert meanwhile.status_code == 409, meanwhile.text
    assert sorted(client.get(path, headers=headers).json()["eligible_country_codes"]) == countries


def test_the_published_needs_stamp_moves_for_a_list_only_edit_and_not_for_a_draft(
    client: TestClient, session: Session, world: World
) -> None:
    """What matching keeps is read again when a published need's techniques change, and not when someone
    writes a draft (each draft made every process read all matchable needs again)."""
    headers = bearer(world.tokens["focal_ken"])
    draft_path = f"/api/v1/needs/{world.needs['draft_ken']}"

    def stamp() -> tuple[object, ...]:
        session.rollback()  # a new transaction: the stamp is read once per transaction
        return needs_repository.fingerprint(session, statuses=PUBLISHED)

    before = stamp()
    draft = _read(client, draft_path, headers, NeedUpdate)
    saved = client.put(draft_path, json={**draft, "title": "Draft retitled"}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert stamp() == before

    path = f"/api/v1/needs/{world.needs['published_ken']}"
    read = _read(client, path, headers, NeedUpdate)
    edited = {**read, "sdg_target_codes": sorted({*read["sdg_target_codes"], "3.8"})}
    assert client.put(path, json=edited, headers=headers).status_code == 200
    assert stamp() != before


def test_the_published_programmes_stamp_does_not_move_for_a_draft(
    client: TestClient, session: Session, world: World
) -> None:
    headers = bearer(world.tokens["partner_a"])
    path = f"/api/v1/programmes/{world.programmes['draft_a']}"

    def stamp() -> tuple[object, ...]:
        session.rollback()
        return programmes_repository.fingerprint(session, status="published")

    before = stamp()
    read = _read(client, path, headers, ProgrammeUpdate)
    saved = client.put(path, json={**read, "title": "Draft grants, retitled"}, headers=headers)
    assert saved.status_code == 200, saved.text
    assert stamp() == before
