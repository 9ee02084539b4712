"""The gap arithmetic on plain data: what the endorsed needs of a country cost in a thematic area, what the
current assistance there covers, and the remainder no one covers yet. No database, no web.

Rules the pages and the briefs rely on:
- a figure that is not known stays missing (``None``), never zero: a need without an estimated cost is
  counted apart and does not lower the cost; an area without any costed need has no gap figure at all;
- money in another currency is converted only with a stated exchange rate (its rate, year and source are
  returned with the result); without one the amount is listed apart, unconverted, and the totals say they
  are incomplete;
- the uncovered remainder is the cost of the needs less the assistance committed in the same country and
  area, never below zero (a surplus is reported as such, not as a negative gap);
- gaps are ordered by the burden-weighted gap: the share of the needs' cost left uncovered times the burden
  (0 to 1, the pressing share of the priority index's burden component); missing factors sort last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# The stated exchange rate is the ROI calculator's: one shape for a rate across PUX.
from pux.knowledge.roi import ExchangeRate as ExchangeRate


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str


@dataclass(frozen=True)
class Figure:
    """A number with its unit, source and year; ``value is None`` is missing data (shown as missing)."""

    value: float | None
    unit: str
    source: str
    year: str | None

    @property
    def is_missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Totals:
    """What the records of one kind (endorsed needs, or current activities) in one country, thematic area
    and currency add up to. The sums are the database's: the arithmetic never needs a record alone."""

    country_iso3: str
    area: str | None  # None for activities recorded without one (left out of area gaps)
    currency: str
    count: int
    stated: int  # how many of them state an amount (the others are counted apart, never as zero)
    amount: float | None  # the sum of the stated amounts; None when none states one


@dataclass(frozen=True)
class AreaStanding:
    """Burden and capacity of a country in an area from the priority index (0-1, 1 = most pressing)."""

    burden: float | None
    capacity: float | None
    score: float | None  # the index, 0-100
    year: str | None  # e.g. "2019–2024": the years of the indicators used
    source: str


@dataclass(frozen=True)
class Conversion:
    """What was converted with which stated rate, and what could not be."""

    applied: tuple[ExchangeRate, ...] = ()
    unconverted: tuple[Money, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unconverted


@dataclass(frozen=True)
class AreaGap:
    """One country's gap in one thematic area, every figure with its source and year."""

    country_iso3: str
    area: str
    burden: Figure  # 0-1
    capacity: Figure  # 0-1, 1 = least capacity (most pressing)
    priority_score: Figure  # 0-100
    needs_count: int
    needs_without_cost: int
    activities_count: int
    activities_without_amount: int
    needs_cost: Figure  # in ``currency``
    covered: Figure  # committed assistance in the country and area, in ``currency``
    uncovered: Figure  # needs_cost - covered, at least 0
    surplus: Figure  # covered - needs_cost when assistance exceeds the costed needs, else 0
    uncovered_share: float | None  # uncovered / needs_cost
    burden_weighted_gap: float | None  # uncovered_share * burden: the order of the list
    providers: int
    duplicated_techniques: tuple[str, ...]  # where two or more providers fund the same thing now
    conversion: Conversion = field(default_factory=Conversion)
    currency: str = "USD"
    # What each column left unconverted: a cost and an amount covered are never added up in one note.
    cost_unconverted: tuple[Money, ...] = ()
    covered_unconverted: tuple[Money, ...] = ()

    @property
    def duplicated(self) -> bool:
        return bool(self.duplicated_techniques)


@dataclass(frozen=True)
class Sources:
    """Where the gap figures come from, printed with them."""

    needs: str
    assistance: str
    period: str  # the period the assistance was counted over, e.g. "2026-01-01–2026-12-31"
    needs_year: str | None


def convert(
    money: Money, currency: str, rates: Sequence[ExchangeRate]
) -> tuple[float | None, ExchangeRate | None]:
    """``money`` in ``currency`` with a stated rate (direct or inverse); (None, None) without one."""
    if money.currency == currency:
        return money.amount, None
    for rate in rates:
        if rate.from_currency == money.currency and rate.to_currency == currency and rate.rate > 0:
            return money.amount * rate.rate, rate
    for rate in rates:
        if rate.from_currency == currency and rate.to_currency == money.currency and rate.rate > 0:
            return money.amount / rate.rate, rate
    return None, None


def total(
    amounts: Iterable[Money], currency: str, rates: Sequence[ExchangeRate]
) -> tuple[float | None, Conversion]:
    """The sum in ``currency`` of the amounts that can be converted (None when there is no amount at all or
    none could be converted), and what was applied or left unconverted."""
    values: list[float] = []
    applied: dict[tuple[str, str], ExchangeRate] = {}
    unconverted: dict[str, float] = defaultdict(float)
    for money in amounts:
        value, rate = convert(money, currency, rates)
        if value is None:
            unconverted[money.currency] += money.amount
            continue
        values.append(value)
        if rate is not None:
            applied[(rate.from_currency, rate.to_currency)] = rate
    conversion = Conversion(
        applied=tuple(applied[key] for key in sorted(applied)),
        unconverted=tuple(Money(amount, code) for code, amount in sorted(unconverted.items())),
    )
    return (sum(values) if values else None), conversion


def _merge(*conversions: Conversion) -> Conversion:
    """The rates applied by any of ``conversions`` and everything they left unconverted, kept side by side:
    the conversions are of different quantities (a cost, an amount covered), whose sum would mean nothing.
    Each column's own list is kept on the figure's record (``cost_unconverted`` and the like)."""
    applied = {(r.from_currency, r.to_currency): r for c in conversions for r in c.applied}
    return Conversion(
        applied=tuple(applied[key] for key in sorted(applied)),
        unconverted=tuple(money for conversion in conversions for money in conversion.unconverted),
    )


def area_gaps(
    needs: Iterable[Totals],
    assistance: Iterable[Totals],
    providers: Mapping[tuple[str, str], int],
    standing: Mapping[tuple[str, str], AreaStanding],
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    duplications: Iterable[tuple[str, str, str | None]],
    sources: Sources,
) -> list[AreaGap]:
    """The gap of every (country, area) that has an endorsed need or current assistance, ordered by the
    burden-weighted gap (largest first), then by the uncovered amount. ``needs``: the estimated costs'
    totals; ``assistance``: the amounts committed; ``providers``: how many providers run those activities."""
    needs_by_key: dict[tuple[str, str], list[Totals]] = defaultdict(list)
    for totals in needs:
        if totals.area:
            needs_by_key[(totals.country_iso3, totals.area)].append(totals)
    assistance_by_key: dict[tuple[str, str], list[Totals]] = defaultdict(list)
    for totals in assistance:
        if totals.area:
            assistance_by_key[(totals.country_iso3, totals.area)].append(totals)
    duplicated: dict[tuple[str, str], set[str]] = defaultdict(set)
    for country, area, technique in duplications:
        duplicated[(country, area)].add(technique or "")
    keys = sorted(set(needs_by_key) | set(assistance_by_key))
    gaps = [
        _area_gap(
            key,
            needs_by_key.get(key, []),
            assistance_by_key.get(key, []),
            providers.get(key, 0),
            standing.get(key),
            currency=currency,
            rates=rates,
            duplicated=duplicated.get(key, set()),
            sources=sources,
        )
        for key in keys
    ]
    return sorted(gaps, key=gap_order)


def gap_order(gap: AreaGap) -> tuple[bool, float, bool, float, str, str]:
    """Largest burden-weighted gap first, then the largest uncovered amount; missing figures last."""
    weighted = gap.burden_weighted_gap
    uncovered = gap.uncovered.value
    return (
        weighted is None,
        -(weighted or 0.0),
        uncovered is None,
        -(uncovered or 0.0),
        gap.country_iso3,
        gap.area,
    )


def _stated(totals: Sequence[Totals]) -> list[Money]:
    return [Money(t.amount, t.currency) for t in totals if t.stated and t.amount is not None]


def _area_gap(
    key: tuple[str, str],
    needs: Sequence[Totals],
    activities: Sequence[Totals],
    providers: int,
    standing: AreaStanding | None,
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    duplicated: set[str],
    sources: Sources,
) -> AreaGap:
    country, area = key
    needs_cost, needs_conversion = total(_stated(needs), currency, rates)
    covered, covered_conversion = total(_stated(activities), currency, rates)
    if not activities:
        # No activity is recorded here: what PUX knows to be covered is nothing (a count, not a gap in the
        # data). Activities whose amounts are all unknown leave ``covered`` missing instead.
        covered = 0.0
    uncovered = surplus = share = None
    if needs_cost is not None and covered is not None:
        uncovered = max(needs_cost - covered, 0.0)
        surplus = max(covered - needs_cost, 0.0)
        share = uncovered / needs_cost if needs_cost > 0 else None
    burden = standing.burden if standing else None
    weighted = share * burden if share is not None and burden is not None else None
    index_source = standing.source if standing else sources.needs
    index_year = standing.year if standing else None
    assistance_source = f"{sources.assistance} ({sources.period})"
    return AreaGap(
        country_iso3=country,
        area=area,
        burden=Figure(burden, "0-1", index_source, index_year),
        capacity=Figure(standing.capacity if standing else None, "0-1", index_source, index_year),
        priority_score=Figure(standing.score if standing else None, "0-100", index_source, index_year),
        needs_count=sum(t.count for t in needs),
        needs_without_cost=sum(t.count - t.stated for t in needs),
        activities_count=sum(t.count for t in activities),
        activities_without_amount=sum(t.count - t.stated for t in activities),
        needs_cost=Figure(needs_cost, currency, sources.needs, sources.needs_year),
        covered=Figure(covered, currency, assistance_source, sources.period),
        uncovered=Figure(uncovered, currency, f"{sources.needs}; {assistance_source}", sources.period),
        surplus=Figure(surplus, currency, f"{sources.needs}; {assistance_source}", sources.period),
        uncovered_share=share,
        burden_weighted_gap=weighted,
        providers=providers,
        duplicated_techniques=tuple(sorted(duplicated)),
        conversion=_merge(needs_conversion, covered_conversion),
        currency=currency,
        cost_unconverted=needs_conversion.unconverted,
        covered_unconverted=covered_conversion.unconverted,
    )


# --- The costs of the unfunded-needs board ------------------------------------------------------------


@dataclass(frozen=True)
class CostRange:
    """Estimated costs from ``low`` up to ``high`` (either end open) in ``currency``."""

    currency: str
    low: float | None = None
    high: float | None = None

    @property
    def bounded(self) -> bool:
        return self.low is not None or self.high is not None

    def admits(self, amount: float) -> bool:
        return (self.low is None or amount >= self.low) and (self.high is None or amount <= self.high)


@dataclass(frozen=True)
class ComparedCost:
    """A need's estimated cost as the board compares it: ``value`` is in the board's currency (converted
    with ``rate`` when the need states another one), or None when it cannot be compared: no cost is
    stated, or it is in a currency no stated rate converts."""

    stated: Money | None
    value: float | None = None
    rate: ExchangeRate | None = None

    @property
    def apart_currency(self) -> str | None:
        """The currency of a stated cost that cannot be compared (such needs are listed after the others,
        grouped by it); None when the cost is compared or not stated."""
        return self.stated.currency if self.stated is not None and self.value is None else None


def compared_cost(stated: Money | None, currency: str, rates: Sequence[ExchangeRate]) -> ComparedCost:
    if stated is None:
        return ComparedCost(None)
    value, rate = convert(stated, currency, rates)
    return ComparedCost(stated, value, rate)


def kept_by_cost_range(cost: ComparedCost, cost_range: CostRange) -> bool:
    """Whether a need stays on a board filtered by ``cost_range``. A cost compared in the range's currency
    must lie within it. A cost in a currency no rate converts stays, to be listed apart: comparing its bare
    number would let 900,000 XOF pass "at least 100,000 USD", and dropping it would hide it. A need that
    states no cost is left out: a range asks about known costs (it is never read as 0)."""
    if not cost_range.bounded:
        return True
    if cost.value is not None:
        return cost_range.admits(cost.value)
    return cost.apart_currency is not None


def cost_order(cost: ComparedCost) -> tuple[int, str, float]:
    """Largest cost first: the costs compared in the board's currency by their converted value; then the
    costs in currencies no rate converts, grouped by currency (largest first within each), since their
    numbers are not comparable with the others; then the needs that state no cost."""
    if cost.value is not None:
        return (0, "", -cost.value)
    if cost.stated is not None:
        return (1, cost.stated.currency, -cost.stated.amount)
    return (2, "", 0.0)


# --- Gaps by SDG goal and by technique ----------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """One record (an endorsed need, or an activity) as the goal and technique tables count it: under
    each of its ``tags`` (goals or techniques), with its amount (None when it states none)."""

    country_iso3: str
    tags: frozenset[str]
    currency: str
    amount: float | None


def sdg_goals_of(codes: Iterable[str]) -> frozenset[str]:
    """The goals of SDG goal or target codes ("3", "3.4" -> "3"): an activity names either."""
    return frozenset(code.strip().split(".")[0] for code in codes if code and code.strip())


def tally(records: Iterable[Tagged]) -> list[Totals]:
    """Per tag, country and currency, how many records, how many state an amount, and its sum (the
    ``area`` of each ``Totals`` holds the tag). A record with several tags is counted under each."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    for record in records:
        for tag in record.tags:
            key = (tag, record.country_iso3, record.currency)
            counts[key][0] += 1
            if record.amount is not None:
                counts[key][1] += 1
                sums[key] += record.amount
    return [
        Totals(country, tag, currency, count, stated, sums[(tag, country, currency)] if stated else None)
        for (tag, country, currency), (count, stated) in sorted(counts.items())
    ]


@dataclass(frozen=True)
class TagGap:
    """Needs against assistance under one SDG goal or one technique, every country added up.

    The uncovered cost adds up each country's own remainder (assistance in one country covers no need in
    another), so it may exceed the needs' cost less the assistance; ``partial`` when some country's
    remainder is not known (needs without a cost, amounts not stated or not converted)."""

    tag: str
    needs_count: int
    needs_without_cost: int
    activities_count: int
    activities_without_amount: int
    needs_cost: Figure
    covered: Figure
    uncovered: Figure
    uncovered_share: float | None  # uncovered / needs_cost
    partial: bool
    conversion: Conversion = field(default_factory=Conversion)
    # What each column left unconverted: a cost and an amount covered are never added up in one note.
    cost_unconverted: tuple[Money, ...] = ()
    covered_unconverted: tuple[Money, ...] = ()


def tag_gaps(
    needs: Iterable[Totals],
    assistance: Iterable[Totals],
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    sources: Sources,
) -> list[TagGap]:
    """The gap under every tag (the ``area`` of the totals) that has an endorsed need or assistance,
    the largest uncovered cost first, unknown ones last."""
    needs_by_tag = _by_tag_and_country(needs)
    assistance_by_tag = _by_tag_and_country(assistance)
    gaps = [
        _tag_gap(
            tag,
            needs_by_tag.get(tag, {}),
            assistance_by_tag.get(tag, {}),
            currency=currency,
            rates=rates,
            sources=sources,
        )
        for tag in sorted(set(needs_by_tag) | set(assistance_by_tag))
    ]
    return sorted(gaps, key=lambda g: (g.uncovered.value is None, -(g.uncovered.value or 0.0), g.tag))


def _by_tag_and_country(totals: Iterable[Totals]) -> dict[str, dict[str, list[Totals]]]:
    grouped: dict[str, dict[str, list[Totals]]] = defaultdict(lambda: defaultdict(list))
    for entry in totals:
        if entry.area:
            grouped[entry.area][entry.country_iso3].append(entry)
    return grouped


def _tag_gap(
    tag: str,
    needs: Mapping[str, Sequence[Totals]],
    activities: Mapping[str, Sequence[Totals]],
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    sources: Sources,
) -> TagGap:
    all_needs = [entry for entries in needs.values() for entry in entries]
    all_activities = [entry for entries in activities.values() for entry in entries]
    needs_cost, needs_conversion = total(_stated(all_needs), currency, rates)
    covered, covered_conversion = total(_stated(all_activities), currency, rates)
    if not all_activities:
        covered = 0.0  # no activity under the tag: nothing is known to be covered (a count, not missing)
    remainders = [
        _remainder(needs[country], activities.get(country, ()), currency, rates) for country in needs
    ]
    known = [value for value in remainders if value is not None]
    uncovered = sum(known) if known else None
    incomplete = not _merge(needs_conversion, covered_conversion).complete
    assistance_source = f"{sources.assistance} ({sources.period})"
    both = f"{sources.needs}; {assistance_source}"
    return TagGap(
        tag=tag,
        needs_count=sum(t.count for t in all_needs),
        needs_without_cost=sum(t.count - t.stated for t in all_needs),
        activities_count=sum(t.count for t in all_activities),
        activities_without_amount=sum(t.count - t.stated for t in all_activities),
        needs_cost=Figure(needs_cost, currency, sources.needs, sources.needs_year),
        covered=Figure(covered, currency, assistance_source, sources.period),
        uncovered=Figure(uncovered, currency, both, sources.period),
        uncovered_share=uncovered / needs_cost if uncovered is not None and needs_cost else None,
        partial=uncovered is not None and (len(known) < len(remainders) or incomplete),
        conversion=_merge(needs_conversion, covered_conversion),
        cost_unconverted=needs_conversion.unconverted,
        covered_unconverted=covered_conversion.unconverted,
    )


def _remainder(
    needs: Sequence[Totals], activities: Sequence[Totals], currency: str, rates: Sequence[ExchangeRate]
) -> float | None:
    """One country's uncovered cost under a tag (the area gap's rule); None when it is not known."""
    cost, _conversion = total(_stated(needs), currency, rates)
    covered = total(_stated(activities), currency, rates)[0] if activities else 0.0
    if cost is None or covered is None:
        return None
    return max(cost - covered, 0.0)


# --- Coverage over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    """The records of one year (None: no date to place them in a year) in one currency: how many, how
    many state the amount, and its sum (None when none does)."""

    year: int | None
    currency: str
    count: int
    stated: int
    amount: float | None


@dataclass(frozen=True)
class YearCoverage:
    """One year: the endorsed needs recorded in it and their cost, the assistance whose activities began
    in it, and the share of the needs' cost that assistance would cover."""

    year: int
    needs_count: int
    needs_without_cost: int
    needs_cost: Figure
    activities_count: int
    activities_without_amount: int
    committed: Figure
    disbursed: Figure
    covered_share: float | None  # committed / needs_cost; None when either is not known
    conversion: Conversion = field(default_factory=Conversion)
    # What each column left unconverted: committed and disbursed amounts are never added up in one note.
    cost_unconverted: tuple[Money, ...] = ()
    committed_unconverted: tuple[Money, ...] = ()
    disbursed_unconverted: tuple[Money, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """Coverage year by year, and the activities no year holds (they state no start date)."""

    years: tuple[YearCoverage, ...]
    undated_activities: int
    undated_committed: Figure


def coverage_over_time(
    needs: Iterable[YearTotals],
    committed: Iterable[YearTotals],
    disbursed: Iterable[YearTotals],
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    sources: Sources,
    first: int | None = None,
    last: int | None = None,
) -> Coverage:
    """Every year from the first to the last the data covers (or ``first`` to ``last``), a year without
    records included, so that a reader sees it empty instead of skipped."""
    needs_by_year = _by_year(needs)
    committed_by_year = _by_year(committed)
    disbursed_by_year = _by_year(disbursed)
    dated = {year for grouped in (needs_by_year, committed_by_year) for year in grouped if year is not None}
    low = first if first is not None else min(dated, default=None)
    high = last if last is not None else max(dated, default=None)
    years = range(low, high + 1) if low is not None and high is not None else range(0)
    undated = committed_by_year.get(None, [])
    undated_sum, _conversion = total(_stated_years(undated), currency, rates)
    return Coverage(
        years=tuple(
            _year_coverage(
                year,
                needs_by_year.get(year, []),
                committed_by_year.get(year, []),
                disbursed_by_year.get(year, []),
                currency=currency,
                rates=rates,
                sources=sources,
            )
            for year in years
        ),
        undated_activities=sum(t.count for t in undated),
        undated_committed=Figure(undated_sum, currency, sources.assistance, None),
    )


def _by_year(totals: Iterable[YearTotals]) -> dict[int | None, list[YearTotals]]:
    grouped: dict[int | None, list[YearTotals]] = defaultdict(list)
    for entry in totals:
        grouped[entry.year].append(entry)
    return grouped


def _stated_years(totals: Sequence[YearTotals]) -> list[Money]:
    return [Money(t.amount, t.currency) for t in totals if t.stated and t.amount is not None]


def _year_coverage(
    year: int,
    needs: Sequence[YearTotals],
    committed: Sequence[YearTotals],
    disbursed: Sequence[YearTotals],
    *,
    currency: str,
    rates: Sequence[ExchangeRate],
    sources: Sources,
) -> YearCoverage:
    cost, cost_conversion = total(_stated_years(needs), currency, rates)
    committed_sum, committed_conversion = total(_stated_years(committed), currency, rates)
    disbursed_sum, disbursed_conversion = total(_stated_years(disbursed), currency, rates)
    if not committed:
        # No activity began this year: nothing is known to be committed in it (a count, not missing).
        committed_sum = disbursed_sum = 0.0
    assistance_source = f"{sources.assistance} ({year})"
    return YearCoverage(
        year=year,
        needs_count=sum(t.count for t in needs),
        needs_without_cost=sum(t.count - t.stated for t in needs),
        needs_cost=Figure(cost, currency, sources.needs, str(year)),
        activities_count=sum(t.count for t in committed),
        activities_without_amount=sum(t.count - t.stated for t in committed),
        committed=Figure(committed_sum, currency, assistance_source, str(year)),
        disbursed=Figure(disbursed_sum, currency, assistance_source, str(year)),
        covered_share=committed_sum / cost if committed_sum is not None and cost else None,
        conversion=_merge(cost_conversion, committed_conversion, disbursed_conversion),
        cost_unconverted=cost_conversion.unconverted,
        committed_unconverted=committed_conversion.unconverted,
        disbursed_unconverted=disbursed_conversion.unconverted,
    )
