"""A country brief's "Programmes that could meet these needs": for the country's first unmet needs, the open
programmes the matching engine recommends, each with its organisation, why it fits and its remaining budget
(cited like every figure), in the page and in the PDF; a need nothing matches says so; and the section names
no need or programme its reader could not open."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.briefs import service
from pux.briefs import vocabulary as v
from pux.briefs.content import Brief
from tests.briefs.walk import YEAR, Element, figures, parse, row_citations
from tests.world import World, kenya_grant_programme, published_programme

OPEN_GRANTS = "Cancer care grants for Eastern Africa"  # kenya_grant_programme: 3,000,000 USD left
PUBLIC_NEED = "Published public: nuclear medicine upgrade"  # costs 1,200,000 USD
PARTNERS_NEED = "Published partners: nuclear medicine upgrade"
PRIVATE_NEED = "Published private: nuclear medicine upgrade"
DRAFT_NEED = "Draft: second linear accelerator"
DRAFT_PROGRAMME = "Radiotherapy equipment grants"  # the world's draft: it would fit, were it published
PARTNERS_PROGRAMME = "Partners-only cancer grants"
NO_MATCH = "No open programme matches this need yet."


@pytest.fixture(autouse=True)
def fresh_briefs() -> Iterator[None]:
    """A brief kept by an earlier test on the same data version would hide this test's programmes."""
    service.forget_rendered_briefs()
    yield
    service.forget_rendered_briefs()


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _section(html: str) -> Element:
    root, _texts = parse(html)
    found = root.find_all(lambda e: e.tag == "section" and e.attrs.get("aria-labelledby") == "h-offers")
    assert found, "the brief has no section of programmes for its needs"
    return found[0]


def _pdf_text(client: TestClient) -> str:
    answer = client.get("/countries/KEN/brief.pdf")
    assert answer.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(answer.content))
    text = _squashed(" ".join(page.extract_text() for page in reader.pages))
    return text.replace("\u2010 ", "")  # words hyphenated at the end of a line, joined again


def _partners_only_programme(session: Session, world: World) -> None:
    """A published programme that fits Kenya's radiotherapy needs but is shown to partners only."""
    published_programme(
        session, world, title=PARTNERS_PROGRAMME, visibility="partners", max_per_need=Decimal("2000000")
    )


def _need_titles(brief: Brief) -> set[str]:
    return {item.need.title for item in brief.need_offers}


def _programme_titles(brief: Brief) -> set[str]:
    return {offer.title for item in brief.need_offers for offer in item.offers}


def test_an_open_programme_that_fits_an_unmet_need_is_named_with_its_budget_and_why(
    client: TestClient, session: Session, world: World
) -> None:
    kenya_grant_programme(session, world)
    section = _section(client.get("/countries/KEN/brief").text)
    text = _squashed(section.text())
    assert PUBLIC_NEED in text
    assert OPEN_GRANTS in text and "Test Donor Agency A" in text
    assert "3,000,000 USD" in text
    # The engine's reasons: what makes it eligible, what it shares with the need, what its budget covers.
    assert "eligible: no restriction applies" in text
    assert "technique External beam radiotherapy matches" in text
    assert "40% of the remaining budget would cover it" in text
    shown = [figure for figure in figures(section) if "missing" not in figure.classes]
    remaining = [figure for figure in shown if figure.text().startswith("3,000,000")]
    assert remaining and remaining[0].attrs["data-source"] == v.programmes_source()
    for figure in shown:
        assert figure.attrs["data-source"] and YEAR.match(figure.attrs["data-year"]), figure.text()
        assert row_citations(figure), f"{figure.text()!r} is printed without its [source, year]"

    pdf = _pdf_text(client)
    assert "Programmes that could meet these needs" in pdf
    assert OPEN_GRANTS in pdf and "3,000,000 USD" in pdf
    assert "40% of the remaining budget would cover it" in pdf


def test_a_need_no_open_programme_matches_says_so(client: TestClient, world: World) -> None:
    # The world's one published programme offers training; the need asks for equipment.
    text = _squashed(_section(client.get("/countries/KEN/brief").text).text())
    assert PUBLIC_NEED in text and NO_MATCH in text
    assert "Published fellowship programme" not in text
    assert NO_MATCH in _pdf_text(client)


def test_the_section_names_only_needs_and_programmes_the_reader_may_see(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    kenya_grant_programme(session, world)
    _partners_only_programme(session, world)
    # Room for every need of Kenya: a draft left out must be left out for its status, not for the count.
    monkeypatch.setattr(v, "MAX_MATCHED_NEEDS", 10)

    public = service.country_brief(session, actor=world.actors["public"], iso3="KEN")
    assert _need_titles(public) == {PUBLIC_NEED}
    assert OPEN_GRANTS in _programme_titles(public)
    assert PARTNERS_PROGRAMME not in _programme_titles(public)

    partner = service.country_brief(session, actor=world.actors["partner_a"], iso3="KEN")
    assert _need_titles(partner) == {PUBLIC_NEED, PARTNERS_NEED}
    assert {OPEN_GRANTS, PARTNERS_PROGRAMME} <= _programme_titles(partner)
    # A draft programme is nobody's offer yet, not even in its own organisation's brief.
    assert DRAFT_PROGRAMME not in _programme_titles(partner)

    focal = service.country_brief(session, actor=world.actors["focal_ken"], iso3="KEN")
    assert DRAFT_NEED in {line.title for line in focal.needs}  # the country's own people see its drafts
    assert _need_titles(focal) == {PUBLIC_NEED, PARTNERS_NEED, PRIVATE_NEED}
