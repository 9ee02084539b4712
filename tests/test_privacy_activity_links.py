"""An activity never shows (nor confirms) a linked need or programme its reader may not see."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import IatiSource
from pux.assistance.schemas import ActivityUpdate
from tests.web_helpers import bearer, sign_in
from tests.world import World, activity_data

MISSING = 99999


def _posted(client: TestClient, world: World, **links: int) -> Any:
    body = activity_data(world.organisations["agency_b"], title="Cobalt source replacement").model_dump(
        mode="json"
    )
    return client.post(
        "/api/v1/activities", json={**body, **links}, headers=bearer(world.tokens["officer_b"])
    )


def _problems(response: Any) -> str:
    return str(response.json()).replace(str(MISSING), "<number>")


def test_a_need_or_programme_the_recorder_may_not_see_is_refused_like_a_missing_one(
    client: TestClient, world: World
) -> None:
    hidden_need, hidden_programme = world.needs["private_ken"], world.programmes["draft_a"]
    missing = _posted(client, world, need_id=MISSING, programme_id=MISSING)
    hidden = _posted(client, world, need_id=hidden_need, programme_id=hidden_programme)
    assert missing.status_code == hidden.status_code == 422
    assert _problems(missing) == str(hidden.json()).replace(str(hidden_need), "<number>").replace(
        str(hidden_programme), "<number>"
    )
    # What they may see is linked as before.
    seen = _posted(
        client, world, need_id=world.needs["published_ken"], programme_id=world.programmes["published_a"]
    )
    assert seen.status_code == 201, seen.text


def _linked_to_hidden_records(session: Session, world: World) -> int:
    """The public activity, linked by a facilitator (who sees everything) to a private need and a draft."""
    activity = assistance.get_activity(
        session, actor=world.actors["admin"], activity_id=world.activities["public_a"]
    )
    values = {name: getattr(activity, name) for name in ActivityUpdate.model_fields}
    values.update(need_id=world.needs["private_ken"], programme_id=world.programmes["draft_a"])
    assistance.update_activity(
        session,
        actor=world.actors["facilitator"],
        activity_id=activity.id,
        data=ActivityUpdate.model_validate(values),
    )
    session.flush()
    return activity.id


def test_the_public_reads_the_activity_without_its_hidden_need_and_programme(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = _linked_to_hidden_records(session, world)
    need, programme = world.needs["private_ken"], world.programmes["draft_a"]
    page = client.get(f"/activities/{activity_id}")
    assert page.status_code == 200
    assert f"/needs/{need}" not in page.text and f"#{need}" not in page.text
    assert f"/programmes/{programme}" not in page.text and f"#{programme}" not in page.text
    # Nor does the page's history of changes name them (the facilitator's edit linked them).
    assert "Need number" not in page.text and "Programme number" not in page.text
    read = client.get(f"/api/v1/activities/{activity_id}").json()
    assert read["need_id"] is None and read["programme_id"] is None
    listed = client.get("/api/v1/activities", params={"page_size": 200}).json()["items"]
    assert [(item["need_id"], item["programme_id"]) for item in listed if item["id"] == activity_id] == [
        (None, None)
    ]
    exported = list(
        csv.DictReader(
            io.StringIO(client.get("/activities/export", params={"format": "csv"}).text.lstrip("\ufeff"))
        )
    )
    row = next(row for row in exported if row["id"] == str(activity_id))
    assert row["need_id"] == "" and row["programme_id"] == ""
    # Asking for the activities of the hidden need finds what asking for a missing need finds: nothing.
    by_need = client.get("/api/v1/activities", params={"need": need}).json()
    assert by_need["total"] == client.get("/api/v1/activities", params={"need": MISSING}).json()["total"] == 0
    sign_in(client, world.emails["facilitator"])
    seen = client.get(f"/activities/{activity_id}")
    assert "Need number" in seen.text  # (the page the facilitator reads names the change)


def test_those_who_may_see_the_need_and_programme_still_read_the_links(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = _linked_to_hidden_records(session, world)
    read = client.get(f"/api/v1/activities/{activity_id}", headers=bearer(world.tokens["facilitator"])).json()
    assert (read["need_id"], read["programme_id"]) == (
        world.needs["private_ken"],
        world.programmes["draft_a"],
    )
    kenya = client.get(f"/api/v1/activities/{activity_id}", headers=bearer(world.tokens["focal_ken"])).json()
    assert (kenya["need_id"], kenya["programme_id"]) == (world.needs["private_ken"], None)


def test_an_edit_by_someone_who_may_not_see_the_link_keeps_it_unseen(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = _linked_to_hidden_records(session, world)
    headers = bearer(world.tokens["partner_a"])
    read = client.get(f"/api/v1/activities/{activity_id}", headers=headers).json()
    assert read["need_id"] is None  # partner_a provides the activity but may not see Kenya's private need
    edited = {key: value for key, value in read.items() if key in ActivityUpdate.model_fields}
    saved = client.put(
        f"/api/v1/activities/{activity_id}", json={**edited, "title": "Renamed"}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["need_id"] is None
    facilitator = client.get(
        f"/api/v1/activities/{activity_id}", headers=bearer(world.tokens["facilitator"])
    ).json()
    assert facilitator["need_id"] == world.needs["private_ken"]


def test_an_imported_activity_does_not_link_to_the_private_activity_it_is_counted_in(
    client: TestClient, session: Session, world: World
) -> None:
    """An implementer's IATI report counted in its funder's activity: the funder's may be private."""
    activity = assistance.get_activity(
        session, actor=world.actors["admin"], activity_id=world.activities["public_a"]
    )
    activity.iati_source = IatiSource(
        file_name="implementer.xml", sha256="0" * 64, publisher_name="Implementer"
    )
    activity.iati_identifier = "XM-DAC-1-IMPLEMENTER"
    activity.counted_in_activity_id = world.activities["private_b"]
    session.flush()
    page = client.get(f"/activities/{activity.id}")
    assert page.status_code == 200 and "implementer.xml" in page.text
    assert f'/activities/{world.activities["private_b"]}"' not in page.text
    assert "counted there, not twice" not in page.text
