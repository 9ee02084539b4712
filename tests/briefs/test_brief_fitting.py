"""A brief keeps to its page budget: its longest lists are shortened until the PDF fits (a regional brief
in Russian ran to five pages), in few renders (Uganda's brief was rendered four times, 3 s), never cut more
than the quarter steps cut it; and a country's line adds the same money once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.briefs import fitting, service
from pux.briefs.content import Brief
from pux.briefs.renderer import PdfDocument, WeasyPrintRenderer
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


# A model of a brief's PDF (drawn by the real WeasyPrint): pages of twenty lines, the fixed parts (heading,
# figures, gaps, sources) FIXED_LINES long and every line of the lists that may be cut one line. Its
# length falls a line at a time, as the first guess of the fitting assumes.
MODEL_LINES_A_PAGE = 20
FIXED_LINES = 58


def _modelled_length(brief: Brief) -> float:
    """The model's length in pages."""
    return (FIXED_LINES + fitting.lines(brief)) / MODEL_LINES_A_PAGE


def _modelled_pdf(brief: Brief) -> str:
    page = "@page { size: 100mm 100mm; margin: 0 } body { margin: 0 } p { margin: 0; line-height: 5mm }"
    lines = "<p>fixed</p>" * FIXED_LINES + "<p>a line of a list</p>" * fitting.lines(brief)
    return f'<!doctype html><html lang="en"><head><style>{page}</style></head><body>{lines}</body></html>'


class RenderCounter:
    """The real renderer, counting its renders and remembering which brief each PDF was made from."""

    def __init__(self) -> None:
        self.real = WeasyPrintRenderer()
        self.briefs_by_html: dict[str, Brief] = {}
        self.made: list[tuple[PdfDocument, Brief]] = []

    def printable(self, brief: Brief) -> str:
        html = _modelled_pdf(brief)
        self.briefs_by_html[html] = brief
        return html

    def render(self, html: str, *, title: str, language: str) -> PdfDocument:
        document = self.real.render(html, title=title, language=language)
        self.made.append((document, self.briefs_by_html[html]))
        return document

    def brief_of(self, content: bytes) -> Brief:
        return next(brief for document, brief in self.made if document.content == content)


def _rendered(
    session: Session, world: World, counter: RenderCounter, kind: str, key: str
) -> service.RenderedPdf:
    """The administrator's brief of ``kind`` and ``key`` as a PDF, drawn through ``counter``."""
    return service.pdf_brief(
        session,
        actor=world.actors["admin"],
        kind=kind,
        key=key,
        printable=counter.printable,
        renderer=counter,
        today=TODAY,
    )


def _old_stepping(brief: Brief) -> Brief:
    """What stepping a quarter at a time, one render a step, ended with."""
    while _modelled_length(brief) > fitting.MAX_PAGES and (shorter := fitting.shortened(brief)) is not None:
        brief = shorter
    return brief


def test_a_brief_past_its_budget_is_rendered_at_most_three_times_and_cut_as_before(
    session: Session, world: World
) -> None:
    service.forget_rendered_briefs()
    brief = service.region_brief(session, actor=world.actors["admin"], m49="014", today=TODAY)
    old = _old_stepping(brief)
    old_renders = fitting.quarter_steps(brief).index(old) + 1
    assert old_renders >= 4, "the test needs a brief that the quarter steps rendered four times or more"
    counter = RenderCounter()
    rendered = _rendered(session, world, counter, "region", "014")
    assert rendered.pages <= fitting.MAX_PAGES
    assert len(counter.made) <= 3, f"rendered {len(counter.made)} times (the quarter steps: {old_renders})"
    shown = counter.brief_of(rendered.content)
    for name in fitting.CUT_LISTS:
        assert len(getattr(shown, name)) == len(getattr(old, name)), f"{name} cut otherwise than before"
        assert len(getattr(shown, name)) >= min(fitting.MIN_LINES, len(getattr(brief, name)))
    # The cut providers and countries are summed in the last row, with the brief's own rest.
    for name, rest in fitting.SUMMED_REST.items():
        cut = len(getattr(brief, name)) - len(getattr(shown, name))
        earlier = getattr(brief, rest).lines if getattr(brief, rest) else 0
        assert (getattr(shown, rest).lines if getattr(shown, rest) else 0) == earlier + cut
    assert shown.needs_total == brief.needs_total


class WriteCounter(RenderCounter):
    """The real renderer, counting the PDFs it writes out of the documents it lays out."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[Brief] = []

    def render(self, html: str, *, title: str, language: str) -> PdfDocument:
        laid_out = super().render(html, title=title, language=language)
        brief = self.briefs_by_html[html]

        def write() -> bytes:
            self.written.append(brief)
            return laid_out.content

        return PdfDocument(pages=laid_out.pages, filled=laid_out.filled, write=write)


def test_a_brief_past_its_budget_is_laid_out_several_times_and_written_once(
    session: Session, world: World
) -> None:
    """Writing a PDF is half of a render's cost (0.6 s of a regional brief's 1.3 s): only the steps tried
    are laid out, and only the one printed is written."""
    service.forget_rendered_briefs()
    counter = WriteCounter()
    rendered = _rendered(session, world, counter, "region", "014")
    assert len(counter.made) > 1, "the test needs a brief past its budget"
    assert rendered.pages <= fitting.MAX_PAGES
    assert len(counter.written) == 1
    assert fitting.lines(counter.written[0]) == max(
        fitting.lines(brief) for document, brief in counter.made if document.pages <= fitting.MAX_PAGES
    )  # the least cut that fits


def test_a_brief_within_its_budget_is_rendered_once_and_not_cut(session: Session, world: World) -> None:
    service.forget_rendered_briefs()
    counter = RenderCounter()
    country = service.country_brief(session, actor=world.actors["admin"], iso3="KEN", today=TODAY)
    assert _modelled_length(country) <= fitting.MAX_PAGES, "the test needs a brief within its budget"
    rendered = _rendered(session, world, counter, "country", "KEN")
    assert len(counter.made) == 1
    assert fitting.lines(counter.brief_of(rendered.content)) == fitting.lines(country)


# Uganda's public brief in the demo, as rendered at each quarter step (in Russian down to the shortest):
# (lines, pages, length in pages). Its length falls in jumps (a technique or a need's offers are kept whole
# on one page).
UGANDA_EN = [(20, 5, 4.22), (18, 5, 4.22), (17, 5, 4.22), (16, 4, 3.92), (15, 4, 3.92), (14, 4, 3.92)]
UGANDA_RU = [(20, 6, 5.269), (18, 5, 4.577), (17, 5, 4.577), (16, 5, 4.577), (15, 5, 4.269), (14, 5, 4.269)]
UGANDA_RU += [(13, 5, 4.135), (12, 5, 4.135), (11, 5, 4.135), (10, 5, 4.135), (9, 4, 3.987)]


@pytest.mark.parametrize("measured", [UGANDA_EN, UGANDA_RU], ids=["en", "ru"])
def test_ugandas_brief_as_measured_is_fitted_in_three_renders_at_the_quarter_steps_own_cut(
    measured: list[tuple[int, int, float]],
) -> None:
    renders: list[int] = []

    def measure(step: int) -> fitting.Measured:
        renders.append(step)
        return fitting.Measured(step, *measured[step])

    chosen = fitting.chosen_step([lines for lines, _, _ in measured], measure(0), measure)
    first_fitting = next(step for step, (_, pages, _) in enumerate(measured) if pages <= fitting.MAX_PAGES)
    assert measured[chosen][1] <= fitting.MAX_PAGES
    assert chosen == first_fitting  # nothing cut that the quarter steps would have printed
    assert len(renders) <= 3, f"rendered steps {renders} (the quarter steps: {first_fitting + 1} renders)"


def test_the_length_of_a_pdf_counts_its_last_page_as_far_as_its_text_reached() -> None:
    style = "@page { size: 100mm 100mm; margin: 0 } body { margin: 0 } p { margin: 0; line-height: 5mm }"
    lines = "<p>a line</p>" * 30  # twenty lines a page
    html = f'<!doctype html><html lang="en"><head><style>{style}</style></head><body>{lines}</body></html>'
    document = WeasyPrintRenderer().render(html, title="t", language="en")
    assert document.pages == 2
    assert document.length == pytest.approx(1.5, abs=0.02)


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
