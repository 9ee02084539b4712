"""Reference data rules: loading the packaged tables, country profiles, administrator imports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.errors import FieldProblem, ValidationFailed
from pux.i18n import LANGUAGES, get_language
from pux.i18n import gettext as _
from pux.kept import KeptResults
from pux.reference import packaged, repository
from pux.reference.collation import sorted_countries
from pux.reference.importers import (
    RowProblem,
    parse_indicator_file,
    parse_unsd_framework,
)
from pux.reference.models import (
    Country,
    Currency,
    DacSector,
    DataSource,
    IncomeGroupAssessment,
    Indicator,
    IndicatorObservation,
    NamedInSixLanguages,
    Region,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    Technique,
    ThematicArea,
)
from pux.reference.repository import CountryFilter

INDICATOR_ROLES = ("burden", "capacity", "context")


class ImportRefused(ValidationFailed):
    """A file was refused as a whole; nothing of it was written (a domain error: pages and the API answer
    422 with every problem, the command line lists them)."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__([FieldProblem(p.field, p.message, p.row) for p in problems])


def _upsert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> int:
    """Insert new rows and update changed ones; returns how many rows were written."""
    existing = repository.existing_by_primary_key(session, model)
    key = model.__mapper__.primary_key[0].key
    written = 0
    for row in rows:
        record = existing.get(row[key])
        if record is None:
            repository.add(session, model(**row))
            written += 1
        elif any(getattr(record, name) != value for name, value in row.items()):
            for name, value in row.items():
                setattr(record, name, value)
            written += 1
    repository.flush(session)
    return written


def load_reference_data(session: Session, *, actor: str) -> dict[str, int]:
    """Load (or bring up to date) every packaged reference table. Running it twice changes nothing."""
    written = {
        "data_sources": _upsert(session, DataSource, packaged.data_sources()),
        "thematic_areas": _upsert(session, ThematicArea, packaged.thematic_areas()),
        "regions": _load_regions(session),
        "countries": _upsert(session, Country, packaged.countries()),
        "countries_retired": _retire_countries(session, {row["iso3"] for row in packaged.countries()}),
        "income_group_assessments": _load_income_groups(session),
        **_load_sdg(session),
        "indicators": _upsert(session, Indicator, packaged.indicators()),
        "techniques": _upsert(session, Technique, packaged.techniques()),
        "dac_sectors": _upsert(session, DacSector, packaged.dac_sectors()),
        "currencies": _upsert(session, Currency, packaged.currencies()),
    }
    observations = packaged.observations()
    written["indicator_observations"] = _upsert_observations(session, observations)
    if any(written.values()):
        audit.record(
            session,
            actor=actor,
            action="reference.load",
            entity_type="reference",
            entity_id="packaged",
            after=written,
        )
    return written


def _retire_countries(session: Session, packaged_codes: set[str]) -> int:
    """Areas no longer in the packaged table (Taiwan, not an M49 area) leave the database with their
    income groups and observations; one that a record still uses stays, but is no longer offered."""
    written = 0
    for iso3 in sorted(repository.country_codes(session) - packaged_codes):
        try:
            with session.begin_nested():
                repository.delete_country_data(session, iso3)
        except IntegrityError:
            country = repository.get_country(session, iso3)
            if country is None or not country.is_selectable:
                continue
            country.is_selectable = False
        written += 1
    repository.flush(session)
    return written


def _load_regions(session: Session) -> int:
    # Parents first, so the self-referencing foreign key is satisfied on every database.
    order = {"region": 0, "subregion": 1, "intermediate": 2}
    rows = sorted(packaged.regions(), key=lambda row: order[row["level"]])
    return _upsert(session, Region, rows)


def _load_income_groups(session: Session) -> int:
    existing = repository.income_groups_by_key(session)
    written = 0
    for row in packaged.income_groups():
        record = existing.get((row["country_iso3"], row["fiscal_year"]))
        if record is None:
            repository.add(session, IncomeGroupAssessment(**row))
            written += 1
        elif record.basis != "manual" and any(getattr(record, k) != v for k, v in row.items()):
            # An administrator's manual correction outranks the packaged value.
            for name, value in row.items():
                setattr(record, name, value)
            written += 1
    repository.flush(session)
    return written


def _load_sdg(session: Session) -> dict[str, int]:
    records = packaged.sdg_records()
    models = {
        "sdg_goals": ("goal", SdgGoal),
        "sdg_targets": ("target", SdgTarget),
        "sdg_indicators": ("indicator", SdgIndicator),
    }
    written = {}
    for name, (level, model) in models.items():
        rows = [{k: v for k, v in r.items() if k != "level"} for r in records if r["level"] == level]
        written[name] = _upsert(session, model, rows)
    return written


def _upsert_observations(session: Session, rows: list[dict[str, Any]]) -> int:
    existing = repository.observations_by_key(session, {row["indicator_code"] for row in rows})
    written = 0
    for row in rows:
        record = existing.get((row["country_iso3"], row["indicator_code"], row["year"]))
        if record is None:
            repository.add(session, IndicatorObservation(**row))
            written += 1
        elif (record.value, record.unit, record.source_code) != (
            row["value"],
            row["unit"],
            row["source_code"],
        ):
            record.value, record.unit, record.source_code = row["value"], row["unit"], row["source_code"]
            written += 1
    repository.flush(session)
    return written


def list_countries(session: Session, *, filters: CountryFilter) -> Sequence[Country]:
    """Countries and areas matching the filters (every M49 area, inhabited or not), sorted by their name
    in the reader's language with that language's collation."""
    return sorted_countries(repository.list_countries(session, filters))


def latest_income_groups(session: Session) -> dict[str, IncomeGroupAssessment]:
    """Each country's most recent income group assessment, by ISO3 code (none: left out)."""
    return repository.latest_income_groups(session)


def list_selectable_countries(session: Session, *, keep: Sequence[str] = ()) -> Sequence[Country]:
    """The countries a user may choose for a need, programme, activity, organisation or person: every
    M49 area except the uninhabited ones (Country.is_selectable), sorted for the reader's language.

    ``keep`` adds codes a record being edited already holds, so that its form still shows them."""
    return sorted_countries(repository.list_selectable_countries(session, [code for code in keep if code]))


@dataclass(frozen=True)
class CountryChoice:
    """A country a user may choose, with its names: what a chooser needs, without the record."""

    iso3: str
    names: tuple[str, ...]  # in the order of LANGUAGES

    def name(self, language: str | None = None) -> str:
        """The rule of SixLanguageNames.name: the language's name, else the English one."""
        chosen = language or get_language()
        local = self.names[LANGUAGES.index(chosen)] if chosen in LANGUAGES else ""
        return local or self.names[0]


# Choosers on every list page and form: read and sorted once per language until a reference load.
_CHOICES: KeptResults[list[CountryChoice]] = KeptResults(len(LANGUAGES) * 2)


def country_choices(session: Session) -> list[CountryChoice]:
    """The countries list_selectable_countries offers, sorted for the reader's language, as choices."""
    language = get_language()

    def read() -> list[CountryChoice]:
        choices = [
            CountryChoice(row[0], tuple(row[1:])) for row in repository.selectable_country_names(session)
        ]
        return sorted_countries(choices, language)

    return _CHOICES.get((repository.reference_stamp(session), language), read)


def selectable_country_codes(session: Session) -> set[str]:
    """The codes list_selectable_countries offers (for validating a submitted country)."""
    return repository.selectable_country_codes(session)


def get_country(session: Session, *, iso3: str) -> Country | None:
    """One country or area by ISO 3166 alpha-3 code."""
    return repository.get_country(session, iso3)


@dataclass(frozen=True)
class IndicatorReading:
    """An indicator for one country: its latest observation, or None when the data is missing."""

    indicator: Indicator
    latest: IndicatorObservation | None
    earlier: tuple[IndicatorObservation, ...] = ()


@dataclass(frozen=True)
class CountryProfile:
    country: Country
    readings: dict[str, list[IndicatorReading]] = field(default_factory=dict)

    @property
    def missing_count(self) -> int:
        return sum(1 for readings in self.readings.values() for reading in readings if reading.latest is None)


def country_profile(session: Session, *, iso3: str) -> CountryProfile | None:
    """A country with every indicator PUX tracks: burden, capacity and context, missing ones included."""
    country = repository.get_country(session, iso3)
    if country is None:
        return None
    by_indicator: dict[str, list[IndicatorObservation]] = {}
    for observation in repository.observations_for_country(session, country.iso3):
        by_indicator.setdefault(observation.indicator_code, []).append(observation)
    readings: dict[str, list[IndicatorReading]] = {role: [] for role in INDICATOR_ROLES}
    for indicator in repository.list_indicators(session):
        history = by_indicator.get(indicator.code, [])
        reading = IndicatorReading(indicator, history[0] if history else None, tuple(history[1:]))
        readings.setdefault(indicator.role, []).append(reading)
    return CountryProfile(country=country, readings=readings)


@dataclass(frozen=True)
class _KeptNames(NamedInSixLanguages):
    name_en: str
    name_fr: str
    name_es: str
    name_ar: str
    name_zh: str
    name_ru: str


@dataclass(frozen=True)
class KeptRegion(_KeptNames):
    """A region as the last reference load left it: what pages show and filter by, without the record."""

    m49: str
    level: str
    parent_m49: str | None


@dataclass(frozen=True)
class KeptArea(_KeptNames):
    """A thematic area as the last reference load left it."""

    code: str
    position: int
    is_enabling: bool


@dataclass(frozen=True)
class KeptTechnique(_KeptNames):
    """A technique of the catalogue as the last reference load left it."""

    code: str
    thematic_area_code: str
    position: int


@dataclass(frozen=True)
class Vocabulary:
    regions: tuple[KeptRegion, ...]
    areas: tuple[KeptArea, ...]
    techniques: tuple[KeptTechnique, ...]


# The regions, thematic areas and techniques every list page and form offers as filters and choices, kept
# until a reference load: read on each request they took 2 ms of a needs page's CPU.
_VOCABULARY: KeptResults[Vocabulary] = KeptResults(2)
Kept = TypeVar("Kept", bound=_KeptNames)


def _vocabulary(session: Session) -> Vocabulary:
    def read() -> Vocabulary:
        return Vocabulary(
            regions=_kept(KeptRegion, repository.list_regions(session)),
            areas=_kept(KeptArea, repository.list_thematic_areas(session)),
            techniques=_kept(KeptTechnique, repository.list_techniques(session)),
        )

    return _VOCABULARY.get((repository.reference_stamp(session),), read)


def _kept(kind: type[Kept], records: Sequence[object]) -> tuple[Kept, ...]:
    names = [attribute.name for attribute in fields(kind)]
    return tuple(kind(**{name: getattr(record, name) for name in names}) for record in records)


def list_regions(session: Session) -> Sequence[KeptRegion]:
    """All M49 regions, sub-regions and intermediate regions."""
    return _vocabulary(session).regions


def list_goals(session: Session) -> Sequence[SdgGoal]:
    """The 17 goals in order."""
    return repository.list_goals(session)


def get_goal(session: Session, *, code: str) -> SdgGoal | None:
    """A goal with its targets and their indicators."""
    return repository.get_goal(session, code)


def get_target(session: Session, *, code: str) -> SdgTarget | None:
    """One SDG target by official code."""
    return repository.get_target(session, code)


def list_thematic_areas(session: Session) -> Sequence[KeptArea]:
    """The thematic areas, the enabling area last."""
    return _vocabulary(session).areas


def list_indicators(session: Session) -> Sequence[Indicator]:
    """Every indicator series PUX knows."""
    return repository.list_indicators(session)


def reference_counts(session: Session) -> dict[str, int]:
    """Row counts of the reference tables."""
    return repository.count_rows(session)


@dataclass(frozen=True)
class IndicatorImportReport:
    file_format: str
    inserted: int
    updated: int
    unchanged: int
    skipped_aggregates: int
    missing_values: int
    indicators: tuple[str, ...]


def import_indicator_file(
    session: Session,
    *,
    content: str,
    filename: str,
    source_code: str,
    source_citation: str | None,
    actor: str,
    indicator_code: str | None = None,
    role: str = "context",
    unit: str | None = None,
    thematic_area_code: str | None = None,
) -> IndicatorImportReport:
    """Import a World Bank CSV (long or wide); refuse it whole, naming every bad row, or apply it whole."""
    parsed = parse_indicator_file(
        content, known_countries=repository.country_codes(session), indicator_code=indicator_code
    )
    problems = list(parsed.problems)
    source = repository.get_data_source(session, source_code)
    if source is None and not source_citation:
        problems.append(
            RowProblem(
                0,
                "source",
                _("source '%(code)s' is unknown: give its citation (publisher, title, date) to create it")
                % {"code": source_code},
            )
        )
    if role not in INDICATOR_ROLES:
        problems.append(RowProblem(0, "role", _("must be one of: burden, capacity, context")))
    if not parsed.rows and not problems:
        problems.append(RowProblem(0, "Value", _("the file holds no values to import")))
    if problems:
        raise ImportRefused(problems)
    if source is None:
        assert source_citation is not None
        source = DataSource(code=source_code, citation=source_citation)
        repository.add(session, source)
    codes = sorted({row.indicator_code for row in parsed.rows})
    for code in codes:
        if repository.get_indicator(session, code) is None:
            name = parsed.indicator_names.get(code, code)
            repository.add(
                session,
                Indicator(
                    code=code,
                    role=role,
                    unit=unit or "",
                    thematic_area_code=thematic_area_code,
                    worse_when=None,
                    name_en=name,
                    name_fr="",
                    name_es="",
                    name_ar="",
                    name_zh="",
                    name_ru="",
                ),
            )
    repository.flush(session)
    units = {code: (repository.get_indicator(session, code) or Indicator(unit="")).unit for code in codes}
    existing = repository.observations_by_key(session, set(codes))
    inserted = updated = unchanged = 0
    for row in parsed.rows:
        record = existing.get((row.iso3, row.indicator_code, row.year))
        if record is None:
            repository.add(
                session,
                IndicatorObservation(
                    country_iso3=row.iso3,
                    indicator_code=row.indicator_code,
                    year=row.year,
                    value=row.value,
                    unit=unit or units[row.indicator_code],
                    source_code=source.code,
                ),
            )
            inserted += 1
        elif record.value != row.value or record.source_code != source.code:
            record.value, record.source_code = row.value, source.code
            updated += 1
        else:
            unchanged += 1
    repository.flush(session)
    report = IndicatorImportReport(
        parsed.file_format,
        inserted,
        updated,
        unchanged,
        parsed.skipped_aggregates,
        parsed.missing_values,
        tuple(codes),
    )
    audit.record(
        session,
        actor=actor,
        action="indicators.import",
        entity_type="indicator_file",
        entity_id=filename[:120],
        after={
            "source": source.code,
            "indicators": list(codes),
            "inserted": inserted,
            "updated": updated,
            "unchanged": unchanged,
            "skipped_aggregates": parsed.skipped_aggregates,
        },
    )
    return report


def import_official_sdg_texts(session: Session, *, content: str, actor: str) -> dict[str, int]:
    """Load the official goal, target and indicator wording from the UNSD framework CSV."""
    texts, problems = parse_unsd_framework(content)
    records = repository.list_sdg_records(session)
    unknown = [text for text in texts if (text.level, text.code) not in records]
    problems += [
        RowProblem(
            0, text.level, _("code %(code)s is not in the SDG framework PUX knows") % {"code": text.code}
        )
        for text in unknown
    ]
    if problems:
        raise ImportRefused(problems)
    counts = {"goal": 0, "target": 0, "indicator": 0}
    for text in texts:
        record = records[(text.level, text.code)]
        record.official_title = text.title
        if isinstance(record, SdgIndicator) and text.unsd_code:
            record.unsd_code = text.unsd_code
        counts[text.level] += 1
    repository.flush(session)
    audit.record(
        session,
        actor=actor,
        action="sdg.import_official_texts",
        entity_type="sdg_framework",
        entity_id="official",
        after=counts,
    )
    return counts


def find_region(session: Session, *, code_or_name: str) -> Region | None:
    """A region by M49 code or by its name in any of the six languages (case-insensitive)."""
    wanted = code_or_name.strip().casefold()
    for region in repository.list_regions(session):
        if wanted == region.m49 or wanted in {name.casefold() for name in region.names().values()}:
            return region
    return None


def list_techniques(session: Session) -> Sequence[KeptTechnique]:
    """The technique catalogue, grouped by thematic area."""
    return _vocabulary(session).techniques
