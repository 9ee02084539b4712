"""A brief keeps to its page budget: its longest lists are shortened until the PDF fits (a regional brief
in Russian ran to five pages); and a country's line adds the same money once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.briefs import fitting, service
from pux.briefs.content import Brief
from tests.world import World, activity_data

TODAY = date(2026, 12, 1)


LINES_A_PAGE = 5


def _pages_as_long_as_its_lists(brief: Brief) -> str:
    """A document as long as the brief's lists: a page for every five lines of the lists the fitting may
    cut (the real brief's length grows with them the same way)."""
    lines = sum(len(getattr(brief, name)) for name in fitting.CUT_LISTS)
    pages = -(-lines // LINES_A_PAGE)
    breaks = "".join(f'<p style="break-after: page">page {n}</p>' for n in range(pages))
    return f'<!doctype html><html lang="en"><body>{breaks}</body></html>'


def test_a_brief_longer_than_its_budget_is_shortened_until_it_fits(session: Session, world: World) -> None:
    service.forget_rendered_briefs()
    long_brief = service.region_brief(session, actor=world.actors["admin"], m49="014", today=TODAY)
    lines = sum(len(getattr(long_brief, name)) for name in fitting.CUT_LISTS)
    assert lines > LINES_A_PAGE * fitting.MAX_PAGES, "the test needs a brief longer than its budget"
    rendered = service.pdf_brief(
        session,
        actor=world.actors["admin"],
        kind="region",
        key="014",
        printable=_pages_as_long_as_its_lists,
        today=TODAY,
    )
    assert rendered.pages <= fitting.MAX_PAGES


def test_shortening_cuts_the_longest_list_from_its_end_and_never_below_two_lines(
    session: Session, world: World
) -> None:
    real = service.region_brief(session, actor=world.actors["admin"], m49="014", today=TODAY)
    assert real.countries, "the region brief lists its countries"
    brief = replace(real, needs=[], countries=real.countries[:1] * 8, providers=[], recipients=[], events=[])
    brief = replace(brief, techniques=[], fitting_needs=[], need_offers=[])
    shorter = fitting.shortened(brief)
    assert shorter is not None
    assert shorter.countries == brief.countries[:6]
    assert shorter.needs_total == brief.needs_total  # "n more needs are listed in PUX" stays true
    assert fitting.shortened(replace(brief, countries=brief.countries[:2])) is None


def _kenyas_usd_commitments(session: Session, world: World) -> float | None:
    brief = service.region_brief(session, actor=world.actors["admin"], m49="014", today=TODAY)
    kenya = next(line for line in brief.recipients if line.name == "Kenya")
    return next(figure.value for figure in kenya.committed if figure.unit == "USD")


def test_a_countrys_line_adds_an_implementers_report_of_its_funders_money_once(
    session: Session, world: World
) -> None:
    partner, provider = world.actors["partner_a"], world.organisations["donor_a"]
    funder = assistance.record_activity(
        session, actor=partner, data=activity_data(provider, title="A funder's commitment to Kenya")
    )
    implementer = assistance.record_activity(
        session, actor=partner, data=activity_data(provider, title="Its implementer's report of it")
    )
    both = _kenyas_usd_commitments(session, world)
    # What an IATI import records when an implementer reports money its funder's activity already holds.
    reported = session.get(AssistanceActivity, implementer.id)
    assert reported is not None and funder.amount_committed is not None
    reported.counted_in_activity_id = funder.id
    session.flush()
    once = _kenyas_usd_commitments(session, world)
    assert both is not None and once == both - float(funder.amount_committed)
