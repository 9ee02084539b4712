"""Countries as a UN reader expects them: M49 names in six languages, M49 areas only, uninhabited areas
listed but never offered, one income group with its history, lists in the reader's collation, and a
demo that respects geography."""

from __future__ import annotations

import html
import re

import pytest
import pyuca  # type: ignore[import-untyped]
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.accounts.schemas import OrganisationCreate
from pux.assistance.models import AssistanceActivity
from pux.demo import load_demo
from pux.i18n import LANGUAGES, language_context
from pux.needs.models import Need
from pux.reference import packaged, service
from pux.reference.models import Country, IncomeGroupAssessment, IndicatorObservation
from pux.reference.repository import CountryFilter
from pux.web.templating import country_options

UNINHABITED = {"ATA", "BVT", "HMD", "ATF", "SGS", "UMI", "IOT"}
ROW_LINK = re.compile(r'<td><a href="/countries/([A-Z]{3})">([^<]+)</a></td>')


def _page_countries(client: TestClient, language: str, query: str = "") -> list[tuple[str, str]]:
    page = client.get(f"/countries{query}", headers={"Accept-Language": language})
    assert page.status_code == 200
    return [(code, html.unescape(name)) for code, name in ROW_LINK.findall(page.text)]


def test_names_are_the_un_short_names_of_the_packaged_table_in_six_languages(session: Session) -> None:
    table = {row["iso3"]: row for row in packaged.read_table("countries.csv")}
    for iso3 in ("CIV", "KEN", "BOL", "NLD", "TUR", "GBR", "PSE", "FLK"):
        country = service.get_country(session, iso3=iso3)
        assert country is not None
        for language in LANGUAGES:
            assert country.name(language) == table[iso3][f"name_{language}"] != ""
    ivory = service.get_country(session, iso3="CIV")
    assert ivory is not None
    assert ivory.name("en") == ivory.name("fr") == "Côte d’Ivoire"
    assert ivory.name("zh") == "科特迪瓦" and ivory.name("ru").startswith("Кот-д")
    netherlands = service.get_country(session, iso3="NLD")
    assert netherlands is not None and netherlands.name("en") == "Netherlands (Kingdom of the)"
    assert all("Ivory Coast" not in row["name_en"] for row in table.values())


def test_only_m49_areas_are_shipped_and_loaded(session: Session) -> None:
    codes = {row["iso3"] for row in packaged.read_table("countries.csv")}
    assert "TWN" not in codes and len(codes) == 248
    for name in ("income_groups.csv", "indicator_observations.csv"):
        assert {row["iso3"] for row in packaged.read_table(name)} <= codes, name
    assert service.get_country(session, iso3="TWN") is None
    assert set(session.scalars(select(Country.iso3))) == codes


def test_an_area_dropped_from_the_package_leaves_the_database_unless_a_record_uses_it(
    session: Session,
) -> None:
    names = {f"name_{language}": "Retired area" for language in LANGUAGES}
    for iso3, iso2, m49 in (("XXA", "XA", "901"), ("XXB", "XB", "902")):
        session.add(Country(iso3=iso3, iso2=iso2, m49=m49, un_languages="", search_text="", **names))
        session.flush()
        session.add(
            IncomeGroupAssessment(
                country_iso3=iso3, fiscal_year=2024, income_group="HIC", basis="official", source="test"
            )
        )
    session.flush()
    accounts.create_organisation(
        session,
        actor=Actor.system("test"),
        data=OrganisationCreate(name="Uses XXB (test)", organisation_type="ngo", country_iso3="XXB"),
    )
    session.flush()
    written = service.load_reference_data(session, actor="test")
    assert written["countries_retired"] == 2
    assert service.get_country(session, iso3="XXA") is None
    assert not session.scalars(
        select(IncomeGroupAssessment).where(IncomeGroupAssessment.country_iso3 == "XXA")
    ).all()
    kept = service.get_country(session, iso3="XXB")
    assert kept is not None and not kept.is_selectable
    assert "XXB" not in {c.iso3 for c in service.list_selectable_countries(session)}
    assert service.load_reference_data(session, actor="test")["countries_retired"] == 0
    assert not session.scalars(
        select(IndicatorObservation).where(IndicatorObservation.country_iso3 == "XXA")
    ).all()


def test_uninhabited_areas_are_listed_but_never_offered(session: Session, client: TestClient) -> None:
    selectable = {c.iso3 for c in service.list_selectable_countries(session)}
    assert not selectable & UNINHABITED
    assert len(selectable) == 248 - len(UNINHABITED)
    assert selectable == service.selectable_country_codes(session)
    options = {code for code, _name in country_options(service.list_selectable_countries(session))}
    assert not options & UNINHABITED and "KEN" in options and "CIV" in options
    # A record that already holds such an area keeps it in its own edit form.
    kept = {c.iso3 for c in service.list_selectable_countries(session, keep=["ATA"])}
    assert kept == selectable | {"ATA"}
    listed = {code for code, _name in _page_countries(client, "en")}
    assert UNINHABITED <= listed and len(listed) == 248
    table = {row["iso3"]: row["selectable"] for row in packaged.read_table("countries.csv")}
    assert {code for code, flag in table.items() if flag == "0"} == UNINHABITED


def test_country_page_shows_the_latest_income_group_and_the_older_ones_as_history(
    client: TestClient, session: Session
) -> None:
    kenya = service.get_country(session, iso3="KEN")
    assert kenya is not None and len(kenya.income_groups) >= 2
    latest = kenya.income_groups[0]
    page = client.get("/countries/KEN", headers={"Accept-Language": "en"}).text
    block = page[
        page.index("<dt>Income group</dt>") : page.index("</dd>", page.index("<dt>Income group</dt>"))
    ]
    current, _sep, history = block.partition('<details class="income-history">')
    assert current.count("Lower-middle income") == 1
    assert f"FY{latest.fiscal_year}" in current and "FY2026" in current
    assert "derived by PUX" in current and "2024" in current
    assert "FY2024" not in current
    assert "<summary>History</summary>" in history and "FY2024" in history


@pytest.mark.parametrize("language", ["fr", "ru", "ar", "es", "zh"])
def test_the_country_list_follows_the_readers_collation(
    client: TestClient, session: Session, language: str
) -> None:
    rows = _page_countries(client, language)
    assert len(rows) == 248
    collator = pyuca.Collator()
    names = {c.iso3: c.name(language) for c in session.scalars(select(Country))}
    expected = sorted(names, key=lambda iso3: (collator.sort_key(names[iso3]), iso3))
    assert [code for code, _name in rows] == expected
    assert [name for _code, name in rows] == [names[code] for code in expected]
    if language == "fr":  # accented names among their letter, not after "Z"
        order = [code for code, _name in rows]
        assert order.index("EGY") < order.index("ZMB") and order.index("ECU") < order.index("ESP")


def test_options_follow_the_readers_collation(session: Session) -> None:
    collator = pyuca.Collator()
    for language in ("fr", "ru", "ar"):
        with language_context(language):
            countries = service.list_selectable_countries(session)
            options = country_options(reversed(list(countries)))
        labels = [label for _code, label in options]
        names = {c.iso3: c.name(language) for c in countries}
        expected = sorted(names, key=lambda iso3: (collator.sort_key(names[iso3]), iso3))
        assert [code for code, _label in options] == expected == [c.iso3 for c in countries]
        assert labels == [names[code] for code in expected]


def test_filtered_country_lists_keep_the_collation(client: TestClient) -> None:
    rows = _page_countries(client, "fr", "?region=002")
    collator = pyuca.Collator()
    assert [name for _c, name in rows] == sorted((name for _c, name in rows), key=collator.sort_key)
    assert len(rows) > 50


def test_demo_needs_and_activities_respect_geography(session: Session) -> None:
    load_demo(session, needs_count=120, programmes_count=2, activities_count=120)
    landlocked = {c.iso3 for c in service.list_countries(session, filters=CountryFilter(lldc=True))}
    needs = session.scalars(select(Need)).all()
    activities = session.scalars(select(AssistanceActivity).where(AssistanceActivity.title.contains("coast")))
    assert any(n.country_iso3 in landlocked for n in needs)
    coastal_titles = [n for n in needs if "coast" in n.title.lower() or "ocean" in n.title.lower()]
    assert coastal_titles, "the coastal template is still used for coastal countries"
    assert all(n.country_iso3 not in landlocked for n in coastal_titles), [
        (n.country_iso3, n.title) for n in coastal_titles if n.country_iso3 in landlocked
    ]
    uganda = [n.title for n in needs if n.country_iso3 == "UGA"]
    assert uganda and not any("coast" in title.lower() for title in uganda)
    assert all(a.recipient_country_iso3 not in landlocked for a in activities)
