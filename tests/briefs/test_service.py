"""Briefs as a reader gets them: every figure cited with its source and year, missing data shown as missing,
only what the reader may see (the public brief never counts a private need), and a rendered brief replaced
as soon as a write changes what it reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.repository import ActivityFilter
from pux.audit.models import utcnow
from pux.briefs import service
from pux.briefs.content import Brief
from pux.briefs.renderer import PdfDocument
from pux.briefs.views import printable_html
from pux.gaps import service as gaps
from pux.i18n import language_context
from pux.needs import service as needs
from pux.reference import repository as reference_repository
from tests.briefs.walk import YEAR, brief_root, figures, parse, row_citations, unexplained_digits
from tests.world import World, activity_data, need_data

TODAY = date(2026, 12, 1)


def _statuses(brief: Brief) -> dict[str, float | None]:
    return {line.label: line.count.value for line in brief.need_counts}


def _titles(brief: Brief) -> set[str]:
    return {line.title for line in brief.needs}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_figure_in_a_brief_carries_its_source_and_year(
    session: Session, world: World, language: str
) -> None:
    with language_context(language):
        brief = service.country_brief(session, actor=world.actors["admin"], iso3="KEN", today=TODAY)
        html = printable_html(brief)
    root, texts = parse(html)
    body = brief_root(root)
    source_list = body.find_all(lambda e: "source-list" in e.classes)[0]
    listed_sources = [li.text().strip() for li in source_list.children if not isinstance(li, str)]
    shown = [f for f in figures(body) if "missing" not in f.classes]
    assert len(shown) > 20, "the brief of Kenya should hold indicators, needs, assistance and evidence"
    for figure in shown:
        source, year = figure.attrs.get("data-source", ""), figure.attrs.get("data-year", "")
        assert source and YEAR.match(year), f"figure {figure.text()!r} has source {source!r}, year {year!r}"
        assert source in listed_sources, f"{source!r} is not in the list of sources"
        mark = f"[{listed_sources.index(source) + 1}, {year}]"
        cited = [c for c in row_citations(figure) if c.attrs["data-source"] == source and c.text() == mark]
        assert cited, f"figure {figure.text()!r} is printed without its {mark} ({source})"
    assert unexplained_digits(body, texts) == []


def test_missing_data_is_shown_as_missing_never_as_zero(session: Session, world: World) -> None:
    # Somalia, South Sudan and Nauru lack several series in the packaged sources.
    for iso3 in ("SOM", "SSD", "NRU"):
        brief = service.country_brief(session, actor=world.actors["public"], iso3=iso3, today=TODAY)
        missing = [line for line in brief.indicators if line.own.value is None]
        if missing:
            break
    assert missing, "the packaged data lack some indicators for these countries"
    root, _texts = parse(printable_html(brief))
    rows = root.find_all(lambda e: e.tag == "tr" and missing[0].name in e.text())
    assert rows
    cells = rows[0].find_all(lambda e: "fig" in e.classes)
    assert "missing" in cells[0].classes and cells[0].text() == "missing"
    # A country of the region that reports nothing is not counted as a zero in the median either.
    reported = [line for line in brief.indicators if line.regional.value is not None]
    assert all(line.reporting_countries.value for line in reported)


def test_the_public_brief_never_counts_private_needs(session: Session, world: World) -> None:
    public = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    partner = service.country_brief(session, actor=world.actors["partner_a"], iso3="KEN", today=TODAY)
    focal = service.country_brief(session, actor=world.actors["focal_ken"], iso3="KEN", today=TODAY)
    assert "Published private: nuclear medicine upgrade" not in _titles(public)
    assert "Published partners: nuclear medicine upgrade" not in _titles(public)
    assert "Published partners: nuclear medicine upgrade" in _titles(partner)
    assert "Published private: nuclear medicine upgrade" not in _titles(partner)
    assert "Published private: nuclear medicine upgrade" in _titles(focal)
    # Counts too: the public sees only published public needs; the focal point every need of the country.
    assert sum(v or 0 for v in _statuses(public).values()) == public.needs_total
    assert (
        sum(v or 0 for v in _statuses(focal).values()) == sum(v or 0 for v in _statuses(public).values()) + 4
    )  # the partners' and private published needs, the draft and the submitted one
    assert "Published private: nuclear medicine upgrade" not in printable_html(public)
    assert public.stamp.audience == "public"
    assert partner.stamp.audience.startswith("partners")
    assert focal.stamp.audience != public.stamp.audience


def test_private_assistance_stays_with_those_who_may_see_it(session: Session, world: World) -> None:
    public = service.country_brief(session, actor=world.actors["public"], iso3="UGA", today=TODAY)
    officer = service.country_brief(session, actor=world.actors["officer_b"], iso3="UGA", today=TODAY)
    assert "Test Cooperation Agency B" not in {line.name for line in public.providers}
    assert "Test Cooperation Agency B" in {line.name for line in officer.providers}


@pytest.fixture
def empty_cache() -> Iterator[None]:
    """Briefs rendered by earlier tests (same data, same day) would be served from the cache, and the stand-in
    PDFs rendered here must not be served to later tests."""
    service.forget_rendered_briefs()
    yield
    service.forget_rendered_briefs()


class CountingRenderer:
    """A renderer that records what it was asked to draw (the PDF itself is tested in test_pdf.py)."""

    def __init__(self) -> None:
        self.documents: list[str] = []

    def render(self, html: str, *, title: str, language: str) -> PdfDocument:
        self.documents.append(html)
        return PdfDocument(content=f"%PDF-1.7 {len(self.documents)}".encode(), pages=1)


def test_a_write_replaces_the_cached_brief(session: Session, world: World, empty_cache: None) -> None:
    renderer = CountingRenderer()
    public = world.actors["public"]

    def pdf() -> service.RenderedPdf:
        return service.pdf_brief(
            session,
            actor=public,
            kind="country",
            key="KEN",
            printable=printable_html,
            renderer=renderer,
            today=TODAY,
        )

    first = pdf()
    again = pdf()
    assert again.from_cache and again.content == first.content and len(renderer.documents) == 1
    title = "Cache test: cyclotron for the national hospital"
    need = needs.create_need(session, actor=world.actors["focal_ken"], data=need_data(title=title))
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=world.actors["focal_ken"], need_id=need.id, target=target, version=need.version
        )
    after = pdf()
    assert not after.from_cache and len(renderer.documents) == 2
    assert after.stamp.data_version != first.stamp.data_version
    assert title in renderer.documents[-1]
    page = service.cached_brief(session, actor=public, kind="country", key="KEN", today=TODAY)
    assert title in _titles(page)


def test_an_activity_corrected_or_deleted_around_pux_moves_the_data_version(
    session: Session, world: World
) -> None:
    # An import tool or a manual correction writes no audit record: the version must still move.
    activity = world.activities["public_a"]  # not the newest: its count must move when it goes
    before = service.data_version(session, actor=world.actors["public"])
    session.execute(
        update(AssistanceActivity)
        .where(AssistanceActivity.id == activity)
        .values(amount_committed=Decimal("1"), updated_at=utcnow() + timedelta(seconds=1))
        .execution_options(synchronize_session=False)
    )
    session.commit()  # the correction is its own transaction
    corrected = service.data_version(session, actor=world.actors["public"])
    assert corrected.code != before.code and corrected.latest_audit_id == before.latest_audit_id
    session.execute(delete(AssistanceActivity).where(AssistanceActivity.id == activity))
    session.commit()
    assert service.data_version(session, actor=world.actors["public"]).code != corrected.code


def test_the_cache_keeps_languages_and_readers_apart(
    session: Session, world: World, empty_cache: None
) -> None:
    renderer = CountingRenderer()

    def pdf(role: str, language: str) -> service.RenderedPdf:
        with language_context(language):
            return service.pdf_brief(
                session, actor=world.actors[role], kind="country", key="KEN",
                printable=printable_html, renderer=renderer, today=TODAY,
            )  # fmt: skip

    pdf("public", "fr")
    pdf("public", "ar")
    pdf("focal_ken", "fr")
    assert len(renderer.documents) == 3
    assert 'lang="ar"' in renderer.documents[1] and 'dir="rtl"' in renderer.documents[1]
    assert "Published private" in renderer.documents[2] and "Published private" not in renderer.documents[0]
    assert pdf("public", "fr").from_cache and len(renderer.documents) == 3


def test_regional_and_partner_briefs(session: Session, world: World) -> None:
    eastern_africa = service.region_brief(session, actor=world.actors["public"], m49="014", today=TODAY)
    assert eastern_africa.heading.title == "Eastern Africa"
    assert "Published public: nuclear medicine upgrade" in _titles(eastern_africa)
    assert "Published private: nuclear medicine upgrade" not in _titles(eastern_africa)
    # Its gaps come with a map of the region (Kenya's health gap is the one the public may see).
    assert eastern_africa.gaps is not None and eastern_africa.gaps.map_svg
    assert eastern_africa.gaps.map_svg.lstrip().startswith("<svg") and "Kenya" in eastern_africa.gaps.map_svg
    assert [line.label for line in eastern_africa.gaps.lines] == ["Kenya: Health and nutrition"]
    donor = service.organisation_brief(
        session, actor=world.actors["public"], organisation_id=world.organisations["donor_a"], today=TODAY
    )
    assert [line.title for line in donor.programmes] == ["Published fellowship programme"]
    assert {line.name for line in donor.recipients} == {"Kenya"}
    own = service.organisation_brief(
        session, actor=world.actors["partner_a"], organisation_id=world.organisations["donor_a"], today=TODAY
    )
    assert len(own.programmes) == 2  # its draft too
    # The needs it could fund: published, in its areas, not yet matched.
    assert "Published public: nuclear medicine upgrade" in {line.title for line in donor.fitting_needs}


def test_a_partner_brief_lists_the_fitting_needs_in_national_priority_order(
    session: Session, world: World
) -> None:
    """More fitting needs than a brief shows, all in one country (one priority score): the brief keeps the
    country's highest-ranked ones, most important first, whatever order they were recorded in."""
    focal = world.actors["focal_ken"]
    created = []
    for number in range(1, 11):
        need = needs.create_need(session, actor=focal, data=need_data(title=f"Fitting need {number}"))
        for target in ("submitted", "endorsed", "published"):
            need = needs.transition_need(
                session, actor=focal, need_id=need.id, target=target, version=need.version
            )
        created.append(need)
    ranked = list(reversed(created))  # the last recorded is the most important
    published = [world.needs[key] for key in ("published_ken", "partners_ken", "private_ken")]
    needs.rank_needs(
        session, actor=focal, country_iso3="KEN", ordered_need_ids=[need.id for need in ranked] + published
    )
    brief = service.organisation_brief(
        session, actor=world.actors["public"], organisation_id=world.organisations["donor_a"], today=TODAY
    )
    shown = [line.title for line in brief.fitting_needs]
    assert shown == [need.title for need in ranked[: len(shown)]]
    assert len(shown) == 8


def test_a_brief_names_its_gap_sources_in_its_own_language_whichever_language_was_read_first(
    session: Session, world: World
) -> None:
    def partner_brief() -> Brief:
        return service.organisation_brief(
            session, actor=world.actors["public"], organisation_id=world.organisations["donor_a"], today=TODAY
        )

    with language_context("en"):
        english = partner_brief()
        english_source = gaps.needs_source()
    with language_context("ar"):
        arabic = partner_brief()
        arabic_source = gaps.needs_source()
    assert english.gaps is not None and english.gaps.lines  # Kenya's health gap, with its sources
    assert any(english_source in source for source in english.sources)
    assert any(arabic_source in source for source in arabic.sources)
    assert not any(english_source in source for source in arabic.sources)


def test_an_unknown_country_region_or_organisation_is_not_found(session: Session, world: World) -> None:
    from pux.errors import NotFound

    for kind, key in (("country", "XXX"), ("region", "999"), ("organisation", "999999"), ("planet", "1")):
        with pytest.raises(NotFound):
            service.brief_for(session, actor=world.actors["public"], kind=kind, key=key, today=TODAY)


def test_the_stamp_names_the_data_it_was_made_from(session: Session, world: World) -> None:
    brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    html = printable_html(replace(brief))
    assert brief.stamp.data_version in html and TODAY.isoformat() in html
    assert service.data_version(session, actor=world.actors["public"]).code == brief.stamp.data_version


def test_the_gaps_count_only_what_the_reader_may_see(session: Session, world: World) -> None:
    public = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    focal = service.country_brief(session, actor=world.actors["focal_ken"], iso3="KEN", today=TODAY)

    def health(brief: Brief) -> tuple[float | None, float | None, float | None]:
        assert brief.gaps is not None
        line = next(line for line in brief.gaps.lines if line.label == "Health and nutrition")
        return line.needs_cost.value, line.covered.value, line.uncovered.value

    # One published public need of 1.2 million US dollars; the brachytherapy training commits 250,000.
    assert health(public) == (1_200_000, 250_000, 950_000)
    # The focal point also counts the partners' and the private published needs.
    assert health(focal) == (3_600_000, 250_000, 3_350_000)


def test_briefs_count_only_assistance_running_on_their_day(session: Session, world: World) -> None:
    # Ended, cancelled and not yet started activities of the same provider beside the running one (Donor A's
    # undated USD 250,000 activity of the world): the database picks the running ones, as is_current would.
    donor = world.organisations["donor_a"]
    for title, start, end, status in (
        ("Ended project", date(2015, 1, 1), date(2016, 12, 31), "implementation"),
        ("Cancelled project", date(2025, 1, 1), None, "cancelled"),
        ("Closed project", None, None, "closed"),
        ("Future project", date(2027, 6, 1), None, "pipeline"),
        ("Ends today", date(2024, 1, 1), TODAY, "implementation"),
    ):
        assistance.record_activity(
            session, actor=world.actors["partner_a"],
            data=activity_data(donor, title=title, start_date=start, end_date=end, status=status,
                               amount_committed=Decimal("1000000")),
        )  # fmt: skip
    everyone = assistance_repository.all_visible(session, permissions.activity_scope(world.actors["admin"]),
                                                 ActivityFilter(country_iso3="KEN"))  # fmt: skip
    running = {a.title for a in everyone if assistance.is_current(a, TODAY)}
    assert "Ends today" in running and not running & {"Ended project", "Cancelled project", "Future project"}
    country = service.country_brief(session, actor=world.actors["admin"], iso3="KEN", today=TODAY)
    region = service.region_brief(session, actor=world.actors["admin"], m49="014", today=TODAY)
    partner = service.organisation_brief(
        session, actor=world.actors["admin"], organisation_id=donor, today=TODAY
    )
    for brief, lines in (
        (country, country.providers),
        (region, region.providers),
        (partner, partner.recipients),
    ):
        donor_line = next(line for line in lines if line.name in ("Test Donor Agency A", "Kenya"))
        kenya_running = [a for a in everyone if a.title in running and a.provider_organisation_id == donor]
        assert donor_line.activities.value == len(kenya_running), brief.heading.kind
        committed = sum(float(a.amount_committed or 0) for a in kenya_running)
        assert [f.value for f in donor_line.committed if f.unit == "USD"] == [committed]


def test_the_income_group_is_stated_in_the_readers_language_with_its_figure(
    session: Session, world: World
) -> None:
    income = reference_repository.get_country(session, "KEN").income_group  # type: ignore[union-attr]
    assert income is not None and income.basis == "derived"  # Kenya's FY2026 group is derived by PUX
    with language_context("ar"):
        brief = service.country_brief(session, actor=world.actors["public"], iso3="KEN", today=TODAY)
    fact = dict(brief.heading.facts)["فئة الدخل"]
    # The English note of the data file ("Derived by PUX: ...") stood in the Arabic brief.
    assert "Derived by PUX" not in fact
    assert "استنتجته PUX" in fact, fact  # the basis, translated
    assert str(income.gni_year) in fact
