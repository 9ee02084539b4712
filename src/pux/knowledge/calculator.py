"""The calculator of a technique page: the form's values made into a ``roi.Scenario``, with where each
figure comes from (typed by the reader, or an entry of the evidence ledger), and the country's PUX
indicators (each with its source and year) beside it. Never a figure it was not given: a missing one is
named and asked for."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from pux.i18n import NumberRefused as NumberRefused  # the evidence form's refusals name it from here
from pux.i18n import decimal_text, read_number
from pux.i18n import gettext as _
from pux.knowledge import roi
from pux.knowledge.figures import as_entered
from pux.knowledge.models import EvidenceEntry
from pux.reference import service as reference
from pux.reference.service import IndicatorReading

FIGURES = (*roi.REQUIRED_FIGURES, *roi.ALTERNATIVE_FIGURES)
FIGURE_PARTS = ("currency", "price_year", "source", "times")
# The assumptions a reader may change, with the values the page starts from (stated on the page).
DEFAULTS = {"currency": "USD", "horizon_years": "10", "discount_percent": "3", "sensitivity_percent": "25",
            "ramp_up_years": "0", "alternative_ramp_up_years": "0"}  # fmt: skip
# Every box of the form.
INPUTS = (*FIGURES, *(f"{name}__{part}" for name in FIGURES for part in FIGURE_PARTS), *DEFAULTS,
          "rate_from", "rate_value", "rate_year", "rate_source", "country")  # fmt: skip
# The longest text a box takes: a rate's source ("European Central Bank euro reference rate, annual average
# 2023") with room to spare. Longer is refused by name (it was cut at 40 characters without a word).
MAX_TYPED = 200


def figure_label(name: str) -> str:
    labels = {
        "investment": _("Up-front investment (year 0)"),
        "running_cost": _("Running cost per year"),
        "benefit": _("Benefit per year (at full scale)"),
        "alternative_investment": _("Alternative: up-front investment"),
        "alternative_running_cost": _("Alternative: running cost per year"),
        "alternative_benefit": _("Alternative: benefit per year"),
        "horizon_years": _("Horizon (years)"),
        "discount_rate": _("Discount rate"),
        "sensitivity": _("Sensitivity range"),
        "ramp_up_years": _("Years to reach full benefit"),
        "alternative_ramp_up_years": _("Alternative: years to reach full benefit"),
        "currency": _("Currency of the results"),
        # The form's other boxes, as the form labels them (a problem names the box the reader typed in).
        "discount_percent": _("Discount rate"),
        "sensitivity_percent": _("Sensitivity range"),
        "rate_from": _("From currency"),
        "rate_value": _("One unit is worth (in the results' currency)"),
        "rate_year": _("Year of the rate"),
        "rate_source": _("Source of the rate"),
        "country": _("Your country (to see its figures in PUX)"),
    }
    return labels.get(name, name)


def input_label(name: str) -> str:
    """A box of the form as the reader sees it: a figure's own boxes ("benefit__price_year") are named with
    the figure ("Benefit per year (at full scale): Price year")."""
    figure, _separator, part = name.partition("__")
    if not part:
        return figure_label(name)
    parts = {
        "currency": _("Currency"),
        "price_year": _("Price year"),
        "source": _("Based on"),
        "times": _("Times (when based on an indicator: people, life-years...)"),
    }
    return _("%(figure)s: %(part)s") % {"figure": figure_label(figure), "part": parts.get(part, part)}


def missing_label(name: str) -> str:
    """A missing input as the engine names it ("benefit", "currency of benefit", "exchange rate EUR→USD")."""
    if name.startswith("currency of "):
        return _("the currency of: %(figure)s") % {"figure": figure_label(name.removeprefix("currency of "))}
    if name.startswith("exchange rate "):
        return _("the exchange rate %(pair)s (with its year and source)") % {
            "pair": name.removeprefix("exchange rate ")
        }
    return figure_label(name)


@dataclass
class CalculatorOutcome:
    values: dict[str, str]
    ran: bool = False
    result: roi.Result | None = None
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    relies_on: list[EvidenceEntry] = field(default_factory=list)


# A number written in the reader's notation, to show how to write one.
EXAMPLE_NUMBER = 1234567.5
# The largest figure the calculator takes, as the evidence ledger's (a typed 1e28 made the results too large
# to write and the page failed); the engine bounds figures once converted the same way.
MAX_FIGURE = roi.MAX_AMOUNT


def parse_number(text: str, language: str | None = None) -> float:
    """``text`` read as a number written in ``language`` (the page's, by default), or refused
    (NumberRefused) rather than guessed: see read_number, shared with every form's numbers."""
    return float(read_number(text, language))


def _number(values: dict[str, str], name: str, problems: list[str]) -> float | None:
    text = (values.get(name) or "").strip()
    if not text:
        return None
    named = {
        "field": input_label(name),
        "value": text,
        "example": decimal_text(EXAMPLE_NUMBER, "#,##0.##"),
    }
    try:
        number = parse_number(text)
    except NumberRefused as refused:
        if refused.ambiguous:
            message = _("%(field)s: %(value)s could mean thousands or decimals; write it as in %(example)s")
        else:
            message = _("%(field)s must be a number, written as in %(example)s")
        problems.append(message % named)
        return None
    if not math.isfinite(number):
        problems.append(_("%(field)s must be a number") % named)
        return None
    if abs(number) > MAX_FIGURE:
        limit = decimal_text(MAX_FIGURE, "#,##0")
        problems.append(_("%(field)s must be from -%(limit)s to %(limit)s") % {**named, "limit": limit})
        return None
    return number


def _whole(values: dict[str, str], name: str, problems: list[str]) -> int | None:
    number = _number(values, name, problems)
    if number is None:
        return None
    if not number.is_integer():
        problems.append(_("%(field)s must be a whole number") % {"field": input_label(name)})
        return None
    return int(number)


def _from_indicator(
    values: dict[str, str], name: str, readings: dict[str, IndicatorReading], problems: list[str]
) -> roi.Figure | None:
    """A money figure taken from the country's PUX indicator ("ind:CODE") times a number the reader gives
    (people, life-years, hectares...): never without that number, and always with the source and year."""
    basis = (values.get(f"{name}__source") or "").strip()
    reading = readings.get(basis.removeprefix("ind:")) if basis.startswith("ind:") else None
    if reading is None or reading.latest is None:
        return None
    times = _number(values, f"{name}__times", problems)
    if times is None:
        problems.append(
            _("%(field)s: give how many units the indicator is multiplied by") % {"field": figure_label(name)}
        )
        return None
    latest = reading.latest
    source = _("PUX indicator %(name)s: %(value)s %(unit)s (%(year)s, %(source)s) × %(times)s") % {
        "name": reading.indicator.name(), "value": f"{latest.value:,.2f}", "unit": latest.unit,
        "year": latest.year, "source": latest.source.citation, "times": f"{times:g}",
    }  # fmt: skip
    return roi.Figure(value=latest.value * times, unit=figure_label(name), source=source, year=latest.year,
                      currency="USD", price_year=latest.year)  # fmt: skip


def money_readings(readings: Sequence[IndicatorReading]) -> list[IndicatorReading]:
    """The country's indicators that are money in US dollars (GDP or health spending per person...)."""
    return [r for r in readings if r.latest is not None and "US$" in r.latest.unit]


def _figure(
    values: dict[str, str], name: str, evidence: dict[int, EvidenceEntry], problems: list[str]
) -> tuple[roi.Figure | None, EvidenceEntry | None]:
    """The figure typed for ``name``, or the figure of the evidence entry it is based on."""
    basis = (values.get(f"{name}__source") or "").strip()
    if basis.isdigit():
        entry = evidence.get(int(basis)) if len(basis) < 10 else None
        if entry is None:
            problems.append(
                _("%(field)s: evidence entry %(id)s is not one of this technique's")
                % {"field": figure_label(name), "id": basis}
            )
            return None, None
        figure = _from_entry(values, name, entry, problems)
        return figure, entry if figure is not None else None
    value = _number(values, name, problems)
    if value is None:
        return None, None
    currency = (values.get(f"{name}__currency") or "").strip().upper() or None
    price_year = _whole(values, f"{name}__price_year", problems)
    return roi.Figure(value=value, unit=figure_label(name), source=_("entered by you"), year=price_year,
                      currency=currency, price_year=price_year), None  # fmt: skip


# The figures spent once (year 0); the others are amounts per year.
ONE_OFF_FIGURES = ("investment", "alternative_investment")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_PER_YEAR = r"per year|a year|/\s*year|per annum|yearly|annually"


def _money_unit(entry: EvidenceEntry) -> tuple[float, bool] | None:
    """How much of the entry's currency one unit of its figure is, and whether it is an amount per year:
    "USD million per year (lower bound)" is (1e6, True); None for a unit that is not plainly money ("USD
    per million flies", "benefit-cost ratio")."""
    if not entry.currency:
        return None
    shape = re.fullmatch(
        rf"\s*{re.escape(entry.currency)}(?:\s+(?P<scale>{'|'.join(_SCALES)}))?"
        rf"(?:\s*(?P<yearly>{_PER_YEAR}))?\s*(?:\(.*\))?\s*",
        entry.unit,
        re.IGNORECASE,
    )
    if shape is None:
        return None
    scale = _SCALES[shape["scale"].lower()] if shape["scale"] else 1.0
    return scale, shape["yearly"] is not None


def entry_figure_text(entry: EvidenceEntry) -> str:
    """The entry's figure as the ledger gives it ("896 USD million per year", "10–18 benefit-cost ratio")."""
    high = f"–{as_entered(entry.value_high)}" if entry.value_high is not None else ""
    return f"{as_entered(entry.value)}{high} {entry.unit}".strip()


def _entry_amount(name: str, entry: EvidenceEntry) -> float | str:
    """The entry's figure as an amount for ``name``, or why it cannot be (a message to fill with the field,
    the entry and its figure)."""
    if entry.value is None:
        return _("%(field)s: evidence entry %(id)s gives no figure")
    if entry.value_high is not None:
        return _(
            "%(field)s: evidence entry %(id)s gives a range (%(figure)s), not one figure: type the figure "
            "you take from it as your own"
        )
    unit = _money_unit(entry)
    if unit is None:
        return _(
            "%(field)s: evidence entry %(id)s gives %(figure)s, not an amount of money the calculator can "
            "take: type your own figure"
        )
    scale, yearly = unit
    if name in ONE_OFF_FIGURES and yearly:
        return _(
            "%(field)s is an amount spent once; evidence entry %(id)s gives %(figure)s, an amount per year"
        )
    if name not in ONE_OFF_FIGURES and not yearly:
        return _("%(field)s is an amount per year; evidence entry %(id)s gives %(figure)s")
    return entry.value * scale


def _from_entry(
    values: dict[str, str], name: str, entry: EvidenceEntry, problems: list[str]
) -> roi.Figure | None:
    """The entry's own figure (its value, unit, currency and price year) for ``name``, never a typed one under
    the entry's name: what the reader typed beside it must agree with it, else the pairing is refused."""
    named = {"field": figure_label(name), "id": entry.id, "figure": entry_figure_text(entry)}
    amount = _entry_amount(name, entry)
    if isinstance(amount, str):
        problems.append(amount % named)
        return None
    disagreements = len(problems)
    typed = _number(values, name, problems)
    if typed is not None and typed not in (entry.value, amount):
        problems.append(
            _(
                "%(field)s: you typed %(typed)s, but evidence entry %(id)s gives %(figure)s; leave the "
                'amount empty to use the entry\'s figure, or choose "%(own)s" under "%(based_on)s"'
            )
            % {
                **named,
                "typed": values.get(name, "").strip(),
                "own": _("my own figure"),
                "based_on": _("Based on"),
            }
        )
    typed_currency = (values.get(f"{name}__currency") or "").strip().upper()
    if typed_currency and typed_currency != entry.currency:
        problems.append(
            _("%(field)s: evidence entry %(id)s gives its figure in %(currency)s")
            % {**named, "field": input_label(f"{name}__currency"), "currency": entry.currency}
        )
    typed_year = _whole(values, f"{name}__price_year", problems)
    if typed_year is not None and typed_year != entry.price_year:
        in_part = {**named, "field": input_label(f"{name}__price_year"), "year": entry.price_year}
        problems.append(
            _("%(field)s: evidence entry %(id)s gives its figure in prices of %(year)s") % in_part
            if entry.price_year is not None
            else _("%(field)s: evidence entry %(id)s does not state the price year of its figure") % in_part
        )
    if len(problems) > disagreements:
        return None
    source = _("evidence entry %(id)s (%(figure)s): %(title)s (%(year)s)") % {
        **named, "title": entry.citation_title, "year": entry.citation_year or "-"}  # fmt: skip
    year = entry.price_year or entry.period_end or entry.citation_year
    return roi.Figure(value=amount, unit=figure_label(name), source=source, year=year,
                      currency=entry.currency, price_year=entry.price_year)  # fmt: skip


def _rate(values: dict[str, str], problems: list[str]) -> tuple[roi.ExchangeRate, ...]:
    rate = _number(values, "rate_value", problems)
    source_currency = (values.get("rate_from") or "").strip().upper()
    if rate is None or not source_currency:
        return ()
    year = _whole(values, "rate_year", problems)
    if year is None:
        problems.append(_("an exchange rate needs its year"))
        return ()
    source = (values.get("rate_source") or "").strip() or _("stated by you")
    target = (values.get("currency") or DEFAULTS["currency"]).strip().upper()
    return (roi.ExchangeRate(source_currency, target, rate, year, source),)


def _too_long(values: dict[str, str]) -> list[str]:
    return [
        _("%(field)s is too long (at most %(limit)s characters)")
        % {"field": input_label(name), "limit": MAX_TYPED}
        for name in INPUTS
        if len(values.get(name) or "") > MAX_TYPED
    ]


def run(
    values: dict[str, str],
    evidence: Sequence[EvidenceEntry],
    readings: Sequence[IndicatorReading] = (),
) -> CalculatorOutcome:
    """The calculator for the submitted ``values`` (nothing run when nothing was entered); a figure may be
    typed, based on an evidence entry, or taken from one of the country's money ``readings``."""
    merged = {**DEFAULTS, **{k: v for k, v in values.items() if isinstance(v, str) and v.strip()}}
    outcome = CalculatorOutcome(values=merged)
    if not any(values.get(f"{name}{part}") for name in FIGURES for part in ("", "__times", "__source")):
        return outcome
    outcome.ran = True
    if too_long := _too_long(merged):
        # Nothing is read from a box whose text would have to be cut to fit.
        outcome.problems = too_long
        return outcome
    problems: list[str] = []
    by_id = {entry.id: entry for entry in evidence}
    by_code = {reading.indicator.code: reading for reading in money_readings(readings)}
    figures: dict[str, Any] = {}
    for name in FIGURES:
        figures[name], entry = _figure(merged, name, by_id, problems)
        if figures[name] is None:
            figures[name] = _from_indicator(merged, name, by_code, problems)
        if entry is not None:
            outcome.relies_on.append(entry)
    horizon = _whole(merged, "horizon_years", problems)
    discount = _number(merged, "discount_percent", problems)
    sensitivity = _number(merged, "sensitivity_percent", problems)
    ramp = _whole(merged, "ramp_up_years", problems)
    alternative_ramp = _whole(merged, "alternative_ramp_up_years", problems)
    rates = _rate(merged, problems)
    if problems:
        outcome.problems = problems
        return outcome
    scenario = roi.Scenario(
        currency=merged["currency"].strip().upper(),
        horizon_years=horizon if horizon is not None else 10,
        discount_rate=(discount if discount is not None else 3.0) / 100,
        sensitivity=(sensitivity if sensitivity is not None else 25.0) / 100,
        ramp_up_years=ramp or 0,
        alternative_ramp_up_years=alternative_ramp or 0,
        rates=rates,
        **figures,
    )
    try:
        outcome.result = roi.calculate(scenario, label=missing_label)
    except roi.MissingInput as missing:
        outcome.missing = [missing_label(name) for name in missing.names]
    except ValueError as refused:
        outcome.problems = [str(refused)]
    return outcome


def country_readings(session: Session, *, iso3: str | None) -> list[IndicatorReading]:
    """The country's PUX indicators, each with its latest value, source and year (missing ones too)."""
    if not iso3:
        return []
    profile = reference.country_profile(session, iso3=iso3)
    if profile is None:
        return []
    return [reading for readings in profile.readings.values() for reading in readings]


def area_readings(readings: Sequence[IndicatorReading], area_code: str) -> list[IndicatorReading]:
    """The indicators of the technique's thematic area and the general ones, to show beside the form."""
    return [r for r in readings if r.indicator.thematic_area_code in (area_code, None)]
