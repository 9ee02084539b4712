"""What a brief holds, as plain data: every figure with its unit, source and year, and nothing that needs
the database or the web to be read. The templates print these; the service fills them.

A figure whose value is None is missing data: the brief shows it as missing, never as zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    """A number with its unit, where it comes from and the year (or years) it describes."""

    value: float | None
    unit: str
    source: str
    year: str  # "2023", or "2019-2023" for a comparison across countries reporting different years

    @property
    def is_missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Stamp:
    """When a brief was made and from which data: the same data version means the same figures."""

    made_on: date
    data_version: str
    latest_audit_id: int | None
    data_as_of: datetime | None
    audience: str  # the visibility class the brief was made for ("public", "partners", ...)


@dataclass(frozen=True)
class Heading:
    """Who or what the brief is about, in the reader's language."""

    kind: str
    key: str
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...] = ()  # (label, text) lines under the title


@dataclass(frozen=True)
class PriorityLine:
    area_code: str
    area_name: str
    score: Figure
    rank: int | None
    ranked_countries: int
    components: tuple[tuple[str, Figure], ...]  # (component label, pressing share in percent)
    completeness_percent: int


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    role_label: str
    own: Figure
    regional: Figure
    reporting_countries: Figure  # how many of the region's other countries report it (the median's base)


@dataclass(frozen=True)
class NeedLine:
    need_id: int
    reference: str
    title: str
    country_name: str
    area_name: str
    status: str
    status_label: str
    national_rank: int | None
    cost: Figure
    technique_names: tuple[str, ...]


@dataclass(frozen=True)
class CountLine:
    label: str
    count: Figure


@dataclass(frozen=True)
class ProviderLine:
    """One provider (or one recipient country, in a partner brief) and what flows through it."""

    name: str
    activities: Figure
    committed: tuple[Figure, ...]  # one per currency: amounts are never converted silently
    disbursed: tuple[Figure, ...]
    area_names: tuple[str, ...]


@dataclass(frozen=True)
class FlowRest:
    """The providers (or recipient countries) a flow table leaves out, summed, so that its rows still add
    up to the total above it: how many, their activities, and what they committed and disbursed."""

    lines: int
    activities: Figure
    committed: tuple[Figure, ...]  # one per currency, as in a line
    disbursed: tuple[Figure, ...]


def rest_of(lines: Sequence[ProviderLine], earlier: FlowRest | None = None) -> FlowRest | None:
    """The lines left out of a table summed (with ``earlier``, what was left out before); None: none."""
    if not lines:
        return earlier
    counts = [line.activities for line in lines] + ([earlier.activities] if earlier else [])
    committed = [f for line in lines for f in line.committed] + list(earlier.committed if earlier else ())
    disbursed = [f for line in lines for f in line.disbursed] + list(earlier.disbursed if earlier else ())
    return FlowRest(
        lines=len(lines) + (earlier.lines if earlier else 0),
        activities=_summed(counts)[0],
        committed=_summed(committed),
        disbursed=_summed(disbursed),
    )


def _summed(figures: Sequence[Figure]) -> tuple[Figure, ...]:
    """Figures added up by unit (sums_by_currency: a currency is never added to another), each unit over the
    years and with the source of its own figures. The largest sum first, as a line lists its currencies."""
    sums: list[Figure] = []
    for unit in {figure.unit for figure in figures}:
        members = [figure for figure in figures if figure.unit == unit]
        years = (int(year) for figure in members for year in figure.year.split("-") if year.isdigit())
        source = next((figure.source for figure in members if figure.source), "")
        sums += sums_by_currency(((figure.value, unit) for figure in members), source, year_span(years, ""))
    return tuple(sorted(sums, key=lambda figure: (-(figure.value or 0.0), figure.unit)))


def sums_by_currency(
    amounts: Iterable[tuple[Decimal | float | None, str]], source: str, year: str
) -> tuple[Figure, ...]:
    """One figure per currency (PUX converts no amount silently), the largest first; a currency no amount is
    stated in stays missing."""
    totals: dict[str, float] = defaultdict(float)
    reported: set[str] = set()
    currencies: set[str] = set()
    for amount, currency in amounts:
        currencies.add(currency)
        if amount is not None:
            totals[currency] += float(amount)
            reported.add(currency)
    return tuple(
        Figure(totals[currency] if currency in reported else None, currency, source, year)
        for currency in sorted(currencies, key=lambda code: (-totals.get(code, 0.0), code))
    )


def year_span(years: Iterable[int | None], fallback: int | str) -> str:
    """The years a figure describes: the one year ("2023") or the first and the last ("2019-2023");
    ``fallback`` when none is known."""
    known = sorted({year for year in years if year})
    if not known:
        return str(fallback)
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}-{known[-1]}"


@dataclass(frozen=True)
class EvidenceLine:
    entry_id: int
    claim: str
    figure: Figure | None  # None when the entry states no number
    value_high: float | None
    status_label: str
    method_label: str  # how the figure was obtained, or that the source does not say
    citation: str
    comparator: str = ""  # what the figure is measured against, in the reader's language; "": none recorded
    claim_language: str = "en"  # the language the claim is given in (its own where not translated)
    figure_language: str = "en"  # the language of the figure's unit (as written where not translated)


@dataclass(frozen=True)
class AlternativeLine:
    """A conventional technique the knowledge base compares the nuclear one with."""

    name: str
    language: str  # the language the name is given in (English when no translation is held)
    relation_label: str  # used instead of the technique, or alongside it


@dataclass(frozen=True)
class TechniqueLine:
    code: str
    name: str
    slug: str
    area_name: str
    summary: str | None
    needs: Figure  # how many of the needs in the brief ask for it
    evidence: tuple[EvidenceLine, ...]
    alternatives: tuple[AlternativeLine, ...] = ()  # none: the knowledge base records no comparison


@dataclass(frozen=True)
class EventLine:
    event_id: int
    title: str
    kind_label: str
    starts_on: date
    ends_on: date
    place: str


@dataclass(frozen=True)
class GapLine:
    """One thematic area's gap as pux.gaps computes it (shown when that package is present)."""

    label: str
    needs_cost: Figure
    covered: Figure
    uncovered: Figure
    note: str = ""
    # What the gap pages say beside the figures: a cost that adds up only the costed needs (how many of how
    # many have none), and assistance beyond the costed needs (its uncovered 0 is not "fully funded").
    endorsed_needs: Figure | None = None  # how many endorsed needs the cost is of
    needs_without_cost: int = 0
    surplus: Figure | None = None


@dataclass(frozen=True)
class GapSection:
    lines: tuple[GapLine, ...]
    map_svg: str | None = None  # a server-rendered choropleth, already safe markup
    more: Figure | None = None  # how many more lines the gap pages list (None: the table lists them all)
    note: str = ""
    # The mapped countries whose total adds up only their areas of known uncovered cost (names, sorted).
    map_partial: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgrammeLine:
    programme_id: int
    title: str
    modality_label: str
    status_label: str
    area_names: tuple[str, ...]
    budget: Figure
    remaining: Figure


@dataclass(frozen=True)
class ProgrammeOffer:
    """An open programme the matching engine recommends for a need, with the engine's reasons."""

    programme_id: int
    title: str
    organisation: str
    fit: Figure  # the engine's fit score, in percent
    reasons: tuple[str, ...]  # in the reader's language (eligibility, shared techniques, budget...)
    remaining: Figure


@dataclass(frozen=True)
class NeedOffers:
    """One unmet need and the programmes that could take it up; none: no open programme matches it yet."""

    need: NeedLine
    offers: tuple[ProgrammeOffer, ...]


@dataclass
class Brief:
    """One brief: its heading, stamp and sections; a section left empty is printed as "none recorded"."""

    heading: Heading
    stamp: Stamp
    priority: list[PriorityLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    need_counts: list[CountLine] = field(default_factory=list)
    needs: list[NeedLine] = field(default_factory=list)
    needs_total: int = 0
    providers: list[ProviderLine] = field(default_factory=list)
    providers_rest: FlowRest | None = None  # the providers the table leaves out, summed
    assistance_total: list[Figure] = field(default_factory=list)
    gaps: GapSection | None = None
    techniques: list[TechniqueLine] = field(default_factory=list)
    events: list[EventLine] = field(default_factory=list)
    countries: list[PriorityLine] = field(default_factory=list)  # regional brief: the most pressing
    programmes: list[ProgrammeLine] = field(default_factory=list)  # partner brief
    recipients: list[ProviderLine] = field(default_factory=list)  # partner brief: where it funds
    recipients_rest: FlowRest | None = None
    fitting_needs: list[NeedLine] = field(default_factory=list)  # partner brief: what it could fund
    need_offers: list[NeedOffers] = field(default_factory=list)  # country brief: who could fund what
    region_name: str = ""
    sources: list[str] = field(default_factory=list)

    def cite(self, source: str) -> str:
        """Remember a source for the list at the end of the brief (once each, in order of first use)."""
        if source and source not in self.sources:
            self.sources.append(source)
        return source
