"""Events far from UTC are on the right side of "now": an event in Pacific/Kiritimati (UTC+14) whose local
date is tomorrow may have ended already, one in Pacific/Pago_Pago (UTC-11) whose local time has passed UTC's
clock may not have begun. Upcoming and past lists (pages, API, the brief), registration, attendance and the
order of events all go by each event's instants in UTC.

The clock is held at the auditor's moment, 16:54 UTC on 6 December 2026, through the service's now_utc,
the one clock every decision reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.briefs import service as briefs
from pux.dialogues import service as dialogues
from pux.dialogues import statistics
from pux.dialogues.models import DialogueEvent
from pux.dialogues.repository import EventFilter
from pux.dialogues.schemas import EventUpdate, ParticipantFields
from pux.pagination import PageRequest
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, event_data

NOW = datetime(2026, 12, 6, 16, 54, tzinfo=UTC)
WORD = "Farzonequux"  # in every title here, to list these events alone


@pytest.fixture(autouse=True)
def _clock_at_the_auditors_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dialogues, "now_utc", lambda: NOW)


def _event(session: Session, world: World, title: str, starts: str, ends: str, zone: str) -> DialogueEvent:
    data = event_data(
        title=f"{WORD} {title}",
        starts_at=datetime.fromisoformat(starts),
        ends_at=datetime.fromisoformat(ends),
        time_zone=zone,
        is_online=True,
        host_country_iso3=None,
        city=None,
        focus_country_codes=["FJI"],
    )
    return dialogues.create_event(session, actor=world.actors["facilitator"], data=data)


def _ended_in_kiritimati(session: Session, world: World) -> DialogueEvent:
    # 12:00-14:00 UTC on 6 December: over at 16:54 UTC, though its local date is the 7th.
    return _event(
        session, world, "webinar ended", "2026-12-07T02:00", "2026-12-07T04:00", "Pacific/Kiritimati"
    )


def _ahead_in_pago_pago(session: Session, world: World) -> DialogueEvent:
    # 18:00-20:00 UTC on 6 December: not begun at 16:54 UTC, though 07:00 local is before that clock.
    return _event(
        session, world, "webinar ahead", "2026-12-06T07:00", "2026-12-06T09:00", "Pacific/Pago_Pago"
    )


def _titles(events: list[DialogueEvent]) -> list[str]:
    return [event.title.removeprefix(f"{WORD} ") for event in events]


def _listed(session: Session, world: World, when: str) -> list[str]:
    page = dialogues.list_events(
        session,
        actor=world.actors["facilitator"],
        filters=EventFilter(when=when, text=WORD),
        page=PageRequest(1, 50),
    )
    return _titles(list(page.items))


def _confirmed_partner(session: Session, world: World, event: DialogueEvent) -> int:
    facilitator = world.actors["facilitator"]
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(full_name="Ana Partner", email="ana.partner@test.pux.invalid"),
    )
    moved = dialogues.move_participant(
        session, actor=facilitator, participant_id=person.id, target="confirmed", version=person.version
    )
    return moved.id


def test_the_instants_are_the_local_times_read_in_the_event_s_zone(session: Session, world: World) -> None:
    ended, ahead = _ended_in_kiritimati(session, world), _ahead_in_pago_pago(session, world)
    assert (ended.starts_at_utc, ended.ends_at_utc) == (datetime(2026, 12, 6, 12), datetime(2026, 12, 6, 14))
    assert (ahead.starts_at_utc, ahead.ends_at_utc) == (datetime(2026, 12, 6, 18), datetime(2026, 12, 6, 20))
    same_times_in_utc = {
        "kind": ahead.kind,
        "title": ahead.title,
        "is_online": True,
        "starts_at": ahead.starts_at,
        "ends_at": ahead.ends_at,
        "time_zone": "UTC",
        "version": ahead.version,
    }
    dialogues.update_event(
        session,
        actor=world.actors["facilitator"],
        event_id=ahead.id,
        data=EventUpdate.model_validate(same_times_in_utc),
    )
    assert ahead.starts_at_utc == datetime(2026, 12, 6, 7)  # a new zone moves the instants with it


def test_an_event_ended_in_utc_terms_is_past_closed_and_takes_attendance(
    client: TestClient, session: Session, world: World
) -> None:
    event = _ended_in_kiritimati(session, world)
    assert _listed(session, world, "upcoming") == []
    assert _listed(session, world, "past") == ["webinar ended"]
    assert not dialogues.registration_open(event)

    person_id = _confirmed_partner(session, world, event)
    person = dialogues.get_participant(session, actor=world.actors["facilitator"], participant_id=person_id)
    assert "attended" in dialogues.participant_moves(session, world.actors["facilitator"], person)
    moved = dialogues.move_participant(
        session,
        actor=world.actors["facilitator"],
        participant_id=person_id,
        target="attended",
        version=person.version,
    )
    assert moved.status == "attended"

    sign_in(client, world.emails["expert"])
    page = f"/events/{event.id}/me"
    answer = client.post(
        f"/events/{event.id}/register",
        data={"csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )
    assert answer.status_code == 409
    assert dialogues.my_participation(session, actor=world.actors["expert"], event_id=event.id) is None
    upcoming = client.get("/events", params={"when": "upcoming", "q": WORD}).text
    assert "webinar ended" not in upcoming
    assert "webinar ended" in client.get("/events", params={"when": "past", "q": WORD}).text


def test_an_event_not_begun_in_utc_terms_is_upcoming_open_and_waits_for_attendance(
    client: TestClient, session: Session, world: World
) -> None:
    event = _ahead_in_pago_pago(session, world)
    assert _listed(session, world, "upcoming") == ["webinar ahead"]
    assert _listed(session, world, "past") == []
    assert dialogues.registration_open(event)

    person_id = _confirmed_partner(session, world, event)
    person = dialogues.get_participant(session, actor=world.actors["facilitator"], participant_id=person_id)
    assert "attended" not in dialogues.participant_moves(session, world.actors["facilitator"], person)

    sign_in(client, world.emails["expert"])
    page = f"/events/{event.id}/me"
    answer = client.post(
        f"/events/{event.id}/register",
        data={"csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "webinar ahead" in client.get("/events", params={"when": "upcoming", "q": WORD}).text


def _three_upcoming(session: Session, world: World) -> None:
    # By local wall clocks Pago Pago's comes first and Kiritimati's last; by the instants the other way round.
    _event(session, world, "Pago Pago noon", "2026-12-07T12:00", "2026-12-07T13:00", "Pacific/Pago_Pago")
    _event(session, world, "UTC evening", "2026-12-07T20:00", "2026-12-07T21:00", "UTC")
    _event(session, world, "Kiritimati morning", "2026-12-08T08:00", "2026-12-08T09:00", "Pacific/Kiritimati")


REAL_ORDER = ["Kiritimati morning", "UTC evening", "Pago Pago noon"]  # 18:00, 20:00, 23:00 UTC on the 7th


def test_lists_order_events_by_the_instant_they_begin(
    client: TestClient, session: Session, world: World
) -> None:
    _three_upcoming(session, world)
    _ended_in_kiritimati(session, world)
    assert _listed(session, world, "upcoming") == REAL_ORDER
    assert _listed(session, world, "past") == ["webinar ended"]
    everything = _listed(session, world, "")
    assert everything == [*reversed(REAL_ORDER), "webinar ended"]  # newest first

    answer: dict[str, Any] = client.get(
        "/api/v1/events",
        params={"when": "upcoming", "q": WORD},
        headers=bearer(world.tokens["facilitator"]),
    ).json()
    assert [item["title"].removeprefix(f"{WORD} ") for item in answer["items"]] == REAL_ORDER


def test_the_brief_lists_only_events_ahead_in_the_order_they_come(session: Session, world: World) -> None:
    _three_upcoming(session, world)
    _ended_in_kiritimati(session, world)
    brief = briefs.country_brief(session, actor=world.actors["facilitator"], iso3="FJI")
    mine = [line.title.removeprefix(f"{WORD} ") for line in brief.events if line.title.startswith(WORD)]
    assert mine == REAL_ORDER


def test_a_focal_point_s_inbox_waits_only_on_events_not_yet_ended(session: Session, world: World) -> None:
    focal_point = world.actors["focal_ken"]
    for event in (_ended_in_kiritimati(session, world), _ahead_in_pago_pago(session, world)):
        dialogues.add_participant(
            session,
            actor=world.actors["facilitator"],
            event_id=event.id,
            data=ParticipantFields(
                full_name=f"Wanjiru {event.id}", email=f"w{event.id}@test.pux.invalid", country_iso3="KEN"
            ),
        )
    waiting = dialogues.nominations_waiting(session, actor=focal_point)
    mine = _titles([person.event for person in waiting if person.event.title.startswith(WORD)])
    assert mine == ["webinar ahead"]


def test_the_statistics_count_an_event_held_or_upcoming_by_its_instants(
    session: Session, world: World
) -> None:
    period = statistics.Period(date(2026, 12, 1), date(2026, 12, 31))

    def held_and_upcoming() -> tuple[int, int]:
        report = statistics.dialogue_statistics(
            session, actor=world.actors["facilitator"], period=period, by="country"
        )
        return report.events_held, report.events_upcoming

    held, upcoming = held_and_upcoming()
    _ended_in_kiritimati(session, world)
    assert held_and_upcoming() == (held + 1, upcoming)  # was counted upcoming: its local date is the 7th
    _ahead_in_pago_pago(session, world)
    assert held_and_upcoming() == (held + 1, upcoming + 1)  # was counted held: 07:00 local is before 16:54
