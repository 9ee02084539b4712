"""An integrator's nightly pull of the activities, needs and programmes, page by page, while people keep
recording. The activities were listed by start date only: an activity recorded between two pages that
starts later than the others pushed every row down, so page 2 began with page 1's last activity (and a
pull of the whole list repeated one and left another out); nothing told "what changed since my last
pull". Now each of the three lists takes a documented ``sort`` (the present order stays the default;
``id``: oldest first, so a record added meanwhile comes last) and ``updated_since`` (a moment in UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.needs import service as needs
from pux.needs.models import Need
from pux.programmes.models import Programme
from tests.web_helpers import bearer
from tests.world import World, activity_data, need_data

LISTS = ("/api/v1/activities", "/api/v1/needs", "/api/v1/programmes")


def _record_activity(session: Session, world: World, starts: date | None) -> int:
    data = activity_data(world.organisations["donor_a"], start_date=starts, title=f"Starting {starts}")
    return assistance.record_activity(session, actor=world.actors["partner_a"], data=data).id


def _pull(client: TestClient, world: World, path: str, between_pages: Any) -> list[int]:
    """Every id of a list read two at a time in the order by id, ``between_pages`` called after page 1."""
    headers, seen, number = bearer(world.tokens["facilitator"]), [], 1
    while True:
        page = client.get(path, params={"sort": "id", "page": number, "page_size": 2}, headers=headers)
        assert page.status_code == 200, page.text
        seen += [item["id"] for item in page.json()["items"]]
        if number == 1:
            between_pages()
        if number * 2 >= page.json()["total"]:
            return seen
        number += 1


def test_a_pull_of_the_activities_by_id_neither_repeats_nor_skips_one_recorded_meanwhile(
    client: TestClient, session: Session, world: World
) -> None:
    for year in (2026, 2027, 2028):
        _record_activity(session, world, date(year, 1, 1))
    added: list[int] = []

    seen = _pull(
        client,
        world,
        "/api/v1/activities",
        lambda: added.append(_record_activity(session, world, date(2031, 1, 1))),
    )

    assert len(seen) == len(set(seen)) and seen == sorted(seen)
    assert seen[-1] == added[0]


def test_a_pull_of_the_needs_by_id_neither_repeats_nor_skips_one_drafted_meanwhile(
    client: TestClient, session: Session, world: World
) -> None:
    added: list[int] = []

    def draft() -> None:
        need = needs.create_need(
            session, actor=world.actors["counterpart_ken"], data=need_data(title="Drafted while pulling")
        )
        added.append(need.id)

    seen = _pull(client, world, "/api/v1/needs", draft)

    assert len(seen) == len(set(seen)) and seen == sorted(seen)
    assert seen[-1] == added[0]


def test_the_default_orders_are_unchanged(client: TestClient, session: Session, world: World) -> None:
    latest = _record_activity(session, world, date(2031, 1, 1))
    undated = _record_activity(session, world, None)
    ghana = needs.create_need(
        session, actor=world.actors["admin"], data=need_data(country="GHA", title="Ghana: cyclotron study")
    )
    headers = bearer(world.tokens["facilitator"])

    activities = client.get("/api/v1/activities", params={"page_size": 200}, headers=headers).json()["items"]
    listed = client.get("/api/v1/needs", params={"page_size": 200}, headers=headers).json()["items"]

    starts = [activity["start_date"] for activity in activities]
    dated = [start for start in starts if start]
    assert activities[0]["id"] == latest  # the latest start first
    # The activities with no start date last on every database (PostgreSQL put them first, its own place
    # for a missing value in a descending order; SQLite last).
    assert starts == sorted(dated, reverse=True) + [None] * (len(starts) - len(dated))
    assert undated in [activity["id"] for activity in activities if not activity["start_date"]]
    assert listed[0]["id"] == ghana.id  # by country first
    assert [need["country_iso3"] for need in listed] == sorted(need["country_iso3"] for need in listed)


@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_order_is_refused_naming_it(client: TestClient, world: World, path: str) -> None:
    refused = client.get(path, params={"sort": "title"}, headers=bearer(world.tokens["facilitator"]))

    assert refused.status_code == 422
    assert [problem["field"] for problem in refused.json()["problems"]] == ["sort"]


@pytest.mark.parametrize("path", LISTS)
def test_the_orders_and_updated_since_are_described(client: TestClient, path: str) -> None:
    parameters = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]["parameters"]
    described = {parameter["name"]: parameter.get("description", "") for parameter in parameters}

    assert "id" in described["sort"] and "UTC" in described["updated_since"]


def _touch(session: Session, world: World, path: str) -> int:
    """Change one record of the list at ``path`` (as a save does), its id."""
    model, record_id = {
        "/api/v1/activities": (AssistanceActivity, world.activities["public_a"]),
        "/api/v1/needs": (Need, world.needs["published_ken"]),
        "/api/v1/programmes": (Programme, world.programmes["published_a"]),
    }[path]
    record = session.get(model, record_id)
    assert record is not None
    record.title = f"{record.title} (changed)"
    session.flush()
    return record_id


@pytest.mark.parametrize("path", LISTS)
def test_updated_since_lists_only_what_changed_from_that_moment(
    client: TestClient, session: Session, world: World, path: str
) -> None:
    before = datetime.now(UTC)
    changed = _touch(session, world, path)
    headers = bearer(world.tokens["facilitator"])

    def ids(moment: str) -> list[int]:
        answer = client.get(path, params={"updated_since": moment, "sort": "id"}, headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert ids(before.isoformat().replace("+00:00", "Z")) == [changed]
    assert ids(before.astimezone(timezone(timedelta(hours=-5))).isoformat()) == [changed]
    assert ids(before.replace(tzinfo=None).isoformat()) == [changed]  # no offset: UTC
    assert ids((before + timedelta(days=1)).isoformat()) == []
    assert changed in ids("0001-01-01T00:00:00+05:00")  # before every record, however far


@pytest.mark.parametrize("path", LISTS)
def test_updated_since_refuses_what_is_not_a_date_and_time(
    client: TestClient, world: World, path: str
) -> None:
    for written in ("20261201", "yesterday"):
        refused = client.get(
            path, params={"updated_since": written}, headers=bearer(world.tokens["facilitator"])
        )

        assert refused.status_code == 422, written
        assert [problem["field"] for problem in refused.json()["problems"]] == ["updated_since"]
