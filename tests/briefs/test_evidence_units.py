"""An evidence figure's unit in the reader's language: the units of the packaged evidence are translated
where the catalogue holds a translation, any other is shown as written; a claim or figure in another
language than the page's is set apart in its own language and direction, so that an Arabic brief keeps
"6 – 8 tonnes per hectare" in its order. (A unit PUX has no translation of, "bushels per acre", is shown as
written, set apart.)"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

import pux.knowledge
from pux.accounts.permissions import EDITOR
from pux.briefs import service
from pux.briefs.content import Brief, EvidenceLine
from pux.briefs.views import printable_html
from pux.i18n import language_context
from pux.knowledge import evidence_units
from pux.knowledge import service as knowledge
from pux.knowledge.schemas import EvidenceCreate
from tests.world import World, person

TODAY = date(2026, 12, 1)
CLAIM = "Yield of radiotherapy-bred rice"


def _yield_evidence(session: Session, world: World, unit: str = "tonnes per hectare") -> None:
    editor = person(session, world, EDITOR, "units-editor@test.pux.invalid")
    knowledge.create_evidence(
        session,
        actor=editor,
        data=EvidenceCreate(
            technique_code="radiotherapy", claim=CLAIM, value=6, value_high=8, unit=unit,
            citation_title="A field study", citation_url="https://example.org/yield", citation_year=2018,
        ),
    )  # fmt: skip
    session.flush()


def _arabic_brief(session: Session, world: World) -> tuple[Brief, EvidenceLine, str]:
    with language_context("ar"):
        brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
        html = printable_html(brief)
    line = next(e for t in brief.techniques for e in t.evidence if e.claim == CLAIM)
    return brief, line, html


def test_an_untranslated_claim_and_unit_are_set_apart_in_an_arabic_brief(
    session: Session, world: World
) -> None:
    _yield_evidence(session, world, unit="bushels per acre")
    _brief, line, html = _arabic_brief(session, world)
    assert line.figure is not None and line.figure.unit == "bushels per acre"
    item = html.split(CLAIM, 1)[0].rsplit("<li>", 1)[1] + html.split(CLAIM, 1)[1].split("</li>", 1)[0]
    assert item.startswith('<bdi lang="en" dir="ltr"><span class="claim"')
    figure = item.split(": ", 1)[1]
    assert figure.startswith('<bdi lang="en" dir="ltr"><data class="fig"')
    assert "6 – 8&nbsp;bushels per acre</data>" in figure.split("</bdi>", 1)[0]


def test_a_translated_unit_is_shown_in_the_readers_language(session: Session, world: World) -> None:
    _yield_evidence(session, world)
    _brief, line, html = _arabic_brief(session, world)
    assert line.figure is not None and line.figure.unit == "طن للهكتار" and line.figure_language == "ar"
    assert ': <data class="fig"' in html.split(CLAIM, 1)[1][:200]  # in the page's language: not set apart


def test_every_unit_of_the_packaged_evidence_can_be_translated() -> None:
    data = Path(pux.knowledge.__file__).parent / "data" / "evidence.csv"
    with data.open(encoding="utf-8") as file:
        units = {row["unit"] for row in csv.DictReader(file) if row["unit"]}
    with language_context("en"):
        assert units <= set(evidence_units._labels())
