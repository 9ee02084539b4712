"""The return-on-investment calculator of a technique page: costs and benefits over a horizon, discounted.

An engine on plain data (no web, no ORM). It never invents a figure: a required input that is not given,
a money figure whose currency is not stated, or a currency with no stated exchange rate is *missing*, and
``MissingInput`` names every missing input at once so the page can ask for them. Every conversion applied
is returned with its rate, year and source; figures in different price years are reported, never inflated
(PUX has no deflators).

Conventions: year 0 carries the up-front investment and is not discounted; running costs and benefits
start in year 1 and year ``t`` is divided by ``(1 + discount_rate) ** t``. With ``ramp_up_years = n`` the
benefit of year ``t`` is ``min(1, t / n)`` of the full benefit (full from year ``n`` on).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pux.i18n import decimal_text, listed
from pux.i18n import gettext as _

HORIZON_RANGE = (1, 50)
DISCOUNT_RATE_RANGE = (0.0, 0.5)
SENSITIVITY_RANGE = (0.0, 0.9)
# The largest amount taken, given or once converted (as the evidence ledger's figures): the sums of fifty
# years of such amounts can still be written; of 1e28 they could not.
MAX_AMOUNT = 1e15
REQUIRED_FIGURES = ("investment", "running_cost", "benefit")
ALTERNATIVE_FIGURES = ("alternative_investment", "alternative_running_cost", "alternative_benefit")

# How a message names an input: its own name by default; a page gives the label its reader sees (a reader
# met "horizon_years doit être..." and "discount_rate ... 0.0 et 0.5").
Labeller = Callable[[str], str]


def _own_name(name: str) -> str:
    return name


@dataclass(frozen=True)
class Figure:
    """One input with where it came from."""

    value: float
    unit: str  # e.g. "USD", "USD per year", "people per year", "share"
    source: str  # "entered by the user" | "PUX indicator ... (World Bank, 2021)" | "evidence entry E12"
    year: int | None
    currency: str | None = None  # ISO 4217, for money figures
    price_year: int | None = None  # the year the money is expressed in


@dataclass(frozen=True)
class ExchangeRate:
    """One unit of ``from_currency`` is worth ``rate`` units of ``to_currency`` (stated, always shown)."""

    from_currency: str
    to_currency: str
    rate: float
    year: int
    source: str


@dataclass(frozen=True)
class Scenario:
    currency: str  # the currency results are shown in
    horizon_years: int  # 1..50
    discount_rate: float  # e.g. 0.03; an editable assumption
    investment: Figure | None  # up-front cost of the nuclear technique (year 0)
    running_cost: Figure | None  # per year, from year 1
    benefit: Figure | None  # per year, from year 1 (avoided losses, value of life-years...)
    ramp_up_years: int = 0  # benefits grow linearly to full over these years
    # The conventional alternative (optional): when one of its figures is given, all three are required
    # (an alternative with no up-front cost is entered as 0, never assumed).
    alternative_investment: Figure | None = None
    alternative_running_cost: Figure | None = None
    alternative_benefit: Figure | None = None
    rates: tuple[ExchangeRate, ...] = ()
    sensitivity: float = 0.25  # ± share applied to benefits and costs for the range
    alternative_ramp_up_years: int = 0  # the alternative's own ramp-up (0: at full benefit from year 1)


@dataclass(frozen=True)
class YearRow:
    year: int
    cost: float
    benefit: float
    net: float
    discounted_net: float
    cumulative_discounted_net: float


@dataclass(frozen=True)
class Conversion:
    """A money figure converted into the scenario's currency."""

    name: str  # the input converted, e.g. "investment"
    figure: Figure  # as given
    from_currency: str
    to_currency: str
    rate: float  # the multiplier applied (1 / stated_rate when the inverse was used)
    stated_rate: ExchangeRate  # the rate as stated by the user or shipped
    inverse_used: bool  # True when the stated rate was to_currency -> from_currency
    year: int
    source: str
    result: float  # the figure's value in to_currency


@dataclass(frozen=True)
class Comparison:
    """The technique against the conventional alternative (incremental: technique minus alternative)."""

    alternative_npv: float
    alternative_benefit_cost_ratio: float | None
    alternative_pv_benefits: float
    alternative_pv_costs: float
    alternative_yearly: tuple[YearRow, ...]
    incremental_npv: float
    # ΔPV(benefits) / ΔPV(costs); None when the technique costs no more than the alternative (the ratio
    # would then be meaningless: compare incremental_npv instead).
    incremental_benefit_cost_ratio: float | None


@dataclass(frozen=True)
class Result:
    currency: str
    npv: float
    benefit_cost_ratio: float | None  # None when the present value of costs is 0
    # First year from year 1 whose cumulative discounted net is >= 0; None: not within the horizon.
    payback_year: int | None
    npv_low: float  # benefits -s and costs +s
    npv_high: float  # benefits +s and costs -s
    pv_benefits: float
    pv_costs: float
    yearly: tuple[YearRow, ...]
    versus_alternative: Comparison | None
    conversions: tuple[Conversion, ...]
    inputs_used: tuple[tuple[str, Figure], ...]  # name -> figure as given, to list sources on the page
    notes: tuple[str, ...]  # what the page must say beside the figures (e.g. different price years)


class MissingInput(ValueError):
    """Required inputs that are not given, named all at once (e.g. "benefit", "exchange rate EUR→USD")."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names: tuple[str, ...] = tuple(names)
        super().__init__(_("missing: %(names)s") % {"names": ", ".join(self.names)})


def calculate(scenario: Scenario, *, label: Labeller = _own_name) -> Result:
    """Costs, benefits, NPV, benefit-cost ratio, payback and sensitivity range of ``scenario``; problems and
    notes name each input with ``label`` (its name, "currency of benefit", "horizon_years"...)."""
    figures = _given_figures(scenario)
    _validate(scenario, figures, label)
    _raise_if_missing(scenario, figures)

    notes: list[str] = []
    conversions: list[Conversion] = []
    amounts: dict[str, float] = {}
    for name, figure in figures:
        amount, conversion = _in_currency(name, figure, scenario.currency, scenario.rates, label)
        amounts[name] = amount
        if conversion is not None:
            conversions.append(conversion)
            if figure.price_year is not None and figure.price_year != conversion.year:
                notes.append(
                    _(
                        "%(name)s is in %(price_year)s prices and was converted with the %(pair)s rate "
                        "of %(rate_year)s"
                    )
                    % {
                        "name": label(name),
                        "price_year": figure.price_year,
                        "pair": _pair(conversion.from_currency, conversion.to_currency),
                        "rate_year": conversion.year,
                    }
                )
    notes[:0] = _price_year_notes(figures, label)

    yearly, pv_benefits, pv_costs = _cash_flows(
        scenario,
        amounts["investment"],
        amounts["running_cost"],
        amounts["benefit"],
        scenario.ramp_up_years,
    )
    npv = pv_benefits - pv_costs
    share = scenario.sensitivity
    comparison = None
    if "alternative_investment" in amounts:
        comparison = _compare(scenario, amounts, pv_benefits, pv_costs)
    return Result(
        currency=scenario.currency,
        npv=npv,
        benefit_cost_ratio=_ratio(pv_benefits, pv_costs),
        payback_year=_payback_year(yearly),
        npv_low=pv_benefits * (1 - share) - pv_costs * (1 + share),
        npv_high=pv_benefits * (1 + share) - pv_costs * (1 - share),
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        yearly=yearly,
        versus_alternative=comparison,
        conversions=tuple(conversions),
        inputs_used=figures,
        notes=tuple(notes),
    )


def _given_figures(scenario: Scenario) -> tuple[tuple[str, Figure], ...]:
    given = []
    for name in (*REQUIRED_FIGURES, *ALTERNATIVE_FIGURES):
        figure = getattr(scenario, name)
        if figure is not None:
            given.append((name, figure))
    return tuple(given)


def _validate(scenario: Scenario, figures: Sequence[tuple[str, Figure]], label: Labeller) -> None:
    problems: list[str] = []

    def whole_number(name: str, value: object, low: int, high: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                _("%(name)s must be a whole number from %(low)s to %(high)s")
                % {"name": label(name), "low": low, "high": high}
            )

    def share(name: str, value: object, low: float, high: float) -> None:
        # A share is typed as a percent (70 for 0.7): its range is stated so.
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            problems.append(
                _("%(name)s must be from %(low)s %% to %(high)s %%")
                % {"name": label(name), "low": _percent(low), "high": _percent(high)}
            )

    if not _is_currency_code(scenario.currency):
        problems.append(_("%(name)s must be a three-letter currency code") % {"name": label("currency")})
    whole_number("horizon_years", scenario.horizon_years, *HORIZON_RANGE)
    share("discount_rate", scenario.discount_rate, *DISCOUNT_RATE_RANGE)
    share("sensitivity", scenario.sensitivity, *SENSITIVITY_RANGE)
    horizon = scenario.horizon_years if isinstance(scenario.horizon_years, int) else HORIZON_RANGE[1]
    whole_number("ramp_up_years", scenario.ramp_up_years, 0, horizon)
    whole_number("alternative_ramp_up_years", scenario.alternative_ramp_up_years, 0, horizon)
    for name, figure in figures:
        value = figure.value
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            problems.append(_("%(name)s must be a finite amount of 0 or more") % {"name": label(name)})
        elif value > MAX_AMOUNT:
            limit = decimal_text(MAX_AMOUNT, "#,##0")
            problems.append(_("%(name)s must be at most %(limit)s") % {"name": label(name), "limit": limit})
        if figure.currency is not None and not _is_currency_code(figure.currency):
            problems.append(
                _("%(name)s must be a three-letter currency code") % {"name": label(f"currency of {name}")}
            )
    for rate in scenario.rates:
        pair = _pair(rate.from_currency, rate.to_currency)
        if not (_is_currency_code(rate.from_currency) and _is_currency_code(rate.to_currency)):
            problems.append(
                _("the currencies of the exchange rate %(pair)s must be three-letter codes") % {"pair": pair}
            )
        if (
            isinstance(rate.rate, bool)
            or not isinstance(rate.rate, int | float)
            or not math.isfinite(rate.rate)
        ):
            problems.append(_("the exchange rate %(pair)s must be a number above 0") % {"pair": pair})
        elif rate.rate <= 0:
            problems.append(_("the exchange rate %(pair)s must be a number above 0") % {"pair": pair})
    if problems:
        raise ValueError("; ".join(problems))


def _raise_if_missing(scenario: Scenario, figures: Sequence[tuple[str, Figure]]) -> None:
    given = {name for name, _figure in figures}
    missing = [name for name in REQUIRED_FIGURES if name not in given]
    if given & set(ALTERNATIVE_FIGURES):
        missing += [name for name in ALTERNATIVE_FIGURES if name not in given]
    for name, figure in figures:
        if figure.currency is None:
            missing.append(f"currency of {name}")
            continue
        if figure.currency == scenario.currency:
            continue
        pair = f"exchange rate {_pair(figure.currency, scenario.currency)}"
        if not _rates_for(figure.currency, scenario.currency, scenario.rates)[0] and pair not in missing:
            missing.append(pair)
    if missing:
        raise MissingInput(missing)


def _rates_for(
    from_currency: str, to_currency: str, rates: Sequence[ExchangeRate]
) -> tuple[list[ExchangeRate], bool]:
    """The stated rates for the pair, and whether they are the inverse pair (used only when no direct one)."""
    direct = [
        rate for rate in rates if (rate.from_currency, rate.to_currency) == (from_currency, to_currency)
    ]
    if direct:
        return direct, False
    inverse = [
        rate for rate in rates if (rate.from_currency, rate.to_currency) == (to_currency, from_currency)
    ]
    return inverse, True


def _in_currency(
    name: str, figure: Figure, currency: str, rates: Sequence[ExchangeRate], label: Labeller = _own_name
) -> tuple[float, Conversion | None]:
    value = float(figure.value)
    if figure.currency == currency:
        return value, None
    assert figure.currency is not None  # checked by _raise_if_missing
    candidates, inverse_used = _rates_for(figure.currency, currency, rates)
    if len(candidates) > 1:
        # Several years stated for the pair: the one of the figure's price year, else ask which to use.
        same_year = [rate for rate in candidates if rate.year == figure.price_year]
        if len(same_year) != 1:
            raise ValueError(
                _("several %(pair)s exchange rates are stated (%(years)s): keep the one to use for %(name)s")
                % {
                    "pair": _pair(candidates[0].from_currency, candidates[0].to_currency),
                    "years": listed(rate.year for rate in candidates),
                    "name": label(name),
                }
            )
        candidates = same_year
    stated = candidates[0]
    multiplier = 1 / stated.rate if inverse_used else float(stated.rate)
    result = value * multiplier
    if not result <= MAX_AMOUNT:
        raise ValueError(
            _("%(name)s is more than %(limit)s %(currency)s once converted: check the amount and the rate")
            % {"name": label(name), "limit": decimal_text(MAX_AMOUNT, "#,##0"), "currency": currency}
        )
    return result, Conversion(
        name=name,
        figure=figure,
        from_currency=figure.currency,
        to_currency=currency,
        rate=multiplier,
        stated_rate=stated,
        inverse_used=inverse_used,
        year=stated.year,
        source=stated.source,
        result=result,
    )


def _price_year_notes(figures: Sequence[tuple[str, Figure]], label: Labeller) -> list[str]:
    notes = []
    years = sorted({figure.price_year for _name, figure in figures if figure.price_year is not None})
    if len(years) > 1:
        notes.append(
            _("figures are in different price years: %(earlier)s and %(last)s")
            % {"earlier": ", ".join(str(year) for year in years[:-1]), "last": years[-1]}
        )
    unstated = [label(name) for name, figure in figures if figure.price_year is None]
    if unstated:
        notes.append(_("the price year is not stated for: %(names)s") % {"names": listed(unstated)})
    return notes


def _cash_flows(
    scenario: Scenario, investment: float, running_cost: float, benefit: float, ramp_up_years: int
) -> tuple[tuple[YearRow, ...], float, float]:
    rows = []
    cumulative = 0.0
    pv_benefits: list[float] = []
    pv_costs: list[float] = []
    for year in range(scenario.horizon_years + 1):
        factor = (1 + scenario.discount_rate) ** -year
        if year == 0:
            cost, gain = investment, 0.0
        else:
            cost = running_cost
            gain = benefit * (min(1.0, year / ramp_up_years) if ramp_up_years else 1.0)
        pv_costs.append(cost * factor)
        pv_benefits.append(gain * factor)
        discounted = (gain - cost) * factor
        cumulative += discounted
        rows.append(YearRow(year, cost, gain, gain - cost, discounted, cumulative))
    return tuple(rows), math.fsum(pv_benefits), math.fsum(pv_costs)


def _compare(
    scenario: Scenario, amounts: dict[str, float], pv_benefits: float, pv_costs: float
) -> Comparison:
    yearly, alt_benefits, alt_costs = _cash_flows(
        scenario,
        amounts["alternative_investment"],
        amounts["alternative_running_cost"],
        amounts["alternative_benefit"],
        scenario.alternative_ramp_up_years,
    )
    extra_cost = pv_costs - alt_costs
    return Comparison(
        alternative_npv=alt_benefits - alt_costs,
        alternative_benefit_cost_ratio=_ratio(alt_benefits, alt_costs),
        alternative_pv_benefits=alt_benefits,
        alternative_pv_costs=alt_costs,
        alternative_yearly=yearly,
        incremental_npv=(pv_benefits - pv_costs) - (alt_benefits - alt_costs),
        incremental_benefit_cost_ratio=(pv_benefits - alt_benefits) / extra_cost if extra_cost > 0 else None,
    )


def _payback_year(yearly: Sequence[YearRow]) -> int | None:
    """The first year, from year 1, by whose end the discounted net has made up for the investment. Year 0
    holds only the investment: with none, its cumulative 0 read as "pays back in year 0" when the yearly
    costs then exceeded the benefits for ever."""
    return next((row.year for row in yearly if row.year >= 1 and row.cumulative_discounted_net >= 0), None)


def _ratio(benefits: float, costs: float) -> float | None:
    return benefits / costs if costs > 0 else None


def _percent(share: float) -> str:
    return decimal_text(share * 100, "#,##0.##")


def _pair(from_currency: str, to_currency: str) -> str:
    return f"{from_currency}→{to_currency}"


def _is_currency_code(code: object) -> bool:
    return isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()
