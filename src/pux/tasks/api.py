"""JSON route of the task inbox (/api/v1/inbox): what waits for the token's holder, as their /me page shows
it. The service decides what each list holds; this edge only names each item as the page does and says
where to read it (in this API) and where to act on it (its page)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import TypeVar

from pux.accounts.models import Invitation
from pux.dialogues.models import ActionItem, ConceptNote, Participant
from pux.gaps.schemas import InterestView
from pux.knowledge.models import EvidenceEntry
from pux.matching.models import MatchProposal
from pux.needs.models import Need
from pux.programmes.models import Programme
from pux.tasks import service
from pux.tasks.schemas import (
    ActionItemRead,
    ActionListRead,
    InboxItemRead,
    InboxListRead,
    InboxRead,
    WaitingCountsRead,
)
from pux.web.deps import SessionDep
from pux.web.openapi import error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("tasks")
API = "/api/v1"
Record = TypeVar("Record")


@router.get("/inbox", response_model=InboxRead, responses=error_responses(401))
def read_inbox(session: SessionDep, actor: ApiActor) -> InboxRead:
    """What waits for the caller: the lists and counts of their task inbox page (/me). Lists of needs,
    programmes and evidence give their first 100 (proposals 200); each list's ``total`` says how many
    there are in all. Titles of techniques follow Accept-Language; texts are given as written."""
    found = service.callers_inbox(session, actor=actor)
    counts = found.counts
    return InboxRead(
        counts=WaitingCountsRead(**asdict(counts), waiting=counts.waiting),
        to_endorse=_listed(found.to_endorse, counts.to_endorse, _need),
        to_publish=_listed(found.to_publish, counts.to_publish, _need),
        rank_countries=list(found.rank_countries),
        returned=_listed(found.returned, counts.returned, _need),
        proposals=_listed(found.proposals, counts.proposals, _proposal),
        interests=_listed(found.interests, counts.interests, _interest),
        reviews_knowledge=found.reviews_knowledge,
        evidence_to_check=_listed(found.evidence_to_check, counts.evidence_to_check, _evidence_to_check),
        translations_to_review=_listed(
            found.translations_to_review, counts.translations_to_review, _translation
        ),
        loaded_translations_unreviewed=found.loaded_translations_unreviewed,
        disputed_evidence=_listed(found.disputed_evidence, counts.disputed_evidence, _evidence),
        my_drafts=_listed(found.my_drafts, found.my_drafts_total, _need),
        draft_programmes=_listed(found.draft_programmes, found.draft_programmes_total, _programme),
        to_nominate=_listed(found.to_nominate, counts.to_nominate, _participant),
        my_actions=_actions(found),
        concept_notes=_listed(found.concept_notes, len(found.concept_notes), _concept_note),
        invitations=_listed(found.invitations, len(found.invitations), _invitation),
    )


def _listed(records: Sequence[Record], total: int, read: Callable[[Record], InboxItemRead]) -> InboxListRead:
    # A list is never said to be shorter than what it shows (the count and the list are read apart).
    return InboxListRead(total=max(total, len(records)), items=[read(record) for record in records])


def _need(need: Need) -> InboxItemRead:
    return InboxItemRead(
        id=need.id,
        kind="need",
        title=f"{need.reference} {need.title}",
        status=need.status,
        api_url=f"{API}/needs/{need.id}",
        page_url=f"/needs/{need.id}",
    )


def _proposal(proposal: MatchProposal) -> InboxItemRead:
    # A proposal is decided on its round's page; one made outside a round has none to point to.
    in_round = proposal.round_id is not None
    return InboxItemRead(
        id=proposal.id,
        kind="proposal",
        title=f"{proposal.need.reference} {proposal.need.title} ← {proposal.programme.title}",
        status=proposal.status,
        api_url=f"{API}/matching/rounds/{proposal.round_id}/proposals" if in_round else None,
        page_url=f"/matching/rounds/{proposal.round_id}" if in_round else "/matching",
    )


def _interest(interest: InterestView) -> InboxItemRead:
    return InboxItemRead(
        id=interest.interest_id,
        kind="interest",
        title=f"{interest.need_reference} {interest.need_title}",
        status=interest.status,
        api_url=f"{API}/needs/{interest.need_id}/interest",
        page_url=f"/needs/{interest.need_id}#interests",
    )


def _evidence(entry: EvidenceEntry) -> InboxItemRead:
    return InboxItemRead(
        id=entry.id,
        kind="evidence",
        title=entry.claim,
        title_language=entry.source_language,
        status=entry.status,
        api_url=f"{API}/evidence/{entry.id}",
        page_url=f"/evidence/{entry.id}",
    )


def _evidence_to_check(entry: EvidenceEntry) -> InboxItemRead:
    # The page leads the reviewer straight to the check.
    read = _evidence(entry)
    return read.model_copy(update={"page_url": f"{read.page_url}#check-heading"})


def _translation(item: service.TranslationToReview) -> InboxItemRead:
    # The record's page (/evidence/1, /stories/<slug>...) is read at the same path in the API.
    return InboxItemRead(
        id=item.translation.id,
        kind="translation",
        title=item.record_title,
        title_language=item.title_language,
        status=item.translation.status,
        api_url=f"{API}{item.record_page}",
        page_url=item.href("/me"),  # as the inbox page links it: its review leads back there
    )


def _programme(programme: Programme) -> InboxItemRead:
    return InboxItemRead(
        id=programme.id,
        kind="programme",
        title=programme.title,
        status=programme.status,
        api_url=f"{API}/programmes/{programme.id}",
        page_url=f"/programmes/{programme.id}",
    )


def _participant(participant: Participant) -> InboxItemRead:
    return InboxItemRead(
        id=participant.id,
        kind="participant",
        title=f"{participant.full_name} — {participant.event.title}",
        status=participant.status,
        api_url=f"{API}/events/{participant.event_id}/participants",
        page_url=f"/events/{participant.event_id}/participants",
    )


def _actions(found: service.Inbox) -> ActionListRead:
    overdue = {action.id for action in found.overdue_actions}
    return ActionListRead(
        total=len(found.my_actions), items=[_action(action, overdue) for action in found.my_actions]
    )


def _action(action: ActionItem, overdue: Iterable[int]) -> ActionItemRead:
    return ActionItemRead(
        id=action.id,
        kind="action",
        title=action.title,
        status=action.status,
        api_url=f"{API}/actions/{action.id}",
        page_url="/actions",
        due_on=action.due_on,
        overdue=action.id in overdue,
    )


def _concept_note(note: ConceptNote) -> InboxItemRead:
    return InboxItemRead(
        id=note.id,
        kind="concept_note",
        title=note.title,
        status=note.status,
        api_url=f"{API}/concept-notes/{note.id}",
        page_url=f"/concept-notes/{note.id}",
    )


def _invitation(invitation: Invitation) -> InboxItemRead:
    # The page names a pending invitation by the address it was sent to, and links nowhere.
    return InboxItemRead(id=invitation.id, kind="invitation", title=invitation.email)
