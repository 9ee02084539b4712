"""What the knowledge pages and API show of the people who wrote and checked a record, and of its figures.

The history of an evidence entry (public), a myth and a story showed who made each change as
"user:9:editor@...": staff e-mail addresses and account numbers, to the public too; the check added
"checked_by_id: 9". They now name people as the needs' and programmes' pages do. The API said
``checked_by_name: null`` for an entry whose page said "Checked by ...". A figure of 1250.75 was shown as
"1,251" (the site's number format rounds from 1,000 up); the technique page did not say what each entry is
compared with."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge.schemas import EvidenceCreate, MythCreate, MythUpdate, StoryCreate, StoryUpdate
from pux.knowledge.seed import SeedReport
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

MAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
ACCOUNT = re.compile(r"user:\d+")


def _history(html: str) -> str:
    start = html.index('id="history-heading"')
    return html[start : html.index("</section>", start)]


def _checked_entry(session: Session, editor: Actor, reviewer: Actor, **extra: object) -> int:
    data = {
        "technique_code": "sterile_insect",
        "claim": "Cost per hectare protected by sterile flies",
        "value": 40,
        "unit": "USD per hectare",
        "currency": "USD",
        "citation_title": "Area-wide programme costs",
        "citation_year": 2019,
        "citation_url": "https://example.org/aw",
        **extra,
    }
    entry = service.create_evidence(session, actor=editor, data=EvidenceCreate.model_validate(data))
    service.check_evidence(session, actor=reviewer, entry_id=entry.id, version=entry.version)
    return entry.id


def test_the_public_reads_an_entrys_history_by_names_without_addresses_or_account_numbers(
    client: TestClient, session: Session, world: World, editor: Actor, reviewer: Actor
) -> None:
    entry_id = _checked_entry(session, editor, reviewer)
    page = client.get(f"/evidence/{entry_id}")
    assert page.status_code == 200
    history = _history(page.text)
    assert not MAIL.search(history) and not ACCOUNT.search(history)
    assert "checked_by_id" not in history and f"{reviewer.user_id}</li>" not in history
    assert "Test editor" in history and "Test reviewer" in history  # who made each change, by name
    assert "Checked by: — → Test reviewer" in history
    # A status by its label, a time to the minute (they were "reported → checked", "02:41:52.623849+00:00").
    assert "Status: Reported (as published) → Checked" in history
    assert re.search(r"Checked on: — → \d{4}-\d\d-\d\d \d\d:\d\d UTC<", history)
    assert "Checked by Test reviewer on" in page.text


def test_myth_and_story_histories_name_their_editors_without_addresses(
    client: TestClient, session: Session, world: World, editor: Actor
) -> None:
    myth = service.create_myth(
        session,
        actor=editor,
        data=MythCreate(
            claim="Irradiated food glows in the dark",
            finding="It does not.",
            sources=[{"title": "A source", "year": 2020, "url": "https://example.org/s"}],  # type: ignore[list-item]
            is_published=True,
        ),
    )
    values = {name: getattr(myth, name) for name in MythUpdate.model_fields}
    edited = MythUpdate.model_validate({**values, "finding": "It does not glow."})
    service.update_myth(session, actor=editor, myth_id=myth.id, data=edited)
    story = service.create_story(
        session,
        actor=editor,
        data=StoryCreate(title="Flies against screwworm", body="A story.", status="published"),
    )
    values = {name: getattr(story, name) for name in StoryUpdate.model_fields}
    told = StoryUpdate.model_validate({**values, "body": "A story, told again."})
    service.update_story(session, actor=editor, story_id=story.id, data=told)
    sign_in(client, "editor@test.pux.invalid")
    for address in (f"/myths/{myth.slug}", f"/stories/{story.slug}"):
        history = _history(client.get(address).text)
        assert not MAIL.search(history) and not ACCOUNT.search(history), address
        assert "Test editor" in history, address


def test_the_api_names_who_checked_an_entry_as_its_page_does_and_no_one_by_address(
    client: TestClient, session: Session, world: World, editor: Actor, reviewer: Actor, seeded: SeedReport
) -> None:
    entry_id = _checked_entry(session, editor, reviewer)
    one = client.get(f"/api/v1/evidence/{entry_id}").json()
    assert one["checked_by_name"] == "Test reviewer"
    listed = client.get("/api/v1/evidence", params={"status": "checked"}).json()
    assert {"id": entry_id, "checked_by_name": "Test reviewer"}.items() <= next(
        item for item in listed["items"] if item["id"] == entry_id
    ).items()
    reported = client.get("/api/v1/evidence", params={"status": "reported"}).json()["items"]
    assert reported and all(item["checked_by_name"] is None for item in reported)  # the seed's, not checked
    for address in ("/api/v1/evidence", "/api/v1/myths", "/api/v1/stories"):
        text = json.dumps(client.get(address).json())
        assert not MAIL.search(text) and "author_id" not in text and "checked_by_id" not in text, address


def test_a_figure_with_decimals_is_shown_as_entered(
    client: TestClient, session: Session, world: World, editor: Actor, seeded: SeedReport
) -> None:
    sign_in(client, "editor@test.pux.invalid")
    form = {
        "technique_code": "sterile_insect",
        "claim": "Cost of a week of sterile fly releases",
        "value": "1250.75",
        "value_high": "1900.125",
        "unit": "USD per week",
        "currency": "USD",
        "citation_title": "Release costs",
        "citation_year": "2018",
        "citation_url": "https://example.org/release",
        "csrf_token": csrf_token(client, "/evidence/new"),
    }
    saved = client.post("/evidence", data=form, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "1,250.75–1,900.125" in page.text and "1,251" not in page.text
    assert "1,250.75–1,900.125" in client.get("/evidence", params={"technique": "sterile_insect"}).text
    assert "1,250.75–1,900.125" in client.get("/techniques/sterile-insect-technique").text
    client.cookies.set("pux_lang", "fr")
    assert "1\u202f250,75" in client.get(saved.headers["location"]).text  # the reader's notation


def test_the_technique_page_says_what_each_entry_is_compared_with(
    client: TestClient, session: Session, world: World, editor: Actor, seeded: SeedReport
) -> None:
    data = {
        "technique_code": "sterile_insect",
        "claim": "Screwworm cases avoided against spraying",
        "value": 12,
        "unit": "cases per herd",
        "citation_title": "Herd records",
        "citation_year": 2017,
        "citation_url": "https://example.org/herds",
    }
    spraying = EvidenceCreate.model_validate({**data, "comparator": "insecticide_spraying"})
    service.create_evidence(session, actor=editor, data=spraying)
    service.create_evidence(
        session,
        actor=editor,
        data=EvidenceCreate.model_validate({**data, "claim": "Cases avoided", "comparator": "cattle dips"}),
    )
    page = client.get("/techniques/sterile-insect-technique").text
    evidence = page[page.index('id="evidence-heading"') :]
    assert 'compared with <span dir="auto">Insecticide spraying</span>' in evidence  # the alternative's name
    assert 'compared with <span dir="auto">cattle dips</span>' in evidence  # as written
