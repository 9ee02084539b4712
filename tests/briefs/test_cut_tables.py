"""A brief's tables are cut short to keep it readable in minutes; what they leave out is still said: the
providers (or recipient countries) left out are summed in a last row, so that the rows add up to the total
above them, and the gap table says how many more lines the gap pages list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.briefs import fitting, gap_section, service
from pux.briefs import vocabulary as v
from pux.briefs.content import Brief
from pux.briefs.views import printable_html
from tests.briefs.walk import brief_root, parse, unexplained_digits
from tests.world import World, activity_data

TODAY = date(2026, 12, 1)


def _second_provider_and_area(session: Session, world: World) -> None:
    """Kenya gets a second public provider (agency B, 100,000 USD, in food: a second gap line)."""
    assistance.record_activity(
        session,
        actor=world.actors["officer_b"],
        data=activity_data(
            world.organisations["agency_b"],
            title="Seed irradiation trials",
            thematic_area_code="food",
            technique_code=None,
            amount_committed=100_000,
        ),
    )
    session.flush()


def _committed(brief: Brief) -> float:
    """What the provider table's rows commit in US dollars, its last row of the others included."""
    shown = [f for line in brief.providers for f in line.committed]
    rest = list(brief.providers_rest.committed) if brief.providers_rest else []
    return sum(f.value or 0.0 for f in shown + rest if f.unit == "USD")


def test_the_providers_a_brief_leaves_out_are_summed_in_a_last_row(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _second_provider_and_area(session, world)
    monkeypatch.setattr(v, "MAX_PROVIDERS", 1)
    brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    assert [line.name for line in brief.providers] == ["Test Donor Agency A"]
    assert brief.providers_rest is not None and brief.providers_rest.lines == 1
    assert [f.value for f in brief.providers_rest.committed] == [100_000]
    assert _committed(brief) == sum(f.value or 0.0 for f in brief.assistance_total) == 350_000
    html = printable_html(brief)
    assert "1 other provider" in html and "100,000" in html.split("1 other provider", 1)[1][:2000]
    root, texts = parse(html)
    assert unexplained_digits(brief_root(root), texts) == []


def test_a_brief_shortened_for_its_pages_sums_the_providers_it_cuts(session: Session, world: World) -> None:
    _second_provider_and_area(session, world)
    full = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    # Four copies of the two providers, every other list empty: the providers are the list cut.
    brief = replace(full, needs=[], need_offers=[], techniques=[], events=[], providers=full.providers * 4)
    shorter = fitting.shortened(brief)
    assert shorter is not None and len(shorter.providers) == 6
    assert shorter.providers_rest is not None and shorter.providers_rest.lines == 2
    assert _committed(shorter) == _committed(brief) == 4 * 350_000


def test_the_gap_table_says_how_many_more_lines_the_gap_pages_list(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _second_provider_and_area(session, world)  # Kenya: a health and a food line
    monkeypatch.setattr(gap_section, "MAX_LINES", 1)
    brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    assert brief.gaps is not None and len(brief.gaps.lines) == 1
    assert brief.gaps.more is not None and brief.gaps.more.value == 1
    html = printable_html(brief)
    assert "1 more gap line is listed on the gap pages of PUX." in html
    root, texts = parse(html)
    assert unexplained_digits(brief_root(root), texts) == []
