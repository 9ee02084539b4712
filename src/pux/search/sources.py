"""What each kind of record gives search: a registry, so that a new kind (knowledge content, later) is
added in one place with ``register_source``.

A source turns a record into a ``SourceDocument`` (or None when the record must not be found, e.g. a
withdrawn need), says who may see its documents (as SQL over the stored document, with the same rules
as the kind's own list) and how to read all its records again for a full re-index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import Session, object_session

from pux.accounts.permissions import Actor, VisibilityScope
from pux.assistance.models import AssistanceActivity
from pux.dialogues import repository as dialogues_repository
from pux.dialogues.models import DialogueEvent, EventOutcome, Recommendation
from pux.dialogues.repository import EventScope
from pux.knowledge import repository as knowledge_repository
from pux.knowledge import vocabulary as knowledge_vocabulary
from pux.knowledge.markdown import plain_text
from pux.knowledge.models import (
    Alternative,
    EvidenceEntry,
    KnowledgeTranslation,
    Myth,
    Prerequisite,
    SuccessStory,
    TechniqueProfile,
)
from pux.needs.models import Need
from pux.needs.workflow import PUBLISHED_STATUSES, WITHDRAWN
from pux.programmes.models import Programme
from pux.programmes.repository import SHARED_STATUSES
from pux.reference import repository as reference_repository
from pux.reference.models import Country, Technique
from pux.search.engine import LANGUAGES
from pux.search.models import SearchDocument

NEED, PROGRAMME, ACTIVITY, EVENT, COUNTRY, TECHNIQUE = (
    "need",
    "programme",
    "activity",
    "event",
    "country",
    "technique",
)
EVIDENCE, STORY, MYTH = "evidence", "story", "myth"
# The status a story or myth is stored under in the index when the public may read it.
PUBLISHED = knowledge_vocabulary.PUBLISHED
FACETS = ("country", "area", "technique", "sdg")


@dataclass(frozen=True)
class SearchScopes:
    """What an actor may see, per kind of record (each computed by the kind's own scope function)."""

    actor: Actor
    need: VisibilityScope
    programme: VisibilityScope
    activity: VisibilityScope
    event: EventScope
    unpublished_knowledge: bool = False  # story drafts and unpublished myths (editors, facilitators)


@dataclass
class SourceDocument:
    """A record as search sees it. ``language`` None means: detect it from the text. ``names`` are
    extra texts with their own language (a country's name in six languages)."""

    key: str
    title: str
    body: str = ""
    language: str | None = None
    names: Sequence[tuple[str, str]] = ()
    owner_country_iso3: str | None = None
    owner_organisation_id: int | None = None
    status: str | None = None
    visibility: str | None = None
    is_public: bool | None = None
    event_id: int | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    # False: found by words only (a country's name has no meaning to compare; its vector stays zero).
    by_meaning: bool = True
    # The same text in other languages (reviewed or draft translations), indexed as words in their own
    # language so that a reader finds the record in theirs; the meaning comes from the text as written.
    translations: Sequence[tuple[str, str]] = ()
    # What people call the record by (a need's reference, an activity's IATI identifier): found as words
    # and shown before the body, but no part of what the record says. Known only once the record is
    # saved, so an import can work out the rest of its documents before it takes the write lock.
    identifier: str = ""


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[Any]
    key_of: Callable[[Any], str]
    to_document: Callable[[Any], SourceDocument | None]
    visibility: Callable[[SearchScopes], ColumnElement[bool]]
    everything: Callable[[], Select[Any]]
    url: Callable[[str], str]
    # The column people know a record by (a need's reference), for sources keyed by id; None where the
    # key is already what people know (a country's ISO code, a story's address).
    natural_key: str | None = None
    # The titles of some of its documents in a reader's language: (session, keys, language) -> key -> title.
    local_titles: Callable[[Session, Sequence[str], str], dict[str, str]] | None = None


@dataclass(frozen=True)
class Dependent:
    """A record that is part of another's document (an event's outcome): a change to it re-indexes the
    owner, given as (model, primary key)."""

    model: type[Any]
    owner: Callable[[Any], tuple[type[Any], Any] | None]


SOURCES: dict[str, Source] = {}
DEPENDENTS: list[Dependent] = []


def register_source(
    kind: str,
    model: type[Any],
    to_document: Callable[[Any], SourceDocument | None],
    visibility: Callable[[SearchScopes], ColumnElement[bool]],
    *,
    key_of: Callable[[Any], str] = lambda record: str(record.id),
    everything: Callable[[], Select[Any]] | None = None,
    url: Callable[[str], str] | None = None,
    natural_key: str | None = None,
    local_titles: Callable[[Session, Sequence[str], str], dict[str, str]] | None = None,
) -> None:
    """Make records of ``model`` searchable as ``kind`` (kept up to date on every write)."""
    SOURCES[kind] = Source(
        kind=kind,
        model=model,
        key_of=key_of,
        to_document=to_document,
        visibility=visibility,
        everything=everything or (lambda: select(model)),
        url=url or (lambda key: f"/{kind}s/{key}"),
        natural_key=natural_key,
        local_titles=local_titles,
    )


def register_dependent(model: type[Any], owner: Callable[[Any], tuple[type[Any], Any] | None]) -> None:
    DEPENDENTS.append(Dependent(model, owner))


def source_for(record: object) -> Source | None:
    for source in SOURCES.values():
        if isinstance(record, source.model):
            return source
    return None


# --- Visibility: the lists' rules, over the stored document -------------------------------------------


def _need_visible(scopes: SearchScopes) -> ColumnElement[bool]:
    scope = scopes.need
    if scope.everything:
        return true()
    shared = and_(
        SearchDocument.status.in_(PUBLISHED_STATUSES), SearchDocument.visibility.in_(scope.visibilities)
    )
    if scope.countries:
        return or_(SearchDocument.owner_country_iso3.in_(scope.countries), shared)
    return shared


def _programme_visible(scopes: SearchScopes) -> ColumnElement[bool]:
    scope = scopes.programme
    if scope.everything:
        return true()
    shared = and_(
        SearchDocument.status.in_(SHARED_STATUSES), SearchDocument.visibility.in_(scope.visibilities)
    )
    if scope.organisations:
        return or_(SearchDocument.owner_organisation_id.in_(scope.organisations), shared)
    return shared


def _activity_visible(scopes: SearchScopes) -> ColumnElement[bool]:
    scope = scopes.activity
    if scope.everything:
        return true()
    clauses = [SearchDocument.visibility.in_(scope.visibilities)]
    if scope.organisations:
        clauses.append(SearchDocument.owner_organisation_id.in_(scope.organisations))
    if scope.countries:
        clauses.append(SearchDocument.owner_country_iso3.in_(scope.countries))
    return or_(*clauses)


def _event_visible(scopes: SearchScopes) -> ColumnElement[bool]:
    scope = scopes.event
    if scope.everything:
        return true()
    clauses = [SearchDocument.is_public.is_(True)]
    if scope.event_ids:
        clauses.append(SearchDocument.event_id.in_(scope.event_ids))
    return or_(*clauses)


def _public(_scopes: SearchScopes) -> ColumnElement[bool]:
    return true()


def _published(scopes: SearchScopes) -> ColumnElement[bool]:
    if scopes.unpublished_knowledge:
        return true()
    return SearchDocument.status == PUBLISHED


# --- Documents -----------------------------------------------------------------------------------------


def _goals(codes: Iterable[str]) -> list[str]:
    return sorted({code.split(".")[0] for code in codes if code})


def _need_document(need: Need) -> SourceDocument | None:
    if need.status == WITHDRAWN:
        return None
    body = " ".join(part for part in (need.description, need.beneficiary_description or "") if part)
    return SourceDocument(
        key=str(need.id),
        title=need.title,
        body=body,
        identifier=need.reference or "",
        owner_country_iso3=need.country_iso3,
        owner_organisation_id=need.organisation_id,
        status=need.status,
        visibility=need.visibility,
        facets={
            "country": [need.country_iso3],
            "area": [need.thematic_area_code],
            "technique": need.technique_codes,
            "sdg": _goals(need.sdg_target_codes),
        },
    )


def _programme_document(programme: Programme) -> SourceDocument:
    return SourceDocument(
        key=str(programme.id),
        title=programme.title,
        body=programme.description,
        owner_organisation_id=programme.organisation_id,
        status=programme.status,
        visibility=programme.visibility,
        facets={
            "country": programme.eligible_country_codes,
            "area": programme.thematic_area_codes,
            "technique": programme.technique_codes,
            "sdg": _goals(programme.sdg_target_codes),
        },
    )


def _activity_document(activity: AssistanceActivity) -> SourceDocument:
    # Its IATI identifier (or the provider's own number) is how programme officers name an activity: the
    # site search found unrelated records for it, as a need is found by its reference.
    identifier = activity.iati_identifier or activity.external_id
    return SourceDocument(
        key=str(activity.id),
        title=activity.title,
        body=activity.description,
        identifier=identifier or "",
        owner_country_iso3=activity.recipient_country_iso3,
        owner_organisation_id=activity.provider_organisation_id,
        status=activity.status,
        visibility=activity.visibility,
        facets={
            "country": [activity.recipient_country_iso3],
            "area": [activity.thematic_area_code] if activity.thematic_area_code else [],
            "technique": [activity.technique_code] if activity.technique_code else [],
            "sdg": _goals(activity.sdg_codes or []),
        },
    )


def _event_document(event: DialogueEvent) -> SourceDocument:
    session = object_session(event)
    outcome = dialogues_repository.outcome_of(session, event.id) if session is not None else None
    recommendations = (
        dialogues_repository.recommendations_of(session, event.id) if session is not None else ()
    )
    parts = [event.description]
    techniques, areas, goals = list(event.technique_codes), list(event.thematic_area_codes), []
    if outcome is not None:
        parts += [outcome.summary, outcome.challenges]
        techniques += outcome.technique_codes
        areas += outcome.thematic_area_codes
        goals += outcome.sdg_goal_codes
    for recommendation in recommendations:
        parts.append(recommendation.text)
        techniques += recommendation.technique_codes
        goals += recommendation.sdg_goal_codes
        if recommendation.thematic_area_code:
            areas.append(recommendation.thematic_area_code)
    countries = list(event.focus_country_codes) + (
        [event.host_country_iso3] if event.host_country_iso3 else []
    )
    return SourceDocument(
        key=str(event.id),
        title=event.title,
        body=" ".join(part for part in parts if part),
        language=outcome.language if outcome is not None and outcome.language in LANGUAGES else None,
        is_public=event.is_public,
        event_id=event.id,
        facets={
            "country": sorted(set(countries)),
            "area": sorted(set(areas)),
            "technique": sorted(set(techniques)),
            "sdg": _goals(goals),
        },
    )


def _names(record: Country | Technique) -> list[tuple[str, str]]:
    return [(getattr(record, f"name_{language}"), language) for language in LANGUAGES]


def _country_document(country: Country) -> SourceDocument | None:
    if not country.is_selectable:
        return None
    names = _names(country)
    return SourceDocument(
        key=country.iso3,
        title=country.name_en,
        body=" · ".join(name for name, _language in names[1:]),
        language="en",
        names=names,
        facets={"country": [country.iso3]},
        by_meaning=False,
    )


def _profile_of(technique: Technique) -> TechniqueProfile | None:
    session = object_session(technique)
    return knowledge_repository.get_profile_by_code(session, technique.code) if session else None


def _translations_of(record: Any, entity_type: str, fields: Sequence[str]) -> list[tuple[str, str]]:
    """The translations of ``record``'s text ``fields`` as (text, language), Markdown made plain."""
    session = object_session(record)
    if session is None or record.id is None:
        return []
    return [
        (plain_text(translation.text), translation.language)
        for translation in knowledge_repository.translations_for(session, entity_type, [record.id])
        if translation.field in fields and translation.language in LANGUAGES
    ]


def _technique_document(technique: Technique) -> SourceDocument:
    """A technique with its page: what it does, what it needs first and what it is compared with."""
    profile = _profile_of(technique)
    body, translations, goals = "", [], []
    if profile is not None:
        parts = [profile.summary, *(p.text for p in profile.prerequisites)]
        parts += [alternative.name for alternative in profile.alternatives]
        body = " · ".join(plain_text(part) for part in parts if part)
        translations = _translations_of(profile, knowledge_vocabulary.TECHNIQUE, ("summary",))
        goals = _goals(profile.sdg_target_codes)
    return SourceDocument(
        key=technique.code,
        title=technique.name_en,
        body=body,
        language="en",
        names=_names(technique),
        translations=translations,
        facets={"area": [technique.thematic_area_code], "technique": [technique.code], "sdg": goals},
    )


def _evidence_document(entry: EvidenceEntry) -> SourceDocument:
    citation = " ".join(
        str(part) for part in (entry.citation_title, entry.citation_publisher, entry.citation_year) if part
    )
    parts = [entry.comparator, entry.unit, entry.region or "", citation, plain_text(entry.note)]
    return SourceDocument(
        key=str(entry.id),
        title=entry.claim,
        body=" · ".join(part for part in parts if part),
        language=entry.source_language if entry.source_language in LANGUAGES else None,
        status=entry.status,
        translations=_translations_of(entry, knowledge_vocabulary.EVIDENCE, ("claim",)),
        facets={
            "country": [entry.country_iso3] if entry.country_iso3 else [],
            "area": [entry.technique.thematic_area_code] if entry.technique else [],
            "technique": [entry.technique_code],
        },
    )


def _story_document(story: SuccessStory) -> SourceDocument:
    return SourceDocument(
        key=story.slug,
        title=story.title,
        body=plain_text(story.body),
        language=story.source_language if story.source_language in LANGUAGES else None,
        status=story.status,
        translations=_translations_of(story, knowledge_vocabulary.STORY, ("title", "body")),
        facets={
            "country": [story.country_iso3] if story.country_iso3 else [],
            "area": [story.thematic_area_code] if story.thematic_area_code else [],
            "technique": [story.technique_code] if story.technique_code else [],
        },
    )


def _myth_document(myth: Myth) -> SourceDocument:
    return SourceDocument(
        key=myth.slug,
        title=myth.claim,
        body=plain_text(myth.finding),
        language=myth.source_language if myth.source_language in LANGUAGES else None,
        status=PUBLISHED if myth.is_published else knowledge_vocabulary.DRAFT,
        translations=_translations_of(myth, knowledge_vocabulary.MYTH, ("claim", "finding")),
        facets={"area": list(myth.thematic_area_codes), "technique": list(myth.technique_codes)},
    )


# --- Titles in the reader's language -------------------------------------------------------------------


def _reference_titles(model: type[Country] | type[Technique], key: str) -> Callable[..., dict[str, str]]:
    def titles(session: Session, keys: Sequence[str], language: str) -> dict[str, str]:
        return reference_repository.names_in(session, model, key, keys, language)

    return titles


def _translated_titles(
    model: type[Any], key: str, entity_type: str, field: str
) -> Callable[..., dict[str, str]]:
    def titles(session: Session, keys: Sequence[str], language: str) -> dict[str, str]:
        return knowledge_repository.translated_texts(session, model, key, keys, entity_type, field, language)

    return titles


# --- What a change to a part of a record re-indexes ---------------------------------------------------

# A translation belongs to the record of its kind; a profile's parts belong to its technique (through
# the profile, which search reaches by its technique).
_TRANSLATED_MODELS: dict[str, type[Any]] = {
    knowledge_vocabulary.TECHNIQUE: TechniqueProfile,
    knowledge_vocabulary.PREREQUISITE: Prerequisite,
    knowledge_vocabulary.ALTERNATIVE: Alternative,
    knowledge_vocabulary.EVIDENCE: EvidenceEntry,
    knowledge_vocabulary.STORY: SuccessStory,
    knowledge_vocabulary.MYTH: Myth,
}


def _translation_owner(translation: KnowledgeTranslation) -> tuple[type[Any], Any] | None:
    model = _TRANSLATED_MODELS.get(translation.entity_type)
    return (model, translation.entity_id) if model is not None else None


register_source(NEED, Need, _need_document, _need_visible, natural_key="reference")
register_source(PROGRAMME, Programme, _programme_document, _programme_visible, natural_key="title")
register_source(
    ACTIVITY,
    AssistanceActivity,
    _activity_document,
    _activity_visible,
    url=lambda key: f"/activities/{key}",
    natural_key="title",
)
register_source(EVENT, DialogueEvent, _event_document, _event_visible, natural_key="title")
register_source(
    COUNTRY,
    Country,
    _country_document,
    _public,
    key_of=lambda country: country.iso3,
    url=lambda key: f"/countries/{key}",
    local_titles=_reference_titles(Country, "iso3"),
)
register_source(
    TECHNIQUE,
    Technique,
    _technique_document,
    _public,
    key_of=lambda technique: technique.code,
    url=lambda key: f"/techniques/{key.replace('_', '-')}",
    local_titles=_reference_titles(Technique, "code"),
)
register_source(
    EVIDENCE,
    EvidenceEntry,
    _evidence_document,
    _public,
    url=lambda key: f"/evidence/{key}",
    local_titles=_translated_titles(EvidenceEntry, "id", knowledge_vocabulary.EVIDENCE, "claim"),
)
register_source(
    STORY,
    SuccessStory,
    _story_document,
    _published,
    key_of=lambda story: story.slug,
    url=lambda key: f"/stories/{key}",
    local_titles=_translated_titles(SuccessStory, "slug", knowledge_vocabulary.STORY, "title"),
)
register_source(
    MYTH,
    Myth,
    _myth_document,
    _published,
    key_of=lambda myth: myth.slug,
    url=lambda key: f"/myths/{key}",
    local_titles=_translated_titles(Myth, "slug", knowledge_vocabulary.MYTH, "claim"),
)
register_dependent(EventOutcome, lambda outcome: (DialogueEvent, outcome.event_id))
register_dependent(Recommendation, lambda recommendation: (DialogueEvent, recommendation.event_id))
register_dependent(TechniqueProfile, lambda profile: (Technique, profile.technique_code))
register_dependent(Prerequisite, lambda part: (TechniqueProfile, part.profile_id))
register_dependent(Alternative, lambda part: (TechniqueProfile, part.profile_id))
register_dependent(KnowledgeTranslation, _translation_owner)
