"""Reference tables. Names are stored in the six UN languages, one column each."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pux.db import Base
from pux.i18n import DEFAULT_LANGUAGE, LANGUAGES, get_language


class NamedInSixLanguages:
    """Something with a name in each UN language (attributes name_en ... name_ru): ``name()`` picks the
    active one and falls back to English. For records and for the copies kept of them (reference.service)."""

    def name(self, language: str | None = None) -> str:
        chosen = language or get_language()
        value: str = getattr(self, f"name_{chosen}") if chosen in LANGUAGES else ""
        return value or getattr(self, f"name_{DEFAULT_LANGUAGE}")

    def names(self) -> dict[str, str]:
        return {language: getattr(self, f"name_{language}") for language in LANGUAGES}


class SixLanguageNames(NamedInSixLanguages):
    """A record's name in each UN language, one column each."""

    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))


class Region(SixLanguageNames, Base):
    """A UN M49 region, sub-region or intermediate region."""

    __tablename__ = "region"

    m49: Mapped[str] = mapped_column(String(3), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    parent_m49: Mapped[str | None] = mapped_column(ForeignKey("region.m49"))


class Country(SixLanguageNames, Base):
    """A country or area of the UN M49 standard."""

    __tablename__ = "country"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    m49: Mapped[str] = mapped_column(String(3), unique=True)
    region_m49: Mapped[str | None] = mapped_column(ForeignKey("region.m49"), index=True)
    subregion_m49: Mapped[str | None] = mapped_column(ForeignKey("region.m49"), index=True)
    intermediate_m49: Mapped[str | None] = mapped_column(ForeignKey("region.m49"), index=True)
    is_ldc: Mapped[bool] = mapped_column(Boolean, default=False)
    is_lldc: Mapped[bool] = mapped_column(Boolean, default=False)
    is_sids: Mapped[bool] = mapped_column(Boolean, default=False)
    ldc_graduated_on: Mapped[date | None] = mapped_column(Date)
    # Which of the six UN languages are used there (";"-separated codes), for matching working languages.
    un_languages: Mapped[str] = mapped_column(String(20), default="")
    # False for the uninhabited areas (Antarctica, Bouvet Island...): listed on /countries, never offered
    # where a country is chosen for a need, programme, activity, organisation or person. The rule is
    # tools/build_reference.py's UNINHABITED; the packaged countries.csv carries it as "selectable".
    is_selectable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Codes and the six names, case- and accent-folded: lets "кения" or "cote d'ivoire" find a country.
    search_text: Mapped[str] = mapped_column(Text, default="")

    region: Mapped[Region | None] = relationship(foreign_keys=[region_m49], lazy="joined")
    subregion: Mapped[Region | None] = relationship(foreign_keys=[subregion_m49], lazy="joined")
    intermediate_region: Mapped[Region | None] = relationship(foreign_keys=[intermediate_m49], lazy="joined")
    # Read when asked for, not with every country: the needs, activities and events listed with their
    # countries read each country's whole history ahead otherwise (4 ms of the app's CPU for a page of 50
    # activities). What reads many countries' groups asks for them ahead (selectinload).
    income_groups: Mapped[list[IncomeGroupAssessment]] = relationship(
        order_by="IncomeGroupAssessment.fiscal_year.desc()", lazy="select"
    )

    @property
    def income_group(self) -> IncomeGroupAssessment | None:
        """The most recent assessment, or None when no year has one."""
        return self.income_groups[0] if self.income_groups else None


def fold_for_search(text: str) -> str:
    """Lower-case without accents, with typographic apostrophes made plain, for name matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def country_search_text(row: Mapping[str, object]) -> str:
    names = [str(row[f"name_{language}"]) for language in LANGUAGES]
    return fold_for_search(" | ".join([str(row["iso3"]), str(row["iso2"]), *names]))


class IncomeGroupAssessment(Base):
    """A country's World Bank income group for one fiscal year, with how it was obtained."""

    __tablename__ = "income_group_assessment"
    __table_args__ = (UniqueConstraint("country_iso3", "fiscal_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    income_group: Mapped[str] = mapped_column(String(3))
    basis: Mapped[str] = mapped_column(String(20))
    gni_per_capita_usd: Mapped[float | None] = mapped_column(Float)
    gni_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)


class SixLanguageLabels:
    """PUX's short label in each UN language; ``label()`` picks the active one, falling back to English."""

    label_en: Mapped[str] = mapped_column(String(300))
    label_fr: Mapped[str] = mapped_column(String(300))
    label_es: Mapped[str] = mapped_column(String(300))
    label_ar: Mapped[str] = mapped_column(String(300))
    label_zh: Mapped[str] = mapped_column(String(300))
    label_ru: Mapped[str] = mapped_column(String(300))

    def label(self, language: str | None = None) -> str:
        chosen = language or get_language()
        value: str = getattr(self, f"label_{chosen}") if chosen in LANGUAGES else ""
        return value or self.label_en


class SdgGoal(SixLanguageLabels, Base):
    __tablename__ = "sdg_goal"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    official_title: Mapped[str | None] = mapped_column(Text)

    targets: Mapped[list[SdgTarget]] = relationship(order_by="SdgTarget.position", back_populates="goal")


class SdgTarget(SixLanguageLabels, Base):
    __tablename__ = "sdg_target"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    goal_code: Mapped[str] = mapped_column(ForeignKey("sdg_goal.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    official_title: Mapped[str | None] = mapped_column(Text)

    goal: Mapped[SdgGoal] = relationship(back_populates="targets")
    indicators: Mapped[list[SdgIndicator]] = relationship(order_by="SdgIndicator.position")


class SdgIndicator(SixLanguageLabels, Base):
    __tablename__ = "sdg_indicator"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    target_code: Mapped[str] = mapped_column(ForeignKey("sdg_target.code"), index=True)
    unsd_code: Mapped[str | None] = mapped_column(String(12))
    position: Mapped[int] = mapped_column(Integer)
    official_title: Mapped[str | None] = mapped_column(Text)


class ThematicArea(SixLanguageNames, Base):
    __tablename__ = "thematic_area"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    is_enabling: Mapped[bool] = mapped_column(Boolean, default=False)


class DataSource(Base):
    """Where figures come from: every observation names one."""

    __tablename__ = "data_source"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    citation: Mapped[str] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(100))
    published: Mapped[date | None] = mapped_column(Date)


class Indicator(SixLanguageNames, Base):
    """A country-level indicator series and how PUX reads it (burden, capacity or context)."""

    __tablename__ = "indicator"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=1000)
    role: Mapped[str] = mapped_column(String(20))
    thematic_area_code: Mapped[str | None] = mapped_column(ForeignKey("thematic_area.code"))
    worse_when: Mapped[str | None] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(80))


class IndicatorObservation(Base):
    """One value of one indicator for one country and year, with its source."""

    __tablename__ = "indicator_observation"
    __table_args__ = (UniqueConstraint("country_iso3", "indicator_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("country.iso3"), index=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(80))
    source_code: Mapped[str] = mapped_column(ForeignKey("data_source.code"))

    source: Mapped[DataSource] = relationship(lazy="joined")


class Technique(SixLanguageNames, Base):
    """A nuclear or isotopic technique from the PUX catalogue, under its main thematic area."""

    __tablename__ = "technique"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    thematic_area_code: Mapped[str] = mapped_column(ForeignKey("thematic_area.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class DacSector(Base):
    """An OECD DAC 5-digit purpose code (used to classify assistance activities)."""

    __tablename__ = "dac_sector"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    category: Mapped[str] = mapped_column(String(3))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))

    def name(self, language: str | None = None) -> str:
        return self.name_fr if (language or get_language()) == "fr" and self.name_fr else self.name_en


class Currency(Base):
    """An ISO 4217 currency code accepted for amounts."""

    __tablename__ = "currency"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
