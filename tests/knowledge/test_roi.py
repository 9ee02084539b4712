"""The return-on-investment calculator on hand-computed cases, conversions, missing inputs and properties."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pux.knowledge.roi import (
    Comparison,
    Conversion,
    ExchangeRate,
    Figure,
    MissingInput,
    Result,
    Scenario,
    YearRow,
    calculate,
)

# Annuity factor of 10 years at 3 %: (1 - 1.03 ** -10) / 0.03 = 8.530203
ANNUITY_10Y_3PC = 8.530203


def usd(value: float, unit: str = "USD per year", price_year: int | None = 2021) -> Figure:
    return Figure(value, unit, "entered by the user", 2024, currency="USD", price_year=price_year)


def scenario(**changes: object) -> Scenario:
    """Investment 1,000,000; running cost 50,000 a year; benefit 300,000 a year; 10 years at 3 %."""
    base = Scenario(
        currency="USD",
        horizon_years=10,
        discount_rate=0.03,
        investment=usd(1_000_000, "USD"),
        running_cost=usd(50_000),
        benefit=usd(300_000),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_npv_bcr_and_payback_by_hand() -> None:
    # PV benefits = 300,000 x 8.530203 = 2,559,060.9
    # PV costs    = 1,000,000 + 50,000 x 8.530203 = 1,000,000 + 426,510.1 = 1,426,510.1
    # NPV         = 2,559,060.9 - 1,426,510.1 = 1,132,550.7;  BCR = 2,559,060.9 / 1,426,510.1 = 1.79393
    result = calculate(scenario())
    assert result.currency == "USD"
    assert result.pv_benefits == pytest.approx(300_000 * ANNUITY_10Y_3PC, abs=1)
    assert result.pv_benefits == pytest.approx(2_559_060.9, abs=1)
    assert result.pv_costs == pytest.approx(1_426_510.1, abs=1)
    assert result.npv == pytest.approx(1_132_550.7, abs=1)
    assert result.benefit_cost_ratio == pytest.approx(1.79393, abs=1e-5)
    # Net 250,000 a year discounted, cumulated from -1,000,000:
    # y1 -757,281.6  y2 -521,632.6  y3 -292,847.2  y4 -70,725.4  y5 +144,926.8  -> payback in year 5
    assert result.payback_year == 5
    assert [round(row.cumulative_discounted_net, 1) for row in result.yearly[:6]] == [
        -1_000_000.0,
        -757_281.6,
        -521_632.6,
        -292_847.2,
        -70_725.4,
        144_926.8,
    ]
    assert len(result.yearly) == 11
    assert result.yearly[0] == YearRow(0, 1_000_000.0, 0.0, -1_000_000.0, -1_000_000.0, -1_000_000.0)
    assert result.yearly[1].cost == 50_000 and result.yearly[1].benefit == 300_000
    assert result.yearly[1].discounted_net == pytest.approx(250_000 / 1.03)
    assert result.conversions == ()
    assert result.versus_alternative is None
    assert [name for name, _figure in result.inputs_used] == ["investment", "running_cost", "benefit"]
    assert result.notes == ()


def test_ramp_up_grows_benefits_linearly_to_full() -> None:
    # Ramp-up of 2 years: benefits 50, 100, 100.  At 0 %: NPV = 250 - 100 = 150.
    # At 10 %: 50/1.1 + 100/1.21 + 100/1.331 - 100 = 45.4545 + 82.6446 + 75.1315 - 100 = 103.2307
    flat = scenario(
        investment=usd(100, "USD"),
        running_cost=usd(0),
        benefit=usd(100),
        horizon_years=3,
        discount_rate=0.0,
        ramp_up_years=2,
    )
    result = calculate(flat)
    assert [row.benefit for row in result.yearly] == [0, 50, 100, 100]
    assert result.npv == pytest.approx(150)
    assert result.payback_year == 2  # cumulative -100, -50, +50
    assert calculate(dataclasses.replace(flat, discount_rate=0.1)).npv == pytest.approx(103.2307, abs=1e-4)


def test_payback_is_none_when_never_reached_and_bcr_none_without_costs() -> None:
    assert calculate(scenario(benefit=usd(60_000))).payback_year is None
    free = calculate(scenario(investment=usd(0, "USD"), running_cost=usd(0)))
    assert free.benefit_cost_ratio is None
    # Nothing to pay back: the first year counted (year 0 is the investment's, not a year of benefits).
    assert free.payback_year == 1


def test_sensitivity_range_by_hand_and_ordered() -> None:
    # low  = 2,559,060.9 x 0.75 - 1,426,510.1 x 1.25 =   136,158.0
    # high = 2,559,060.9 x 1.25 - 1,426,510.1 x 0.75 = 2,128,943.5
    result = calculate(scenario())
    assert result.npv_low == pytest.approx(136_158.0, abs=1)
    assert result.npv_high == pytest.approx(2_128_943.5, abs=1)
    assert result.npv_low <= result.npv <= result.npv_high
    none = calculate(scenario(sensitivity=0.0))
    assert none.npv_low == pytest.approx(none.npv) and none.npv_high == pytest.approx(none.npv)


def test_euro_figure_converted_with_the_stated_rate() -> None:
    rate = ExchangeRate("EUR", "USD", 1.10, 2023, "European Central Bank reference rate, 2023 average")
    euros = Figure(1_000_000, "EUR", "evidence entry E12", 2023, currency="EUR", price_year=2023)
    result = calculate(scenario(investment=euros, rates=(rate,)))
    # Investment 1,000,000 EUR x 1.10 = 1,100,000 USD: NPV = 1,132,550.7 - 100,000 = 1,032,550.7
    assert result.yearly[0].cost == pytest.approx(1_100_000)
    assert result.npv == pytest.approx(1_032_550.7, abs=1)
    assert result.conversions == (
        Conversion(
            name="investment",
            figure=euros,
            from_currency="EUR",
            to_currency="USD",
            rate=1.10,
            stated_rate=rate,
            inverse_used=False,
            year=2023,
            source="European Central Bank reference rate, 2023 average",
            result=pytest.approx(1_100_000),  # type: ignore[arg-type]
        ),
    )
    assert ("investment", euros) in result.inputs_used


def test_inverse_rate_is_used_as_its_reciprocal_and_says_so() -> None:
    rate = ExchangeRate("USD", "EUR", 0.8, 2023, "stated by the user")
    euros = Figure(1_000_000, "EUR", "entered by the user", 2024, currency="EUR", price_year=2021)
    result = calculate(scenario(investment=euros, rates=(rate,)))
    (conversion,) = result.conversions
    assert conversion.inverse_used is True
    assert conversion.rate == pytest.approx(1.25)
    assert conversion.stated_rate == rate
    assert conversion.result == pytest.approx(1_250_000)
    # NPV = 1,132,550.7 - 250,000 = 882,550.7
    assert result.npv == pytest.approx(882_550.7, abs=1)
    # The rate is of 2023, the figure in 2021 prices: said, not adjusted.
    assert any("2021" in note and "2023" in note for note in result.notes)


def test_a_direct_rate_wins_over_an_inverse_one() -> None:
    rates = (ExchangeRate("USD", "EUR", 0.5, 2023, "old"), ExchangeRate("EUR", "USD", 1.1, 2023, "direct"))
    euros = Figure(100, "EUR", "entered by the user", 2024, currency="EUR", price_year=2023)
    (conversion,) = calculate(scenario(investment=euros, rates=rates)).conversions
    assert conversion.source == "direct" and conversion.inverse_used is False


def test_several_rates_for_one_pair_pick_the_price_year_or_ask() -> None:
    rates = (ExchangeRate("EUR", "USD", 1.2, 2021, "a"), ExchangeRate("EUR", "USD", 1.1, 2023, "b"))
    euros = Figure(100, "EUR", "entered by the user", 2024, currency="EUR", price_year=2021)
    (conversion,) = calculate(scenario(investment=euros, rates=rates)).conversions
    assert conversion.year == 2021 and conversion.result == pytest.approx(120)
    undated = dataclasses.replace(euros, price_year=2019)
    with pytest.raises(ValueError, match="investment"):
        calculate(scenario(investment=undated, rates=rates))


def test_every_missing_input_is_named_at_once() -> None:
    with pytest.raises(MissingInput) as caught:
        calculate(scenario(investment=None, benefit=None))
    assert caught.value.names == ("investment", "benefit")
    assert "investment" in str(caught.value) and "benefit" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_missing_exchange_rate_is_named_never_assumed() -> None:
    euros = Figure(1_000_000, "EUR", "entered by the user", 2024, currency="EUR", price_year=2021)
    kes = Figure(5_000_000, "KES per year", "entered by the user", 2024, currency="KES", price_year=2021)
    with pytest.raises(MissingInput) as caught:
        calculate(scenario(investment=euros, running_cost=euros, benefit=kes, rates=()))
    assert caught.value.names == ("exchange rate EUR→USD", "exchange rate KES→USD")
    assert "missing: exchange rate EUR→USD" in str(caught.value)


def test_money_without_currency_and_partial_alternative_are_missing() -> None:
    no_currency = Figure(300_000, "per year", "entered by the user", 2024)
    with pytest.raises(MissingInput) as caught:
        calculate(scenario(running_cost=None, benefit=no_currency, alternative_running_cost=usd(10)))
    assert caught.value.names == (
        "running_cost",
        "alternative_investment",
        "alternative_benefit",
        "currency of benefit",
    )


def test_different_price_years_are_reported_not_inflated() -> None:
    result = calculate(scenario(investment=usd(1_000_000, "USD", price_year=2015)))
    assert "figures are in different price years: 2015 and 2021" in result.notes
    assert result.yearly[0].cost == 1_000_000  # not inflated
    three = calculate(scenario(investment=usd(1, "USD", price_year=2015), benefit=usd(1, price_year=2018)))
    assert "figures are in different price years: 2015, 2018 and 2021" in three.notes
    unstated = calculate(scenario(benefit=usd(300_000, price_year=None)))
    assert unstated.notes == ("the price year is not stated for: benefit",)


def test_versus_the_alternative_by_hand() -> None:
    # Alternative: no investment, 200,000 a year running, same 300,000 a year benefit.
    # Alternative PV costs 1,706,040.6, PV benefits 2,559,060.9, NPV 853,020.3
    # Incremental NPV = 1,132,550.7 - 853,020.3 = 279,530.4; technique is cheaper -> no incremental BCR
    result = calculate(
        scenario(
            alternative_investment=usd(0, "USD"),
            alternative_running_cost=usd(200_000),
            alternative_benefit=usd(300_000),
        )
    )
    comparison = result.versus_alternative
    assert isinstance(comparison, Comparison)
    assert comparison.alternative_npv == pytest.approx(853_020.3, abs=1)
    assert comparison.alternative_pv_costs == pytest.approx(1_706_040.6, abs=1)
    assert comparison.incremental_npv == pytest.approx(279_530.4, abs=1)
    assert comparison.incremental_benefit_cost_ratio is None
    assert len(comparison.alternative_yearly) == 11
    # Alternative 10,000 a year running, 100,000 a year benefit: PV costs 85,302.0, PV benefits 853,020.3
    # ΔB = 2,559,060.9 - 853,020.3 = 1,706,040.6; ΔC = 1,426,510.1 - 85,302.0 = 1,341,208.1; ratio 1.27202
    cheap = calculate(
        scenario(
            alternative_investment=usd(0, "USD"),
            alternative_running_cost=usd(10_000),
            alternative_benefit=usd(100_000),
        )
    ).versus_alternative
    assert cheap is not None
    assert cheap.incremental_benefit_cost_ratio == pytest.approx(1.27202, abs=1e-5)
    assert cheap.alternative_benefit_cost_ratio == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"horizon_years": 0}, "horizon_years"),
        ({"horizon_years": 51}, "horizon_years"),
        ({"discount_rate": -0.01}, "discount_rate"),
        ({"discount_rate": 0.51}, "discount_rate"),
        ({"discount_rate": float("nan")}, "discount_rate"),
        ({"sensitivity": 0.95}, "sensitivity"),
        ({"ramp_up_years": 11}, "ramp_up_years"),
        ({"ramp_up_years": -1}, "ramp_up_years"),
        ({"benefit": Figure(-1, "USD per year", "entered by the user", 2024, currency="USD")}, "benefit"),
        ({"investment": Figure(float("inf"), "USD", "x", 2024, currency="USD")}, "investment"),
        ({"currency": "usd"}, "currency"),
        ({"rates": (ExchangeRate("EUR", "USD", 0.0, 2023, "x"),)}, "EUR→USD"),
    ],
)
def test_invalid_inputs_are_refused_by_name(changes: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named) as caught:
        calculate(scenario(**changes))
    assert not isinstance(caught.value, MissingInput)


def test_invalid_inputs_are_all_named_in_one_message() -> None:
    with pytest.raises(ValueError) as caught:
        calculate(scenario(horizon_years=0, discount_rate=0.9))
    assert "horizon_years" in str(caught.value) and "discount_rate" in str(caught.value)


money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
assumptions = st.fixed_dictionaries(
    {
        "horizon_years": st.integers(1, 50),
        "discount_rate": st.floats(0, 0.5),
        "ramp_up_years": st.integers(0, 50),
        "running": money,
    }
)


def _npv(investment: float, benefit: float, settings: dict[str, float]) -> Result:
    horizon = int(settings["horizon_years"])
    return calculate(
        scenario(
            horizon_years=horizon,
            discount_rate=settings["discount_rate"],
            ramp_up_years=min(int(settings["ramp_up_years"]), horizon),
            investment=usd(investment, "USD"),
            running_cost=usd(settings["running"]),
            benefit=usd(benefit),
        )
    )


@given(settings=assumptions, investment=money, benefit=money, more=st.floats(1, 1e9))
def test_npv_rises_with_benefit(
    settings: dict[str, float], investment: float, benefit: float, more: float
) -> None:
    lower, higher = _npv(investment, benefit, settings), _npv(investment, benefit + more, settings)
    assert higher.npv > lower.npv
    assert higher.npv_low >= lower.npv_low and higher.npv_high >= lower.npv_high
    assert lower.npv_low <= lower.npv <= lower.npv_high


@given(settings=assumptions, investment=money, benefit=money, more=st.floats(1, 1e9))
def test_npv_falls_with_investment(
    settings: dict[str, float], investment: float, benefit: float, more: float
) -> None:
    cheaper, dearer = _npv(investment, benefit, settings), _npv(investment + more, benefit, settings)
    assert dearer.npv < cheaper.npv
    assert dearer.npv == pytest.approx(cheaper.npv - more, rel=1e-9, abs=1e-3)  # year 0: not discounted
