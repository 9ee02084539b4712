"""Read shapes of the task inbox (GET /api/v1/inbox): the lists and counts of the /me page."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

ItemKind = Literal[
    "need",
    "proposal",
    "interest",
    "evidence",
    "translation",
    "programme",
    "participant",
    "action",
    "concept_note",
    "invitation",
]


class InboxItemRead(BaseModel):
    """One thing in the inbox, named as the page names it."""

    id: int = Field(description="The id of the item of this kind (a translation's, an interest's...)")
    kind: ItemKind
    title: str = Field(description="As the inbox page shows it (a need: its reference and title)")
    title_language: str | None = Field(
        default=None,
        description="The language the title is written in, where it is given as written (evidence claims, "
        "stories); absent when it is in the caller's language or not told",
    )
    status: str | None = Field(default=None, description="The record's status code, where it has one")
    api_url: str | None = Field(default=None, description="Where to read the record in this API")
    page_url: str | None = Field(default=None, description="The page where a person acts on it")


class ActionItemRead(InboxItemRead):
    """A follow-up action of the caller's: the page marks the overdue ones."""

    due_on: date | None = None
    overdue: bool = False


class InboxListRead(BaseModel):
    """One list of the inbox: its first items as the page shows them (at most 100 for needs, programmes
    and evidence, 200 for proposals) and how many there are in all."""

    total: int = Field(description="How many there are, the listed ones and those beyond")
    items: list[InboxItemRead]


class ActionListRead(BaseModel):
    total: int
    items: list[ActionItemRead]


class WaitingCountsRead(BaseModel):
    """How many of each thing wait for an action (the count in the page header is ``waiting``)."""

    to_endorse: int
    to_publish: int
    returned: int
    proposals: int
    to_nominate: int
    overdue_actions: int
    interests: int
    evidence_to_check: int
    translations_to_review: int
    disputed_evidence: int
    waiting: int = Field(description="The sum of the others")


class InboxRead(BaseModel):
    """What waits for the caller, each list limited to what they may act on (as on the /me page)."""

    counts: WaitingCountsRead
    to_endorse: InboxListRead = Field(description="Submitted needs of the caller's countries to endorse")
    to_publish: InboxListRead = Field(description="Endorsed needs to publish")
    rank_countries: list[str] = Field(description="Countries whose national priority order the caller sets")
    returned: InboxListRead = Field(description="Needs returned for changes")
    proposals: InboxListRead = Field(description="Proposals waiting for the caller's decision")
    interests: InboxListRead = Field(description="Partners' interest in the caller's needs, not acknowledged")
    reviews_knowledge: bool = Field(description="Whether the caller checks evidence and reviews translations")
    evidence_to_check: InboxListRead
    translations_to_review: InboxListRead
    loaded_translations_unreviewed: int = Field(
        description="Machine-assisted translations loaded with PUX never reviewed (not counted as waiting)"
    )
    disputed_evidence: InboxListRead
    my_drafts: InboxListRead = Field(description="The needs the caller drafted, in draft or returned")
    draft_programmes: InboxListRead
    to_nominate: InboxListRead = Field(description="People to nominate or endorse for dialogue events")
    my_actions: ActionListRead = Field(description="The caller's open follow-up actions")
    concept_notes: InboxListRead = Field(description="Concept notes from the dialogue to refine")
    invitations: InboxListRead = Field(description="Invitations not yet accepted")
