"""The reviewer's and the editor's waiting work in the inbox. A reviewer's /me said "nothing waiting for you
(0)" while an editor's new evidence entry waited to be checked and their Arabic translation waited for a
review: the reviewer found them only by opening each record. The inbox (and the header count) now lists,
for reviewers, the entries waiting for a check and the translations waiting for a review (never what the
reviewer wrote: a review is a second person's), and, for whoever corrects them, the disputed entries."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import EDITOR, REVIEWER, Actor
from pux.knowledge import repository, service
from pux.knowledge.models import KnowledgeTranslation
from pux.knowledge.schemas import EvidenceDispute, TranslationFields
from pux.tasks import service as tasks
from tests.web_helpers import sign_in
from tests.world import ROLES, World, person, screwworm_evidence

ARABIC_CLAIM = "الفائدة السنوية لمربي الماشية"
EMAILS = {EDITOR: "editor.inbox@test.pux.invalid", REVIEWER: "reviewer.inbox@test.pux.invalid"}


def _entry(session: Session, actor: Actor, claim: str) -> int:
    entry = screwworm_evidence(session, actor, claim)
    return entry.id


def _arabic_claim(session: Session, actor: Actor, entry_id: int) -> KnowledgeTranslation:
    data = TranslationFields(field="claim", language="ar", text=ARABIC_CLAIM)
    return service.save_translation(
        session, actor=actor, entity_type="evidence", entity_id=entry_id, data=data
    )


def _whole(inbox: tasks.Inbox) -> None:
    """Each list is whole (fewer than the 100 shown) and counted as the header counts it."""
    assert inbox.counts.evidence_to_check == len(inbox.evidence_to_check)
    assert inbox.counts.translations_to_review == len(inbox.translations_to_review)
    assert inbox.counts.disputed_evidence == len(inbox.disputed_evidence)


def test_the_editors_new_entry_and_translation_wait_in_the_reviewers_inbox_and_header(
    client: TestClient, session: Session, world: World
) -> None:
    editor = person(session, world, EDITOR, EMAILS[EDITOR])
    reviewer = person(session, world, REVIEWER, EMAILS[REVIEWER])
    entry_id = _entry(session, editor, "Yearly benefit to livestock producers")
    translation = _arabic_claim(session, editor, entry_id)

    inbox = tasks.inbox(session, actor=reviewer)
    assert entry_id in [entry.id for entry in inbox.evidence_to_check]
    waiting = {item.translation.id: item for item in inbox.translations_to_review}
    link = f"/evidence/{entry_id}?translation={translation.id}#translation-{translation.id}"
    assert waiting[translation.id].href() == link
    assert waiting[translation.id].record_title == "Yearly benefit to livestock producers"
    _whole(inbox)
    assert tasks.waiting_count(session, actor=reviewer) == inbox.waiting >= 2

    sign_in(client, EMAILS[REVIEWER])
    page = client.get("/me").text
    assert f'aria-label="{inbox.waiting} waiting"' in page  # the header count
    assert f'href="/evidence/{entry_id}#check-heading"' in page
    back_to_inbox = link.replace("#", "&amp;back=%2Fme#")  # its review leads back to the inbox
    assert f'href="{back_to_inbox}"' in page and ARABIC_CLAIM in page
    # Where the links lead, the reviewer finds the check and the review offered.
    evidence_page = client.get(f"/evidence/{entry_id}").text
    assert f'action="/evidence/{entry_id}/check"' in evidence_page
    assert f'action="/knowledge/translations/{translation.id}/review"' in evidence_page

    # Done, they no longer wait.
    entry = repository.get_evidence(session, entry_id)
    assert entry is not None
    service.check_evidence(session, actor=reviewer, entry_id=entry_id, version=entry.version)
    service.review_translation(
        session, actor=reviewer, translation_id=translation.id, version=translation.version
    )
    after = tasks.inbox(session, actor=reviewer)
    assert entry_id not in [e.id for e in after.evidence_to_check]
    assert translation.id not in [item.translation.id for item in after.translations_to_review]
    assert tasks.waiting_count(session, actor=reviewer) == inbox.waiting - 2


def test_what_a_reviewer_wrote_waits_for_another_reviewer_not_for_them(
    session: Session, world: World
) -> None:
    """A facilitator both writes and reviews: their own entry and translation wait for the reviewer."""
    facilitator = world.actors["facilitator"]
    reviewer = person(session, world, REVIEWER, EMAILS[REVIEWER])
    entry_id = _entry(session, facilitator, "Entry the facilitator added")
    translation = _arabic_claim(session, facilitator, entry_id)

    own = tasks.inbox(session, actor=facilitator)
    assert entry_id not in [e.id for e in own.evidence_to_check]
    assert translation.id not in [item.translation.id for item in own.translations_to_review]
    _whole(own)
    other = tasks.inbox(session, actor=reviewer)
    assert entry_id in [e.id for e in other.evidence_to_check]
    assert translation.id in [item.translation.id for item in other.translations_to_review]


def test_the_machine_drafts_pux_loaded_are_told_apart_not_counted_as_waiting(
    client: TestClient, session: Session, world: World
) -> None:
    reviewer = person(session, world, REVIEWER, EMAILS[REVIEWER])
    editor = person(session, world, EDITOR, EMAILS[EDITOR])
    entry_id = _entry(session, editor, "Entry with a loaded translation")
    loaded = KnowledgeTranslation(
        entity_type="evidence", entity_id=entry_id, field="claim", language="fr", text="Chargée par PUX"
    )
    repository.add(session, loaded)
    inbox = tasks.inbox(session, actor=reviewer)
    assert loaded.id not in [item.translation.id for item in inbox.translations_to_review]
    assert inbox.loaded_translations_unreviewed >= 1
    _whole(inbox)
    sign_in(client, EMAILS[REVIEWER])
    assert "machine-assisted translation" in client.get("/me").text


def test_a_disputed_entry_waits_for_the_editors_and_for_the_expert_who_added_it(
    client: TestClient, session: Session, world: World
) -> None:
    editor = person(session, world, EDITOR, EMAILS[EDITOR])
    reviewer = person(session, world, REVIEWER, EMAILS[REVIEWER])
    expert = world.actors["expert"]
    experts_entry = _entry(session, expert, "The expert's figure")
    editors_entry = _entry(session, editor, "The editor's figure")
    for entry_id in (experts_entry, editors_entry):
        entry = repository.get_evidence(session, entry_id)
        assert entry is not None
        reason = EvidenceDispute(version=entry.version, reason="The report gives 796, not 896.")
        service.dispute_evidence(session, actor=reviewer, entry_id=entry_id, data=reason)

    editors = tasks.inbox(session, actor=editor)
    assert {experts_entry, editors_entry} <= {e.id for e in editors.disputed_evidence}
    experts = tasks.inbox(session, actor=expert)
    assert [e.id for e in experts.disputed_evidence] == [experts_entry]
    for inbox, actor in ((editors, editor), (experts, expert)):
        _whole(inbox)
        assert tasks.waiting_count(session, actor=actor) == inbox.waiting
    # The reviewer who disputed them does not correct them.
    assert tasks.inbox(session, actor=reviewer).disputed_evidence == ()

    sign_in(client, EMAILS[EDITOR])
    page = client.get("/me").text
    assert "Disputed evidence to correct" in page and "The report gives 796, not 896." in page
    assert f'href="/evidence/{experts_entry}"' in page


def test_people_who_neither_check_nor_correct_evidence_have_none_of_it_waiting(
    session: Session, world: World
) -> None:
    editor = person(session, world, EDITOR, EMAILS[EDITOR])
    _arabic_claim(session, editor, _entry(session, editor, "Nobody else's work"))
    for role in ROLES:
        actor = world.actors[role]
        if actor.is_global or role == "expert":
            continue
        inbox = tasks.inbox(session, actor=actor)
        assert not (inbox.evidence_to_check or inbox.translations_to_review or inbox.disputed_evidence)
        counts = tasks.waiting_counts(session, actor=actor)
        assert counts.evidence_to_check == counts.translations_to_review == counts.disputed_evidence == 0
