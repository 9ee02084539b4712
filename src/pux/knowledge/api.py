"""JSON routes of the knowledge package (/api/v1/techniques, evidence, stories, myths).

Every route calls the service, which checks permission and audits; writes need a bearer token. Texts are
given as written (``source_language``); techniques are given in the caller's language or a labelled
fallback (``summary_language``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from fastapi import Path, Query
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service
from pux.knowledge import vocabulary as v
from pux.knowledge.models import EvidenceEntry, SuccessStory
from pux.knowledge.repository import EvidenceFilter
from pux.knowledge.schemas import (
    AlternativeRead,
    CellRead,
    EvidenceCheck,
    EvidenceCreate,
    EvidenceDispute,
    EvidenceRead,
    EvidenceUpdate,
    KnowledgeReview,
    MythRead,
    PrerequisiteRead,
    SourceRead,
    StoryRead,
    TechniqueRead,
)
from pux.validation import one_of_or_blank
from pux.web.deps import SessionDep
from pux.web.filters import ApiPage, country_code
from pux.web.forms import RecordPath
from pux.web.listing import ListPage
from pux.web.openapi import ApiBody, error_responses
from pux.web.routing import api_router
from pux.web.security import ApiActor

router = api_router("knowledge")
SlugPath = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[a-z0-9-]+$")]
Code = Annotated[str | None, Query(max_length=40)]
Status = Annotated[str | None, Query(pattern="^(reported|checked|disputed)?$")]
# A study method, or "not_stated" for the entries without one (the ledger page filters the same way).
StudyMethodFilter = Annotated[str | None, Query(pattern=one_of_or_blank(v.METHOD_FILTERS))]


def _technique_read(page: service.TechniquePage) -> TechniqueRead:
    return TechniqueRead(
        code=page.technique.code,
        slug=page.slug,
        name=page.technique.name(),
        thematic_area_code=page.technique.thematic_area_code,
        summary=page.summary.text if page.summary else "",
        summary_language=page.summary.language if page.summary else "en",
        sdg_target_codes=[t.code for t in page.sdg_targets],
        prerequisites=[PrerequisiteRead(kind=kind, text=text.text) for kind, text in page.prerequisites],
        alternatives=[
            AlternativeRead(
                code=a.code,
                name=a.name.text,
                relation=a.relation,
                cells=[
                    CellRead(
                        criterion=c.criterion,
                        technique=c.technique.text if c.technique else None,
                        alternative=c.alternative.text if c.alternative else None,
                        source=SourceRead.model_validate(c.source) if c.source else None,
                    )
                    for c in a.cells
                ],
            )
            for a in page.alternatives
        ],
        reviewed_at=page.profile.reviewed_at if page.profile else None,
    )


@router.get("/techniques", response_model=list[TechniqueRead])
def list_techniques(session: SessionDep, actor: ApiActor) -> list[TechniqueRead]:
    """Every technique with its summary, prerequisites and comparisons (null cells are unknown)."""
    return [
        _technique_read(service.technique_page(session, actor=actor, slug=item.slug))
        for _area, items in service.list_techniques(session)
        for item in items
    ]


@router.get("/techniques/{slug}", response_model=TechniqueRead)
def get_technique(session: SessionDep, actor: ApiActor, slug: SlugPath) -> TechniqueRead:
    """One technique by its address (e.g. sterile-insect-technique)."""
    return _technique_read(service.technique_page(session, actor=actor, slug=slug))


def _evidence_read(entry: EvidenceEntry, checkers: Mapping[int, str]) -> EvidenceRead:
    """An entry with who checked it by name, as its page says it (null only for an entry not checked, or
    checked by an account gone)."""
    return EvidenceRead.model_validate(entry).model_copy(update={"checked_by_name": checkers.get(entry.id)})


def _one_evidence_read(session: Session, entry: EvidenceEntry) -> EvidenceRead:
    return _evidence_read(entry, service.checked_by_names(session, [entry]))


@router.get("/evidence", response_model=ListPage[EvidenceRead], responses=error_responses(401, 422))
def list_evidence(
    session: SessionDep,
    actor: ApiActor,
    page: ApiPage,
    technique: Code = None,
    area: Code = None,
    country: Code = None,
    status: Status = None,
    study_method: StudyMethodFilter = None,
) -> ListPage[EvidenceRead]:
    """The evidence ledger, filtered by technique, thematic area, country, status and study method."""
    filters = EvidenceFilter(
        technique_code=technique or None, thematic_area_code=area or None,
        country_iso3=country_code(country), status=status or None, study_method=study_method or None,
    )  # fmt: skip
    result = service.list_evidence(session, actor=actor, filters=filters, page=page)
    checkers = service.checked_by_names(session, result.items)
    return ListPage[EvidenceRead].of(result, lambda entry: _evidence_read(entry, checkers))


@router.post("/evidence", response_model=EvidenceRead, status_code=201)
def create_evidence(session: SessionDep, actor: ApiActor, data: ApiBody[EvidenceCreate]) -> EvidenceRead:
    """Add an entry (knowledge editors); it starts as reported."""
    return _one_evidence_read(session, service.create_evidence(session, actor=actor, data=data))


@router.get("/evidence/{entry_id}", response_model=EvidenceRead)
def get_evidence(session: SessionDep, actor: ApiActor, entry_id: RecordPath) -> EvidenceRead:
    """One entry with its citation and status."""
    return _one_evidence_read(session, service.get_evidence(session, actor=actor, entry_id=entry_id))


@router.put("/evidence/{entry_id}", response_model=EvidenceRead)
def update_evidence(
    session: SessionDep, actor: ApiActor, entry_id: RecordPath, data: ApiBody[EvidenceUpdate]
) -> EvidenceRead:
    """Edit an entry (editors); send the version you read. A changed entry is reported again."""
    return _one_evidence_read(
        session, service.update_evidence(session, actor=actor, entry_id=entry_id, data=data)
    )


@router.post("/evidence/{entry_id}/check", response_model=EvidenceRead)
def check_evidence(
    session: SessionDep, actor: ApiActor, entry_id: RecordPath, data: ApiBody[EvidenceCheck]
) -> EvidenceRead:
    """Mark an entry checked against its source (reviewers; never the entry's author)."""
    entry = service.check_evidence(session, actor=actor, entry_id=entry_id, version=data.version)
    return _one_evidence_read(session, entry)


@router.post("/evidence/{entry_id}/dispute", response_model=EvidenceRead)
def dispute_evidence(
    session: SessionDep, actor: ApiActor, entry_id: RecordPath, data: ApiBody[EvidenceDispute]
) -> EvidenceRead:
    """Mark an entry disputed with the reason (reviewers; never the entry's author)."""
    return _one_evidence_read(
        session, service.dispute_evidence(session, actor=actor, entry_id=entry_id, data=data)
    )


@router.get("/stories", response_model=list[StoryRead])
def list_stories(session: SessionDep, actor: ApiActor) -> list[StoryRead]:
    """Published success stories (editors and reviewers also get drafts)."""
    return _stories_read(session, actor, service.list_stories(session, actor=actor))


@router.get("/stories/{slug}", response_model=StoryRead)
def get_story(session: SessionDep, actor: ApiActor, slug: SlugPath) -> StoryRead:
    """One story, if visible to the caller."""
    return _stories_read(session, actor, [service.get_story(session, actor=actor, slug=slug)])[0]


@router.post("/stories/{slug}/review", response_model=StoryRead)
def review_story(
    session: SessionDep, actor: ApiActor, slug: SlugPath, data: ApiBody[KnowledgeReview]
) -> StoryRead:
    """Review a story and so publish it (reviewers, never one who wrote it); the story then gives the
    date of this review. Send the version you read."""
    story = service.get_story(session, actor=actor, slug=slug)
    reviewed = service.review_story(session, actor=actor, story_id=story.id, version=data.version)
    return _stories_read(session, actor, [reviewed])[0]


def _stories_read(session: Session, actor: Actor, stories: Sequence[SuccessStory]) -> list[StoryRead]:
    """Stories as the caller may read them: a need, programme or activity they may not see is null, as
    when the story tells of none."""
    links = service.story_links(session, actor=actor, stories=stories)
    return [StoryRead.model_validate(story).model_copy(update=vars(links[story.id])) for story in stories]


@router.get("/myths", response_model=list[MythRead])
def list_myths(session: SessionDep, actor: ApiActor) -> list[MythRead]:
    """Published myths and facts (editors and reviewers also get unpublished ones)."""
    return [MythRead.model_validate(myth) for myth in service.list_myths(session, actor=actor)]


@router.get("/myths/{slug}", response_model=MythRead)
def get_myth(session: SessionDep, actor: ApiActor, slug: SlugPath) -> MythRead:
    """One myth and its finding, if visible to the caller."""
    return MythRead.model_validate(service.get_myth(session, actor=actor, slug=slug))


@router.post("/myths/{slug}/review", response_model=MythRead)
def review_myth(
    session: SessionDep, actor: ApiActor, slug: SlugPath, data: ApiBody[KnowledgeReview]
) -> MythRead:
    """Review a myth's finding and so publish it (reviewers, never one who wrote it); the myth then gives
    the date of this review. Send the version you read."""
    myth = service.get_myth(session, actor=actor, slug=slug)
    return MythRead.model_validate(
        service.review_myth(session, actor=actor, myth_id=myth.id, version=data.version)
    )
