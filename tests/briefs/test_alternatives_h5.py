"""A brief's techniques say what each is compared against: the conventional alternatives the knowledge base
names (in the reader's language where it holds a translation), and for each evidence figure the alternative
it is measured against, with its source and year; where the knowledge base records no comparison the brief
says so. The techniques listed the same way before saying nothing of what they were compared with."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import EDITOR, Actor, Grant
from pux.briefs import fitting, service
from pux.briefs.content import TechniqueLine
from pux.briefs.views import printable_html
from pux.i18n import language_context
from pux.knowledge import service as knowledge
from pux.knowledge.schemas import EvidenceCreate
from pux.knowledge.seed import DATA_DIR, load_knowledge_seed
from tests.briefs.walk import parse
from tests.world import PASSWORD, World

TODAY = date(2026, 12, 1)
NO_COMPARISON = "no comparison recorded"
# The techniques Kenya's brief lists in the test world: its needs ask for radiotherapy, and the rest come
# from its most pressing area.
KENYAS_TECHNIQUES = frozenset(
    {"radiotherapy", "energy_planning", "nuclear_power_programme", "research_reactor"}
)


@pytest.fixture(autouse=True)
def fresh_briefs() -> Iterator[None]:
    """A brief kept by an earlier test on the same data version would hide this test's knowledge base."""
    service.forget_rendered_briefs()
    yield
    service.forget_rendered_briefs()


@pytest.fixture
def knowledge_base(session: Session, tmp_path: Path) -> None:
    """The shipped knowledge base of the techniques in Kenya's brief, loaded by the real loader (the whole
    seed takes a quarter of a minute to index)."""
    techniques = json.loads((DATA_DIR / "techniques.json").read_text("utf-8"))
    kept = [technique for technique in techniques if technique["code"] in KENYAS_TECHNIQUES]
    (tmp_path / "techniques.json").write_text(json.dumps(kept, ensure_ascii=False), "utf-8")
    with (DATA_DIR / "evidence.csv").open(encoding="utf-8-sig", newline="") as shipped:
        reader = csv.DictReader(shipped)
        with (tmp_path / "evidence.csv").open("w", encoding="utf-8", newline="") as small:
            writer = csv.DictWriter(small, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            writer.writerows(row for row in reader if row["technique"] in KENYAS_TECHNIQUES)
    load_knowledge_seed(session, actor="test-seed", data_dir=tmp_path)


def _alternative_names(code: str, language: str) -> list[str]:
    """The names the shipped knowledge base gives a technique's alternatives, in one language."""
    techniques = json.loads((DATA_DIR / "techniques.json").read_text("utf-8"))
    technique = next(t for t in techniques if t["code"] == code)
    return [alternative["name"][language] for alternative in technique["alternatives"]]


def _radiotherapy(session: Session, world: World, language: str = "en") -> TechniqueLine:
    with language_context(language):
        brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    found = [line for line in brief.techniques if line.code == "radiotherapy"]
    assert found, "Kenya's needs ask for radiotherapy: its brief lists it"
    return found[0]


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _editor(session: Session, world: World) -> Actor:
    return accounts.actor_for(
        accounts.create_user(
            session, actor=world.actors["admin"], email="h5-editor@test.pux.invalid", full_name="Editor",
            password=PASSWORD, grants=[Grant(EDITOR)],
        )
    )  # fmt: skip


def test_a_technique_names_its_conventional_alternatives_and_what_each_figure_is_measured_against(
    client: TestClient, session: Session, world: World, knowledge_base: None
) -> None:
    line = _radiotherapy(session, world)
    assert [a.name for a in line.alternatives] == ["Surgery alone", "Chemotherapy"]
    assert [a.relation_label for a in line.alternatives] == ["used instead of it", "used alongside it"]
    figures = [entry for entry in line.evidence if entry.figure is not None]
    assert figures, "the Lancet Oncology Commission figures are radiotherapy's evidence"
    for entry in figures:
        assert entry.comparator == "Surgery alone"
        assert entry.figure is not None and entry.figure.source.endswith("2015")  # its source, with the year
        assert entry.figure.year == "2015-2035"  # the years the figure describes

    page = _squashed(client.get("/countries/KEN/brief").text)
    assert "Compared with: " in page
    assert "Surgery alone</span> (used instead of it);" in page
    assert 'compared with: <span class="name comparator" dir="auto">Surgery alone</span>' in page


def test_the_alternatives_are_named_in_the_readers_language(
    session: Session, world: World, knowledge_base: None
) -> None:
    for language in ("fr", "ar"):
        line = _radiotherapy(session, world, language)
        assert [a.name for a in line.alternatives] == _alternative_names("radiotherapy", language)
        assert {a.language for a in line.alternatives} == {language}
        assert {e.comparator for e in line.evidence if e.figure} == {
            _alternative_names("radiotherapy", language)[0]
        }


def test_a_technique_without_a_recorded_comparison_says_so(
    client: TestClient, session: Session, world: World
) -> None:
    # The world's knowledge base holds no technique profile: nothing compares radiotherapy with anything.
    editor = _editor(session, world)
    knowledge.create_evidence(
        session,
        actor=editor,
        data=EvidenceCreate(
            technique_code="radiotherapy", claim="Patients treated a year at a new centre", value=900,
            unit="patients per year", citation_title="A centre's report", citation_url="https://example.org/r",
            citation_year=2023,
        ),
    )  # fmt: skip
    line = _radiotherapy(session, world)
    assert line.alternatives == ()
    assert [entry.comparator for entry in line.evidence] == [""]

    root, _texts = parse(client.get("/countries/KEN/brief").text)
    technique = next(
        article
        for article in root.find_all(lambda e: e.tag == "article" and "technique" in e.classes)
        if "Patients treated a year at a new centre" in article.text()
    )
    paragraph = technique.find_all(lambda e: "alternatives" in e.classes)[0]
    assert _squashed(paragraph.text()) == f"Compared with: {NO_COMPARISON}"
    assert paragraph.find_all(lambda e: "missing" in e.classes), "missing is shown as missing"
    comparator = technique.find_all(lambda e: "comparator" in e.classes)
    assert [c.text() for c in comparator] == [NO_COMPARISON] and "missing" in comparator[0].classes


def test_a_claim_without_a_figure_does_not_push_a_figure_out_of_the_brief(
    session: Session, world: World, knowledge_base: None
) -> None:
    before = [entry.entry_id for entry in _radiotherapy(session, world).evidence]
    knowledge.create_evidence(
        session,
        actor=_editor(session, world),
        data=EvidenceCreate(
            technique_code="radiotherapy", claim="Radiotherapy is cost-effective in many settings",
            comparator="surgery_alone", citation_title="A newer review", citation_url="https://example.org/n",
            citation_year=2025,
        ),
    )  # fmt: skip
    after = _radiotherapy(session, world).evidence
    assert [entry.entry_id for entry in after] == before
    assert all(entry.figure is not None for entry in after)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_pdf_names_the_alternatives_and_keeps_to_its_pages(
    session: Session, world: World, knowledge_base: None, language: str
) -> None:
    with language_context(language):
        rendered = service.pdf_brief(
            session, actor=world.actors["public"], kind="country", key="KEN", printable=printable_html,
            today=TODAY,
        )  # fmt: skip
    reader = pypdf.PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages <= fitting.MAX_PAGES
    text = _squashed(" ".join(page.extract_text() for page in reader.pages)).replace("\u2010 ", "")
    for name in _alternative_names("radiotherapy", language):
        assert name in text, f"the {language} PDF does not name {name!r}"
