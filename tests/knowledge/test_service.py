"""Rules of the knowledge package on a real database: who may write, check and see; audit; stale edits;
translations with a labelled fallback; the seed loader."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor, PermissionDenied
from pux.audit import service as audit
from pux.errors import NotFound, StaleEdit, ValidationFailed
from pux.i18n import language_context
from pux.knowledge import repository, service
from pux.knowledge.schemas import (
    EvidenceCreate,
    EvidenceDispute,
    EvidenceUpdate,
    MythCreate,
    StoryCreate,
    StoryUpdate,
    TranslationFields,
)
from pux.knowledge.seed import SeedReport, load_demo_stories, load_knowledge_seed
from tests.knowledge.conftest import FIXTURES
from tests.world import World

CITATION = {
    "citation_title": "A cited report",
    "citation_publisher": "Test",
    "citation_url": "https://x.org/r",
    "citation_year": 2020,
}


def _entry(session: Session, actor: Actor, **extra: object) -> object:
    values: dict[str, object] = {
        "technique_code": "sterile_insect",
        "claim": "Benefit-cost ratio of a fruit-fly programme",
        "value": 5.0,
        "unit": "benefit-cost ratio",
        **CITATION,
        **extra,
    }
    return service.create_evidence(session, actor=actor, data=EvidenceCreate.model_validate(values))


def test_an_editor_adds_evidence_as_reported_and_it_is_audited(session: Session, editor: Actor) -> None:
    entry = _entry(session, editor)
    assert entry.status == "reported"  # type: ignore[attr-defined]
    events = audit.history(session, entity_type="knowledge_evidence", entity_id=str(entry.id))  # type: ignore[attr-defined]
    assert [e.action for e in events] == ["evidence.create"]
    assert events[0].after is not None and events[0].after["claim"].startswith("Benefit-cost")


def test_a_citation_is_required(session: Session, editor: Actor) -> None:
    with pytest.raises(ValueError):
        EvidenceCreate.model_validate({"technique_code": "sterile_insect", "claim": "A claim without source"})
    with pytest.raises(ValueError, match="URL"):
        EvidenceCreate.model_validate(
            {
                "technique_code": "sterile_insect",
                "claim": "A claim with a title only",
                "citation_title": "Title",
            }
        )


@pytest.mark.parametrize("role", ["public", "focal_ken", "partner_a"])
def test_others_may_not_write_evidence(session: Session, world: World, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _entry(session, world.actors[role])


def test_the_author_never_checks_their_own_entry(session: Session, world: World, reviewer: Actor) -> None:
    # A facilitator wrote it: even a facilitator (who may check others' entries) may not check it.
    entry = _entry(session, world.actors["facilitator"])
    with pytest.raises(PermissionDenied):
        service.check_evidence(
            session, actor=world.actors["facilitator"], entry_id=entry.id, version=entry.version
        )  # type: ignore[attr-defined]
    checked = service.check_evidence(session, actor=reviewer, entry_id=entry.id, version=entry.version)  # type: ignore[attr-defined]
    assert checked.status == "checked"
    assert checked.checked_by_id == reviewer.user_id and checked.checked_at is not None
    actions = [
        e.action for e in audit.history(session, entity_type="knowledge_evidence", entity_id=str(entry.id))
    ]  # type: ignore[attr-defined]
    assert actions == ["evidence.create", "evidence.check"]


def test_an_editor_may_not_check(session: Session, editor: Actor, world: World) -> None:
    entry = _entry(session, world.actors["admin"])
    with pytest.raises(PermissionDenied):
        service.check_evidence(session, actor=editor, entry_id=entry.id, version=entry.version)  # type: ignore[attr-defined]


def test_a_dispute_says_why_and_an_edit_makes_it_reported_again(
    session: Session, editor: Actor, reviewer: Actor
) -> None:
    entry = _entry(session, editor)
    disputed = service.dispute_evidence(
        session,
        actor=reviewer,
        entry_id=entry.id,  # type: ignore[attr-defined]
        data=EvidenceDispute(version=entry.version, reason="The source gives 3.2, not 5."),  # type: ignore[attr-defined]
    )
    assert disputed.status == "disputed" and disputed.dispute_reason == "The source gives 3.2, not 5."
    values = {
        "technique_code": "sterile_insect",
        "claim": "Benefit-cost ratio of a fruit-fly programme",
        "value": 3.2,
        "unit": "benefit-cost ratio",
        **CITATION,
        "version": disputed.version,
    }
    edited = service.update_evidence(
        session, actor=editor, entry_id=disputed.id, data=EvidenceUpdate.model_validate(values)
    )
    assert edited.status == "reported" and edited.value == 3.2


def test_a_stale_edit_is_refused(session: Session, editor: Actor, reviewer: Actor) -> None:
    entry = _entry(session, editor)
    old_version = entry.version  # type: ignore[attr-defined]
    service.check_evidence(session, actor=reviewer, entry_id=entry.id, version=old_version)  # type: ignore[attr-defined]
    with pytest.raises(StaleEdit):
        service.dispute_evidence(
            session,
            actor=reviewer,
            entry_id=entry.id,  # type: ignore[attr-defined]
            data=EvidenceDispute(version=old_version, reason="Looked again: wrong year."),
        )


def test_unknown_codes_are_named(session: Session, editor: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _entry(session, editor, technique_code="alchemy", country_iso3="XXX", currency="ZZZ")
    assert {p.field for p in refused.value.problems} == {"technique_code", "country_iso3", "currency"}


def test_import_names_every_bad_row_and_field_and_saves_nothing(session: Session, editor: Actor) -> None:
    rows = [
        {"key": "ok-1", "technique": "sterile_insect", "claim": "A good claim here", **CITATION},
        {"key": "bad-2", "technique": "alchemy", "claim": "A claim with bad technique", **CITATION},
        {"key": "bad-3", "technique": "sterile_insect", "claim": "Claim lacking a source link",
         "citation_title": "Title only", "value": "abc"},
        {"key": "ok-1", "technique": "sterile_insect", "claim": "The same key again", **CITATION},
    ]  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        service.import_evidence(session, actor=editor, rows=rows)
    named = {(p.row, p.field) for p in refused.value.problems}
    assert (3, "technique") in named
    assert (4, "value") in named
    assert (5, "key") in named
    assert repository.evidence_by_keys(session, ["ok-1", "bad-2"]) == {}


def test_import_is_idempotent_by_key(session: Session, editor: Actor) -> None:
    rows = [{"key": "k-1", "technique": "sterile_insect", "claim": "A good claim here", **CITATION}]
    first = service.import_evidence(session, actor=editor, rows=rows)
    again = service.import_evidence(session, actor=editor, rows=rows)
    assert (first.created, again.created, again.unchanged) == (1, 0, 1)


def test_story_drafts_are_for_editors_only(session: Session, world: World, editor: Actor) -> None:
    story = service.create_story(
        session, actor=editor, data=StoryCreate(title="A draft story about radiotherapy", body="Draft.")
    )
    assert story.status == "draft" and story.reviewed_at is None
    for role in ("public", "expert", "focal_ken"):
        with pytest.raises(NotFound):
            service.get_story(session, actor=world.actors[role], slug=story.slug)
        assert story not in service.list_stories(session, actor=world.actors[role])
    assert service.get_story(session, actor=world.actors["facilitator"], slug=story.slug) is story
    published = service.update_story(
        session,
        actor=editor,
        story_id=story.id,
        data=StoryUpdate(title=story.title, body="Now published.", status="published", version=story.version),
    )
    assert published.reviewed_at is None  # publishing one's own story is no review of it
    assert service.get_story(session, actor=world.actors["public"], slug=story.slug) is story


def test_a_completed_need_becomes_a_story_draft(session: Session, world: World) -> None:
    from pux.needs import service as needs

    need_id = world.needs["published_ken"]
    with pytest.raises(ValidationFailed):
        service.start_story_from_need(session, actor=world.actors["facilitator"], need_id=need_id)
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    need.status = "completed"
    session.flush()
    story = service.start_story_from_need(session, actor=world.actors["facilitator"], need_id=need_id)
    assert story.need_id == need_id and story.status == "draft" and story.country_iso3 == "KEN"
    with pytest.raises(PermissionDenied):
        service.start_story_from_need(session, actor=world.actors["focal_ken"], need_id=need_id)


def test_unpublished_myths_are_hidden_from_the_public(session: Session, world: World, editor: Actor) -> None:
    myth = service.create_myth(
        session,
        actor=editor,
        data=MythCreate(
            claim="Nuclear techniques always cause cancer",
            finding="They do not: the dose decides.",
            sources=[{"title": "A source", "year": 2020, "url": "https://x.org/s"}],  # type: ignore[list-item]
        ),
    )
    with pytest.raises(NotFound):
        service.get_myth(session, actor=world.actors["public"], slug=myth.slug)
    assert service.get_myth(session, actor=editor, slug=myth.slug) is myth


def test_translation_falls_back_with_a_label_and_has_its_own_status(
    session: Session, editor: Actor, reviewer: Actor
) -> None:
    entry = _entry(session, editor)
    with language_context("fr"):
        text = service.localiser(session, entity_type="evidence", ids=[entry.id]).text(  # type: ignore[attr-defined]
            entry.id,
            "claim",
            entry.claim,
            "en",  # type: ignore[attr-defined]
        )
    assert text is not None and text.is_fallback and text.language == "en"
    translation = service.save_translation(
        session, actor=editor, entity_type="evidence", entity_id=entry.id,  # type: ignore[attr-defined]
        data=TranslationFields(field="claim", language="fr", text="Rapport bénéfice-coût"),
    )  # fmt: skip
    assert translation.status == "machine_draft"
    with pytest.raises(PermissionDenied):
        service.review_translation(session, actor=editor, translation_id=translation.id, version=1)
    reviewed = service.review_translation(
        session, actor=reviewer, translation_id=translation.id, version=translation.version
    )
    assert reviewed.status == "reviewed" and reviewed.reviewed_by_id == reviewer.user_id
    with language_context("fr"):
        text = service.localiser(session, entity_type="evidence", ids=[entry.id]).text(  # type: ignore[attr-defined]
            entry.id,
            "claim",
            entry.claim,
            "en",  # type: ignore[attr-defined]
        )
    assert text is not None and not text.is_fallback and text.text == "Rapport bénéfice-coût"
    assert text.status == "reviewed"


def test_seed_loads_and_is_idempotent(session: Session, world: World, seeded: SeedReport) -> None:
    assert seeded.techniques == 1 and seeded.evidence_created == 2 and seeded.myths == 1
    assert not seeded.problems
    again = load_knowledge_seed(session, actor="test-seed", data_dir=FIXTURES)
    assert again.evidence_created == 0 and again.translations == 0 and not again.problems
    entries = repository.evidence_by_keys(session, ["sit-bcr-1", "sit-cost-1"])
    assert {e.status for e in entries.values()} == {"reported"}
    with language_context("fr"):
        page = service.technique_page(session, actor=world.actors["public"], slug="sterile-insect-technique")
    assert (
        page.summary is not None and page.summary.status == "machine_draft" and not page.summary.is_fallback
    )
    cells = {c.criterion: c for c in page.alternatives[0].cells}
    assert cells["time"].technique is None and cells["time"].source is None
    assert page.alternatives[0].name.text == "Pulvérisation d'insecticides"


def test_demo_stories_attach_to_the_most_advanced_need(session: Session, world: World) -> None:
    report = load_demo_stories(session, data_dir=FIXTURES)
    assert report.stories == 1
    story = repository.get_story_by_slug(session, "radiotherapy-in-kenya")
    assert story is not None and story.is_illustrative and story.status == "published"
    assert story.need_id is not None  # the world's published radiotherapy needs


def _recorded(key: str, value: float | None, value_high: float | None) -> service.RecordedCheck:
    return service.RecordedCheck(
        key=key,
        checked_by="Checking Team",
        checked_on=date(2026, 11, 30),
        source_read="https://example.org/screwworm-copy",
        value=value,
        value_high=value_high,
    )


def test_a_recorded_check_marks_only_an_entry_that_still_holds_the_checked_figures(
    session: Session, editor: Actor, seeded: SeedReport
) -> None:
    checks = [
        _recorded("sit-bcr-1", 10.0, 18.0),  # the seed's figures
        _recorded("sit-cost-1", 120.0, None),  # the seed says 150: not what was checked
        _recorded("no-such-entry", 1.0, None),
    ]
    assert service.record_checks(session, actor=editor, checks=checks) == 1
    entries = repository.evidence_by_keys(session, ["sit-bcr-1", "sit-cost-1"])
    checked, other = entries["sit-bcr-1"], entries["sit-cost-1"]
    assert checked.status == "checked" and checked.checked_by_id is None
    assert checked.checked_by_name == "Checking Team"
    assert checked.check_source == "https://example.org/screwworm-copy"
    assert checked.checked_at is not None and checked.checked_at.date() == date(2026, 11, 30)
    assert other.status == "reported" and other.checked_by_name is None
    actions = [
        e.action for e in audit.history(session, entity_type="knowledge_evidence", entity_id=str(checked.id))
    ]
    assert actions[-1] == "evidence.check"
    # Again: nothing more to mark (a check counts once, for a reported entry).
    assert service.record_checks(session, actor=editor, checks=checks) == 0


def test_an_edited_figure_loses_its_recorded_check(
    session: Session, editor: Actor, seeded: SeedReport
) -> None:
    service.record_checks(session, actor=editor, checks=[_recorded("sit-bcr-1", 10.0, 18.0)])
    entry = repository.evidence_by_keys(session, ["sit-bcr-1"])["sit-bcr-1"]
    values = {name: getattr(entry, name) for name in EvidenceUpdate.model_fields if name != "version"}
    edited = service.update_evidence(
        session,
        actor=editor,
        entry_id=entry.id,
        data=EvidenceUpdate.model_validate({**values, "value": 12.0, "version": entry.version}),
    )
    assert edited.status == "reported"
    assert (edited.checked_by_name, edited.check_source, edited.checked_at) == (None, None, None)
    # The old check no longer fits the figures: re-loading it leaves the entry reported.
    assert service.record_checks(session, actor=editor, checks=[_recorded("sit-bcr-1", 10.0, 18.0)]) == 0


def test_only_editors_record_checks(session: Session, world: World, seeded: SeedReport) -> None:
    with pytest.raises(PermissionDenied):
        service.record_checks(
            session, actor=world.actors["public"], checks=[_recorded("sit-bcr-1", 10.0, 18.0)]
        )
