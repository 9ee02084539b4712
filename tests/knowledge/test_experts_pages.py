"""The pages let experts do what the service lets them: the evidence ledger and the stories offer them the
forms (they answered 403 though the API took an expert's entry), an expert edits their own unchecked
entry on its page, and the edit link and form of someone else's entry stay closed to them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.knowledge import service as knowledge
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.schemas import EvidenceCreate
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

ENTRY = {
    "technique_code": "sterile_insect",
    "claim": "Cost per hectare protected by sterile flies in the valley",
    "value": "42",
    "unit": "USD per hectare",
    "citation_title": "Area-wide programme costs",
    "citation_year": "2019",
    "citation_url": "https://example.org/aw",
    "source_language": "en",
}


def test_an_expert_adds_and_edits_evidence_on_the_pages(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["expert"])
    assert 'href="/evidence/new"' in client.get("/evidence").text
    assert 'href="/stories/new"' in client.get("/stories").text
    assert client.get("/stories/new").status_code == 200
    added = client.post(
        "/evidence", data={**ENTRY, "csrf_token": csrf_token(client, "/evidence/new")}, follow_redirects=False
    )
    assert added.status_code == 303, added.text
    entry_path = added.headers["location"]
    assert f'href="{entry_path}/edit"' in client.get(entry_path).text
    edit = client.get(f"{entry_path}/edit")
    assert edit.status_code == 200
    renamed = {**ENTRY, "claim": "Cost per hectare protected in the valley, 2019 prices"}
    version = str(session.get(EvidenceEntry, int(entry_path.rsplit("/", 1)[1])).version)  # type: ignore[union-attr]
    saved = client.post(
        f"{entry_path}/edit",
        data={**renamed, "version": version, "csrf_token": csrf_token(client, f"{entry_path}/edit")},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text


def test_an_expert_may_not_open_someone_elses_entry_for_editing(
    client: TestClient, session: Session, world: World
) -> None:
    data = EvidenceCreate.model_validate({**ENTRY, "value": 42, "citation_year": 2019})
    others = knowledge.create_evidence(session, actor=world.actors["facilitator"], data=data)
    sign_in(client, world.emails["expert"])
    page = client.get(f"/evidence/{others.id}")
    assert page.status_code == 200 and f'href="/evidence/{others.id}/edit"' not in page.text
    assert client.get(f"/evidence/{others.id}/edit").status_code == 403
