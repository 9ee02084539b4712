"""A public reader walks the knowledge pages in a real browser, in Arabic.

Not signed in, the reader switches to Arabic with the header's link, searches from the header's box for
radiotherapy in Arabic, sees the results grouped by kind with the technique among them (the page right
to left), opens the technique page, finds the comparison cells the seed has no value for labelled
"unknown" (whatever the Arabic word is), and runs the return-on-investment calculator with Kenya's
figures: the benefit left out first (the calculator names it), then complete, with the net present value
and its sensitivity range. A search in French finds an English-only record about the same subject.

The test world has no knowledge seed: the real seed (src/pux/knowledge/data) is loaded through
``pux.knowledge.seed`` for this module and removed at the end. Screenshots go to
test-artifacts/knowledge/<role>-<step>-<width>-<lang>.png.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.knowledge import calculator
from pux.knowledge.models import (
    Alternative,
    ComparisonCell,
    EvidenceEntry,
    KnowledgeTranslation,
    Myth,
    Prerequisite,
    TechniqueProfile,
)
from pux.knowledge.seed import load_knowledge_seed
from tests.browser.walking import switch_language
from tests.world import World

pytestmark = pytest.mark.browser

TOKEN = f"K{uuid.uuid4().hex[:8]}"
SEED_ACTOR = f"knowledge-walk-{TOKEN}"
WIDTHS = (1280, 390)
ARABIC = "العربية"
ARABIC_QUERY = "العلاج الإشعاعي"
FRENCH_QUERY = "formation des physiciens en curiethérapie"
ENGLISH_ONLY_TITLE = (
    "Brachytherapy training for Kenyan physicists"  # an activity of the test world, English only
)
TECHNIQUE_URL = "/techniques/radiotherapy"
# Kenya's figures for a first radiotherapy bunker, in US dollars; the benefit is left out at first.
FIGURES = {
    "investment": "2500000",
    "running_cost": "180000",
    "benefit": "720000",
}
HORIZON, DISCOUNT = "15", "5"


# ---------------------------------------------------------------- helpers


def _shoot(page: Any, folder: Path, step: str, language: str, shots: list[Path]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = folder / f"public-{step}-{width}-{language}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def _field(page: Any, name: str) -> Any:
    """A calculator field by its name (its label is "Amount" in every figure's group)."""
    return page.locator(f"form.calculator [name='{name}']")


def _fill_figure(page: Any, name: str, amount: str) -> None:
    _field(page, name).fill(amount)
    _field(page, f"{name}__currency").fill("USD")
    _field(page, f"{name}__price_year").fill("2024")


def _amounts(text: str) -> list[float]:
    """The amounts written in English in ``text`` ("3,105,015 … 4,012,880 USD")."""
    return [float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]


def _calculate(page: Any) -> int:
    """Submit the calculator (a GET form); the status of the page it answers with."""
    with page.expect_response(lambda r: "/techniques/" in r.url and r.request.method == "GET") as answer:
        page.locator("form.calculator button[type=submit]").click()
    page.wait_for_load_state()
    return int(answer.value.status)


def _remove_seed(engine: Engine, first_audit_id: int) -> None:
    """Take out everything the seed loaded (children first: SQLite may not cascade)."""
    with Session(engine) as session, session.begin():
        alternative_ids = select(Alternative.id)
        session.execute(delete(ComparisonCell).where(ComparisonCell.alternative_id.in_(alternative_ids)))
        for model in (Alternative, Prerequisite, KnowledgeTranslation, EvidenceEntry, Myth, TechniqueProfile):
            session.execute(delete(model))
        session.execute(
            delete(AuditEvent).where(AuditEvent.id > first_audit_id, AuditEvent.actor.like(f"%{SEED_ACTOR}%"))
        )


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def knowledge_seed(world: World, engine: Engine) -> Iterator[None]:
    """The real knowledge seed, committed for the live server (unless already there) and removed after."""
    with Session(engine) as session:
        present = int(session.scalar(select(func.count()).select_from(TechniqueProfile)) or 0)
        first_audit_id = int(session.scalar(select(func.max(AuditEvent.id))) or 0)
    if present:
        yield
        return
    with Session(engine) as session, session.begin():
        report = load_knowledge_seed(session, actor=SEED_ACTOR)
    assert report.techniques > 0 and not report.problems, report
    try:
        yield
    finally:
        _remove_seed(engine, first_audit_id)
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(TechniqueProfile)) == 0
            assert session.scalar(select(func.count()).select_from(EvidenceEntry)) == 0


@pytest.fixture(scope="module")
def folder(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "knowledge"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(live_server: str, browser: Any, knowledge_seed: None) -> Iterator[Any]:
    context = browser.new_context(locale="en", viewport={"width": WIDTHS[0], "height": 900})
    yield context.new_page()
    context.close()


# ---------------------------------------------------------------- the walk


def test_reader_searches_in_arabic_opens_the_technique_and_runs_the_calculator(
    page: Any, live_server: str, folder: Path
) -> None:
    base = live_server
    shots: list[Path] = []

    # -- 1. in Arabic, a search from the header's box
    page.goto(f"{base}/")
    switch_language(page, ARABIC)
    expect(page.locator("html[dir=rtl]")).to_have_count(1)
    box = page.locator("header form.site-search")
    box.locator("input[name=q]").fill(ARABIC_QUERY)
    box.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/search\?q="))
    expect(page.locator("html[dir=rtl]")).to_have_count(1)
    expect(page.locator("#site-search-q")).to_have_value(ARABIC_QUERY)
    groups = page.locator(".search-results section.search-group")
    assert groups.count() >= 1
    headings = [h.strip() for h in groups.locator("h2").all_inner_texts()]
    assert all(headings) and len(set(headings)) == len(headings), headings  # one group per kind
    technique_group = groups.filter(has=page.locator(f"a[href='{TECHNIQUE_URL}']"))
    expect(technique_group).to_have_count(1)
    hit = technique_group.locator(f"a[href='{TECHNIQUE_URL}']")
    expect(hit).to_be_visible()  # found by its Arabic name (the hit's title is the English name)
    _shoot(page, folder, "1-search", "ar", shots)

    # -- 2. the technique page: the comparison, with its unknown cells labelled
    hit.click()
    page.wait_for_url(f"{base}{TECHNIQUE_URL}")
    expect(page.locator("html[dir=rtl]")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text("العلاج الإشعاعي")
    comparison = page.locator("table.comparison")
    assert comparison.count() >= 1
    unknown = comparison.locator("tbody td:not(:last-child) .missing")  # the last column: the source
    assert unknown.count() >= 1  # the seed has no value for the alternative's cost
    label = unknown.first.inner_text().strip()
    assert label and label.lower() != "unknown", label  # labelled, and in Arabic
    assert all(text.strip() == label for text in unknown.all_inner_texts())
    _shoot(page, folder, "2-technique", "ar", shots)

    # -- 3. the calculator with Kenya's figures, the benefit left out: the missing input is named
    _field(page, "country").select_option("KEN")
    _fill_figure(page, "investment", FIGURES["investment"])
    _fill_figure(page, "running_cost", FIGURES["running_cost"])
    _field(page, "horizon_years").fill(HORIZON)
    _field(page, "discount_percent").fill(DISCOUNT)
    assert _calculate(page) == 200  # a GET form: the missing input is said on the page, not refused
    expect(page.locator("html[dir=rtl]")).to_have_count(1)
    result = page.locator("#calculator .calculator-result")
    missing = result.locator(".missing-inputs li")
    benefit_label = page.locator("form.calculator fieldset:has([name='benefit']) > legend")
    expect(missing).to_have_count(1)
    expect(missing).to_have_text(benefit_label.inner_text().strip())
    assert result.locator(".npv").count() == 0
    assert _field(page, "investment").input_value() == FIGURES["investment"]  # the figures stay typed
    assert _field(page, "country").input_value() == "KEN"
    _shoot(page, folder, "3-calculator-missing", "ar", shots)

    # -- 4. complete: the net present value and its sensitivity range
    _fill_figure(page, "benefit", FIGURES["benefit"])
    assert _calculate(page) == 200
    result = page.locator("#calculator .calculator-result")
    expect(result.locator(".missing-inputs")).to_have_count(0)
    expect(result.locator(".problems")).to_have_count(0)
    values = result.locator("dl.facts > dd")
    npv = result.locator("dd.npv")
    expect(npv).to_contain_text(re.compile(r"\d"))
    expect(npv).to_contain_text("USD")
    sensitivity = values.nth(1)
    expect(sensitivity).to_contain_text("…")
    expect(sensitivity).to_contain_text(re.compile(r"\d.*….*\d"))
    _shoot(page, folder, "4-calculator-result", "ar", shots)

    # -- and in English, the same figures: the values are those of the calculator itself
    query = page.url.split("#")[0]  # the fragment never reaches the server
    switch_language(page, "English")
    assert page.url.split("#")[0] == query and page.locator("html").get_attribute("dir") == "ltr"
    outcome = calculator.run(
        {
            **{name: amount for name, amount in FIGURES.items()},
            **{f"{name}__currency": "USD" for name in FIGURES},
            **{f"{name}__price_year": "2024" for name in FIGURES},
            "horizon_years": HORIZON,
            "discount_percent": DISCOUNT,
        },
        [],
    )
    assert outcome.result is not None
    expected = outcome.result
    result = page.locator("#calculator .calculator-result")
    shown_npv = _amounts(result.locator("dd.npv").inner_text())
    assert result.locator("dd.npv").inner_text().strip().endswith("USD")
    assert len(shown_npv) == 1 and abs(shown_npv[0] - expected.npv) < 1, (shown_npv, expected.npv)
    expect(result.locator("dl.facts > dt").nth(1)).to_have_text("Sensitivity range")
    shown_range = _amounts(result.locator("dl.facts > dd").nth(1).inner_text())
    assert len(shown_range) == 2, shown_range
    assert abs(shown_range[0] - expected.npv_low) < 1 and abs(shown_range[1] - expected.npv_high) < 1
    assert expected.npv_low < expected.npv < expected.npv_high
    _shoot(page, folder, "4-calculator-result", "en", shots)

    for path in shots:
        assert path.exists() and path.stat().st_size > 10_000, path


def test_a_french_search_finds_an_english_only_record_on_the_same_subject(
    page: Any, live_server: str, folder: Path
) -> None:
    page.goto(f"{live_server}/")
    switch_language(page, "Français")
    box = page.locator("header form.site-search")
    box.locator("input[name=q]").fill(FRENCH_QUERY)
    box.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/search\?q="))
    found = page.locator(".search-results .search-hit a", has_text=ENGLISH_ONLY_TITLE)
    expect(found).to_have_count(1)
    expect(found).to_have_attribute("lang", "en")
    page.screenshot(path=str(folder / "public-5-search-french-1280-fr.png"), full_page=True)
