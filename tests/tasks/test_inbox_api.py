"""The task inbox through the API (GET /api/v1/inbox). A ministry's system or a donor's CRM working from the
README and the OpenAPI description had no way to read what waits for a person (needs to endorse, proposals
to decide, evidence to check...): only the /me page showed it. The route answers the page's own lists and
counts for the token's holder, each item named as the page names it, with where to read it in the API and
where to act on it."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import EDITOR, REVIEWER, Actor
from pux.dialogues import service as dialogues
from pux.dialogues.schemas import ActionFields, ParticipantFields
from pux.gaps import service as gaps
from pux.gaps.schemas import InterestCreate
from pux.i18n import language_context
from pux.knowledge import repository as knowledge_repository
from pux.knowledge import service as knowledge
from pux.knowledge.models import TechniqueProfile
from pux.knowledge.schemas import TranslationFields
from pux.matching import repository as matching_repository
from pux.needs import service as needs
from pux.programmes import service as programmes
from pux.tasks import service as tasks
from tests.web_helpers import bearer, sign_in
from tests.world import (
    PASSWORD,
    World,
    event_data,
    facilitator_round,
    kenya_grant_programme,
    person,
    programme_data,
    screwworm_evidence,
)

REVIEWER_EMAIL = "reviewer.inbox-api@test.pux.invalid"
EDITOR_EMAIL = "editor.inbox-api@test.pux.invalid"
# The inbox's lists, as the API names them (the page shows them in this order too, mostly).
LISTS = (
    "to_endorse",
    "to_publish",
    "returned",
    "proposals",
    "interests",
    "evidence_to_check",
    "translations_to_review",
    "disputed_evidence",
    "my_drafts",
    "draft_programmes",
    "to_nominate",
    "my_actions",
    "concept_notes",
    "invitations",
)
TASK_LISTS = re.compile(r'<ul class="tasks">(.*?)</ul>', re.DOTALL)
TASK_LINK = re.compile(r'<li><a href="([^"]+)"')


def _token(session: Session, actor: Actor) -> str:
    _record, secret = accounts.create_api_token(session, actor=actor, name="inbox")
    return secret


def _inbox(client: TestClient, token: str, language: str = "en") -> dict[str, Any]:
    answer = client.get("/api/v1/inbox", headers={**bearer(token), "Accept-Language": language})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _ids(body: dict[str, Any]) -> dict[str, list[int]]:
    return {name: [item["id"] for item in body[name]["items"]] for name in LISTS}


def _service_ids(inbox: tasks.Inbox) -> dict[str, list[int]]:
    return {
        "to_endorse": [need.id for need in inbox.to_endorse],
        "to_publish": [need.id for need in inbox.to_publish],
        "returned": [need.id for need in inbox.returned],
        "proposals": [proposal.id for proposal in inbox.proposals],
        "interests": [interest.interest_id for interest in inbox.interests],
        "evidence_to_check": [entry.id for entry in inbox.evidence_to_check],
        "translations_to_review": [item.translation.id for item in inbox.translations_to_review],
        "disputed_evidence": [entry.id for entry in inbox.disputed_evidence],
        "my_drafts": [need.id for need in inbox.my_drafts],
        "draft_programmes": [programme.id for programme in inbox.draft_programmes],
        "to_nominate": [participant.id for participant in inbox.to_nominate],
        "my_actions": [action.id for action in inbox.my_actions],
        "concept_notes": [note.id for note in inbox.concept_notes],
        "invitations": [invitation.id for invitation in inbox.invitations],
    }


def _page_links(client: TestClient, email: str) -> Counter[str]:
    """Where each item of the person's /me page leads (every list of tasks, in order)."""
    sign_in(client, email)
    page = client.get("/me").text
    return Counter(
        html.unescape(link) for block in TASK_LISTS.findall(page) for link in TASK_LINK.findall(block)
    )


def _api_links(body: dict[str, Any]) -> Counter[str]:
    return Counter(item["page_url"] for name in LISTS for item in body[name]["items"] if item["page_url"])


def _people(session: Session, world: World) -> tuple[Actor, Actor]:
    """A reviewer and an editor of the knowledge base (the world has neither)."""
    return person(session, world, REVIEWER, REVIEWER_EMAIL), person(session, world, EDITOR, EDITOR_EMAIL)


def _work_for_everyone(session: Session, world: World, editor: Actor) -> dict[str, int]:
    """Something waiting for each of the people the tests read: proposals of a round, a nomination, an
    overdue action, a partner's interest, Uganda's submitted need, a draft programme of agency B, the
    editor's evidence entry and French translation of a technique's summary."""
    facilitator, partner = world.actors["facilitator"], world.actors["partner_a"]
    facilitator_round(session, world, kenya_grant_programme(session, world), title="API inbox", cap_share=1.0)
    event = dialogues.create_event(session, actor=facilitator, data=event_data(title="API inbox workshop"))
    dialogues.add_participant(
        session,
        actor=facilitator,
        event_id=event.id,
        data=ParticipantFields(user_id=world.user_ids["counterpart_ken"], country_iso3="KEN"),
    )
    for title, days in (("Overdue report", -3), ("Report due next week", 7)):
        dialogues.create_action(
            session,
            actor=facilitator,
            event_id=event.id,
            data=ActionFields(
                title=title, owner_user_id=world.user_ids["focal_ken"], due_on=date.today() + timedelta(days)
            ),
        )
    gaps.mark_interest(
        session, actor=partner, need_id=world.needs["published_ken"], data=InterestCreate(note="API inbox")
    )
    uganda = needs.get_need(session, actor=world.actors["focal_uga"], need_id=world.needs["draft_uga"])
    needs.transition_need(
        session,
        actor=world.actors["focal_uga"],
        need_id=uganda.id,
        target="submitted",
        version=uganda.version,
    )
    officer = world.actors["officer_b"]
    programme = programmes.create_programme(
        session, actor=officer, data=programme_data(world.organisations["agency_b"], title="Agency B draft")
    )
    entry = screwworm_evidence(session, editor)
    # The test database holds no technique pages: one, written in English.
    profile = TechniqueProfile(technique_code="radiotherapy", slug="radiotherapy", summary="Treats cancers.")
    knowledge_repository.add(session, profile)
    translation = knowledge.save_translation(
        session,
        actor=editor,
        entity_type="technique",
        entity_id=profile.id,
        data=TranslationFields(field="summary", language="fr", text="La radiothérapie traite les cancers."),
    )
    return {
        "programme_b": programme.id,
        "entry": entry.id,
        "translation": translation.id,
        "profile": profile.id,
    }


@pytest.mark.parametrize("role", ["focal_ken", "focal_uga", "officer_b", "partner_a", "reviewer"])
def test_the_api_lists_what_the_page_lists_for_the_same_person(
    client: TestClient, session: Session, world: World, role: str
) -> None:
    reviewer, editor = _people(session, world)
    _work_for_everyone(session, world, editor)
    actor = reviewer if role == "reviewer" else world.actors[role]
    email = REVIEWER_EMAIL if role == "reviewer" else world.emails[role]
    body = _inbox(client, _token(session, actor))

    inbox = tasks.inbox(session, actor=actor)
    assert _ids(body) == _service_ids(inbox)
    assert any(_ids(body).values()), "something waits for each of them"
    assert body["counts"] == {**asdict(inbox.counts), "waiting": inbox.waiting}
    assert body["rank_countries"] == list(inbox.rank_countries)
    assert body["reviews_knowledge"] is inbox.reviews_knowledge
    # Item for item, the page leads where the API says the page is.
    assert _api_links(body) == _page_links(client, email)


def test_each_item_says_what_it_is_and_where_to_read_it(
    client: TestClient, session: Session, world: World
) -> None:
    reviewer, editor = _people(session, world)
    made = _work_for_everyone(session, world, editor)
    focal = _inbox(client, world.tokens["focal_ken"])
    submitted = needs.get_need(session, actor=world.actors["focal_ken"], need_id=world.needs["submitted_ken"])
    assert {
        "id": submitted.id,
        "kind": "need",
        "title": f"{submitted.reference} {submitted.title}",
        "title_language": None,
        "status": "submitted",
        "api_url": f"/api/v1/needs/{submitted.id}",
        "page_url": f"/needs/{submitted.id}",
    } in focal["to_endorse"]["items"]
    # Where the API says the record is, it is there to read with the same token.
    for name in ("to_endorse", "proposals", "interests", "to_nominate"):
        for item in focal[name]["items"]:
            assert client.get(item["api_url"], headers=bearer(world.tokens["focal_ken"])).status_code == 200
    overdue = {item["title"]: item["overdue"] for item in focal["my_actions"]["items"]}
    assert overdue == {"Overdue report": True, "Report due next week": False}
    assert focal["counts"]["overdue_actions"] == 1

    checking = _inbox(client, _token(session, reviewer))
    entry = next(item for item in checking["evidence_to_check"]["items"] if item["id"] == made["entry"])
    assert entry["kind"] == "evidence" and entry["status"] == "reported"
    assert entry["title"] == "Yearly benefit to livestock producers" and entry["title_language"] == "en"
    assert entry["page_url"] == f"/evidence/{made['entry']}#check-heading"
    token = _token(session, reviewer)
    assert client.get(entry["api_url"], headers=bearer(token)).status_code == 200
    officer = _inbox(client, world.tokens["officer_b"])
    programme = officer["draft_programmes"]["items"][0]
    assert programme["api_url"] == f"/api/v1/programmes/{made['programme_b']}"
    assert client.get(programme["api_url"], headers=bearer(world.tokens["officer_b"])).status_code == 200


def test_one_person_never_sees_anothers_items(client: TestClient, session: Session, world: World) -> None:
    _reviewer, editor = _people(session, world)
    made = _work_for_everyone(session, world, editor)
    kenya, uganda = _inbox(client, world.tokens["focal_ken"]), _inbox(client, world.tokens["focal_uga"])
    assert world.needs["submitted_ken"] in _ids(kenya)["to_endorse"]
    assert world.needs["draft_uga"] in _ids(uganda)["to_endorse"]
    # Uganda's submitted need is not Kenya's to endorse, nor Kenya's Uganda's; nor a partner's interest in
    # a Kenyan need Uganda's to acknowledge.
    assert world.needs["draft_uga"] not in _ids(kenya)["to_endorse"]
    assert world.needs["submitted_ken"] not in _ids(uganda)["to_endorse"]
    assert _ids(kenya)["interests"] and not _ids(uganda)["interests"]
    # Agency B's draft programme is its officer's, donor A's draft is its partner's.
    officer, partner = _inbox(client, world.tokens["officer_b"]), _inbox(client, world.tokens["partner_a"])
    assert _ids(officer)["draft_programmes"] == [made["programme_b"]]
    assert made["programme_b"] not in _ids(partner)["draft_programmes"]
    assert world.programmes["draft_a"] in _ids(partner)["draft_programmes"]
    # What the editor wrote waits for a reviewer, not for the editor; evidence is no focal point's to check.
    writer = _inbox(client, _token(session, editor))
    assert made["entry"] not in _ids(writer)["evidence_to_check"]
    assert made["translation"] not in _ids(writer)["translations_to_review"]
    assert not kenya["evidence_to_check"]["items"] and kenya["reviews_knowledge"] is False


def test_a_technique_is_named_in_the_callers_language(
    client: TestClient, session: Session, world: World
) -> None:
    reviewer, editor = _people(session, world)
    made = _work_for_everyone(session, world, editor)
    profile = knowledge_repository.get_profile(session, made["profile"])
    assert profile is not None
    names = {}
    for language in ("en", "fr"):
        with language_context(language):
            names[language] = profile.technique.name()
    assert names["fr"] != names["en"]
    token = _token(session, reviewer)
    for language in ("en", "fr"):
        body = _inbox(client, token, language)
        items = body["translations_to_review"]["items"]
        item = next(item for item in items if item["id"] == made["translation"])
        assert item["title"] == names[language] and item["title_language"] is None
        number = item["id"]
        page = f"/techniques/{profile.slug}?translation={number}&back=%2Fme#translation-{number}"
        assert item["page_url"] == page
        assert item["api_url"] == f"/api/v1/techniques/{profile.slug}"


def test_a_list_past_what_is_shown_says_how_many_there_are_as_the_page_does(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    facilitator_round(session, world, kenya_grant_programme(session, world), title="API cut", cap_share=1.0)
    monkeypatch.setattr(matching_repository, "OPEN_PROPOSALS_SHOWN", 1)
    proposals = _inbox(client, world.tokens["partner_a"])["proposals"]
    assert len(proposals["items"]) == 1 and proposals["total"] >= 2
    sign_in(client, world.emails["partner_a"])
    assert f"The 1 that have waited longest, of {proposals['total']}." in client.get("/me").text


def test_without_a_token_it_is_refused_and_a_person_without_roles_has_nothing_waiting(
    client: TestClient, session: Session, world: World
) -> None:
    refused = client.get("/api/v1/inbox")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert "API token" in refused.json()["detail"]
    assert client.get("/api/v1/inbox", headers=bearer("pux_not-a-token")).status_code == 401

    email = "no.roles.inbox-api@test.pux.invalid"
    user = accounts.create_user(
        session, actor=world.actors["admin"], email=email, full_name="No roles", password=PASSWORD, grants=[]
    )
    body = _inbox(client, _token(session, accounts.actor_for(user)))
    assert not any(_ids(body).values()) and body["counts"]["waiting"] == 0
    assert all(body[name]["total"] == 0 for name in LISTS) and body["rank_countries"] == []
    sign_in(client, email)
    assert "0 things wait for you." in client.get("/me").text


def test_the_route_is_described_with_its_error_answers(client: TestClient) -> None:
    described = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/inbox"]["get"]
    assert "401" in described["responses"]
    assert described["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InboxRead"
    }
