"""Every action the dialogue records has a label: a history shows 'Travel application withdrawn', never
the stored code 'travel.withdraw'."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.audit.labels import audit_action_label
from pux.dialogues import service as dialogues
from pux.dialogues import vocabulary as v
from pux.dialogues.schemas import ParticipantFields, TravelApplicationFields
from tests.world import World, event_data

SERVICE = Path(dialogues.__file__).read_text(encoding="utf-8")


def test_the_withdrawal_and_reopening_of_an_application_are_labelled(session: Session, world: World) -> None:
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    person = dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["expert"]),
    )
    fields = TravelApplicationFields(fare=500, daily_allowance=50, nights=3, reason="No institutional budget")
    application = dialogues.apply_for_travel(
        session, actor=facilitator, participant_id=person.id, data=fields
    )
    dialogues.move_participant(
        session, actor=facilitator, participant_id=person.id, target=v.DECLINED, version=person.version
    )
    dialogues.move_participant(
        session, actor=facilitator, participant_id=person.id, target=v.INVITED, version=person.version
    )
    recorded = {
        e.action
        for e in audit.history(session, entity_type="travel_application", entity_id=str(application.id))
    }
    assert {"travel.withdraw", "travel.reopen"} <= recorded
    for code in recorded:
        assert audit_action_label(code) != code


def test_every_action_code_of_the_dialogue_service_has_a_label() -> None:
    codes = set(re.findall(r'"((?:event|participant|travel|concept_note|action)\.[a-z_]+)"', SERVICE))
    codes |= {f"participant.{status}" for status in v.PARTICIPANT_STATUSES}
    assert len(codes) > 20
    assert sorted(code for code in codes if audit_action_label(code) == code) == []
