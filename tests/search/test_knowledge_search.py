"""Knowledge in search: technique pages, the evidence ledger, success stories and myths are found like
any record, drafts only by those who may read them, in the reader's language where a translation exists,
and the index follows every edit of a page's parts and translations."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.knowledge import service as knowledge
from pux.knowledge.schemas import (
    EvidenceCreate,
    MythCreate,
    SourceFields,
    StoryCreate,
    StoryUpdate,
    TranslationFields,
)
from pux.knowledge.seed import SeedReport
from pux.needs import service as needs
from pux.pagination import PageRequest
from pux.reference import repository as reference_repository
from pux.search import repository as search_repository
from pux.search import service
from pux.search.repository import SearchFilter
from tests.world import World, need_data

MARKER = "Qorvexil"  # a made-up word no other record contains
SOURCE = SourceFields(
    title="Annual report", publisher="Ministry of Health", year=2024, url="https://example.org/report"
)


def _hits(session: Session, actor: Actor, query: str, language: str = "en") -> dict[tuple[str, str], str]:
    results = service.search(
        session,
        actor=actor,
        query=query,
        language=language,
        filters=SearchFilter(),
        page=PageRequest(1, 50),
    )
    return {(hit.kind, hit.key): hit.title for hit in results.hits}


def test_a_story_is_found_once_published_and_its_draft_only_by_editors(
    session: Session, world: World, editor: Actor
) -> None:
    story = knowledge.create_story(
        session,
        actor=editor,
        data=StoryCreate(
            title="Clinics reopen after the flood", body=f"The **{MARKER}** clinic treated 900 people."
        ),
    )
    key = ("story", story.slug)
    assert key not in _hits(session, world.actors["public"], MARKER)
    assert key in _hits(session, editor, MARKER)
    assert key in _hits(session, world.actors["facilitator"], MARKER)
    knowledge.update_story(
        session,
        actor=editor,
        story_id=story.id,
        data=StoryUpdate(
            title=story.title, body=story.body, status="published", sources=[SOURCE], version=story.version
        ),
    )
    assert _hits(session, world.actors["public"], MARKER)[key] == "Clinics reopen after the flood"


def test_a_myth_is_hidden_until_published(session: Session, world: World, editor: Actor) -> None:
    myth = knowledge.create_myth(
        session,
        actor=editor,
        data=MythCreate(
            claim=f"Irradiated {MARKER} food is radioactive",
            finding="It is not: the dose leaves none.",
            sources=[SOURCE],
        ),
    )
    assert ("myth", myth.slug) not in _hits(session, world.actors["public"], MARKER)
    assert ("myth", myth.slug) in _hits(session, editor, MARKER)


def test_an_evidence_entry_is_found_by_its_claim_and_by_its_citation(
    session: Session, world: World, editor: Actor
) -> None:
    entry = knowledge.create_evidence(
        session,
        actor=editor,
        data=EvidenceCreate(
            technique_code="sterile_insect",
            claim="Benefit-cost ratio of the screwworm eradication programme",
            value=12.0,
            unit="ratio",
            citation_title=f"The {MARKER} eradication review",
            citation_publisher="FAO",
            citation_year=2019,
            citation_url="https://example.org/review",
        ),
    )
    public = world.actors["public"]
    assert ("evidence", str(entry.id)) in _hits(session, public, MARKER)
    assert ("evidence", str(entry.id)) in _hits(session, public, "screwworm eradication")


def test_a_technique_page_is_found_by_its_summary_and_titled_in_the_readers_language(
    session: Session, world: World, seeded: SeedReport
) -> None:
    public = world.actors["public"]
    # Words of the page's summary and of a prerequisite, not of the technique's name.
    assert ("technique", "sterile_insect") in _hits(session, public, "sterile males mate wild females")
    assert ("technique", "sterile_insect") in _hits(session, public, "mass-rearing facility irradiator")
    french = _hits(session, public, "insectes stériles", language="fr")
    technique = knowledge.technique_page(session, actor=public, slug="sterile-insect-technique").technique
    assert french[("technique", "sterile_insect")] == technique.name_fr != technique.name_en


def _ranked(session: Session, actor: Actor, query: str, language: str) -> list[tuple[str, str]]:
    results = service.search(
        session, actor=actor, query=query, language=language, filters=SearchFilter(), page=PageRequest(1, 20)
    )
    return [(hit.kind, hit.key) for hit in results.hits]


@pytest.mark.parametrize(
    ("code", "need_title"),
    [
        ("sterile_insect", "Sterile insect technique against fruit flies, district {}"),
        ("mutation_breeding", "Mutation breeding of drought-tolerant sorghum, district {}"),
    ],
)
def test_a_search_for_a_technique_by_its_name_puts_its_page_first_among_newer_records_that_name_it(
    session: Session,
    world: World,
    seeded: SeedReport,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    need_title: str,
) -> None:
    """Short needs that name a technique in their title match its words better than its long page does
    (the page's title is the name: it counts); and the page, written once, is older than the needs written
    since: with more newer matches than are scored (reached here with a few records), it was not found."""
    monkeypatch.setattr(search_repository, "RANKED_MATCHES", 10)
    focal = world.actors["focal_ken"]
    for number in range(15):
        data = need_data(title=need_title.format(number), visibility="public")
        need = needs.create_need(session, actor=focal, data=data)
        for target in ("submitted", "endorsed", "published"):
            need = needs.transition_need(
                session, actor=focal, need_id=need.id, target=target, version=need.version
            )
    public = world.actors["public"]
    technique = next(t for t in reference_repository.list_techniques(session) if t.code == code)
    for language in ("en", "fr", "es", "ar", "zh", "ru"):
        ranked = _ranked(session, public, getattr(technique, f"name_{language}"), language)
        assert ranked[0] == ("technique", code), (language, ranked[:5])
    english = _ranked(session, public, technique.name_en, "en")
    assert sum(1 for kind, _key in english if kind == "need") >= 10  # the needs are found all the same


def test_a_translation_makes_a_story_findable_and_titled_in_that_language(
    session: Session, world: World, editor: Actor
) -> None:
    story = knowledge.create_story(
        session,
        actor=editor,
        data=StoryCreate(
            title="Water for the dry season",
            body="Isotopes dated the aquifer.",
            status="published",
            sources=[SOURCE],
        ),
    )
    public, key = world.actors["public"], ("story", story.slug)
    assert key not in _hits(session, public, f"Puits {MARKER}", language="fr")
    knowledge.save_translation(
        session,
        actor=editor,
        entity_type="story",
        entity_id=story.id,
        data=TranslationFields(field="title", language="fr", text=f"De l'eau pour la saison sèche {MARKER}"),
    )
    assert _hits(session, public, MARKER, language="fr")[key] == f"De l'eau pour la saison sèche {MARKER}"
    # An English reader still sees the title as written.
    assert _hits(session, public, MARKER, language="en")[key] == "Water for the dry season"


def test_editing_a_technique_summary_reindexes_the_technique(
    session: Session, world: World, editor: Actor, seeded: SeedReport
) -> None:
    page = knowledge.technique_page(session, actor=editor, slug="sterile-insect-technique")
    assert page.profile is not None
    knowledge.update_technique_summary(
        session,
        actor=editor,
        slug="sterile-insect-technique",
        summary=f"Releases of sterile {MARKER} males suppress the pest.",
        sdg_target_codes=["2.3"],
        version=page.profile.version,
    )
    assert ("technique", "sterile_insect") in _hits(session, world.actors["public"], MARKER)


@pytest.mark.parametrize("walk", [True, False], ids=["walking the ids down", "through the word index"])
def test_the_newest_matches_are_ranked_however_the_database_finds_them(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch, walk: bool
) -> None:
    """Only the newest RANKED_MATCHES matches of a query are ranked. On PostgreSQL they are found by walking
    the ids down or through the word index, as its estimates make cheaper; either way they are the newest
    (SQLite's FTS5 has one way, checked here all the same)."""
    monkeypatch.setattr(search_repository, "RANKED_MATCHES", 4)
    monkeypatch.setattr(
        search_repository, "_estimated_rows", lambda _session, _statement: 1e9 if walk else 0.0
    )
    focal = world.actors["focal_ken"]
    created = []
    for number in range(7):
        data = need_data(title=f"{MARKER} irrigation survey {number}", visibility="public")
        need = needs.create_need(session, actor=focal, data=data)
        for target in ("submitted", "endorsed", "published"):
            need = needs.transition_need(
                session, actor=focal, need_id=need.id, target=target, version=need.version
            )
        created.append(str(need.id))
    results = service.search(
        session,
        actor=world.actors["public"],
        query=MARKER,
        language="en",
        filters=SearchFilter(),
        page=PageRequest(1, 20),
        mode="words",
    )
    assert {hit.key for hit in results.hits if hit.kind == "need"} == set(created[-4:])
