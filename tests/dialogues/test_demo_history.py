"""The demo's dialogue history: enough past and upcoming events of every kind, follow-up in every status,
needs grown from concept notes, a fund that never spends more than the budget, and no participant's
email on what the public sees."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor
from pux.accounts.service import actor_for
from pux.demo import load_demo
from pux.dialogues import service
from pux.dialogues import vocabulary as v
from pux.dialogues.demo_history import COUNTERPART_KENYA, DEMO_EVENT_NOTE, FOCAL_UGANDA
from pux.dialogues.models import ActionItem, ConceptNote, DialogueEvent, Participant, TravelApplication
from pux.dialogues.schemas import EventRead
from pux.needs.models import Need


def _demo_events(session: Session) -> list[DialogueEvent]:
    events = session.scalars(select(DialogueEvent).order_by(DialogueEvent.starts_at)).all()
    return [e for e in events if DEMO_EVENT_NOTE in e.description]


def test_the_demo_writes_a_dialogue_history(session: Session, client: TestClient) -> None:
    summary, _credentials = load_demo(session, needs_count=20, programmes_count=2, activities_count=10)
    assert summary.events >= 15 and summary.event_participants > 0 and summary.actions > 0
    today = date.today()
    events = _demo_events(session)
    past = [e for e in events if e.starts_at.date() < today]
    upcoming = [e for e in events if e.starts_at.date() >= today]
    assert len(past) >= 12 and len(upcoming) >= 3
    assert {e.kind for e in events} == set(v.EVENT_KINDS)
    assert any(not e.is_public for e in events) and sum(e.is_public for e in events) > len(events) // 2
    for event in events:
        assert 3 <= len(event.sessions) <= 6, event.title
        assert "(demo)" not in event.title
    event_ids = {e.id for e in events}

    # People: past events were attended (some declined or did not come); upcoming ones are mid-chain.
    people = [p for p in session.scalars(select(Participant)).all() if p.event_id in event_ids]
    by_event: dict[int, list[Participant]] = defaultdict(list)
    for person in people:
        by_event[person.event_id].append(person)
    for event in events:
        assert 15 <= len(by_event[event.id]) <= 40, event.title
    past_statuses = {p.status for e in past for p in by_event[e.id]}
    assert {v.ATTENDED, v.DECLINED, v.NO_SHOW} <= past_statuses
    upcoming_statuses = {p.status for e in upcoming for p in by_event[e.id]}
    assert {v.INVITED, v.NOMINATED, v.ENDORSED, v.CONFIRMED} <= upcoming_statuses
    for email in (COUNTERPART_KENYA, FOCAL_UGANDA):
        user = accounts_repository.get_user_by_email(session, email)
        assert user is not None
        assert service.my_participations(session, actor=actor_for(user)), email

    # Follow-up: every status, at least one overdue.
    actions = [a for a in session.scalars(select(ActionItem)).all() if a.event_id in event_ids]
    assert {a.status for a in actions} == set(v.ACTION_STATUSES)
    assert any(a.status in v.ACTION_OPEN_STATUSES and a.due_on and a.due_on < today for a in actions)
    assert any(a.notes for a in actions)

    # Concept notes in every status, and needs that came from them (linked back to their event).
    notes = [n for n in session.scalars(select(ConceptNote)).all() if n.event_id in event_ids]
    assert {n.status for n in notes} == set(v.CONCEPT_STATUSES)
    converted = [n for n in notes if n.need_id is not None]
    assert len(converted) >= 3
    facilitator = Actor.system("test")
    for note in converted:
        need = session.get(Need, note.need_id)
        assert need is not None and need.country_iso3 == note.country_iso3
        origin = service.event_of_need(session, actor=facilitator, need_id=need.id)
        assert origin is not None and origin.id == note.event_id

    # Travel support: grants within each budget and each request; an override; payments reconciled.
    applications = [
        a for a in session.scalars(select(TravelApplication)).all() if a.participant.event_id in event_ids
    ]
    assert applications
    granted: dict[int, Decimal] = defaultdict(Decimal)
    for application in applications:
        if application.grant is not None:
            assert 0 <= application.grant.amount <= application.requested
            granted[application.participant.event_id] += application.grant.amount
    assert granted
    for event in events:
        if event.travel_budget is None:
            assert granted.get(event.id, Decimal(0)) == 0
        else:
            assert granted.get(event.id, Decimal(0)) <= event.travel_budget, event.title
    assert any(a.grant is not None and a.grant.is_override and a.grant.override_reason for a in applications)
    rows = [
        r
        for e in past
        if e.travel_budget
        for r in service.reconciliation(session, actor=facilitator, event_id=e.id)
    ]
    assert any(r.paid > 0 and r.receipts is None for r in rows), "a payment still waits for its receipt"
    assert any(r.paid > 0 and r.difference != 0 for r in rows), "a payment differs from the award"

    # Balance targets on most events.
    assert sum(1 for e in events if e.targets) > len(events) // 2
    assert any(t.category == v.EVERY_CATEGORY for e in events for t in e.targets)

    # Nothing personal in what the public sees.
    emails = {p.email for p in people}
    for event in events:
        public_view = EventRead.model_validate(event).model_dump_json()
        public_view += repr(service.public_participation(session, event))
        assert not any(email in public_view for email in emails), event.title
    paths = ["/events", "/events?when=past", "/api/v1/events?size=100"]
    for event in events:
        if event.is_public:
            paths += [f"/events/{event.id}", f"/events/{event.id}/outcomes", f"/api/v1/events/{event.id}"]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        assert not any(email in page.text for email in emails), path
    assert all(client.get(f"/events/{e.id}").status_code == 404 for e in events if not e.is_public)
