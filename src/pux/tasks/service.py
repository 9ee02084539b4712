"""The task inbox: what waits for this person now, by role, and their own records.

Nothing here decides access on its own: each list is what the person may act on under
accounts.permissions (a focal point's country's submitted needs, an organisation's open proposals, the
evidence a reviewer may check...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.models import Invitation
from pux.accounts.permissions import Actor
from pux.dialogues import service as dialogues
from pux.dialogues.models import ActionItem, ConceptNote, Participant
from pux.gaps import service as gaps
from pux.gaps.schemas import InterestView
from pux.i18n import gettext as _
from pux.knowledge import repository as knowledge_repository
from pux.knowledge import service as knowledge
from pux.knowledge import vocabulary as knowledge_words
from pux.knowledge.markdown import plain_text
from pux.knowledge.models import EvidenceEntry, KnowledgeTranslation
from pux.matching import repository as matching_repository
from pux.matching.models import MatchProposal
from pux.needs import repository as needs_repository
from pux.needs import workflow
from pux.needs.models import Need
from pux.pagination import Page, PageRequest
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
    evidence_to_check: int = 0
    translations_to_review: int = 0
    disputed_evidence: int = 0

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
            + self.evidence_to_check
            + self.translations_to_review
            + self.disputed_evidence
        )


@dataclass(frozen=True)
class TranslationToReview:
    """A translation waiting for a reviewer, with what it translates and the page where it is reviewed."""

    translation: KnowledgeTranslation
    record_title: str
    # The language the title is written in; None when it is the reader's (a technique's name).
    title_language: str | None
    record_page: str  # /evidence/1, /techniques/<slug>...

    @property
    def excerpt(self) -> str:
        """The translation's words without Markdown's marks (a story's body, a myth's finding), for a list."""
        return plain_text(self.translation.text)

    def href(self, back: str = "") -> str:
        """The record's page, opened at this translation (a technique page keeps them folded otherwise);
        its review then leads back to ``back`` when given (the list the reviewer works through)."""
        number = self.translation.id
        query = urlencode({"translation": number, **({"back": back} if back else {})})
        return f"{self.record_page}?{query}#translation-{number}"


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
    # Whether this person checks evidence and reviews translations (reviewers, facilitators): the inbox
    # then says so even when none wait.
    reviews_knowledge: bool = False
    # Reported entries another person added, waiting for a second person's check against the source.
    evidence_to_check: Sequence[EvidenceEntry] = ()
    # Translations a person wrote, not yet reviewed, and not by this reviewer (a review is a second
    # person's reading).
    translations_to_review: Sequence[TranslationToReview] = ()
    # The machine-assisted drafts PUX loaded, never reviewed: a backlog told apart, not counted as
    # waiting (on a new installation they number in the thousands and would hide what people ask for).
    loaded_translations_unreviewed: int = 0
    # Entries a reviewer disputed, for whoever corrects them (editors any, an expert their own).
    disputed_evidence: Sequence[EvidenceEntry] = ()
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
    _add_knowledge_work(session, actor, found)
    found.counts = waiting_counts(session, actor=actor)
    return found


def callers_inbox(session: Session, *, actor: Actor) -> Inbox:
    """``inbox`` for a caller of the API, who must say who they are: the page sends the public to sign
    in, the API refuses them (401) rather than answer an inbox that is empty only for want of a token."""
    permissions.require(actor.is_authenticated, _("Sign in to see what waits for you."))
    return inbox(session, actor=actor)


def _add_knowledge_work(session: Session, actor: Actor, found: Inbox) -> None:
    """The evidence and translations waiting for this reviewer, and the disputed entries for this editor."""
    work = permissions.knowledge_work(actor)
    found.reviews_knowledge = work.reviews
    if work.checks_evidence:
        found.evidence_to_check = knowledge_repository.evidence_in_status(
            session, knowledge_words.REPORTED, limit=LISTED, not_author_id=actor.user_id
        )
    if work.reviews_translations:
        translations = knowledge_repository.translations_to_review(
            session, limit=LISTED, not_written_by_id=actor.user_id
        )
        found.translations_to_review = [_to_review(session, t) for t in translations]
        found.loaded_translations_unreviewed = knowledge_repository.count_loaded_translations_unreviewed(
            session
        )
    if work.corrects_disputed:
        found.disputed_evidence = knowledge_repository.evidence_in_status(
            session, knowledge_words.DISPUTED, limit=LISTED, author_id=work.disputed_author_id
        )


@dataclass(frozen=True)
class LoadedTranslations:
    """A page of the loaded drafts to review, and how many wait in each language (for the filter)."""

    page: Page[TranslationToReview]
    by_language: dict[str, int]


def loaded_translations_to_review(
    session: Session, *, actor: Actor, language: str | None, page: PageRequest
) -> LoadedTranslations:
    """The machine-assisted drafts loaded with PUX (the seed's, the demo's) that no one has reviewed, for a
    reviewer to work through, in one language if they choose: the inbox only counts them (1,200 at
    the demo), each with the page of its record, where it is reviewed beside the text it translates."""
    permissions.require(
        permissions.can_review_translations(actor), _("Only knowledge reviewers review translations.")
    )
    found = knowledge_repository.loaded_translations_unreviewed(session, language=language, page=page)
    listed = Page(
        items=[_to_review(session, translation) for translation in found.items],
        total=found.total,
        request=found.request,
    )
    return LoadedTranslations(listed, knowledge_repository.loaded_unreviewed_by_language(session))


def _to_review(session: Session, translation: KnowledgeTranslation) -> TranslationToReview:
    title, language = _translated_record_title(session, translation)
    page = knowledge.page_of_translation(session, translation=translation)
    return TranslationToReview(translation, title, language, page)


def _translated_record_title(session: Session, translation: KnowledgeTranslation) -> tuple[str, str | None]:
    """The title of the record a translation belongs to, as written, and its language (a part of a
    technique page is named by its technique, in the reader's language)."""
    kind, record_id = translation.entity_type, translation.entity_id
    if kind == knowledge_words.EVIDENCE:
        entry = knowledge_repository.get_evidence(session, record_id)
        return (entry.claim, entry.source_language) if entry else ("", None)
    if kind == knowledge_words.STORY:
        story = knowledge_repository.get_story(session, record_id)
        return (story.title, story.source_language) if story else ("", None)
    if kind == knowledge_words.MYTH:
        myth = knowledge_repository.get_myth(session, record_id)
        return (myth.claim, myth.source_language) if myth else ("", None)
    profile_id = knowledge_repository.profile_id_of(session, kind, record_id)
    profile = knowledge_repository.get_profile(session, profile_id) if profile_id is not None else None
    return (profile.technique.name(), None) if profile else ("", None)


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
        **_knowledge_counts(session, actor),
    )


def _knowledge_counts(session: Session, actor: Actor) -> dict[str, int]:
    """The sizes of the inbox's evidence and translation lists (queried only for those they wait for)."""
    work = permissions.knowledge_work(actor)
    counts: dict[str, int] = {}
    if work.checks_evidence:
        counts["evidence_to_check"] = knowledge_repository.count_evidence_in_status(
            session, knowledge_words.REPORTED, not_author_id=actor.user_id
        )
    if work.reviews_translations:
        counts["translations_to_review"] = knowledge_repository.count_translations_to_review(
            session, not_written_by_id=actor.user_id
        )
    if work.corrects_disputed:
        counts["disputed_evidence"] = knowledge_repository.count_evidence_in_status(
            session, knowledge_words.DISPUTED, author_id=work.disputed_author_id
        )
    return counts


def waiting_count(session: Session, *, actor: Actor) -> int:
    """How many things wait for this person's action (for the header, on every page)."""
    return waiting_counts(session, actor=actor).waiting
