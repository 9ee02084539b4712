"""The task inbox: what waits for this person now, by role, and their own records.

Nothing here decides access on its own: each list is what the person may act on under
accounts.permissions (a focal point's country's submitted needs, an organisation's open proposals...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.models import Invitation
from pux.accounts.permissions import Actor
from pux.dialogues import service as dialogues
from pux.dialogues.models import ActionItem, ConceptNote, Participant
from pux.gaps import service as gaps
from pux.gaps.schemas import InterestView
from pux.matching import repository as matching_repository
from pux.matching.models import MatchProposal
from pux.needs import repository as needs_repository
from pux.needs import workflow
from pux.needs.models import Need
from pux.programmes import repository as programmes_repository
from pux.programmes.models import Programme

# The longest list of needs or programmes the inbox shows.
LISTED = 100


@dataclass(frozen=True)
class WaitingCounts:
    """How many of each thing wait for a person: Inbox's lists counted, not loaded (the header on every
    page and the home page show these)."""

    to_endorse: int = 0
    to_publish: int = 0
    returned: int = 0
    proposals: int = 0
    to_nominate: int = 0
    overdue_actions: int = 0
    interests: int = 0

    @property
    def waiting(self) -> int:
        """How many things wait for an action (the count in the header and on the inbox)."""
        return (
            self.to_endorse
            + self.to_publish
            + self.returned
            + self.proposals
            + self.to_nominate
            + self.overdue_actions
            + self.interests
        )


@dataclass
class Inbox:
    """What waits for a person, each list already limited to what they may act on."""

    to_endorse: Sequence[Need] = ()
    to_publish: Sequence[Need] = ()
    returned: Sequence[Need] = ()
    my_drafts: Sequence[Need] = ()
    proposals: Sequence[MatchProposal] = ()
    draft_programmes: Sequence[Programme] = ()
    invitations: Sequence[Invitation] = ()
    rank_countries: Sequence[str] = field(default_factory=tuple)
    to_nominate: Sequence[Participant] = ()
    my_actions: Sequence[ActionItem] = ()
    concept_notes: Sequence[ConceptNote] = ()
    # Partners' marks of interest in the country's needs, not yet acknowledged by its focal point.
    interests: Sequence[InterestView] = ()
    today: date = field(default_factory=date.today)
    # The lists' whole sizes (the lists of needs show the oldest 100): what the header counts.
    counts: WaitingCounts = field(default_factory=WaitingCounts)
    # The drafts' whole numbers (the lists show the latest 100; drafts wait for nobody but their author).
    my_drafts_total: int = 0
    draft_programmes_total: int = 0

    @property
    def overdue_actions(self) -> list[ActionItem]:
        return overdue(self.my_actions, self.today)

    @property
    def waiting(self) -> int:
        """How many things wait for an action (the count in the header)."""
        return self.counts.waiting


def overdue(actions: Sequence[ActionItem], today: date) -> list[ActionItem]:
    return [action for action in actions if action.due_on is not None and action.due_on < today]


def _countries(actor: Actor, *roles: str) -> frozenset[str] | None:
    return None if actor.is_global else actor.countries(*roles)


def inbox(session: Session, *, actor: Actor) -> Inbox:
    """Everything that waits for this person."""
    if not actor.is_authenticated:
        return Inbox()
    focal = _countries(actor, permissions.FOCAL_POINT)
    drafting = _countries(actor, permissions.FOCAL_POINT, permissions.COUNTERPART)
    organisations = _organisations(actor)
    found = Inbox()
    if focal is None or focal:
        found.to_endorse = needs_repository.in_statuses(
            session, countries=focal, statuses=(workflow.SUBMITTED,)
        )
        found.to_publish = needs_repository.in_statuses(
            session, countries=focal, statuses=(workflow.ENDORSED,)
        )
        found.rank_countries = sorted(focal) if focal else ()
    if drafting is None or drafting:
        found.returned = needs_repository.in_statuses(
            session, countries=drafting, statuses=(workflow.RETURNED,)
        )
    if (user_id := actor.user_id) is not None:
        drafts = (workflow.DRAFT, workflow.RETURNED)
        found.my_drafts = needs_repository.drafted_by(session, user_id=user_id, statuses=drafts, limit=LISTED)
        found.my_drafts_total = _whole(
            found.my_drafts,
            lambda: needs_repository.count_drafted_by(session, user_id=user_id, statuses=drafts),
        )
    found.proposals = _proposals_waiting(session, actor)
    if organisations is None or organisations:
        found.draft_programmes = programmes_repository.drafts_of(
            session, organisations=organisations, limit=LISTED
        )
        found.draft_programmes_total = _whole(
            found.draft_programmes,
            lambda: programmes_repository.count_drafts_of(session, organisations=organisations),
        )
    if actor.is_global or actor.countries(permissions.FOCAL_POINT):
        found.invitations = accounts_repository.pending_invitations(
            session, invited_by_id=None if actor.is_global else actor.user_id, now=datetime.now(UTC)
        )
    found.to_nominate = dialogues.nominations_waiting(session, actor=actor)
    found.my_actions = dialogues.my_open_actions(session, actor=actor)
    found.concept_notes = dialogues.concept_notes_to_refine(session, actor=actor)
    found.interests = gaps.interests_waiting(session, actor=actor)
    found.counts = waiting_counts(session, actor=actor)
    return found


def _whole(listed: Sequence[object], count: Callable[[], int]) -> int:
    """How many there are of a list the repository cut at LISTED (counted only if it was cut)."""
    return len(listed) if len(listed) < LISTED else count()


def _organisations(actor: Actor) -> frozenset[int] | None:
    return (
        None if actor.is_global else actor.organisations(permissions.PARTNER, permissions.PROGRAMME_OFFICER)
    )


def _proposals_waiting(session: Session, actor: Actor) -> list[MatchProposal]:
    deciders = permissions.proposal_deciders(actor)
    if deciders.none:
        return []
    return list(matching_repository.waiting_proposals(session, deciders))


def waiting_counts(session: Session, *, actor: Actor) -> WaitingCounts:
    """The sizes of the lists of ``inbox`` that wait for an action, counted by the database where a list
    can be long (needs, proposals)."""
    if not actor.is_authenticated:
        return WaitingCounts()
    focal = _countries(actor, permissions.FOCAL_POINT)
    drafting = _countries(actor, permissions.FOCAL_POINT, permissions.COUNTERPART)
    to_endorse, to_publish, returned = needs_repository.counts_in_statuses(
        session,
        [(focal, (workflow.SUBMITTED,)), (focal, (workflow.ENDORSED,)), (drafting, (workflow.RETURNED,))],
    )
    return WaitingCounts(
        to_endorse=to_endorse,
        to_publish=to_publish,
        returned=returned,
        proposals=matching_repository.count_waiting_proposals(session, permissions.proposal_deciders(actor)),
        to_nominate=dialogues.count_nominations_waiting(session, actor=actor),
        overdue_actions=dialogues.overdue_count(session, actor=actor, today=date.today()),
        interests=gaps.count_interests_waiting(session, actor=actor),
    )


def waiting_count(session: Session, *, actor: Actor) -> int:
    """How many things wait for this person's action (for the header, on every page)."""
    return waiting_counts(session, actor=actor).waiting
