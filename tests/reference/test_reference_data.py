"""The packaged reference data, as loaded into a real database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.i18n import LANGUAGES
from pux.reference import service
from pux.reference.models import (
    Country,
    IndicatorObservation,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    ThematicArea,
)
from pux.reference.repository import CountryFilter


def test_all_m49_countries_and_areas_are_loaded(session: Session) -> None:
    counts = service.reference_counts(session)
    assert counts["countries"] == 248  # the ISO-coded M49 areas (Taiwan is not one)
    assert counts["regions"] == 29
    iso3 = session.scalars(select(Country.iso3)).all()
    assert len(set(iso3)) == 248 and all(len(code) == 3 and code.isupper() for code in iso3)


def test_reference_counts_are_each_tables_rows(session: Session) -> None:
    counts = service.reference_counts(session)
    for name, model in {
        "countries": Country,
        "sdg_targets": SdgTarget,
        "thematic_areas": ThematicArea,
    }.items():
        assert counts[name] == session.scalar(select(func.count()).select_from(model))
    assert len(counts) == 13 and all(count > 0 for count in counts.values())


def test_sdg_framework_has_17_goals_169_targets_and_every_indicator_has_a_target(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(SdgGoal)) == 17
    assert session.scalar(select(func.count()).select_from(SdgTarget)) == 169
    indicators = session.scalars(select(SdgIndicator)).all()
    assert len(indicators) >= 231
    assert all(indicator.code.startswith(indicator.target_code + ".") for indicator in indicators)
    goal_3 = service.get_goal(session, code="3")
    assert goal_3 is not None
    assert [t.code for t in goal_3.targets][:4] == ["3.1", "3.2", "3.3", "3.4"]
    assert "3.4.1" in {i.code for t in goal_3.targets for i in t.indicators}


def test_every_name_and_label_exists_in_six_languages(session: Session) -> None:
    for model in (Country, Region, ThematicArea):
        for record in session.scalars(select(model)):
            for language in LANGUAGES:
                assert getattr(record, f"name_{language}").strip(), (model.__name__, language)
    for sdg_model in (SdgGoal, SdgTarget, SdgIndicator):
        for sdg_record in session.scalars(select(sdg_model)):
            for language in LANGUAGES:
                assert getattr(sdg_record, f"label_{language}").strip(), (sdg_record.code, language)


def test_every_indicator_value_has_a_year_a_unit_and_a_cited_source(session: Session) -> None:
    observations = session.scalars(select(IndicatorObservation)).all()
    assert len(observations) > 4000
    for observation in observations:
        assert 2015 <= observation.year <= date.today().year
        assert observation.unit
        assert observation.source is not None and observation.source.citation


def test_un_development_groups_and_the_2024_graduation_of_sao_tome(session: Session) -> None:
    ldc = service.list_countries(session, filters=CountryFilter(ldc=True))
    assert len(ldc) == 44  # 45 in the M49 file of 2024-09, less Sao Tome and Principe
    assert len(service.list_countries(session, filters=CountryFilter(lldc=True))) == 32
    sao_tome = service.get_country(session, iso3="STP")
    assert sao_tome is not None
    assert not sao_tome.is_ldc and sao_tome.is_sids
    assert sao_tome.ldc_graduated_on == date(2024, 12, 13)
    kenya = service.get_country(session, iso3="KEN")
    assert kenya is not None and not kenya.is_ldc and kenya.subregion is not None
    assert kenya.subregion.name("en") == "Sub-Saharan Africa"
    assert kenya.intermediate_region is not None and kenya.intermediate_region.name("en") == "Eastern Africa"


def test_income_group_is_dated_and_says_how_it_was_obtained(session: Session) -> None:
    kenya = service.get_country(session, iso3="KEN")
    assert kenya is not None and kenya.income_group is not None
    assert kenya.income_group.fiscal_year == 2026
    assert kenya.income_group.basis == "derived"
    assert kenya.income_group.gni_per_capita_usd is not None and kenya.income_group.gni_year == 2024
    # South Sudan has no recent GNI figure: only the official FY2024 group is known, and it says so.
    south_sudan = service.get_country(session, iso3="SSD")
    assert south_sudan is not None and south_sudan.income_group is not None
    assert (south_sudan.income_group.fiscal_year, south_sudan.income_group.basis) == (2024, "official")
    assert south_sudan.income_group.income_group == "LIC"


def test_loading_twice_writes_nothing_the_second_time(session: Session) -> None:
    written = service.load_reference_data(session, actor="test")
    assert set(written.values()) == {0}


def test_country_filters_combine(session: Session) -> None:
    eastern_africa = service.find_region(session, code_or_name="Eastern Africa")
    assert eastern_africa is not None and eastern_africa.m49 == "014"
    filters = CountryFilter(region_m49="014", ldc=True)
    countries = service.list_countries(session, filters=filters)
    assert {"ETH", "UGA", "TZA"} <= {c.iso3 for c in countries}
    assert all(c.is_ldc and c.intermediate_m49 == "014" for c in countries)
    low_income = service.list_countries(session, filters=CountryFilter(income_group="LIC"))
    assert low_income and all(c.income_group and c.income_group.income_group == "LIC" for c in low_income)
    assert {c.iso3 for c in service.list_countries(session, filters=CountryFilter(text="кения"))} == {"KEN"}


def test_country_profile_shows_missing_indicators_as_missing(session: Session) -> None:
    profile = service.country_profile(session, iso3="KEN")
    assert profile is not None
    readings = {r.indicator.code: r for group in profile.readings.values() for r in group}
    under_five = readings["SH.DYN.MORT"].latest
    assert under_five is not None and under_five.year >= 2020 and under_five.value > 0
    # Monaco reports no undernourishment figure: the reading exists and is empty, never zero.
    monaco = service.country_profile(session, iso3="MCO")
    assert monaco is not None
    monaco_readings = {r.indicator.code: r for group in monaco.readings.values() for r in group}
    assert monaco_readings["SN.ITK.DEFC.ZS"].latest is None
    assert monaco.missing_count >= 1
