"""HTML pages: content, filters, languages and right-to-left Arabic."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.reference.models import Country
from pux.web.middleware import LANGUAGE_COOKIE
from tests.web.accessibility import accessibility_problems
from tests.world import World


def test_home_links_to_the_reference_pages(client: TestClient, session: Session) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for link in ('href="/countries"', 'href="/sdgs"', 'href="/thematic-areas"'):
        assert link in page.text
    countries = session.scalar(select(func.count()).select_from(Country))
    assert f">{countries}<" in page.text or f" {countries} " in page.text


def test_country_list_filters_by_region_and_ldc(client: TestClient) -> None:
    page = client.get("/countries", params={"region": "014", "ldc": "yes"})
    assert page.status_code == 200
    assert 'href="/countries/ETH"' in page.text and 'href="/countries/UGA"' in page.text
    assert 'href="/countries/KEN"' not in page.text  # Eastern Africa, but not an LDC
    assert 'href="/countries/FRA"' not in page.text


def test_htmx_request_gets_only_the_result_rows(client: TestClient) -> None:
    partial = client.get("/countries", params={"sids": "yes"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and 'href="/countries/MUS"' in partial.text


def test_kenya_page_shows_region_groups_income_and_sourced_indicators(client: TestClient) -> None:
    page = client.get("/countries/KEN")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Kenya</h1>" in text
    assert "Eastern Africa" in text and "Sub-Saharan Africa" in text
    assert "Lower-middle income" in text and "FY2026" in text and "FY2024" in text
    assert "Under-five mortality rate" in text
    assert "World Bank, World Development Indicators" in text
    assert re.search(r"<td>20\d\d</td>", text)  # years are shown beside values


def test_missing_data_is_shown_as_missing_not_as_zero(client: TestClient) -> None:
    page = client.get("/countries/MCO")
    assert page.status_code == 200
    assert 'class="is-missing"' in page.text
    assert "No value since 2015" in page.text


def test_unknown_country_is_a_404_page(client: TestClient) -> None:
    page = client.get("/countries/XXX")
    assert page.status_code == 404
    assert "XXX" in page.text


def test_sdg_pages_list_goals_targets_and_indicators(client: TestClient) -> None:
    goals = client.get("/sdgs")
    assert goals.status_code == 200 and goals.text.count('href="/sdgs/') == 17
    goal = client.get("/sdgs/6")
    assert goal.status_code == 200
    assert 'id="target-6.1"' in goal.text and "6.1.1" in goal.text and 'id="target-6.b"' in goal.text


def test_thematic_areas_page_names_the_enabling_area(client: TestClient) -> None:
    page = client.get("/thematic-areas")
    assert page.status_code == 200
    assert "Safety and security" in page.text and "enabling area" in page.text


def test_language_follows_accept_language_when_there_is_no_choice(client: TestClient) -> None:
    page = client.get("/countries/KEN", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru" dir="ltr">' in page.text
    assert "<h1>Кения</h1>" in page.text


def test_explicit_choice_beats_the_browser_and_arabic_is_right_to_left(client: TestClient) -> None:
    switched = client.get("/language/ar", params={"next": "/countries/KEN"}, follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/countries/KEN"
    assert f"{LANGUAGE_COOKIE}=ar" in switched.headers["set-cookie"]
    page = client.get("/countries/KEN", headers={"Accept-Language": "fr"})
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "<h1>كينيا</h1>" in page.text
    assert "شرق أفريقيا" in page.text  # Eastern Africa, named in Arabic


def test_default_language_is_english(client: TestClient) -> None:
    page = client.get("/countries/CHN", headers={"Accept-Language": "de-DE"})
    assert '<html lang="en" dir="ltr">' in page.text and "<h1>China</h1>" in page.text


def test_language_switch_refuses_to_redirect_off_site(client: TestClient) -> None:
    for target in ("https://example.org/", "//example.org/x", "javascript:alert(1)"):
        response = client.get("/language/fr", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_interface_strings_are_translated(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "zh")
    page = client.get("/countries")
    assert '<html lang="zh"' in page.text
    assert "Countries and areas" not in page.text
    assert "肯尼亚" in page.text


def test_pages_forbid_foreign_scripts_framing_and_type_sniffing(client: TestClient) -> None:
    for path in ("/", "/needs", "/sign-in", "/no-such-page"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy, path
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_api_documentation_is_served_from_pux_itself(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert accessibility_problems(page.text) == []  # Swagger UI's page says it is in English
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert assets and all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_readiness_says_the_database_answers_and_its_schema_is_current(client: TestClient) -> None:
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_readiness_fails_on_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    from pux.db import make_engine
    from pux.migrate import readiness

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    ready, status = readiness(engine)
    engine.dispose()
    assert not ready and "pux init" in status


FILTER_FORMS = {
    "/activities": ("provider", {"country": "KEN", "area": "", "status": "", "q": ""}),
    "/programmes": ("organisation", {"area": "", "technique": "", "modality": "", "status": "", "q": ""}),
    "/gaps": ("provider", {"country": "KEN", "region": "", "area": "", "technique": ""}),
}


def test_filter_forms_sent_with_every_organisation_are_answered(client: TestClient, world: World) -> None:
    """The organisation chooser's first option ("all") sends a blank number: the form is answered, not
    refused; a chosen organisation filters; digits no organisation's number can be are typed text that
    names no organisation: answered, listing nothing (words are part of a name:
    tests/web/test_organisation_chooser.py)."""
    for path, (field, others) in FILTER_FORMS.items():
        page = client.get(path, params={**others, field: ""})
        assert page.status_code == 200, path
        assert 'data-label="Provider">Test' in page.text or 'data-label="Organisation">Test' in page.text
        chosen = client.get(path, params={**others, field: str(world.organisations["donor_a"])})
        assert chosen.status_code == 200, path
        assert f'<option value="{world.organisations["donor_a"]}" selected' in chosen.text, path
        for wrong in ("9" * 19, "0", "0" * 150):
            nothing = client.get(path, params={field: wrong})
            assert nothing.status_code == 200, (path, wrong)
            assert 'data-label="Provider">Test' not in nothing.text, (path, wrong)
            assert 'data-label="Organisation">Test' not in nothing.text, (path, wrong)
    listed = client.get("/api/v1/activities", params={"provider": "", "country": "KEN"})
    assert listed.status_code == 200


def test_forms_sent_with_blank_optional_fields_are_answered(client: TestClient) -> None:
    """The gap ranking's form without a stated rate, and the event statistics with cleared dates."""
    ranking = client.get(
        "/gaps/ranking",
        params={"currency": "USD", "rate_from": "", "rate": "", "rate_year": "", "rate_source": ""},
    )
    assert ranking.status_code == 200
    stated = client.get(
        "/gaps/ranking", params={"currency": "USD", "rate_from": "EUR", "rate": "1.08", "rate_year": "2026"}
    )
    assert stated.status_code == 200 and "1.08" in stated.text
    for wrong, label in (
        ({"rate": "0"}, "Units of the results"),
        ({"rate_year": "1800"}, "Year of the rate"),
    ):
        refused = client.get("/gaps/ranking", params=wrong)
        assert refused.status_code == 422 and label in refused.text
    statistics = client.get("/events-statistics", params={"from": "", "to": "", "by": "country"})
    assert statistics.status_code == 200
    bad_day = client.get("/events-statistics", params={"from": "2026-02-31"})
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in bad_day.text


def test_a_choice_with_nothing_to_choose_is_still_reached_from_the_error_summary() -> None:
    """A group of boxes with no options (no techniques in the catalogue yet) still carries the id the
    summary's link leads to, on the group itself, which takes the focus."""
    from pux.i18n import language_context
    from pux.web.templating import build_templates

    boxes = build_templates().env.from_string(
        '{% import "_forms.html" as f %}'
        '{{ f.checkboxes("technique_codes", "Techniques", options, [], errors) }}'
    )
    errors = {"technique_codes": "choose one"}
    with language_context("en"):
        empty = boxes.render(options=[], errors=errors)
        filled = boxes.render(options=[("SIT", "Sterile insect technique")], errors=errors)
    assert re.search(r'<fieldset[^>]* id="f-technique_codes" tabindex="-1"', empty)
    assert filled.count('id="f-technique_codes"') == 1
    assert '<input type="checkbox" id="f-technique_codes"' in filled


def test_list_pages_count_their_rows_in_the_readers_notation() -> None:
    """At the mission's scale a list holds tens of thousands of rows: every list page says which it shows in
    the reader's notation (one macro for all of them)."""
    from types import SimpleNamespace

    from pux.i18n import language_context
    from pux.web.templating import build_templates

    line = build_templates().env.from_string('{% import "_forms.html" as f %}{{ f.page_range(page) }}')
    page = SimpleNamespace(first_index=20_281, last_index=20_300, total=200_800)
    with language_context("en"):
        assert line.render(page=page) == "20,281–20,300 of 200,800"
    with language_context("fr"):
        assert line.render(page=page) == "20\u202f281–20\u202f300 sur 200\u202f800"
    empty = SimpleNamespace(first_index=0, last_index=0, total=0)
    with language_context("en"):
        assert line.render(page=empty) == "0 results"  # not "0–0 of 0"
    pager = build_templates().env.from_string('{% import "_forms.html" as f %}{{ f.pager(page, "q=x") }}')
    deep = SimpleNamespace(pages=10_040, request=SimpleNamespace(number=1_200))
    with language_context("en"):
        assert "Page 1,200 of 10,040" in pager.render(page=deep)
    templates = Path(__file__).resolve().parents[2] / "src" / "pux" / "web" / "templates"
    for template in templates.rglob("*.html"):
        assert "total=page.total)" not in template.read_text(encoding="utf-8"), template  # unformatted


def test_counted_messages_write_their_count_in_the_readers_notation() -> None:
    """ "2,681 things wait for you": every counted message (the inbox, search results, the who-does-what-where
    rows) writes its count as the reader writes numbers, whatever the catalogue's %(num)d says."""
    from pux.i18n import language_context
    from pux.web.templating import build_templates

    environment = build_templates().env
    message = environment.from_string(
        '{{ ngettext("%(num)d thing waits for you.", "%(num)d things wait for you.", count) }}'
    )
    with language_context("en"):
        assert message.render(count=2_681) == "2,681 things wait for you."
        assert message.render(count=1) == "1 thing waits for you."
    with language_context("fr"):
        assert "2\u202f681" in message.render(count=2_681)
    escaped = environment.from_string(
        '{% autoescape true %}{{ ngettext("%(num)d result for %(q)s", "%(num)d results for %(q)s", count,'
        " q=query) }}{% endautoescape %}"
    )
    with language_context("en"):
        assert escaped.render(count=12_000, query="<b>") == "12,000 results for &lt;b&gt;"


def test_a_country_typed_in_lower_case_filters_and_shows_chosen(client: TestClient, world: World) -> None:
    """A link written by hand ("/needs?country=ken") means Kenya: the list filters on it and its chooser
    shows Kenya chosen, as the API's lists do."""
    for path in ("/needs", "/activities", "/gaps", "/organisations"):
        page = client.get(path, params={"country": "ken"})
        assert page.status_code == 200, path
        assert '<option value="KEN" selected' in page.text, path
    for path in ("/api/v1/needs", "/api/v1/activities"):
        upper = client.get(path, params={"country": "KEN"}).json()["total"]
        assert upper > 0, path
        assert client.get(path, params={"country": " ken "}).json()["total"] == upper, path


def test_an_error_summary_links_only_to_fields_on_the_page() -> None:
    """A field's problem links to the field; a problem of the whole form or of an uploaded file's row
    (its column is not on the page) is named without a link that would lead nowhere."""
    from pux.errors import FieldProblem
    from pux.i18n import language_context
    from pux.web.templating import build_templates

    summary = build_templates().env.from_string(
        '{% import "_forms.html" as f %}{{ f.problems_summary(problems) }}'
    )
    problems = [
        FieldProblem("title", "is too short"),
        FieldProblem("form", "give an end after the start"),
        FieldProblem("estimated_cost", "must be a number", 3),
    ]
    with language_context("en"):
        page = summary.render(problems=problems)
    assert re.findall(r'href="(#[^"]+)"', page) == ["#f-title"]
    assert "<strong>The form</strong>" in page and "<strong>Estimated cost</strong>" in page
