"""A country's concept note grown from a closed event of another country: its counterpart refines the
note, and still learns nothing of the event (not even its title)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ConceptNoteCreate, RecommendationFields
from tests.web_helpers import sign_in
from tests.world import World, event_data

TITLE = "Confidential Uganda donor talks on linac purchase"


def test_a_concept_note_does_not_show_a_closed_event_its_reader_may_not_see(
    client: TestClient, session: Session, world: World
) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(
        session,
        actor=facilitator,
        data=event_data(title=TITLE, is_public=False, focus_country_codes=["UGA"], host_country_iso3="UGA"),
    )
    recommendation = dialogues.add_recommendation(
        session,
        actor=facilitator,
        event_id=event.id,
        data=RecommendationFields(
            text="Kenya could share its linac maintenance contract model with Uganda.", country_iso3="KEN"
        ),
    )
    note = dialogues.create_concept_note(
        session,
        actor=facilitator,
        recommendation_id=recommendation.id,
        data=ConceptNoteCreate(
            country_iso3="KEN", title="Linac maintenance contract model", thematic_area_code="health"
        ),
    )
    session.flush()

    sign_in(client, world.emails["counterpart_ken"])
    assert client.get(f"/events/{event.id}").status_code == 404
    page = client.get(f"/concept-notes/{note.id}")
    assert page.status_code == 200
    assert TITLE not in page.text  # was in the breadcrumb and in "From the recommendation of ..."
    assert f'href="/events/{event.id}"' not in page.text
    assert "From the recommendation of a dialogue event:" in page.text
    assert "linac maintenance contract model with Uganda" in page.text  # the note's own origin stays

    sign_in(client, world.emails["facilitator"])  # who may see the event still sees where the note came from
    assert TITLE in client.get(f"/concept-notes/{note.id}").text
