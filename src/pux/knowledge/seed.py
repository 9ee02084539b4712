"""Loading the knowledge seed files (data/FORMAT.md): techniques, evidence and myths by ``pux init``, the
illustrative stories by ``pux demo``. Safe to run again: records are matched by code, key or slug and
updated in place, so translations and reviews made since are kept where the text did not change.

English is the source of every seed text; the other languages present are recorded as machine-assisted
drafts until a reviewer reviews them. A file that is not there is skipped.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.audit import service as audit
from pux.errors import ValidationFailed
from pux.interop.tabular.formats import read_table
from pux.knowledge import repository, service
from pux.knowledge import vocabulary as v
from pux.knowledge.models import (
    Alternative,
    ComparisonCell,
    KnowledgeTranslation,
    Myth,
    Prerequisite,
    SuccessStory,
    TechniqueProfile,
)
from pux.reference import repository as reference_repository
from pux.reference.models import Technique

DATA_DIR = Path(__file__).parent / "data"
SOURCE_LANGUAGE = "en"
# Needs in the order a story prefers them: a completed one first, else the most advanced.
STORY_NEED_ORDER = ("completed", "in_implementation", "funded", "matched", "published")


@dataclass
class SeedReport:
    techniques: int = 0
    evidence_created: int = 0
    evidence_updated: int = 0
    evidence_checked: int = 0
    myths: int = 0
    stories: int = 0
    translations: int = 0
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _texts(value: Any) -> dict[str, str]:
    """A seed text: {"en": ..., "fr": ...} (a plain string is English)."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {SOURCE_LANGUAGE: value}
    return {str(k): str(t) for k, t in dict(value).items() if t}


def _english(value: Any) -> str | None:
    texts = _texts(value)
    return texts.get(SOURCE_LANGUAGE) or (next(iter(texts.values())) if texts else None)


class _Translations:
    """Writes the non-English texts of seed records as machine-assisted drafts; a translation whose text is
    unchanged keeps its status (a reviewed one stays reviewed)."""

    def __init__(self, session: Session, report: SeedReport) -> None:
        self.session, self.report = session, report

    def put(self, entity_type: str, entity_id: int, name: str, value: Any) -> None:
        for language, text in _texts(value).items():
            if language == SOURCE_LANGUAGE:
                continue
            existing = repository.get_translation(self.session, entity_type, entity_id, name, language)
            if existing is not None and existing.text == text:
                continue
            if existing is None:
                existing = KnowledgeTranslation(
                    entity_type=entity_type, entity_id=entity_id, field=name, language=language, text=text
                )
                repository.add(self.session, existing)
            existing.text, existing.status = text, v.MACHINE_DRAFT
            # The seed's text has no person's hand: any reviewer reviews it.
            existing.written_by_id = None
            existing.reviewed_by_id, existing.reviewed_at = None, None
            self.report.translations += 1


def load_knowledge_seed(session: Session, *, actor: str, data_dir: Path = DATA_DIR) -> SeedReport:
    """Load techniques.json, evidence.csv and myths.json from ``data_dir`` (each skipped when absent)."""
    report = SeedReport()
    translations = _Translations(session, report)
    techniques = data_dir / "techniques.json"
    if techniques.exists():
        _load_techniques(session, json.loads(techniques.read_text("utf-8")), translations, report)
    else:
        report.skipped.append(techniques.name)
    evidence = data_dir / "evidence.csv"
    if evidence.exists():
        _load_evidence(session, actor, evidence.read_text("utf-8-sig"), report)
    else:
        report.skipped.append(evidence.name)
    checks = data_dir / "evidence_checks.csv"
    if checks.exists():
        _load_evidence_checks(session, actor, checks.read_text("utf-8-sig"), report)
    else:
        report.skipped.append(checks.name)
    myths = data_dir / "myths.json"
    if myths.exists():
        _load_myths(session, json.loads(myths.read_text("utf-8")), translations, report)
    else:
        report.skipped.append(myths.name)
    audit.record(
        session, actor=actor, action="knowledge.seed", entity_type="knowledge", entity_id="seed",
        after={"techniques": report.techniques, "evidence_created": report.evidence_created,
               "evidence_updated": report.evidence_updated, "evidence_checked": report.evidence_checked,
               "myths": report.myths,
               "translations": report.translations},
    )  # fmt: skip
    return report


def _load_techniques(
    session: Session, items: list[dict[str, Any]], translations: _Translations, report: SeedReport
) -> None:
    known = reference_repository.code_set(session, Technique.code)
    for item in items:
        code = item["code"]
        if code not in known:
            report.problems.append(f"techniques.json: unknown technique code {code}")
            continue
        profile = repository.get_profile_by_code(session, code)
        if profile is None:
            profile = TechniqueProfile(
                technique_code=code, slug=item.get("slug") or service.technique_slug(code)
            )
            repository.add(session, profile)
        profile.slug = item.get("slug") or profile.slug
        profile.summary = _english(item.get("summary")) or ""
        profile.source_language = SOURCE_LANGUAGE
        profile.sdg_target_codes = sorted(set(item.get("sdg_targets") or []))
        translations.put(v.TECHNIQUE, profile.id, "summary", item.get("summary"))
        _load_prerequisites(session, profile, item.get("prerequisites") or [], translations)
        _load_alternatives(session, profile, item, translations)
        report.techniques += 1
    session.flush()


def _load_prerequisites(
    session: Session, profile: TechniqueProfile, items: list[dict[str, Any]], translations: _Translations
) -> None:
    existing = list(profile.prerequisites)
    for position, item in enumerate(items):
        if position < len(existing):
            prerequisite = existing[position]
        else:
            prerequisite = Prerequisite(profile_id=profile.id, kind=item["kind"], text="", position=position)
            profile.prerequisites.append(prerequisite)
        prerequisite.kind, prerequisite.position = item["kind"], position
        prerequisite.text = _english(item.get("text")) or ""
        session.flush()
        translations.put(v.PREREQUISITE, prerequisite.id, "text", item.get("text"))
    for extra in existing[len(items) :]:
        profile.prerequisites.remove(extra)


def _load_alternatives(
    session: Session, profile: TechniqueProfile, item: dict[str, Any], translations: _Translations
) -> None:
    by_code = {a.code: a for a in profile.alternatives}
    wanted = [a["code"] for a in item.get("alternatives") or []]
    for stale in list(profile.alternatives):
        if stale.code not in wanted:
            profile.alternatives.remove(stale)
    for position, entry in enumerate(item.get("alternatives") or []):
        alternative = by_code.get(entry["code"])
        if alternative is None:
            alternative = Alternative(profile_id=profile.id, code=entry["code"], name="", relation="")
            profile.alternatives.append(alternative)
        alternative.name = _english(entry.get("name")) or entry["code"]
        alternative.relation = entry.get("relation") or v.INSTEAD_OF
        alternative.position = position
        session.flush()
        translations.put(v.ALTERNATIVE, alternative.id, "name", entry.get("name"))
        cells = [c for c in item.get("comparisons") or [] if c.get("alternative") == entry["code"]]
        _load_cells(session, alternative, cells, translations)


def _load_cells(
    session: Session, alternative: Alternative, items: list[dict[str, Any]], translations: _Translations
) -> None:
    by_criterion = {c.criterion: c for c in alternative.cells}
    for item in items:
        criterion = item["criterion"]
        if criterion not in v.CRITERIA:
            continue
        cell = by_criterion.get(criterion)
        if cell is None:
            cell = ComparisonCell(alternative_id=alternative.id, criterion=criterion)
            alternative.cells.append(cell)
            by_criterion[criterion] = cell
        cell.position = v.CRITERIA.index(criterion)
        cell.technique_text = _english(item.get("technique"))
        cell.alternative_text = _english(item.get("alternative_value"))
        cell.source = item.get("source") or None
        session.flush()
        translations.put(v.COMPARISON, cell.id, "technique_text", item.get("technique"))
        translations.put(v.COMPARISON, cell.id, "alternative_text", item.get("alternative_value"))


def _load_evidence(session: Session, actor: str, text: str, report: SeedReport) -> None:
    # The shared table reader, as `pux evidence import` reads a file: a cell past the header's last column
    # is a problem named by its row, not dropped unread.
    table = read_table(text.encode(), "evidence.csv")
    try:
        if table.problems:
            raise ValidationFailed(table.problems)
        result = service.import_evidence(
            session, actor=Actor.system(actor), rows=table.rows, row_numbers=table.row_numbers
        )
    except ValidationFailed as refused:
        report.problems += [f"evidence.csv: {problem}" for problem in refused.problems]
        return
    report.evidence_created += result.created
    report.evidence_updated += result.updated


def _load_evidence_checks(session: Session, actor: str, text: str, report: SeedReport) -> None:
    """Checks made of the seed's entries against their sources (FORMAT.md): each marks its entry checked
    while the entry still holds the figures that were checked."""
    checks = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            checks.append(
                service.RecordedCheck(
                    key=row["key"].strip(),
                    checked_by=row["checked_by"].strip(),
                    checked_on=date.fromisoformat(row["checked_on"].strip()),
                    source_read=row["source_read"].strip(),
                    value=float(row["value"]) if row["value"].strip() else None,
                    value_high=float(row["value_high"]) if row["value_high"].strip() else None,
                )
            )
        except (KeyError, ValueError) as error:
            report.problems.append(f"evidence_checks.csv row {number}: {error}")
    report.evidence_checked += service.record_checks(session, actor=Actor.system(actor), checks=checks)


def _load_myths(
    session: Session, items: list[dict[str, Any]], translations: _Translations, report: SeedReport
) -> None:
    for item in items:
        myth = repository.get_myth_by_slug(session, item["slug"])
        if myth is None:
            myth = Myth(slug=item["slug"], claim="", is_published=True)
            repository.add(session, myth)
        before = (myth.claim, myth.finding)
        myth.claim = (_english(item.get("claim")) or item["slug"])[:500]
        myth.finding = _english(item.get("finding")) or ""
        myth.source_language = SOURCE_LANGUAGE
        myth.sources = list(item.get("sources") or [])
        myth.technique_codes = sorted(set(item.get("techniques") or []))
        myth.thematic_area_codes = sorted(set(item.get("thematic_areas") or []))
        session.flush()
        _keep_only_a_real_review(session, myth, v.MYTH, changed=before != (myth.claim, myth.finding))
        translations.put(v.MYTH, myth.id, "claim", item.get("claim"))
        translations.put(v.MYTH, myth.id, "finding", item.get("finding"))
        report.myths += 1


def _keep_only_a_real_review(
    session: Session, record: Myth | SuccessStory, entity_type: str, *, changed: bool
) -> None:
    """Loading a seed text is no review of it: a record keeps the date of a review a reviewer made in PUX
    while its text is the one they read; a date set by an earlier loader, with no review behind it, goes."""
    if changed or not service.was_reviewed(session, entity_type=entity_type, entity_id=record.id):
        record.reviewed_at = None


def load_demo_stories(session: Session, *, data_dir: Path = DATA_DIR) -> SeedReport:
    """The illustrative success stories of stories.json, each linked to a completed (or the most advanced)
    demo need of its technique and country, published and marked illustrative."""
    report = SeedReport()
    path = data_dir / "stories.json"
    if not path.exists():
        report.skipped.append(path.name)
        return report
    translations = _Translations(session, report)
    for item in json.loads(path.read_text("utf-8")):
        need = repository.most_advanced_need(
            session, technique_code=item.get("technique"), country_iso3=item.get("country_iso3"),
            statuses=STORY_NEED_ORDER,
        )  # fmt: skip
        story = repository.get_story_by_slug(session, item["slug"])
        if story is None:
            story = SuccessStory(slug=item["slug"], title="")
            repository.add(session, story)
        before = (story.title, story.body)
        story.title = (_english(item.get("title")) or item["slug"])[:300]
        story.body = _english(item.get("body")) or ""
        story.source_language = SOURCE_LANGUAGE
        story.technique_code = item.get("technique")
        story.thematic_area_code = item.get("thematic_area")
        story.country_iso3 = need.country_iso3 if need is not None else item.get("country_iso3")
        story.need_id = need.id if need is not None else None
        story.sources = list(item.get("sources") or [])
        story.status, story.is_illustrative = v.PUBLISHED, True
        session.flush()
        _keep_only_a_real_review(session, story, v.STORY, changed=before != (story.title, story.body))
        translations.put(v.STORY, story.id, "title", item.get("title"))
        translations.put(v.STORY, story.id, "body", item.get("body"))
        report.stories += 1
    return report
