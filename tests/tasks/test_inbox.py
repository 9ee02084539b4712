"""The task inbox and the header's count of what waits: the count (computed on every page without loading
the needs) is the inbox's own total for every role, and it moves when something starts to wait."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ActionFields, ParticipantFields
from pux.gaps import service as gaps
from pux.gaps.schemas import InterestCreate
from pux.matching import repository as matching_repository
from pux.matching import service as matching
from pux.needs import service as needs
from pux.needs.models import Need
from pux.programmes import service as programmes
from pux.tasks import service as tasks
from tests.statements import recorded_statements
from tests.web_helpers import sign_in
from tests.world import (
    ROLES,
    World,
    event_data,
    facilitator_round,
    kenya_grant_programme,
    need_data,
    programme_data,
)


def listed(inbox: tasks.Inbox) -> int:
    """What the inbox lists as waiting (each list is whole while shorter than the 100 the page shows)."""
    return (
        len(inbox.to_endorse)
        + len(inbox.to_publish)
        + len(inbox.returned)
        + len(inbox.proposals)
        + len(inbox.to_nominate)
        + len(inbox.overdue_actions)
        + len(inbox.interests)
    )


def test_the_header_count_is_the_inbox_total_for_every_role(session: Session, world: World) -> None:
    totals = {role: listed(tasks.inbox(session, actor=world.actors[role])) for role in ROLES}
    assert totals == {role: tasks.waiting_count(session, actor=world.actors[role]) for role in ROLES}
    assert (
        totals["public"] == 0 and totals["focal_ken"] > 0
    )  # Kenya's submitted need waits for its focal point


def test_a_submitted_need_adds_one_for_its_focal_point_and_the_facilitator(
    session: Session, world: World
) -> None:
    before = {
        role: tasks.waiting_count(session, actor=world.actors[role])
        for role in ("focal_ken", "facilitator", "focal_uga")
    }
    need = needs.create_need(session, actor=world.actors["counterpart_ken"], data=need_data("KEN"))
    needs.transition_need(
        session,
        actor=world.actors["counterpart_ken"],
        need_id=need.id,
        target="submitted",
        version=need.version,
    )
    after = {role: tasks.waiting_count(session, actor=world.actors[role]) for role in before}
    assert after == {
        "focal_ken": before["focal_ken"] + 1,
        "facilitator": before["facilitator"] + 1,
        "focal_uga": before["focal_uga"],
    }


def test_open_proposals_count_in_the_header_as_in_the_inbox(session: Session, world: World) -> None:
    programme_id = kenya_grant_programme(session, world)
    round_record = facilitator_round(session, world, programme_id, title="Header count", cap_share=0.5)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_record.id)
    assert proposals
    waiting = {role: tasks.inbox(session, actor=world.actors[role]) for role in ROLES}
    assert {role: listed(inbox) for role, inbox in waiting.items()} == {
        role: tasks.waiting_count(session, actor=world.actors[role]) for role in ROLES
    }
    deciders = {role for role, inbox in waiting.items() if inbox.proposals}
    assert "facilitator" in deciders and deciders - {"facilitator", "admin"}
    # A side decided is no longer waiting for that side: the donor's decision takes it off its count.
    proposal = proposals[0]
    donor = next(
        role
        for role in ROLES
        if not world.actors[role].is_global
        and matching.waiting_for(world.actors[role], proposal) == ("donor",)
    )
    before = tasks.waiting_count(session, actor=world.actors[donor])
    matching.decide(session, actor=world.actors[donor], proposal_id=proposal.id, accept=True)
    assert tasks.waiting_count(session, actor=world.actors[donor]) == before - 1
    assert listed(tasks.inbox(session, actor=world.actors[donor])) == before - 1


def test_proposals_decided_already_never_take_the_inbox_places_of_those_still_waiting(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inbox lists the first open proposals by number: chosen among those still waiting for the person,
    not among all open ones (a partner who accepted the first ones saw a count and an empty list)."""
    round_record = facilitator_round(
        session, world, kenya_grant_programme(session, world), title="Inbox places", cap_share=1.0
    )
    proposals = matching.proposals_for(session, actor=world.actors["partner_a"], round_id=round_record.id)
    assert len(proposals) >= 2
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=proposals[0].id, accept=True)
    monkeypatch.setattr(matching_repository, "OPEN_PROPOSALS_SHOWN", 1)
    inbox = tasks.inbox(session, actor=world.actors["partner_a"])
    assert [p.id for p in inbox.proposals] == [proposals[1].id]
    # The country side still waits for the Kenyan focal point on the first one.
    focal_inbox = tasks.inbox(session, actor=world.actors["focal_ken"])
    assert [p.id for p in focal_inbox.proposals] == [proposals[0].id]


def test_open_proposals_past_those_shown_say_of_how_many_and_lead_to_the_rounds(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the proposals the inbox lists (200; 1 here), the line under them says of how many and leads to
    the allocation rounds, where they all are."""
    round_record = facilitator_round(
        session, world, kenya_grant_programme(session, world), title="Inbox cut", cap_share=1.0
    )
    waiting = matching.proposals_for(session, actor=world.actors["partner_a"], round_id=round_record.id)
    assert len(waiting) >= 2
    monkeypatch.setattr(matching_repository, "OPEN_PROPOSALS_SHOWN", 1)
    inbox = tasks.inbox(session, actor=world.actors["partner_a"])
    assert len(inbox.proposals) == 1 and inbox.counts.proposals >= len(waiting)
    sign_in(client, world.emails["partner_a"])
    page = client.get("/me").text
    assert f"The 1 that have waited longest, of {inbox.counts.proposals}." in page
    assert '<a href="/matching">All of them in the allocation rounds</a>' in page


def test_actions_nominations_and_interest_marks_count_in_the_header_as_in_the_inbox(
    session: Session, world: World
) -> None:
    before = {role: tasks.waiting_count(session, actor=world.actors[role]) for role in ROLES}
    event = dialogues.create_event(
        session, actor=world.actors["facilitator"], data=event_data(title="Inbox count workshop")
    )
    # The facilitator invites a Kenyan: it waits for Kenya's focal point to nominate.
    dialogues.add_participant(
        session,
        actor=world.actors["facilitator"],
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"], country_iso3="KEN"),
    )
    # Two actions of the counterpart: one overdue, one due next week (not yet waiting).
    for title, days in (("Overdue report", -3), ("Report due next week", 7)):
        dialogues.create_action(
            session,
            actor=world.actors["facilitator"],
            event_id=event.id,
            data=ActionFields(
                title=title,
                owner_user_id=world.user_ids["counterpart_ken"],
                due_on=date.today() + timedelta(days=days),
            ),
        )
    # A partner's interest in a Kenyan need waits for Kenya's focal point (and the facilitators).
    gaps.mark_interest(
        session,
        actor=world.actors["partner_a"],
        need_id=world.needs["published_ken"],
        data=InterestCreate(note="Inbox count"),
    )
    inboxes = {role: tasks.inbox(session, actor=world.actors[role]) for role in ROLES}
    after = {role: tasks.waiting_count(session, actor=world.actors[role]) for role in ROLES}
    assert after == {role: listed(inbox) for role, inbox in inboxes.items()}
    assert after["counterpart_ken"] == before["counterpart_ken"] + 1  # the overdue action only
    assert after["focal_ken"] == before["focal_ken"] + 2  # the nomination and the interest mark
    assert after["focal_uga"] == before["focal_uga"]
    assert [a.title for a in inboxes["counterpart_ken"].overdue_actions] == ["Overdue report"]


def test_a_long_list_shows_the_oldest_hundred_and_says_how_many_wait_with_a_link_to_all(
    client: TestClient, session: Session, world: World
) -> None:
    """At the mission's scale hundreds of needs can wait for one focal point: the inbox lists the 100 that
    have waited longest and says of how many, the header counts them all, and a link opens the whole list."""
    counterpart = world.actors["counterpart_ken"]
    for number in range(101):
        need = needs.create_need(
            session, actor=counterpart, data=need_data("KEN", title=f"Waiting need {number}")
        )
        needs.transition_need(
            session, actor=counterpart, need_id=need.id, target="submitted", version=need.version
        )
    focal = world.actors["focal_ken"]
    inbox = tasks.inbox(session, actor=focal)
    total = inbox.counts.to_endorse
    assert len(inbox.to_endorse) == 100 and total >= 101
    assert tasks.waiting_counts(session, actor=focal).to_endorse == total
    sign_in(client, world.emails["focal_ken"])
    page = client.get("/me")
    assert f"The 100 that have waited longest, of {total}." in page.text
    assert '<a href="/needs?status=submitted&amp;country=KEN">All of them in the needs list</a>' in page.text
    assert f'aria-label="{inbox.waiting} waiting"' in page.text  # the header counts what waits, whole
    listed_all = client.get("/needs", params={"status": "submitted", "country": "KEN"})
    assert f"of {total}" in listed_all.text


def test_long_lists_of_drafts_say_how_many_there_are_and_where_all_of_them_are(
    client: TestClient, session: Session, world: World
) -> None:
    """A counterpart with 101 needs in draft and a partner with 101 draft programmes see the 100 changed
    last, how many there are, and a link to the list that holds them all."""
    counterpart, partner = world.actors["counterpart_ken"], world.actors["partner_a"]
    for number in range(101):
        needs.create_need(session, actor=counterpart, data=need_data("KEN", title=f"Draft need {number}"))
        programmes.create_programme(
            session,
            actor=partner,
            data=programme_data(world.organisations["donor_a"], title=f"Draft {number}"),
        )
    drafting, offering = tasks.inbox(session, actor=counterpart), tasks.inbox(session, actor=partner)
    assert len(drafting.my_drafts) == 100 and drafting.my_drafts_total >= 101
    assert len(offering.draft_programmes) == 100 and offering.draft_programmes_total >= 101
    sign_in(client, world.emails["counterpart_ken"])
    page = client.get("/me").text
    assert f"The 100 changed last, of {drafting.my_drafts_total}." in page
    assert '<a href="/needs?mine=on">All the needs you drafted, in the needs list</a>' in page
    # The needs list, "only the needs I drafted": every need this person drafted, whatever its status
    # (another person's drafts of the same country are not among them).
    other = needs.create_need(
        session, actor=world.actors["focal_ken"], data=need_data("KEN", title="Not mine")
    )
    drafted = session.scalar(select(func.count(Need.id)).where(Need.created_by_id == counterpart.user_id))
    mine = client.get("/needs", params={"mine": "on"}).text
    assert drafted is not None and drafted >= drafting.my_drafts_total
    assert f"of {drafted:,}" in mine and other.reference not in mine
    assert 'name="mine" checked' in mine
    sign_in(client, world.emails["partner_a"])  # drafts no needs: not offered the choice
    assert 'name="mine"' not in client.get("/needs").text
    sign_in(client, world.emails["partner_a"])
    page = client.get("/me").text
    assert f"The 100 changed last, of {offering.draft_programmes_total}." in page
    assert '<a href="/programmes?status=draft">All of them in the programmes list</a>' in page
    listed_all = client.get("/programmes", params={"status": "draft"}).text
    assert f"of {offering.draft_programmes_total}" in listed_all


def test_partners_interest_past_a_hundred_is_counted_whole_and_the_oldest_listed(
    client: TestClient, session: Session, world: World
) -> None:
    """Partners mark interest in 101 published Kenyan needs: the focal point's header counts all of them
    (it stopped at 100), the inbox lists the 100 oldest and says of how many."""
    counterpart, focal = world.actors["counterpart_ken"], world.actors["focal_ken"]
    for number in range(101):
        need = needs.create_need(session, actor=counterpart, data=need_data("KEN", title=f"Wanted {number}"))
        for actor, target in ((counterpart, "submitted"), (focal, "endorsed"), (focal, "published")):
            need = needs.transition_need(
                session, actor=actor, need_id=need.id, target=target, version=need.version
            )
        gaps.mark_interest(
            session, actor=world.actors["partner_a"], need_id=need.id, data=InterestCreate(note="")
        )
    inbox = tasks.inbox(session, actor=focal)
    assert len(inbox.interests) == 100 and inbox.counts.interests >= 101
    assert tasks.waiting_count(session, actor=focal) == inbox.counts.waiting
    sign_in(client, world.emails["focal_ken"])
    page = client.get("/me").text
    assert f"The 100 that have waited longest, of {inbox.counts.interests}." in page
    assert f'aria-label="{inbox.waiting} waiting"' in page


def test_the_home_page_counts_the_waiting_tasks_once_for_its_header_and_its_list(
    client: TestClient, session: Session, world: World
) -> None:
    # The facilitator's home lists what waits (the header's badge says the total): the proposals waiting
    # were counted for each, on every visit.
    sign_in(client, world.emails["facilitator"])
    with recorded_statements(session.get_bind()) as seen:
        page = client.get("/")
    assert page.status_code == 200
    waiting = tasks.waiting_counts(session, actor=world.actors["facilitator"])
    assert waiting.waiting > 0 and f"{waiting.waiting} thing" in page.text  # "1 thing waits", "2 things wait"
    assert sum("FROM match_proposal" in statement and "count(" in statement for statement in seen) == 1
