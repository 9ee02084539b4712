"""The dialogue's statistics tell each reader only what they may see: a country's concept notes and draft
needs stay out of the public's counts, and the travel support of a group too small to hide a person's
award is hidden from all but those who run events."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service, statistics
from pux.dialogues.schemas import (
    ConceptNoteCreate,
    ConceptNoteUpdate,
    ParticipantFields,
    RecommendationFields,
    TravelApplicationFields,
)
from tests.world import World, event_data

DAYS_AHEAD = 3000  # a day no other record of the test world falls on


def _period() -> statistics.Period:
    day = date.today() + timedelta(days=DAYS_AHEAD)
    return statistics.Period(day - timedelta(days=1), day + timedelta(days=1))


def _query() -> str:
    """The page for the whole year of the event: the public may ask only for whole calendar years (two
    overlapping periods subtracted from each other would give a hidden person back)."""
    year = _period().start.year
    return f"/events-statistics?from={year}-01-01&to={year}-12-31"


def _public_event(session: Session, world: World) -> int:
    return service.create_event(
        session,
        actor=world.actors["facilitator"],
        data=event_data(DAYS_AHEAD, title="Statistics privacy workshop", travel_budget=Decimal("20000")),
    ).id


def _draft_need_from_a_concept_note(session: Session, world: World, event_id: int) -> None:
    """Kenya's counterpart turns a concept note of the event into a need, which stays a draft."""
    recommendation = service.add_recommendation(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=RecommendationFields(text="Plan a radiotherapy bunker in Kisumu", country_iso3="KEN"),
    )
    note = service.create_concept_note(
        session,
        actor=world.actors["facilitator"],
        recommendation_id=recommendation.id,
        data=ConceptNoteCreate(country_iso3="KEN", title="Bunker in Kisumu", thematic_area_code="health"),
    )
    counterpart = world.actors["counterpart_ken"]
    note = service.update_concept_note(
        session,
        actor=counterpart,
        note_id=note.id,
        data=ConceptNoteUpdate(
            title="Bunker in Kisumu",
            thematic_area_code="health",
            problem="Patients travel 350 km",
            objective="Treat 1,200 patients a year",
            outputs="A bunker",
            activities="Design, build",
            version=note.version,
        ),
    )
    service.convert_concept_note(session, actor=counterpart, note_id=note.id, version=note.version)


def _supported(session: Session, world: World, event_id: int, people: dict[str, tuple[int, int]]) -> None:
    """``people``: country -> (how many, fare each); everyone applies and the fund supports them all."""
    for iso3, (count, fare) in people.items():
        for index in range(count):
            person = service.add_participant(
                session,
                actor=world.actors["facilitator"],
                event_id=event_id,
                data=ParticipantFields(
                    full_name=f"Traveller {iso3} {index}",
                    email=f"t.{iso3}.{index}@example.org",
                    country_iso3=iso3,
                ),
            )
            service.apply_for_travel(
                session,
                actor=world.actors["facilitator"],
                participant_id=person.id,
                data=TravelApplicationFields(
                    fare=Decimal(fare),
                    daily_allowance=Decimal(0),
                    nights=0,
                    reason="No budget for the flight",
                ),
            )
    assert service.run_fund(session, actor=world.actors["facilitator"], event_id=event_id).status == "optimal"


def _rows(session: Session, world: World, role: str) -> dict[str, statistics.GroupRow]:
    report = statistics.dialogue_statistics(session, actor=world.actors[role], period=_period(), by="country")
    return {row.key: row for row in report.rows} | {"total": report.totals}


def test_the_public_counts_no_concept_note_nor_draft_need_it_may_not_see(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _public_event(session, world)
    _supported(session, world, event_id, {"KEN": (1, 500)})
    _draft_need_from_a_concept_note(session, world, event_id)
    for role in ("facilitator", "counterpart_ken", "focal_ken"):
        kenya = _rows(session, world, role)["KEN"]
        assert (kenya.concept_notes, kenya.needs) == (1, 1), role
    for role in ("public", "focal_uga", "partner_a"):
        kenya = _rows(session, world, role)["KEN"]
        assert (kenya.concept_notes, kenya.needs) == (0, 0), role  # was 1 and 1: a draft of Kenya's
    page = client.get(_query()).text
    assert "Bunker in Kisumu" not in page


def test_the_public_does_not_see_the_award_of_a_group_too_small_to_hide_a_person(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _public_event(session, world)
    _supported(session, world, event_id, {"ETH": (1, 1100), "KEN": (3, 700), "UGA": (4, 500)})

    public = _rows(session, world, "public")
    assert "USD" not in public["ETH"].travel  # was 1,100 USD: one person's award
    assert public["ETH"].hidden_travel == {"USD": statistics.TOO_FEW}
    # With Ethiopia's hidden alone, the total less the others would give it back: Kenya's goes too.
    assert public["KEN"].hidden_travel == {"USD": statistics.COMPLEMENT}
    assert public["UGA"].travel == {"USD": Decimal("2000")}
    assert public["total"].travel == {"USD": Decimal("5200")}
    facilitator = _rows(session, world, "facilitator")
    assert facilitator["ETH"].travel == {"USD": Decimal("1100")} and not facilitator["ETH"].hidden_travel

    page = client.get(_query()).text
    assert "1,100 USD" not in page and "2,100 USD" not in page
    assert "hidden: fewer than 3 people" in page


def test_a_period_with_recommendations_but_nobody_on_a_list_has_its_statistics(
    client: TestClient, session: Session, world: World
) -> None:
    event_id = _public_event(session, world)
    service.add_recommendation(
        session,
        actor=world.actors["facilitator"],
        event_id=event_id,
        data=RecommendationFields(text="Share the bunker designs", country_iso3="UGA"),
    )
    answer = client.get(_query())
    assert answer.status_code == 200  # the chart divided by the largest group's 0 participants: 500
    assert "<svg" not in answer.text  # no bar to draw; the table still has Uganda's recommendation


def test_two_small_groups_hidden_together_do_not_give_their_sum_back(
    client: TestClient, session: Session, world: World
) -> None:
    # Ethiopia's and Ghana's one traveller each: the total less Uganda's would be their two awards summed,
    # and each of the two knows their own. Another group is hidden with them until they hold 3 people.
    event_id = _public_event(session, world)
    travellers = {"ETH": (1, 1100), "GHA": (1, 900), "UGA": (4, 500), "KEN": (5, 700)}
    _supported(session, world, event_id, travellers)

    public = _rows(session, world, "public")
    assert public["ETH"].hidden_travel == public["GHA"].hidden_travel == {"USD": statistics.TOO_FEW}
    assert public["UGA"].hidden_travel == {"USD": statistics.COMPLEMENT}  # was shown: 2,000 USD
    assert public["KEN"].travel == {"USD": Decimal("3500")}
    assert public["total"].travel == {"USD": Decimal("7500")}
    page = client.get(_query()).text
    assert "2,000 USD" not in page  # Uganda's, which gave the two awards' sum back
