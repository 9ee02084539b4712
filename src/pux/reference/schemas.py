"""Read shapes of reference data for the JSON API. Names come in the request's language and in all six."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from pux.reference.models import (
    Country,
    IncomeGroupAssessment,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    ThematicArea,
)
from pux.reference.service import CountryProfile, IndicatorReading, KeptArea, KeptRegion


class RegionRead(BaseModel):
    m49: str
    level: str
    name: str
    names: dict[str, str]
    parent_m49: str | None

    @classmethod
    def of(cls, region: Region | KeptRegion) -> RegionRead:
        return cls(
            m49=region.m49,
            level=region.level,
            name=region.name(),
            names=region.names(),
            parent_m49=region.parent_m49,
        )


class IncomeGroupRead(BaseModel):
    income_group: str
    fiscal_year: int
    basis: str
    gni_per_capita_usd: float | None
    gni_year: int | None
    source: str


class CountryRead(BaseModel):
    iso3: str
    iso2: str
    m49: str
    name: str
    names: dict[str, str]
    region: RegionRead | None
    subregion: RegionRead | None
    intermediate_region: RegionRead | None
    ldc: bool
    lldc: bool
    sids: bool
    ldc_graduated_on: date | None
    income_group: IncomeGroupRead | None

    @classmethod
    def of(cls, country: Country, latest: IncomeGroupAssessment | None) -> CountryRead:
        """``latest``: the country's most recent income group assessment (lists read them for all at once)."""
        return cls(
            iso3=country.iso3,
            iso2=country.iso2,
            m49=country.m49,
            name=country.name(),
            names=country.names(),
            region=RegionRead.of(country.region) if country.region else None,
            subregion=RegionRead.of(country.subregion) if country.subregion else None,
            intermediate_region=RegionRead.of(country.intermediate_region)
            if country.intermediate_region
            else None,
            ldc=country.is_ldc,
            lldc=country.is_lldc,
            sids=country.is_sids,
            ldc_graduated_on=country.ldc_graduated_on,
            income_group=IncomeGroupRead(
                income_group=latest.income_group,
                fiscal_year=latest.fiscal_year,
                basis=latest.basis,
                gni_per_capita_usd=latest.gni_per_capita_usd,
                gni_year=latest.gni_year,
                source=latest.source,
            )
            if latest
            else None,
        )


class IndicatorValueRead(BaseModel):
    """An indicator for a country; value, year and source are all null when the data is missing."""

    code: str
    name: str
    role: str
    thematic_area: str | None
    unit: str
    value: float | None
    year: int | None
    source: str | None
    missing: bool

    @classmethod
    def of(cls, reading: IndicatorReading) -> IndicatorValueRead:
        latest = reading.latest
        indicator = reading.indicator
        return cls(
            code=indicator.code,
            name=indicator.name(),
            role=indicator.role,
            thematic_area=indicator.thematic_area_code,
            unit=indicator.unit,
            value=latest.value if latest else None,
            year=latest.year if latest else None,
            source=latest.source.citation if latest else None,
            missing=latest is None,
        )


class CountryDetailRead(CountryRead):
    indicators: list[IndicatorValueRead]

    @classmethod
    def of_profile(cls, profile: CountryProfile) -> CountryDetailRead:
        base = CountryRead.of(profile.country, profile.country.income_group)
        readings = [IndicatorValueRead.of(r) for group in profile.readings.values() for r in group]
        return cls(**base.model_dump(), indicators=readings)


class SdgIndicatorRead(BaseModel):
    code: str
    unsd_code: str | None
    label: str
    official_title: str | None

    @classmethod
    def of(cls, indicator: SdgIndicator) -> SdgIndicatorRead:
        return cls(
            code=indicator.code,
            unsd_code=indicator.unsd_code,
            label=indicator.label(),
            official_title=indicator.official_title,
        )


class SdgTargetRead(BaseModel):
    code: str
    goal: str
    label: str
    official_title: str | None
    indicators: list[SdgIndicatorRead]

    @classmethod
    def of(cls, target: SdgTarget) -> SdgTargetRead:
        return cls(
            code=target.code,
            goal=target.goal_code,
            label=target.label(),
            official_title=target.official_title,
            indicators=[SdgIndicatorRead.of(i) for i in target.indicators],
        )


class SdgGoalRead(BaseModel):
    code: str
    label: str
    official_title: str | None
    target_count: int

    @classmethod
    def of(cls, goal: SdgGoal) -> SdgGoalRead:
        return cls(
            code=goal.code,
            label=goal.label(),
            official_title=goal.official_title,
            target_count=len(goal.targets),
        )


class SdgGoalDetailRead(SdgGoalRead):
    targets: list[SdgTargetRead]

    @classmethod
    def of_goal(cls, goal: SdgGoal) -> SdgGoalDetailRead:
        return cls(**SdgGoalRead.of(goal).model_dump(), targets=[SdgTargetRead.of(t) for t in goal.targets])


class ThematicAreaRead(BaseModel):
    code: str
    name: str
    names: dict[str, str]
    enabling: bool

    @classmethod
    def of(cls, area: ThematicArea | KeptArea) -> ThematicAreaRead:
        return cls(code=area.code, name=area.name(), names=area.names(), enabling=area.is_enabling)
