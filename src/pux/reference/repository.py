"""All queries on reference data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import Session, lazyload, selectinload

from pux.audit.repository import latest_event_of
from pux.db import once_per_transaction
from pux.reference.models import (
    Country,
    Currency,
    DacSector,
    DataSource,
    IncomeGroupAssessment,
    Indicator,
    IndicatorObservation,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Technique,
    ThematicArea,
    fold_for_search,
)


@dataclass(frozen=True)
class CountryFilter:
    """What the country list can be narrowed by; None means 'any'."""

    region_m49: str | None = None
    ldc: bool | None = None
    lldc: bool | None = None
    sids: bool | None = None
    income_group: str | None = None
    text: str | None = None


def latest_assessments(*columns: Any) -> Select[Any]:
    """Each country's most recent income group assessment (``columns`` of it, the whole record by
    default), as a statement to read or to narrow: a list shows only that one, and a filter by income
    group means the country's latest."""
    newest = (
        select(IncomeGroupAssessment.country_iso3, func.max(IncomeGroupAssessment.fiscal_year).label("year"))
        .group_by(IncomeGroupAssessment.country_iso3)
        .subquery()
    )
    return select(*(columns or (IncomeGroupAssessment,))).join(
        newest,
        (IncomeGroupAssessment.country_iso3 == newest.c.country_iso3)
        & (IncomeGroupAssessment.fiscal_year == newest.c.year),
    )


def countries_in_income_group(income_group: str) -> Select[Any]:
    """The codes of the countries whose latest assessment puts them in ``income_group``."""
    return latest_assessments(IncomeGroupAssessment.country_iso3).where(
        IncomeGroupAssessment.income_group == income_group
    )


def list_countries(session: Session, filters: CountryFilter) -> Sequence[Country]:
    statement = select(Country).order_by(Country.name_en)
    if filters.region_m49:
        code = filters.region_m49
        statement = statement.where(
            or_(Country.region_m49 == code, Country.subregion_m49 == code, Country.intermediate_m49 == code)
        )
    for column, wanted in (
        (Country.is_ldc, filters.ldc),
        (Country.is_lldc, filters.lldc),
        (Country.is_sids, filters.sids),
    ):
        if wanted is not None:
            statement = statement.where(column.is_(wanted))
    if filters.income_group:
        statement = statement.where(Country.iso3.in_(countries_in_income_group(filters.income_group)))
    if filters.text and filters.text.strip():
        statement = statement.where(
            Country.search_text.contains(fold_for_search(filters.text.strip()), autoescape=True)
        )
    return session.scalars(statement).unique().all()


def latest_income_groups(session: Session) -> dict[str, IncomeGroupAssessment]:
    """Each country's most recent income group assessment, by ISO3 code (a country with none is left out):
    for lists, which show only that one (a country's whole history, read for 250 countries ahead of a list,
    cost 12 ms of the app's CPU)."""
    return {assessment.country_iso3: assessment for assessment in session.scalars(latest_assessments())}


def list_selectable_countries(session: Session, keep: Sequence[str] = ()) -> Sequence[Country]:
    """The countries and areas a user may choose (not the uninhabited ones), plus any codes in ``keep``."""
    condition: ColumnElement[bool] = Country.is_selectable.is_(True)
    if keep:
        condition = or_(condition, Country.iso3.in_(list(keep)))
    # Choosers show names: each country's income group history (thousands of rows) is read only if used.
    statement = select(Country).where(condition).options(lazyload(Country.income_groups))
    return session.scalars(statement).unique().all()


def selectable_country_names(session: Session) -> list[tuple[Any, ...]]:
    """(iso3, name_en, name_fr, name_es, name_ar, name_zh, name_ru) of the countries a user may choose."""
    statement = select(
        Country.iso3,
        Country.name_en,
        Country.name_fr,
        Country.name_es,
        Country.name_ar,
        Country.name_zh,
        Country.name_ru,
    ).where(Country.is_selectable.is_(True))
    return [tuple(row) for row in session.execute(statement)]


# The tables a reference load writes, counted in the reference stamp.
_VOCABULARY_MODELS = (Country, Region, ThematicArea, Technique, SdgGoal, SdgTarget)


def reference_stamp(session: Session) -> tuple[object, ...]:
    """Moves when the reference vocabularies may have changed (countries, regions, thematic areas,
    techniques, the SDG framework): they change only by an (audited) reference load or import of the
    official SDG texts, or by a load around PUX that adds or removes rows, which the counts see. Read once
    per transaction until its next write: a page's choosers and filters all ask for it."""
    return once_per_transaction(session, "reference stamp", lambda: _read_reference_stamp(session))


def _read_reference_stamp(session: Session) -> tuple[object, ...]:
    parts = (
        latest_event_of("reference"),
        latest_event_of("sdg_framework"),
        *(select(func.count()).select_from(model) for model in _VOCABULARY_MODELS),
    )
    return tuple(session.execute(select(*(part.scalar_subquery() for part in parts))).one())


def selectable_country_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Country.iso3).where(Country.is_selectable.is_(True))).all())


def delete_country_data(session: Session, iso3: str) -> None:
    """Remove a country with its income groups and observations; the database refuses (IntegrityError)
    when a need, programme, activity, organisation or person still points at it."""
    session.execute(delete(IndicatorObservation).where(IndicatorObservation.country_iso3 == iso3))
    session.execute(delete(IncomeGroupAssessment).where(IncomeGroupAssessment.country_iso3 == iso3))
    session.execute(delete(Country).where(Country.iso3 == iso3))


def get_country(session: Session, iso3: str) -> Country | None:
    return session.get(Country, iso3.upper())


def country_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Country.iso3)).all())


def list_regions(session: Session) -> Sequence[Region]:
    return session.scalars(select(Region).order_by(Region.level, Region.name_en)).all()


def get_region(session: Session, m49: str) -> Region | None:
    return session.get(Region, m49)


def observations_for_country(session: Session, iso3: str) -> Sequence[IndicatorObservation]:
    """Every observation of a country, newest year first within each indicator."""
    statement = (
        select(IndicatorObservation)
        .where(IndicatorObservation.country_iso3 == iso3)
        .order_by(IndicatorObservation.indicator_code, IndicatorObservation.year.desc())
    )
    return session.scalars(statement).all()


def list_indicators(session: Session) -> Sequence[Indicator]:
    return session.scalars(select(Indicator).order_by(Indicator.position, Indicator.code)).all()


def get_indicator(session: Session, code: str) -> Indicator | None:
    return session.get(Indicator, code)


def get_data_source(session: Session, code: str) -> DataSource | None:
    return session.get(DataSource, code)


def observations_by_key(
    session: Session, indicator_codes: set[str]
) -> dict[tuple[str, str, int], IndicatorObservation]:
    statement = select(IndicatorObservation).where(IndicatorObservation.indicator_code.in_(indicator_codes))
    return {(o.country_iso3, o.indicator_code, o.year): o for o in session.scalars(statement)}


def list_goals(session: Session) -> Sequence[SdgGoal]:
    """The goals in order, each with its targets (read in one more query, not one per goal)."""
    statement = select(SdgGoal).order_by(SdgGoal.position).options(selectinload(SdgGoal.targets))
    return session.scalars(statement).all()


def get_goal(session: Session, code: str) -> SdgGoal | None:
    statement = (
        select(SdgGoal)
        .where(SdgGoal.code == code)
        .options(selectinload(SdgGoal.targets).selectinload(SdgTarget.indicators))
    )
    return session.scalars(statement).first()


def get_target(session: Session, code: str) -> SdgTarget | None:
    return session.get(SdgTarget, code)


def list_sdg_records(session: Session) -> dict[tuple[str, str], SdgGoal | SdgTarget | SdgIndicator]:
    records: dict[tuple[str, str], SdgGoal | SdgTarget | SdgIndicator] = {}
    records.update({("goal", goal.code): goal for goal in session.scalars(select(SdgGoal))})
    records.update({("target", target.code): target for target in session.scalars(select(SdgTarget))})
    records.update({("indicator", ind.code): ind for ind in session.scalars(select(SdgIndicator))})
    return records


def list_thematic_areas(session: Session) -> Sequence[ThematicArea]:
    return session.scalars(select(ThematicArea).order_by(ThematicArea.position)).all()


def count_rows(session: Session) -> dict[str, int]:
    """How many rows each reference table holds."""
    models = {
        "regions": Region,
        "countries": Country,
        "income_group_assessments": IncomeGroupAssessment,
        "sdg_goals": SdgGoal,
        "sdg_targets": SdgTarget,
        "sdg_indicators": SdgIndicator,
        "thematic_areas": ThematicArea,
        "indicators": Indicator,
        "indicator_observations": IndicatorObservation,
        "data_sources": DataSource,
        "techniques": Technique,
        "dac_sectors": DacSector,
        "currencies": Currency,
    }
    # One statement: the home page shows some of them, and a query each was a quarter of its time.
    counts = select(*(select(func.count()).select_from(model).scalar_subquery() for model in models.values()))
    return dict(zip(models, session.execute(counts).one(), strict=True))


def existing_by_primary_key(session: Session, model: type[object]) -> dict[object, object]:
    """Every row of a small reference table by primary key (for idempotent loading)."""
    mapper = model.__mapper__  # type: ignore[attr-defined]
    key_column = mapper.primary_key[0]
    return {getattr(row, key_column.key): row for row in session.scalars(select(model))}


def income_groups_by_key(session: Session) -> dict[tuple[str, int], IncomeGroupAssessment]:
    return {(a.country_iso3, a.fiscal_year): a for a in session.scalars(select(IncomeGroupAssessment))}


def add(session: Session, record: object) -> None:
    session.add(record)


def flush(session: Session) -> None:
    session.flush()


def list_techniques(session: Session) -> Sequence[Technique]:
    return session.scalars(select(Technique).order_by(Technique.position)).all()


def code_set(session: Session, column: Any) -> set[str]:
    """Every value of a code column (for validating submitted codes in one query). Read once per unit of
    work: an import checks thousands of rows against the same few reference tables."""
    cache: dict[str, frozenset[str]] = session.info.setdefault("pux_code_sets", {})
    key = str(column)
    if key not in cache:
        cache[key] = frozenset(session.scalars(select(column)).all())
    return set(cache[key])


def latest_observations(session: Session) -> dict[str, dict[str, tuple[float, int, str]]]:
    """(value, year, source citation) of the most recent observation of every indicator, by country.

    One query of plain columns (no ORM objects: the priority index reads thousands on every page)."""
    latest: dict[str, dict[str, tuple[float, int, str]]] = {}
    statement = (
        select(
            IndicatorObservation.country_iso3,
            IndicatorObservation.indicator_code,
            IndicatorObservation.value,
            IndicatorObservation.year,
            DataSource.citation,
        )
        .join(DataSource, IndicatorObservation.source_code == DataSource.code)
        .order_by(IndicatorObservation.year, IndicatorObservation.id)
    )
    for iso3, code, value, year, citation in session.execute(statement):
        latest.setdefault(iso3, {})[code] = (value, year, citation)
    return latest


def all_countries(session: Session) -> Sequence[Country]:
    """Every country with its regions and income groups. Read once per transaction until its next write:
    a brief or a gap page asks for them three times (each reading 250 countries with their regions)."""
    return once_per_transaction(
        session,
        "all countries",
        lambda: (
            session.scalars(
                select(Country).order_by(Country.iso3).options(selectinload(Country.income_groups))
            )
            .unique()
            .all()
        ),
    )


def names_in(
    session: Session, model: type[Country] | type[Technique], key: str, keys: Sequence[str], language: str
) -> dict[str, str]:
    """The names of some countries or techniques (by ``key`` column) in ``language``, where it has one."""
    if not keys:
        return {}
    key_column, name_column = getattr(model, key), getattr(model, f"name_{language}")
    rows = session.execute(select(key_column, name_column).where(key_column.in_(list(keys))))
    return {str(code): str(name) for code, name in rows if name}
