"""Rules of the knowledge package: technique pages, the evidence ledger (a check is never by the entry's
author), success stories and myths (a review is never by who wrote it, and only a review records one),
and translations with their own status. Every write checks permission and is audited with its before and
after."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts import repository as accounts_repository
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.errors import FieldProblem, InvalidTransition, NotFound, ValidationFailed, ensure_current
from pux.i18n import DEFAULT_LANGUAGE, LANGUAGE_AUTONYMS, LANGUAGES, get_language
from pux.i18n import gettext as _
from pux.knowledge import repository
from pux.knowledge import vocabulary as v
from pux.knowledge.models import (
    Alternative,
    EvidenceEntry,
    KnowledgeTranslation,
    Myth,
    SuccessStory,
    TechniqueProfile,
)
from pux.knowledge.repository import EvidenceFilter
from pux.knowledge.schemas import (
    EvidenceCreate,
    EvidenceDispute,
    EvidenceFields,
    EvidenceUpdate,
    MythCreate,
    MythFields,
    MythUpdate,
    StoryCreate,
    StoryFields,
    StoryUpdate,
    TranslationFields,
    slug_from,
)
from pux.needs import service as needs_service
from pux.needs.models import Need
from pux.pagination import Page, PageRequest
from pux.reference import repository as reference_repository
from pux.reference.models import Country, Currency, SdgTarget, Technique, ThematicArea
from pux.validation import lenient, problems_from

AUDIT_TYPES = {
    v.TECHNIQUE: "knowledge_technique",
    v.EVIDENCE: "knowledge_evidence",
    v.STORY: "knowledge_story",
    v.MYTH: "knowledge_myth",
}
TRANSLATION = "knowledge_translation"
COMPLETED = "completed"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _audit(session: Session, actor: Actor, action: str, entity: str, entity_id: int, **values: Any) -> None:
    audit.record(
        session, actor=actor.label, action=action, entity_type=entity, entity_id=str(entity_id), **values
    )


def _check(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(problems)


# --- Texts in the reader's language -------------------------------------------------------------------


@dataclass(frozen=True)
class LocalText:
    """A text as a reader gets it: in their language, or in another one with ``is_fallback`` set so the
    page can say so; ``status`` is the translation's (None for the text as written)."""

    text: str
    language: str
    status: str | None = None
    is_fallback: bool = False

    def __str__(self) -> str:
        return self.text


class Localiser:
    """The translations of some records, read once, giving each text field in the reader's language."""

    def __init__(self, session: Session, entity_type: str, ids: Iterable[int], language: str | None = None):
        self.entity_type = entity_type
        self.language = language or get_language()
        self.by_key: dict[tuple[int, str, str], KnowledgeTranslation] = {
            (t.entity_id, t.field, t.language): t
            for t in repository.translations_for(session, entity_type, set(ids))
        }

    def text(self, entity_id: int, name: str, original: str | None, source_language: str) -> LocalText | None:
        """``original`` (in ``source_language``) in the reader's language, else labelled fallback;
        None stays None (an unknown stays unknown)."""
        if original is None:
            return None
        if self.language == source_language:
            return LocalText(original, source_language)
        translation = self.by_key.get((entity_id, name, self.language))
        if translation is not None:
            return LocalText(translation.text, self.language, translation.status)
        if source_language != DEFAULT_LANGUAGE:
            english = self.by_key.get((entity_id, name, DEFAULT_LANGUAGE))
            if english is not None:
                return LocalText(english.text, DEFAULT_LANGUAGE, english.status, is_fallback=True)
        return LocalText(original, source_language, is_fallback=True)

    def translations(self, entity_id: int) -> list[KnowledgeTranslation]:
        return sorted(
            (t for (eid, _f, _l), t in self.by_key.items() if eid == entity_id),
            key=lambda t: (t.field, LANGUAGES.index(t.language) if t.language in LANGUAGES else 99),
        )


# --- Techniques ---------------------------------------------------------------------------------------


def technique_slug(code: str) -> str:
    """The address of a technique without a profile yet (the profile's own slug wins when there is one)."""
    return code.replace("_", "-")


@dataclass(frozen=True)
class CellView:
    criterion: str
    technique: LocalText | None
    alternative: LocalText | None
    source: dict[str, Any] | None


@dataclass(frozen=True)
class AlternativeView:
    code: str
    name: LocalText
    relation: str
    cells: list[CellView]


@dataclass(frozen=True)
class TechniqueSummary:
    technique: Technique
    slug: str
    summary: LocalText | None


@dataclass
class TechniquePage:
    technique: Technique
    slug: str
    profile: TechniqueProfile | None
    summary: LocalText | None
    area: ThematicArea | None
    sdg_targets: list[SdgTarget]
    prerequisites: list[tuple[str, LocalText]]
    alternatives: list[AlternativeView]
    evidence: Sequence[EvidenceEntry] = field(default_factory=list)
    stories: Sequence[SuccessStory] = field(default_factory=list)
    myths: Sequence[Myth] = field(default_factory=list)


def list_techniques(session: Session) -> list[tuple[ThematicArea, list[TechniqueSummary]]]:
    """Every technique PUX knows, grouped by thematic area, with its summary where one is written."""
    profiles = {p.technique_code: p for p in repository.list_profiles(session)}
    localiser = Localiser(session, v.TECHNIQUE, [p.id for p in profiles.values()])
    grouped: dict[str, list[TechniqueSummary]] = {}
    for technique in reference_repository.list_techniques(session):
        profile = profiles.get(technique.code)
        summary = (
            localiser.text(profile.id, "summary", profile.summary or None, profile.source_language)
            if profile
            else None
        )
        slug = profile.slug if profile else technique_slug(technique.code)
        grouped.setdefault(technique.thematic_area_code, []).append(
            TechniqueSummary(technique, slug, summary)
        )
    return [
        (area, grouped[area.code])
        for area in reference_repository.list_thematic_areas(session)
        if area.code in grouped
    ]


def _technique_by_slug(session: Session, slug: str) -> tuple[Technique, TechniqueProfile | None]:
    profile = repository.get_profile_by_slug(session, slug)
    if profile is not None:
        return profile.technique, profile
    for technique in reference_repository.list_techniques(session):
        if technique_slug(technique.code) == slug:
            return technique, repository.get_profile_by_code(session, technique.code)
    raise NotFound(_("PUX knows no technique at this address."))


def technique_page(session: Session, *, actor: Actor, slug: str) -> TechniquePage:
    """What a technique page shows: summary, areas and SDG targets, prerequisites, the comparison with each
    alternative (unknown cells stay unknown), its evidence, and the stories and myths published about it."""
    technique, profile = _technique_by_slug(session, slug)
    areas = {a.code: a for a in reference_repository.list_thematic_areas(session)}
    page = TechniquePage(
        technique=technique,
        slug=profile.slug if profile else technique_slug(technique.code),
        profile=profile,
        summary=None,
        area=areas.get(technique.thematic_area_code),
        sdg_targets=[],
        prerequisites=[],
        alternatives=[],
    )
    if profile is not None:
        _fill_profile(session, page, profile)
    page.evidence = repository.all_evidence(session, EvidenceFilter(technique_code=technique.code))
    stories = repository.list_stories(
        session, published_only=not _may_see_some_drafts(actor), technique_code=technique.code
    )
    page.stories = _visible_stories(actor, stories)
    unpublished_myths = permissions.can_view_unpublished_knowledge(actor)
    page.myths = [
        m
        for m in repository.list_myths(session, published_only=not unpublished_myths)
        if technique.code in m.technique_codes
    ]
    return page


def _fill_profile(session: Session, page: TechniquePage, profile: TechniqueProfile) -> None:
    language = get_language()
    page.summary = Localiser(session, v.TECHNIQUE, [profile.id], language).text(
        profile.id, "summary", profile.summary or None, profile.source_language
    )
    page.sdg_targets = [
        target
        for code in profile.sdg_target_codes
        if (target := reference_repository.get_target(session, code)) is not None
    ]
    prerequisites = Localiser(session, v.PREREQUISITE, [p.id for p in profile.prerequisites], language)
    page.prerequisites = [
        (p.kind, text)
        for p in profile.prerequisites
        if (text := prerequisites.text(p.id, "text", p.text, p.source_language)) is not None
    ]
    names = Localiser(session, v.ALTERNATIVE, [a.id for a in profile.alternatives], language)
    cells = Localiser(session, v.COMPARISON, [c.id for a in profile.alternatives for c in a.cells], language)
    page.alternatives = [_alternative_view(a, names, cells) for a in profile.alternatives]


def _alternative_view(alternative: Alternative, names: Localiser, cells: Localiser) -> AlternativeView:
    by_criterion = {c.criterion: c for c in alternative.cells}
    views = []
    for criterion in v.CRITERIA:
        cell = by_criterion.get(criterion)
        if cell is None:
            views.append(CellView(criterion, None, None, None))
            continue
        views.append(
            CellView(
                criterion,
                cells.text(cell.id, "technique_text", cell.technique_text, cell.source_language),
                cells.text(cell.id, "alternative_text", cell.alternative_text, cell.source_language),
                cell.source,
            )
        )
    name = names.text(alternative.id, "name", alternative.name, alternative.source_language)
    assert name is not None
    return AlternativeView(alternative.code, name, alternative.relation, views)


def update_technique_summary(
    session: Session, *, actor: Actor, slug: str, summary: str, sdg_target_codes: list[str], version: int
) -> TechniqueProfile:
    """Edit a technique's plain summary and SDG targets (editors); refused if stale."""
    require(permissions.can_edit_knowledge(actor), _("Only knowledge editors edit technique pages."))
    _technique, profile = _technique_by_slug(session, slug)
    if profile is None:
        raise NotFound(_("This technique has no page content yet."))
    ensure_current(profile.version, version)
    unknown = sorted(set(sdg_target_codes) - reference_repository.code_set(session, SdgTarget.code))
    if unknown:
        raise ValidationFailed(
            [
                FieldProblem(
                    "sdg_target_codes", _("unknown SDG target: %(codes)s") % {"codes": ", ".join(unknown)}
                )
            ]
        )
    before = profile.snapshot()
    profile.summary = summary
    profile.sdg_target_codes = sorted(set(sdg_target_codes))
    session.flush()
    _audit(session, actor, "technique.update", AUDIT_TYPES[v.TECHNIQUE], profile.id, before=before,
           after=profile.snapshot())  # fmt: skip
    return profile


# --- Evidence -----------------------------------------------------------------------------------------


def list_evidence(
    session: Session, *, actor: Actor, filters: EvidenceFilter, page: PageRequest
) -> Page[EvidenceEntry]:
    """The ledger, filtered and paged (public: every entry shows its citation and status)."""
    return repository.list_evidence(session, filters, page)


def get_evidence(session: Session, *, actor: Actor, entry_id: int) -> EvidenceEntry:
    entry = repository.get_evidence(session, entry_id)
    if entry is None:
        raise NotFound(_("No evidence entry with this number."))
    return entry


def evidence_problems(session: Session, data: Any) -> list[FieldProblem]:
    """The reference codes of an entry, each unknown one named (copes with unchecked values)."""
    problems: list[FieldProblem] = []
    if data.technique_code and data.technique_code not in reference_repository.code_set(
        session, Technique.code
    ):
        problems.append(FieldProblem("technique_code", _("is not a known technique code")))
    if data.country_iso3 and data.country_iso3 not in reference_repository.code_set(session, Country.iso3):
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    if data.currency and data.currency not in reference_repository.code_set(session, Currency.code):
        problems.append(FieldProblem("currency", _("is not an ISO 4217 currency code")))
    return problems


_EVIDENCE_FIELDS = tuple(EvidenceFields.model_fields)


def _apply_evidence(entry: EvidenceEntry, data: EvidenceFields) -> None:
    for name in _EVIDENCE_FIELDS:
        setattr(entry, name, getattr(data, name))


def require_may_edit(actor: Actor) -> None:
    require(permissions.can_edit_knowledge(actor), _("Only knowledge editors write this content."))


def may_contribute(actor: Actor) -> bool:
    """Whether ``actor`` may add evidence entries and write story drafts (editors, facilitators, experts)."""
    return permissions.can_contribute_knowledge(actor)


def require_may_contribute(actor: Actor) -> None:
    require(
        may_contribute(actor),
        _("Knowledge editors, facilitators and experts add evidence and write stories."),
    )


def may_edit_evidence(actor: Actor, entry: EvidenceEntry) -> bool:
    return permissions.can_edit_evidence(actor, author_id=entry.author_id, checked=entry.status == v.CHECKED)


def require_may_edit_evidence(actor: Actor, entry: EvidenceEntry) -> None:
    require(
        may_edit_evidence(actor, entry),
        _(
            "Knowledge editors edit evidence entries; an expert edits only an entry they added, until a "
            "reviewer has checked it."
        ),
    )


def create_evidence(session: Session, *, actor: Actor, data: EvidenceCreate) -> EvidenceEntry:
    """Add an entry to the ledger (editors, facilitators, experts); it starts as *reported*, and only a
    reviewer other than its author checks it."""
    require_may_contribute(actor)
    _check(evidence_problems(session, data))
    if data.key and repository.evidence_by_keys(session, [data.key]):
        raise ValidationFailed([FieldProblem("key", _("another entry already has this key"))])
    entry = EvidenceEntry(key=data.key, status=v.REPORTED, author_id=actor.user_id)
    _apply_evidence(entry, data)
    repository.add(session, entry)
    _audit(session, actor, "evidence.create", AUDIT_TYPES[v.EVIDENCE], entry.id, after=entry.snapshot())
    return entry


def update_evidence(session: Session, *, actor: Actor, entry_id: int, data: EvidenceUpdate) -> EvidenceEntry:
    """Edit an entry (editors; an expert their own, until it is checked); a changed figure or citation is no
    longer checked, so it is reported again."""
    entry = get_evidence(session, actor=actor, entry_id=entry_id)
    require_may_edit_evidence(actor, entry)
    ensure_current(entry.version, data.version)
    _check(evidence_problems(session, data))
    before = entry.snapshot()
    _apply_evidence(entry, data)
    if _changes_what_was_checked(before, entry.snapshot()):
        entry.status = v.REPORTED
        _forget_check(entry)
    session.flush()
    _audit(session, actor, "evidence.update", AUDIT_TYPES[v.EVIDENCE], entry.id, before=before,
           after=entry.snapshot())  # fmt: skip
    return entry


# Saying how a study was made or which language the claim is written in describes the entry without
# changing the figure or the citation a reviewer checked against its source: editors filling these in on
# checked entries must not send every one of them back to review.
_DESCRIBING_FIELDS = frozenset({"study_method", "source_language"})


def _changes_what_was_checked(before: dict[str, object], after: dict[str, object]) -> bool:
    changed = {name for name in after if before.get(name) != after[name]} - {"version", "updated_at"}
    return bool(changed - _DESCRIBING_FIELDS)


def check_evidence(session: Session, *, actor: Actor, entry_id: int, version: int) -> EvidenceEntry:
    """A reviewer confirms the figure against its source (never the entry's own author)."""
    entry = get_evidence(session, actor=actor, entry_id=entry_id)
    require(
        permissions.can_check_evidence(actor, author_id=entry.author_id),
        _("A second person checks an entry: reviewers, and never the entry's author."),
    )
    ensure_current(entry.version, version)
    before = entry.snapshot()
    _forget_check(entry)
    entry.status, entry.checked_by_id, entry.checked_at = v.CHECKED, actor.user_id, now_utc()
    entry.dispute_reason, entry.disputed_by_id = None, None
    session.flush()
    _audit(session, actor, "evidence.check", AUDIT_TYPES[v.EVIDENCE], entry.id, before=before,
           after=entry.snapshot())  # fmt: skip
    return entry


def dispute_evidence(
    session: Session, *, actor: Actor, entry_id: int, data: EvidenceDispute
) -> EvidenceEntry:
    """A reviewer disputes the entry, saying why (never the entry's own author)."""
    entry = get_evidence(session, actor=actor, entry_id=entry_id)
    require(
        permissions.can_check_evidence(actor, author_id=entry.author_id),
        _("A second person checks an entry: reviewers, and never the entry's author."),
    )
    ensure_current(entry.version, data.version)
    before = entry.snapshot()
    entry.status, entry.dispute_reason, entry.disputed_by_id = v.DISPUTED, data.reason, actor.user_id
    _forget_check(entry)
    session.flush()
    _audit(session, actor, "evidence.dispute", AUDIT_TYPES[v.EVIDENCE], entry.id, before=before,
           after=entry.snapshot())  # fmt: skip
    return entry


def _forget_check(entry: EvidenceEntry) -> None:
    entry.checked_by_id, entry.checked_at, entry.checked_by_name, entry.check_source = None, None, None, None


@dataclass(frozen=True)
class RecordedCheck:
    """A check of an entry made outside PUX (the seed's): by whom, when, against which copy of the source,
    and the figures they confirmed."""

    key: str
    checked_by: str
    checked_on: date
    source_read: str
    value: float | None
    value_high: float | None


def record_checks(session: Session, *, actor: Actor, checks: Sequence[RecordedCheck]) -> int:
    """Mark entries checked by checks made before PUX held them (editors). A check counts only for the
    figures it confirmed: an entry whose value has changed since, or that a reviewer has disputed or
    checked in PUX, is left as it is. Returns how many entries became checked."""
    require_may_edit(actor)
    entries = repository.evidence_by_keys(session, [check.key for check in checks])
    marked = 0
    for check in checks:
        entry = entries.get(check.key)
        if entry is None or entry.status != v.REPORTED:
            continue
        if (entry.value, entry.value_high) != (check.value, check.value_high):
            continue
        before = entry.snapshot()
        entry.status, entry.checked_by_id = v.CHECKED, None
        entry.checked_at = datetime.combine(check.checked_on, time(12), tzinfo=UTC)
        entry.checked_by_name, entry.check_source = check.checked_by, check.source_read
        session.flush()
        _audit(session, actor, "evidence.check", AUDIT_TYPES[v.EVIDENCE], entry.id, before=before,
               after=entry.snapshot())  # fmt: skip
        marked += 1
    return marked


def may_check(actor: Actor, entry: EvidenceEntry) -> bool:
    return permissions.can_check_evidence(actor, author_id=entry.author_id)


def may_edit(actor: Actor) -> bool:
    return permissions.can_edit_knowledge(actor)


def may_review_translations(actor: Actor) -> bool:
    return permissions.can_review_translations(actor)


def may_review_translation(actor: Actor, translation: KnowledgeTranslation) -> bool:
    """Whether a page offers ``actor`` to mark this translation reviewed (not to the one who wrote it)."""
    return translation.status != v.REVIEWED and permissions.can_review_translation(
        actor, written_by_id=translation.written_by_id
    )


def wrote_translation(actor: Actor, translation: KnowledgeTranslation) -> bool:
    """Whether ``actor`` wrote or last changed this translation's text (their page says another does it)."""
    return actor.user_id is not None and translation.written_by_id == actor.user_id


# Columns of the ledger file (data/FORMAT.md) that the shapes call otherwise; problems name the file's column.
IMPORT_COLUMNS = {"technique": "technique_code"}
_FIELD_COLUMNS = {name: column for column, name in IMPORT_COLUMNS.items()}
# Columns a ledger file may leave out (the seed's does): an entry already in PUX keeps what its editors set
# there. `pux init` loads the seed again on every upgrade, and would otherwise put every study method back
# to "not stated" and every claim's language back to English, reporting the entries again.
KEPT_WHEN_LEFT_OUT = ("source_language", "study_method")


def _unknown_columns(rows: Sequence[dict[str, Any]]) -> list[FieldProblem]:
    """A problem naming the file's columns that are no field of an entry: their cells would be dropped
    unread (a misspelt study_method would leave every entry's method "not stated")."""
    known = set(EvidenceCreate.model_fields) | set(IMPORT_COLUMNS)
    names = dict.fromkeys(name for row in rows for name in row if name)  # in the file's order, once each
    unknown = [name for name in names if name not in known]
    if not unknown:
        return []
    return [FieldProblem("header", _("unknown columns: %(names)s") % {"names": ", ".join(unknown)}, 1)]


def _as_fields(row: dict[str, Any]) -> dict[str, Any]:
    values = {IMPORT_COLUMNS.get(name, name): value for name, value in row.items() if name}
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()
            if value not in (None, "") and not (isinstance(value, str) and not value.strip())}  # fmt: skip


def _in_file_terms(problems: list[FieldProblem]) -> list[FieldProblem]:
    return [FieldProblem(_FIELD_COLUMNS.get(p.field, p.field), p.message, p.row) for p in problems]


@dataclass
class EvidenceImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def import_evidence(
    session: Session,
    *,
    actor: Actor,
    rows: Sequence[dict[str, Any]],
    first_row: int = 2,
    row_numbers: Sequence[int] | None = None,
) -> EvidenceImportReport:
    """Import ledger rows: every row checked first (each bad row and field named), then all written, or
    none. A row whose key exists updates that entry (a changed entry is *reported* again). Problems name
    each row by ``row_numbers`` (its number in the file) when given, else by counting from ``first_row``;
    a column that is no field of an entry refuses the file."""
    require_may_edit(actor)
    numbers = list(row_numbers) if row_numbers is not None else range(first_row, first_row + len(rows))
    parsed: list[tuple[EvidenceCreate, tuple[str, ...]]] = []
    problems = _unknown_columns(rows)
    keys_seen: dict[str, int] = {}
    for number, row in zip(numbers, rows, strict=True):
        left_out = tuple(name for name in KEPT_WHEN_LEFT_OUT if name not in row)
        values = _as_fields(row)
        try:
            data = EvidenceCreate.model_validate(values)
        except ValidationError as error:
            problems += problems_from(error, row=number)
            codes = evidence_problems(session, lenient(EvidenceCreate, values))
            named = {p.field for p in problems if p.row == number}
            problems += [FieldProblem(p.field, p.message, number) for p in codes if p.field not in named]
            continue
        problems += [FieldProblem(p.field, p.message, number) for p in evidence_problems(session, data)]
        if not data.key:
            problems.append(FieldProblem("key", _("is required (a re-import updates by key)"), number))
        elif data.key in keys_seen:
            problems.append(
                FieldProblem("key", _("repeats row %(row)s") % {"row": keys_seen[data.key]}, number)
            )
        else:
            keys_seen[data.key] = number
        parsed.append((data, left_out))
    _check(_in_file_terms(problems))
    existing = repository.evidence_by_keys(session, list(keys_seen))
    report = EvidenceImportReport()
    for data, left_out in parsed:
        entry = existing.get(data.key or "")
        if entry is None:
            create_evidence(session, actor=actor, data=data)
            report.created += 1
            continue
        data = data.model_copy(update={name: getattr(entry, name) for name in left_out})
        if all(getattr(entry, name) == getattr(data, name) for name in _EVIDENCE_FIELDS):
            report.unchanged += 1  # nothing to write, nor to audit
            continue
        changed = EvidenceUpdate.model_validate(
            {**data.model_dump(exclude={"key"}), "version": entry.version}
        )
        update_evidence(session, actor=actor, entry_id=entry.id, data=changed)
        report.updated += 1
    return report


# --- Stories ------------------------------------------------------------------------------------------


def list_stories(session: Session, *, actor: Actor) -> Sequence[SuccessStory]:
    """Published stories, and the drafts ``actor`` may see: every one for editors, facilitators and
    reviewers, their own for an expert."""
    stories = repository.list_stories(session, published_only=not _may_see_some_drafts(actor))
    return _visible_stories(actor, stories)


def _may_see_some_drafts(actor: Actor) -> bool:
    return permissions.can_view_unpublished_knowledge(actor) or permissions.can_contribute_knowledge(actor)


def _visible_stories(actor: Actor, stories: Sequence[SuccessStory]) -> list[SuccessStory]:
    return [story for story in stories if _story_visible(actor, story)]


def _story_visible(actor: Actor, story: SuccessStory) -> bool:
    return story.status == v.PUBLISHED or permissions.can_view_story_draft(actor, author_id=story.author_id)


def may_edit_story(actor: Actor, story: SuccessStory) -> bool:
    return permissions.can_edit_story(actor, author_id=story.author_id, published=story.status == v.PUBLISHED)


def require_may_edit_story(actor: Actor, story: SuccessStory) -> None:
    require(
        may_edit_story(actor, story),
        _("Knowledge editors edit stories; an expert edits only a story they wrote, until it is published."),
    )


def get_story(session: Session, *, actor: Actor, slug: str) -> SuccessStory:
    story = repository.get_story_by_slug(session, slug)
    if story is None or not _story_visible(actor, story):
        raise NotFound(_("No story at this address is visible to you."))
    return story


def get_story_by_id(session: Session, *, actor: Actor, story_id: int) -> SuccessStory:
    story = repository.get_story(session, story_id)
    if story is None or not _story_visible(actor, story):
        raise NotFound(_("No story at this address is visible to you."))
    return story


def story_problems(session: Session, actor: Actor, data: Any) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if data.country_iso3 and data.country_iso3 not in reference_repository.code_set(session, Country.iso3):
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    if data.technique_code and data.technique_code not in reference_repository.code_set(
        session, Technique.code
    ):
        problems.append(FieldProblem("technique_code", _("is not a known technique code")))
    area = data.thematic_area_code
    if area and area not in reference_repository.code_set(session, ThematicArea.code):
        problems.append(FieldProblem("thematic_area_code", _("is not a known thematic area")))
    problems += _link_problems(session, actor, data)
    return problems


def _link_problems(session: Session, actor: Actor, data: Any) -> list[FieldProblem]:
    from pux.assistance import service as assistance_service
    from pux.programmes import service as programmes_service

    problems: list[FieldProblem] = []
    checks = (
        ("need_id", lambda i: needs_service.get_need(session, actor=actor, need_id=i)),
        ("programme_id", lambda i: programmes_service.get_programme(session, actor=actor, programme_id=i)),
        ("activity_id", lambda i: assistance_service.get_activity(session, actor=actor, activity_id=i)),
    )
    for name, fetch in checks:
        value = getattr(data, name, None)
        if not isinstance(value, int) or isinstance(value, bool):
            continue  # absent, or a garbled number already named by its own check
        try:
            fetch(value)
        except NotFound:
            problems.append(FieldProblem(name, _("no such record is visible to you")))
    return problems


_STORY_FIELDS = tuple(name for name in StoryFields.model_fields if name != "sources")


def _apply_story(story: SuccessStory, data: StoryFields) -> None:
    for name in _STORY_FIELDS:
        setattr(story, name, getattr(data, name))
    story.sources = [source.model_dump() for source in data.sources]


def _free_slug(session: Session, model: type[SuccessStory] | type[Myth], wanted: str) -> str:
    slug, number = wanted, 2
    while repository.slug_taken(session, model, slug):
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def create_story(session: Session, *, actor: Actor, data: StoryCreate) -> SuccessStory:
    """Write a success story (editors, facilitators, experts): a draft, unless its editor publishes it at
    once (an expert's draft is published by a reviewer's review)."""
    require_may_contribute(actor)
    _check(story_problems(session, actor, data))
    if data.slug and repository.slug_taken(session, SuccessStory, data.slug):
        raise ValidationFailed([FieldProblem("slug", _("another story already has this address"))])
    story = SuccessStory(slug=data.slug or _free_slug(session, SuccessStory, slug_from(data.title)),
                         author_id=actor.user_id)  # fmt: skip
    _check(_publishing_problems(actor, story, data))
    _apply_story(story, data)
    repository.add(session, story)
    _audit(session, actor, "story.create", AUDIT_TYPES[v.STORY], story.id, after=story.snapshot())
    return story


def update_story(session: Session, *, actor: Actor, story_id: int, data: StoryUpdate) -> SuccessStory:
    """Edit (and publish or unpublish) a story; refused if stale."""
    story = get_story_by_id(session, actor=actor, story_id=story_id)
    require_may_edit_story(actor, story)
    ensure_current(story.version, data.version)
    _check(story_problems(session, actor, data))
    data = _keep_hidden_story_links(session, actor, story, data)
    _check(_publishing_problems(actor, story, data))
    before = story.snapshot()
    _apply_story(story, data)
    session.flush()
    _audit(
        session, actor, "story.update", AUDIT_TYPES[v.STORY], story.id, before=before, after=story.snapshot()
    )
    return story


def _publishing_problems(actor: Actor, story: SuccessStory, data: StoryFields) -> list[FieldProblem]:
    """A draft becomes published by its own author's choice (an editor's, which is no review of it) or by
    a reviewer's review (review_story); anyone else's draft is refused beside its status."""
    publishing = data.status == v.PUBLISHED and story.status != v.PUBLISHED
    if not publishing or permissions.can_publish_story(actor, author_id=story.author_id):
        return []
    return [FieldProblem("status", _("a reviewer publishes this story once they have reviewed it"))]


def _writers(session: Session, entity_type: str, entity_id: int) -> set[str]:
    """Who created or edited a story or a myth, as their audit records name them."""
    events = audit.history(session, entity_type=AUDIT_TYPES[entity_type], entity_id=str(entity_id))
    return {event.actor for event in events if event.action.endswith((".create", ".update"))}


def _wrote_story(session: Session, actor: Actor, story: SuccessStory) -> bool:
    wrote = story.author_id is not None and story.author_id == actor.user_id
    return wrote or actor.label in _writers(session, v.STORY, story.id)


def may_review_story(session: Session, actor: Actor, story: SuccessStory) -> bool:
    """Whether the story page offers ``actor`` to review (and so publish) it."""
    return permissions.can_review_knowledge(actor, wrote_it=_wrote_story(session, actor, story))


def review_story(session: Session, *, actor: Actor, story_id: int, version: int) -> SuccessStory:
    """A reviewer who did not write the story reviews it: it is published, and the date of the review is
    the one the story page gives (the only way a story is marked reviewed)."""
    story = get_story_by_id(session, actor=actor, story_id=story_id)
    require(
        may_review_story(session, actor, story),
        _("A second person reviews a story: reviewers, and never one who wrote it."),
    )
    ensure_current(story.version, version)
    before = story.snapshot()
    story.status, story.reviewed_at = v.PUBLISHED, now_utc()
    session.flush()
    _audit(session, actor, "story.review", AUDIT_TYPES[v.STORY], story.id, before=before,
           after=story.snapshot())  # fmt: skip
    return story


def was_reviewed(session: Session, *, entity_type: str, entity_id: int) -> bool:
    """Whether a reviewer has ever reviewed this story or myth in PUX (its audit trail holds the review)."""
    events = audit.history(session, entity_type=AUDIT_TYPES[entity_type], entity_id=str(entity_id))
    return any(event.action.endswith(".review") for event in events)


# The records a story may tell of; a reader is shown (and told the number of) only those they may see.
STORY_LINKS = ("need_id", "programme_id", "activity_id")


def _seen_link_ids(session: Session, actor: Actor, snapshots: Iterable[Any]) -> dict[str, set[int]]:
    """For each kind of link, the numbers among those of ``snapshots`` (stories, or their audited
    values) that ``actor`` may see."""
    from pux.assistance import service as assistance_service

    rows = list(snapshots)

    def values(name: str) -> list[int | None]:
        return [row.get(name) if isinstance(row, dict) else getattr(row, name) for row in rows]

    return {
        "need_id": assistance_service.seen_need_ids(session, actor, values("need_id")),
        "programme_id": assistance_service.seen_programme_ids(session, actor, values("programme_id")),
        "activity_id": assistance_service.seen_activity_ids(session, actor, values("activity_id")),
    }


@dataclass(frozen=True)
class StoryLinks:
    """The need, programme and activity a story tells of as a reader may know them: None where there is
    no link or where the record is one the reader may not see (a link to it, or its number, would say it
    exists)."""

    need_id: int | None
    programme_id: int | None
    activity_id: int | None


def story_links(session: Session, *, actor: Actor, stories: Sequence[SuccessStory]) -> dict[int, StoryLinks]:
    """The links of each of ``stories`` (by id) that ``actor`` may see."""
    seen = _seen_link_ids(session, actor, stories)
    return {
        story.id: StoryLinks(
            **{name: value if (value := getattr(story, name)) in seen[name] else None for name in STORY_LINKS}
        )
        for story in stories
    }


def _keep_hidden_story_links(
    session: Session, actor: Actor, story: SuccessStory, data: StoryUpdate
) -> StoryUpdate:
    """An editor who may not see a record the story tells of was shown no link to it: left empty, it is
    kept as it is (neither seen nor undone by them)."""
    shown = story_links(session, actor=actor, stories=[story])[story.id]
    kept = {
        name: getattr(story, name)
        for name in STORY_LINKS
        if getattr(data, name) is None and getattr(story, name) is not None and getattr(shown, name) is None
    }
    return data.model_copy(update=kept) if kept else data


def story_form_values(session: Session, *, actor: Actor, story: SuccessStory) -> dict[str, Any]:
    """A story's edit form, without the records the editor may not see (saving keeps them)."""
    values = {name: getattr(story, name) for name in StoryUpdate.model_fields}
    links = story_links(session, actor=actor, stories=[story])[story.id]
    values.update({name: getattr(links, name) for name in STORY_LINKS})
    return values


def story_history(session: Session, *, actor: Actor, story: SuccessStory) -> list[audit.HistoryEntry]:
    """A story's audit trail without the numbers of records the reader may not see."""
    events = audit.history(session, entity_type=AUDIT_TYPES[v.STORY], entity_id=str(story.id))
    seen = _seen_link_ids(session, actor, [s for event in events for s in (event.before, event.after) if s])

    def unseen_links(snapshot: dict[str, Any]) -> dict[str, Any]:
        hidden = {name: None for name in STORY_LINKS if snapshot.get(name) not in seen[name]}
        return {**snapshot, **hidden}

    return _shown_history(session, events, v.STORY, unseen_links)


def story_draft_from_need(session: Session, *, actor: Actor, need_id: int) -> StoryCreate:
    """The starting values of a story about a completed need (the facilitator edits them, then saves)."""
    require(
        permissions.can_start_story_from_need(actor),
        _("Only knowledge editors and facilitators write stories."),
    )
    need = needs_service.get_need(session, actor=actor, need_id=need_id)
    if need.status != COMPLETED:
        raise ValidationFailed([FieldProblem("need_id", _("only a completed need becomes a story"))])
    return StoryCreate.model_validate(
        {
            "title": need.title[:300] if len(need.title) >= 5 else f"{need.title} - story",
            "body": need.description[:20_000],
            "country_iso3": need.country_iso3,
            "technique_code": need.technique_codes[0] if need.technique_codes else None,
            "thematic_area_code": need.thematic_area_code,
            "need_id": need.id,
        }
    )


def may_start_story(actor: Actor, need: Need) -> bool:
    """Whether the need page offers to write a story about it (a completed need, an editor or facilitator)."""
    return need.status == COMPLETED and permissions.can_start_story_from_need(actor)


def stories_of_need(session: Session, *, actor: Actor, need_id: int) -> Sequence[SuccessStory]:
    """The stories told about a need that ``actor`` may read (drafts for editors, facilitators and
    reviewers, and for whoever wrote them)."""
    return [story for story in repository.stories_of_need(session, need_id) if _story_visible(actor, story)]


def start_story_from_need(session: Session, *, actor: Actor, need_id: int) -> SuccessStory:
    """Turn a completed need into a story draft linked to it."""
    return create_story(
        session, actor=actor, data=story_draft_from_need(session, actor=actor, need_id=need_id)
    )


# --- Myths --------------------------------------------------------------------------------------------


def list_myths(session: Session, *, actor: Actor) -> Sequence[Myth]:
    """Published myths and facts; editors and facilitators see the unpublished ones too."""
    return repository.list_myths(
        session, published_only=not permissions.can_view_unpublished_knowledge(actor)
    )


def _myth_visible(actor: Actor, myth: Myth) -> bool:
    return myth.is_published or permissions.can_view_unpublished_knowledge(actor)


def get_myth(session: Session, *, actor: Actor, slug: str) -> Myth:
    myth = repository.get_myth_by_slug(session, slug)
    if myth is None or not _myth_visible(actor, myth):
        raise NotFound(_("No myth at this address is visible to you."))
    return myth


def get_myth_by_id(session: Session, *, actor: Actor, myth_id: int) -> Myth:
    myth = repository.get_myth(session, myth_id)
    if myth is None or not _myth_visible(actor, myth):
        raise NotFound(_("No myth at this address is visible to you."))
    return myth


def myth_problems(session: Session, data: Any) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    unknown = sorted(set(data.technique_codes or []) - reference_repository.code_set(session, Technique.code))
    if unknown:
        problems.append(
            FieldProblem("technique_codes", _("unknown technique: %(codes)s") % {"codes": ", ".join(unknown)})
        )
    unknown = sorted(
        set(data.thematic_area_codes or []) - reference_repository.code_set(session, ThematicArea.code)
    )
    if unknown:
        problems.append(
            FieldProblem(
                "thematic_area_codes", _("unknown thematic area: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        )
    return problems


_MYTH_FIELDS = tuple(name for name in MythFields.model_fields if name != "sources")


def _apply_myth(myth: Myth, data: MythFields) -> None:
    for name in _MYTH_FIELDS:
        setattr(myth, name, getattr(data, name))
    myth.sources = [source.model_dump() for source in data.sources]


def create_myth(session: Session, *, actor: Actor, data: MythCreate) -> Myth:
    """Write a myth and its finding (editors, facilitators)."""
    require_may_edit(actor)
    _check(myth_problems(session, data))
    if data.slug and repository.slug_taken(session, Myth, data.slug):
        raise ValidationFailed([FieldProblem("slug", _("another myth already has this address"))])
    myth = Myth(slug=data.slug or _free_slug(session, Myth, slug_from(data.claim)))
    _apply_myth(myth, data)
    repository.add(session, myth)
    _audit(session, actor, "myth.create", AUDIT_TYPES[v.MYTH], myth.id, after=myth.snapshot())
    return myth


def update_myth(session: Session, *, actor: Actor, myth_id: int, data: MythUpdate) -> Myth:
    """Edit (and publish or unpublish) a myth; refused if stale."""
    require_may_edit(actor)
    myth = get_myth_by_id(session, actor=actor, myth_id=myth_id)
    ensure_current(myth.version, data.version)
    _check(myth_problems(session, data))
    before = myth.snapshot()
    _apply_myth(myth, data)
    session.flush()
    _audit(session, actor, "myth.update", AUDIT_TYPES[v.MYTH], myth.id, before=before, after=myth.snapshot())
    return myth


def may_review_myth(session: Session, actor: Actor, myth: Myth) -> bool:
    """Whether the myth's page offers ``actor`` to review (and so publish) it: not to one who wrote it."""
    wrote = actor.label in _writers(session, v.MYTH, myth.id)
    return permissions.can_review_knowledge(actor, wrote_it=wrote)


def review_myth(session: Session, *, actor: Actor, myth_id: int, version: int) -> Myth:
    """A reviewer who did not write the myth reviews its finding: it is published, with the date of the
    review (an editor publishing it records none)."""
    myth = get_myth_by_id(session, actor=actor, myth_id=myth_id)
    require(
        may_review_myth(session, actor, myth),
        _("A second person reviews a myth: reviewers, and never one who wrote it."),
    )
    ensure_current(myth.version, version)
    before = myth.snapshot()
    myth.is_published, myth.reviewed_at = True, now_utc()
    session.flush()
    _audit(session, actor, "myth.review", AUDIT_TYPES[v.MYTH], myth.id, before=before, after=myth.snapshot())
    return myth


# --- Translations -------------------------------------------------------------------------------------


def _source_language(session: Session, entity_type: str, entity_id: int) -> str:
    record: Any = {
        v.TECHNIQUE: repository.get_profile,
        v.EVIDENCE: repository.get_evidence,
        v.STORY: repository.get_story,
        v.MYTH: repository.get_myth,
    }[entity_type](session, entity_id)
    if record is None:
        raise NotFound(_("No such record."))
    return str(record.source_language)


def save_translation(
    session: Session, *, actor: Actor, entity_type: str, entity_id: int, data: TranslationFields
) -> KnowledgeTranslation:
    """Write or replace the translation of one field (editors); it is a draft until a reviewer other than
    its writer reviews it."""
    require_may_edit(actor)
    editable = (v.TECHNIQUE, v.EVIDENCE, v.STORY, v.MYTH)
    if entity_type not in editable or data.field not in v.TRANSLATED_FIELDS[entity_type]:
        raise ValidationFailed([FieldProblem("field", _("this field is not translated"))])
    if data.language == _source_language(session, entity_type, entity_id):
        raise ValidationFailed([FieldProblem("language", _("this is the language the text is written in"))])
    translation = repository.get_translation(session, entity_type, entity_id, data.field, data.language)
    before = translation.snapshot() if translation else None
    if translation is None:
        translation = KnowledgeTranslation(
            entity_type=entity_type, entity_id=entity_id, field=data.field, language=data.language, text=""
        )
        repository.add(session, translation)
    translation.text, translation.status = data.text, v.MACHINE_DRAFT
    translation.written_by_id = actor.user_id
    translation.reviewed_by_id, translation.reviewed_at = None, None
    session.flush()
    _audit(session, actor, "translation.save", TRANSLATION, translation.id, before=before,
           after=translation.snapshot())  # fmt: skip
    return translation


def review_translation(
    session: Session, *, actor: Actor, translation_id: int, version: int
) -> KnowledgeTranslation:
    """A reviewer other than its writer marks a translation as reviewed (who and when are kept)."""
    require(permissions.can_review_translations(actor), _("Only knowledge reviewers review translations."))
    translation = repository.get_translation_by_id(session, translation_id)
    if translation is None:
        raise NotFound(_("No such translation."))
    ensure_current(translation.version, version)
    if not permissions.can_review_translation(actor, written_by_id=translation.written_by_id):
        raise InvalidTransition(
            _(
                "You wrote or last changed this translation, so you cannot review it: a review is a second "
                "person's reading. Another reviewer marks it reviewed; it stays marked as not yet reviewed."
            )
        )
    before = translation.snapshot()
    translation.status, translation.reviewed_by_id, translation.reviewed_at = (
        v.REVIEWED,
        actor.user_id,
        now_utc(),
    )
    session.flush()
    _audit(session, actor, "translation.review", TRANSLATION, translation.id, before=before,
           after=translation.snapshot())  # fmt: skip
    return translation


def translations_of(session: Session, *, entity_type: str, entity_id: int) -> list[KnowledgeTranslation]:
    return Localiser(session, entity_type, [entity_id]).translations(entity_id)


def technique_translations(session: Session, *, profile: TechniqueProfile) -> list[KnowledgeTranslation]:
    """Every translation of a technique page's texts (summary, prerequisites, alternatives, comparison
    cells), for the reviewers who review them."""
    parts = (
        (v.TECHNIQUE, [profile.id]),
        (v.PREREQUISITE, [p.id for p in profile.prerequisites]),
        (v.ALTERNATIVE, [a.id for a in profile.alternatives]),
        (v.COMPARISON, [c.id for a in profile.alternatives for c in a.cells]),
    )
    found: list[KnowledgeTranslation] = []
    for entity_type, ids in parts:
        found += repository.translations_for(session, entity_type, ids)
    return found


def page_of(session: Session, *, entity_type: str, entity_id: int) -> str:
    """The address of the page that shows a record's texts (where their translations are offered)."""
    if entity_type == v.STORY:
        story = repository.get_story(session, entity_id)
        return f"/stories/{story.slug}" if story else "/stories"
    if entity_type == v.MYTH:
        myth = repository.get_myth(session, entity_id)
        return f"/myths/{myth.slug}" if myth else "/myths"
    if entity_type == v.EVIDENCE:
        return f"/evidence/{entity_id}"
    profile_id = repository.profile_id_of(session, entity_type, entity_id)
    profile = repository.get_profile(session, profile_id) if profile_id is not None else None
    return f"/techniques/{profile.slug}" if profile else "/techniques"


def page_of_translation(session: Session, *, translation: KnowledgeTranslation) -> str:
    return page_of(session, entity_type=translation.entity_type, entity_id=translation.entity_id)


def localiser(session: Session, *, entity_type: str, ids: Iterable[int]) -> Localiser:
    """Texts of these records in the reader's language (pages and the API use it to show each text)."""
    return Localiser(session, entity_type, ids)


def comparator_names(session: Session, entries: Iterable[EvidenceEntry]) -> dict[int, str]:
    """What each entry is compared with, in the reader's language: the name of the conventional alternative
    whose code the entry gives (as the seed's entries do), else the comparator as it was written."""
    listed = [entry for entry in entries if entry.comparator]
    alternatives = repository.alternatives_by_code(session, {entry.comparator for entry in listed})
    local = Localiser(session, v.ALTERNATIVE, [a.id for found in alternatives.values() for a, _code in found])
    names: dict[int, str] = {}
    for entry in listed:
        found = alternatives.get(entry.comparator, [])
        # The alternative as the entry's own technique names it, else as any technique does.
        own = [a for a, code in found if code == entry.technique_code] or [a for a, _code in found]
        text = local.text(own[0].id, "name", own[0].name, own[0].source_language) if own else None
        names[entry.id] = text.text if text is not None else entry.comparator
    return names


def checked_by_names(session: Session, entries: Iterable[EvidenceEntry]) -> dict[int, str]:
    """Who checked each checked entry, by entry id: the name recorded with a check made before PUX held
    the entry, else the name of the reviewer who checked it in PUX (pages and API say the same)."""
    checked = [e for e in entries if e.status == v.CHECKED]
    people = _people(session, {e.checked_by_id for e in checked if e.checked_by_id is not None})
    names: dict[int, str] = {}
    for entry in checked:
        name = entry.checked_by_name or (people.get(entry.checked_by_id) if entry.checked_by_id else None)
        if name:
            names[entry.id] = name
    return names


def _people(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """The names of these accounts (never their e-mail addresses); an account gone is left out."""
    names: dict[int, str] = {}
    for user_id in set(user_ids):
        user = accounts_repository.get_user(session, user_id)
        if user is not None:
            names[user_id] = user.full_name
    return names


# Accounts a knowledge record's snapshot names by number: a history shows no account numbers (the "Who"
# column already names who made each change, by name).
PERSON_FIELDS = frozenset({"author_id", "checked_by_id", "disputed_by_id", "reviewed_by_id", "written_by_id"})


# A status in a history by its label in the reader's language ("Status: reported → checked" was shown in
# English in every language), by record type.
HISTORY_STATUS_LABELS: dict[str, Callable[[str], str]] = {
    v.EVIDENCE: v.evidence_status_label,
    v.STORY: v.story_status_label,
}
# Other coded values a history names as the pages do: a study method by its label, a language by its own
# name ("Written in: English → Français", not "en → fr").
HISTORY_VALUE_LABELS: dict[str, Callable[[str], str]] = {
    "study_method": v.study_method_label,
    "source_language": lambda code: LANGUAGE_AUTONYMS.get(code, code),
}


def _moment(value: Any) -> Any:
    """A time in a snapshot as the history's "When" column writes it (it was "2026-12-06
    02:41:52.623849+00:00")."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment.tzinfo else value


def _shown_history(
    session: Session,
    events: Sequence[Any],
    entity_type: str,
    hide: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[audit.HistoryEntry]:
    """A record's trail as its page shows it: account numbers left out, who checked an entry by name
    ("Checked by"), statuses, study methods and languages by their label, times to the minute, and
    whatever ``hide`` takes out of each snapshot for this reader."""
    status_label = HISTORY_STATUS_LABELS.get(entity_type)
    checkers = _people(
        session,
        {
            snapshot["checked_by_id"]
            for event in events
            for snapshot in (event.before, event.after)
            if snapshot and isinstance(snapshot.get("checked_by_id"), int)
        },
    )

    def shown(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
        if snapshot is None:
            return None
        kept = {
            name: _moment(value) if name.endswith("_at") else value
            for name, value in snapshot.items()
            if name not in PERSON_FIELDS
        }
        if status_label is not None and isinstance(kept.get("status"), str):
            kept["status"] = status_label(kept["status"])
        for name, label in HISTORY_VALUE_LABELS.items():
            if isinstance(kept.get(name), str):
                kept[name] = label(kept[name])
        checker = snapshot.get("checked_by_id")
        if "checked_by_id" in snapshot and not snapshot.get("checked_by_name"):
            kept["checked_by_name"] = checkers.get(checker, _("a reviewer")) if checker else None
        return hide(kept) if hide else kept

    return [
        audit.HistoryEntry(
            event.occurred_at, event.actor, event.action, shown(event.before), shown(event.after)
        )
        for event in events
    ]


def history(session: Session, *, entity_type: str, entity_id: int) -> list[audit.HistoryEntry]:
    """The audit trail of one record (every version of it, with who changed what), without account
    numbers."""
    events = audit.history(session, entity_type=AUDIT_TYPES[entity_type], entity_id=str(entity_id))
    return _shown_history(session, events, entity_type)
