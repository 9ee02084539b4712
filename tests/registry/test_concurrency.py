"""A stale edit is refused (HTTP 409 or a clear message) and the newer data survives; simultaneous saves
from real concurrent transactions leave exactly one winner."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from pux.audit import service as audit
from pux.db import make_session_factory, unit_of_work
from pux.errors import InvalidTransition, StaleEdit
from pux.needs import service as needs
from pux.needs.schemas import NeedUpdate
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, need_data


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
    assert stale.status_code == 409 and "Someone else saved this need" in stale.text
    assert "Saved first" in client.get(f"/needs/{need_id}").text
    # What the second person wrote is on the page again, over the current version, to save once compared.
    assert (
        'value="Saved second from an old form"' in stale.text and "What you wrote is kept below" in stale.text
    )
    current = client.get(f"/api/v1/needs/{need_id}", headers=bearer(world.tokens["counterpart_ken"])).json()
    assert f'name="version" value="{current["version"]}"' in stale.text
    again = client.post(
        f"/needs/{need_id}/edit",
        data={**form, "title": "Saved second from an old form", "version": str(current["version"])},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert "Saved second from an old form" in client.get(f"/needs/{need_id}").text


def test_a_donor_posting_a_need_form_is_refused_before_the_form_is_checked(
    client: TestClient, world: World
) -> None:
    """The form with its errors was shown to someone who may not use it (a 403 only for valid data)."""
    sign_in(client, world.emails["partner_a"])
    need_id = world.needs["published_ken"]
    token = csrf_token(client, f"/needs/{need_id}")
    edit = client.post(
        f"/needs/{need_id}/edit", data={"title": "x", "csrf_token": token}, follow_redirects=False
    )
    create = client.post("/needs", data={"title": "x", "csrf_token": token}, follow_redirects=False)
    for refused in (edit, create):
        assert (
            refused.status_code == 403
            and "<form" not in refused.text.split("<main", 1)[-1].split("</main>")[0]
        )


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


# A real race: several threads, each with its own database connection and transaction (as the web
# workers have), save the same record at the same instant. The served app over HTTP is covered by
# tests/web/test_served_concurrency.py; here the rule itself is raced, on SQLite and on PostgreSQL.

RACERS = 6


@pytest.fixture
def committed_need(engine: Engine, world: World) -> Iterator[int]:
    """A draft need committed for real (the race needs it outside any test transaction), removed after."""
    with unit_of_work(make_session_factory(engine)) as session:
        need = needs.create_need(
            session, actor=world.actors["admin"], data=need_data(country="TZA", title="Race: cyclotron")
        )
        need_id = need.id
    yield need_id
    with unit_of_work(make_session_factory(engine)) as session:
        for table in ("need_technique", "need_sdg_target"):
            session.execute(text(f"DELETE FROM {table} WHERE need_id = :id"), {"id": need_id})
        session.execute(text("DELETE FROM need WHERE id = :id"), {"id": need_id})
        session.execute(
            text("DELETE FROM audit_event WHERE entity_type = 'need' AND entity_id = :id"),
            {"id": str(need_id)},
        )


def _race(engine: Engine, work: Callable[[Session, int], object]) -> list[BaseException | None]:
    """Run ``work`` in RACERS threads released together, each in its own committed unit of work."""
    factory = make_session_factory(engine)
    start = threading.Barrier(RACERS)

    def one(index: int) -> BaseException | None:
        start.wait(timeout=30)
        try:
            with unit_of_work(factory, write=True) as session:
                work(session, index)
        except (StaleEdit, StaleDataError, InvalidTransition) as refused:
            return refused
        return None

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(one, range(RACERS)))


def test_simultaneous_edits_from_one_version_leave_exactly_one_winner(
    engine: Engine, world: World, committed_need: int
) -> None:
    admin = world.actors["admin"]
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        loaded = needs.get_need(session, actor=admin, need_id=committed_need)
        version, title = loaded.version, loaded.title

    def edit(session: Session, index: int) -> None:
        data = NeedUpdate.model_validate(
            {
                "title": f"Race: edited by writer {index}",
                "thematic_area_code": "health",
                "technique_codes": ["radiotherapy"],
                "sdg_target_codes": ["3.4"],
                "currency": "USD",
                "visibility": "public",
                "version": version,
            }
        )
        needs.update_need(session, actor=admin, need_id=committed_need, data=data)

    outcomes = _race(engine, edit)
    winners = [index for index, outcome in enumerate(outcomes) if outcome is None]
    assert len(winners) == 1, outcomes
    with unit_of_work(factory) as session:
        stored = needs.get_need(session, actor=admin, need_id=committed_need)
        assert stored.title == f"Race: edited by writer {winners[0]}" != title
        assert stored.version == version + 1
        updates = [e for e in audit.history(session, entity_type="need", entity_id=str(committed_need))]
        assert [e.action for e in updates].count("need.update") == 1


def test_simultaneous_submissions_move_the_need_once(
    engine: Engine, world: World, committed_need: int
) -> None:
    admin = world.actors["admin"]
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        version = needs.get_need(session, actor=admin, need_id=committed_need).version

    def submit(session: Session, index: int) -> None:
        needs.transition_need(
            session, actor=admin, need_id=committed_need, target="submitted", version=version
        )

    outcomes = _race(engine, submit)
    assert sum(outcome is None for outcome in outcomes) == 1, outcomes
    with unit_of_work(factory) as session:
        stored = needs.get_need(session, actor=admin, need_id=committed_need)
        assert stored.status == "submitted" and stored.version == version + 1
        actions = [
            e.action for e in audit.history(session, entity_type="need", entity_id=str(committed_need))
        ]
        assert len(actions) == 2, actions  # created, then submitted once
