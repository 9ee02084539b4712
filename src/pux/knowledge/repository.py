"""All queries of the knowledge package."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from pux.knowledge.models import (
    Alternative,
    ComparisonCell,
    EvidenceEntry,
    KnowledgeTranslation,
    Myth,
    Prerequisite,
    SuccessStory,
    TechniqueProfile,
)
from pux.knowledge.vocabulary import MACHINE_DRAFT, METHOD_NOT_STATED
from pux.needs.models import Need
from pux.pagination import Page, PageRequest, fetch_page
from pux.reference.models import Technique


@dataclass(frozen=True)
class EvidenceFilter:
    technique_code: str | None = None
    thematic_area_code: str | None = None
    country_iso3: str | None = None
    status: str | None = None
    study_method: str | None = None  # a method, or vocabulary.METHOD_NOT_STATED for the entries without one


def add(session: Session, record: object) -> None:
    session.add(record)
    session.flush()


def delete(session: Session, record: object) -> None:
    session.delete(record)
    session.flush()


# --- Techniques ---------------------------------------------------------------------------------------


def list_profiles(session: Session) -> Sequence[TechniqueProfile]:
    statement = (
        select(TechniqueProfile)
        .join(Technique, Technique.code == TechniqueProfile.technique_code)
        .order_by(Technique.position, Technique.code)
    )
    return session.scalars(statement).unique().all()


def get_profile_by_slug(session: Session, slug: str) -> TechniqueProfile | None:
    statement = select(TechniqueProfile).where(TechniqueProfile.slug == slug)
    return session.scalars(statement).unique().first()


def get_profile_by_code(session: Session, code: str) -> TechniqueProfile | None:
    statement = select(TechniqueProfile).where(TechniqueProfile.technique_code == code)
    return session.scalars(statement).unique().first()


# --- Evidence -----------------------------------------------------------------------------------------


def _evidence_statement(filters: EvidenceFilter):  # type: ignore[no-untyped-def]
    statement = select(EvidenceEntry)
    if filters.technique_code:
        statement = statement.where(EvidenceEntry.technique_code == filters.technique_code)
    if filters.thematic_area_code:
        statement = statement.join(Technique, Technique.code == EvidenceEntry.technique_code).where(
            Technique.thematic_area_code == filters.thematic_area_code
        )
    if filters.country_iso3:
        statement = statement.where(EvidenceEntry.country_iso3 == filters.country_iso3)
    if filters.status:
        statement = statement.where(EvidenceEntry.status == filters.status)
    if filters.study_method == METHOD_NOT_STATED:
        statement = statement.where(EvidenceEntry.study_method.is_(None))
    elif filters.study_method:
        statement = statement.where(EvidenceEntry.study_method == filters.study_method)
    return statement.order_by(EvidenceEntry.technique_code, EvidenceEntry.id)


def list_evidence(session: Session, filters: EvidenceFilter, page: PageRequest) -> Page[EvidenceEntry]:
    return fetch_page(session, _evidence_statement(filters), page)


def all_evidence(session: Session, filters: EvidenceFilter) -> Sequence[EvidenceEntry]:
    return session.scalars(_evidence_statement(filters)).unique().all()


def get_evidence(session: Session, entry_id: int) -> EvidenceEntry | None:
    return session.get(EvidenceEntry, entry_id)


def evidence_by_keys(session: Session, keys: Collection[str]) -> dict[str, EvidenceEntry]:
    if not keys:
        return {}
    statement = select(EvidenceEntry).where(EvidenceEntry.key.in_(list(keys)))
    return {entry.key: entry for entry in session.scalars(statement).unique() if entry.key}


# --- Stories and myths --------------------------------------------------------------------------------


def alternatives_by_code(
    session: Session, codes: Collection[str]
) -> dict[str, list[tuple[Alternative, str]]]:
    """The conventional alternatives with these codes, each with the technique that lists it."""
    if not codes:
        return {}
    statement = (
        select(Alternative, TechniqueProfile.technique_code)
        .join(TechniqueProfile, TechniqueProfile.id == Alternative.profile_id)
        .where(Alternative.code.in_(list(codes)))
        .order_by(Alternative.id)
    )
    found: dict[str, list[tuple[Alternative, str]]] = {}
    for alternative, technique_code in session.execute(statement):
        found.setdefault(alternative.code, []).append((alternative, technique_code))
    return found


def list_stories(
    session: Session, *, published_only: bool, technique_code: str | None = None
) -> Sequence[SuccessStory]:
    statement = select(SuccessStory)
    if published_only:
        statement = statement.where(SuccessStory.status == "published")
    if technique_code:
        statement = statement.where(SuccessStory.technique_code == technique_code)
    return session.scalars(statement.order_by(SuccessStory.updated_at.desc(), SuccessStory.id)).unique().all()


def get_story_by_slug(session: Session, slug: str) -> SuccessStory | None:
    return session.scalars(select(SuccessStory).where(SuccessStory.slug == slug)).unique().first()


def get_story(session: Session, story_id: int) -> SuccessStory | None:
    return session.get(SuccessStory, story_id)


def slug_taken(session: Session, model: type[SuccessStory] | type[Myth], slug: str) -> bool:
    return session.scalars(select(model.id).where(model.slug == slug)).first() is not None


def stories_of_need(session: Session, need_id: int) -> Sequence[SuccessStory]:
    return session.scalars(select(SuccessStory).where(SuccessStory.need_id == need_id)).unique().all()


def list_myths(session: Session, *, published_only: bool) -> Sequence[Myth]:
    statement = select(Myth)
    if published_only:
        statement = statement.where(Myth.is_published.is_(True))
    return session.scalars(statement.order_by(Myth.slug)).all()


def get_myth_by_slug(session: Session, slug: str) -> Myth | None:
    return session.scalars(select(Myth).where(Myth.slug == slug)).first()


def get_myth(session: Session, myth_id: int) -> Myth | None:
    return session.get(Myth, myth_id)


# --- Translations -------------------------------------------------------------------------------------


def translations_for(
    session: Session, entity_type: str, entity_ids: Collection[int]
) -> Sequence[KnowledgeTranslation]:
    if not entity_ids:
        return []
    statement = select(KnowledgeTranslation).where(
        KnowledgeTranslation.entity_type == entity_type,
        KnowledgeTranslation.entity_id.in_(list(entity_ids)),
    )
    return session.scalars(statement).all()


def get_translation(
    session: Session, entity_type: str, entity_id: int, field: str, language: str
) -> KnowledgeTranslation | None:
    statement = select(KnowledgeTranslation).where(
        KnowledgeTranslation.entity_type == entity_type,
        KnowledgeTranslation.entity_id == entity_id,
        KnowledgeTranslation.field == field,
        KnowledgeTranslation.language == language,
    )
    return session.scalars(statement).first()


def get_translation_by_id(session: Session, translation_id: int) -> KnowledgeTranslation | None:
    return session.get(KnowledgeTranslation, translation_id)


# --- What waits for a reviewer or an editor (the task inbox) ------------------------------------------


def _evidence_in_status(status: str, *, author_id: int | None, not_author_id: int | None):  # type: ignore[no-untyped-def]
    """Entries in ``status``; ``author_id``: only that person's; ``not_author_id``: none of that person's
    (an entry loaded without an author is nobody's)."""
    statement = select(EvidenceEntry).where(EvidenceEntry.status == status)
    if author_id is not None:
        statement = statement.where(EvidenceEntry.author_id == author_id)
    if not_author_id is not None:
        statement = statement.where(
            or_(EvidenceEntry.author_id.is_(None), EvidenceEntry.author_id != not_author_id)
        )
    return statement


def evidence_in_status(
    session: Session,
    status: str,
    *,
    limit: int,
    author_id: int | None = None,
    not_author_id: int | None = None,
) -> Sequence[EvidenceEntry]:
    """The entries in ``status`` that have waited longest (the oldest change first), at most ``limit``."""
    statement = _evidence_in_status(status, author_id=author_id, not_author_id=not_author_id)
    ordered = statement.order_by(EvidenceEntry.updated_at, EvidenceEntry.id).limit(limit)
    return session.scalars(ordered).unique().all()


def count_evidence_in_status(
    session: Session, status: str, *, author_id: int | None = None, not_author_id: int | None = None
) -> int:
    statement = _evidence_in_status(status, author_id=author_id, not_author_id=not_author_id)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _translations_people_wrote_unreviewed(not_written_by_id: int | None):  # type: ignore[no-untyped-def]
    """Drafts a person wrote or changed and no one has reviewed since, but ``not_written_by_id``'s."""
    statement = select(KnowledgeTranslation).where(
        KnowledgeTranslation.status == MACHINE_DRAFT, KnowledgeTranslation.written_by_id.is_not(None)
    )
    if not_written_by_id is not None:
        statement = statement.where(KnowledgeTranslation.written_by_id != not_written_by_id)
    return statement


def translations_to_review(
    session: Session, *, limit: int, not_written_by_id: int | None
) -> Sequence[KnowledgeTranslation]:
    """The unreviewed translations people wrote, the longest waiting first, at most ``limit``."""
    statement = _translations_people_wrote_unreviewed(not_written_by_id)
    ordered = statement.order_by(KnowledgeTranslation.updated_at, KnowledgeTranslation.id).limit(limit)
    return session.scalars(ordered).all()


def count_translations_to_review(session: Session, *, not_written_by_id: int | None) -> int:
    statement = _translations_people_wrote_unreviewed(not_written_by_id)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _loaded_unreviewed() -> ColumnElement[bool]:
    """The machine-assisted drafts PUX loaded (the seed's, the demo's: no writer) that no one has reviewed."""
    return and_(KnowledgeTranslation.status == MACHINE_DRAFT, KnowledgeTranslation.written_by_id.is_(None))


def count_loaded_translations_unreviewed(session: Session) -> int:
    return session.scalar(select(func.count(KnowledgeTranslation.id)).where(_loaded_unreviewed())) or 0


def loaded_translations_unreviewed(
    session: Session, *, language: str | None, page: PageRequest
) -> Page[KnowledgeTranslation]:
    """One page of the loaded drafts no one has reviewed (in ``language`` when given), a record's fields
    next to each other."""
    statement = select(KnowledgeTranslation).where(_loaded_unreviewed())
    if language:
        statement = statement.where(KnowledgeTranslation.language == language)
    ordered = statement.order_by(
        KnowledgeTranslation.entity_type,
        KnowledgeTranslation.entity_id,
        KnowledgeTranslation.language,
        KnowledgeTranslation.field,
        KnowledgeTranslation.id,
    )
    return fetch_page(session, ordered, page)


def loaded_unreviewed_by_language(session: Session) -> dict[str, int]:
    statement = (
        select(KnowledgeTranslation.language, func.count(KnowledgeTranslation.id))
        .where(_loaded_unreviewed())
        .group_by(KnowledgeTranslation.language)
    )
    return {language: count for language, count in session.execute(statement)}


# --- Needs a story can be about (the demo loader) ------------------------------------------------------


def most_advanced_need(
    session: Session, *, technique_code: str | None, country_iso3: str | None, statuses: Sequence[str]
) -> Need | None:
    """A need of the technique (and country, when given) in the first of ``statuses`` that has one."""
    statement = select(Need).where(Need.status.in_(list(statuses)))
    if technique_code:
        statement = statement.where(Need.techniques.any(Technique.code == technique_code))
    if country_iso3:
        statement = statement.where(Need.country_iso3 == country_iso3)
    candidates = session.scalars(statement.order_by(Need.id)).unique().all()
    taken = set(session.scalars(select(SuccessStory.need_id).where(SuccessStory.need_id.is_not(None))))
    ranked = sorted(
        candidates, key=lambda need: (need.id in taken, list(statuses).index(need.status), need.id)
    )
    return ranked[0] if ranked else None


def get_profile(session: Session, profile_id: int) -> TechniqueProfile | None:
    return session.get(TechniqueProfile, profile_id)


def profile_id_of(session: Session, entity_type: str, entity_id: int) -> int | None:
    """The technique profile a translated part of a technique page belongs to."""
    if entity_type == "technique":
        return entity_id
    if entity_type == "prerequisite":
        return session.scalars(select(Prerequisite.profile_id).where(Prerequisite.id == entity_id)).first()
    if entity_type == "alternative":
        return session.scalars(select(Alternative.profile_id).where(Alternative.id == entity_id)).first()
    if entity_type == "comparison":
        statement = (
            select(Alternative.profile_id)
            .join(ComparisonCell, ComparisonCell.alternative_id == Alternative.id)
            .where(ComparisonCell.id == entity_id)
        )
        return session.scalars(statement).first()
    return None


def translated_texts(
    session: Session,
    model: type[Any],
    key: str,
    keys: Sequence[str],
    entity_type: str,
    field: str,
    language: str,
) -> dict[str, str]:
    """One translated ``field`` of some records (found by their ``key`` column) in ``language``."""
    if not keys:
        return {}
    key_column = getattr(model, key)
    wanted = [int(k) for k in keys if k.isdigit()] if key == "id" else list(keys)
    statement = (
        select(key_column, KnowledgeTranslation.text)
        .join(KnowledgeTranslation, KnowledgeTranslation.entity_id == model.id)
        .where(
            key_column.in_(wanted),
            KnowledgeTranslation.entity_type == entity_type,
            KnowledgeTranslation.field == field,
            KnowledgeTranslation.language == language,
        )
    )
    return {str(record_key): text for record_key, text in session.execute(statement)}
