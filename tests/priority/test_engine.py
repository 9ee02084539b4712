"""The priority index on a small hand-checked fixture, including missing data."""

from __future__ import annotations

import numpy as np
import pytest

from pux.priority import engine
from pux.priority.engine import AreaRules, CountryInput, IndicatorRule, Observation, PriorityConfig


def _country(
    iso3: str,
    mortality: float | None,
    gni: float | None,
    income: str = "LIC",
    groups: frozenset[str] = frozenset(),
    assistance: float = 0.0,
) -> CountryInput:
    observations = {}
    if mortality is not None:
        observations["MORT"] = Observation(mortality, 2023, "Test source A")
    if gni is not None:
        observations["GNI"] = Observation(gni, 2024, "Test source B")
    return CountryInput(
        iso3=iso3,
        name=iso3,
        income_group=income,
        groups=groups,
        observations=observations,
        population=1_000_000.0,
        assistance_by_area={"health": assistance},
    )


CONFIG = PriorityConfig(
    name="test",
    component_weights={"burden": 0.5, "capacity": 0.5, "assistance": 0.0, "groups": 0.0},
    group_points={"LDC": 1.0},
    excluded_income_groups=frozenset({"HIC"}),
    areas={
        "health": AreaRules(
            burden=(IndicatorRule("MORT", 1.0, "higher"),), capacity=(IndicatorRule("GNI", 1.0),)
        )
    },
)


def test_hand_checked_scores_and_ranks() -> None:
    countries = [
        _country("AAA", 80, 500),
        _country("BBB", 40, 2000),
        _country("CCC", 10, 9000),
        _country("RICH", 2, 60000, income="HIC"),
    ]
    results = {r.iso3: r for r in engine.compute(countries, CONFIG, "health")}
    assert "RICH" not in results  # high-income countries are not recipients
    # Percentiles among 3 recipients: worst = 1.0, middle = 0.5, best = 0.0 for each indicator.
    assert results["AAA"].score == pytest.approx(100.0)
    assert results["BBB"].score == pytest.approx(50.0)
    assert results["CCC"].score == pytest.approx(0.0)
    assert [results[c].rank for c in ("AAA", "BBB", "CCC")] == [1, 2, 3]
    burden = results["AAA"].components[0]
    assert burden.parts[0].observation == Observation(80, 2023, "Test source A")


def test_missing_data_is_left_out_reweighted_and_reported() -> None:
    countries = [_country("AAA", 80, 500), _country("BBB", 40, None), _country("CCC", 10, 9000)]
    results = {r.iso3: r for r in engine.compute(countries, CONFIG, "health")}
    gapped = results["BBB"]
    capacity = gapped.components[1]
    assert capacity.pressing is None and capacity.completeness == 0.0
    assert gapped.missing == ("GNI",)
    assert gapped.score == pytest.approx(50.0)  # only burden (0.5 percentile) carries the score
    assert gapped.completeness == pytest.approx(0.5)  # half of the intended weight was present
    assert results["AAA"].completeness == pytest.approx(1.0)


def test_a_country_without_any_data_gets_no_score_and_no_rank() -> None:
    countries = [_country("AAA", 80, 500), _country("ZZZ", None, None)]
    results = {r.iso3: r for r in engine.compute(countries, CONFIG, "health")}
    assert results["ZZZ"].score is None and results["ZZZ"].rank is None
    assert results["AAA"].rank == 1


def test_group_flags_alone_give_no_score_and_no_rank() -> None:
    """A small island with no burden or capacity figure scored 50 from its group flag, above countries with
    full data, and a territory with nothing scored 0: neither is a measure of how pressing its needs are."""
    config = CONFIG.with_weights({"burden": 0.4, "capacity": 0.4, "assistance": 0.1, "groups": 0.1})
    countries = [
        _country("AAA", 80, 500),
        _country("BBB", 10, 9000),
        _country("SID", None, None, groups=frozenset({"LDC"})),
        _country("TKL", None, None),
    ]
    results = {r.iso3: r for r in engine.compute(countries, config, "health")}
    for flagged_only in ("SID", "TKL"):
        assert results[flagged_only].score is None and results[flagged_only].rank is None
    assert [results["AAA"].rank, results["BBB"].rank] == [1, 2]
    assert set(engine.sensitivity(countries, config, "health")) == {"AAA", "BBB"}


def test_groups_and_assistance_components() -> None:
    config = CONFIG.with_weights({"burden": 0.0, "capacity": 0.0, "assistance": 0.5, "groups": 0.5})
    countries = [
        _country("LDC", 50, 1000, groups=frozenset({"LDC"}), assistance=0.0),
        _country("AID", 50, 1000, assistance=5_000_000.0),
    ]
    results = {r.iso3: r for r in engine.compute(countries, config, "health")}
    assert results["LDC"].score == pytest.approx(100.0)  # no assistance yet and LDC
    assert results["AID"].score == pytest.approx(0.0)


def test_ties_share_a_percentile() -> None:
    countries = [_country("AAA", 50, 1000), _country("BBB", 50, 1000)]
    results = engine.compute(countries, CONFIG, "health")
    assert results[0].score == results[1].score


def test_sensitivity_gives_each_country_a_rank_range_around_its_rank() -> None:
    countries = [_country(f"C{i:02d}", 10 + i, 500 + 100 * (i % 7)) for i in range(12)]
    ranges = engine.sensitivity(countries, CONFIG, "health", draws=50)
    for value in ranges.values():
        assert value.best <= value.rank <= value.worst
    assert any(value.best < value.worst for value in ranges.values())
    assert engine.sensitivity(countries, CONFIG, "health", draws=50) == ranges  # deterministic


def test_sensitivity_ranks_are_those_of_recomputing_the_index_with_each_draw() -> None:
    # The rank ranges reuse the percentiles and only reweight them; recomputing the whole index with the
    # same perturbed weights (the slow, obvious way) must give the same ranges, missing data included.
    countries = [
        _country(f"C{i:02d}", None if i % 5 == 0 else 10 + 3 * (i % 4), None if i % 7 == 0 else 400 + 90 * i)
        for i in range(15)
    ]
    ranges = engine.sensitivity(countries, CONFIG, "health", draws=40, seed=3)
    rng = np.random.default_rng(3)
    base = {r.iso3: r.rank for r in engine.compute(countries, CONFIG, "health") if r.rank is not None}
    seen: dict[str, list[int]] = {iso3: [rank] for iso3, rank in base.items()}
    for _draw in range(40):
        perturbed = engine._perturbed(CONFIG, "health", rng, 0.25)
        for result in engine.compute(countries, perturbed, "health"):
            if result.rank is not None:
                seen[result.iso3].append(result.rank)
    assert {iso3: (min(r), max(r)) for iso3, r in seen.items()} == {
        iso3: (value.best, value.worst) for iso3, value in ranges.items()
    }


def test_sensitivity_without_any_recipient_is_empty() -> None:
    rich = [_country("AAA", 10, 90_000, income="HIC")]
    assert engine.sensitivity([], CONFIG, "health", draws=5) == {}
    assert engine.sensitivity(rich, CONFIG, "health", draws=5) == {}


def test_a_bad_indicator_rule_is_named_in_the_error() -> None:
    data = engine.default_config_data()
    data["areas"]["health"]["burden"][0]["weight"] = -1
    with pytest.raises(engine.ConfigError, match=r"areas\.health\.burden\[0\]: the weight must be 0 or more"):
        engine.parse_config(data)


def test_the_shipped_default_configuration_is_valid() -> None:
    config = engine.default_config()
    assert set(config.areas) == {"health", "food", "water", "energy", "industry", "safety"}
    with pytest.raises(engine.ConfigError):
        engine.parse_config(
            {"component_weights": {"burden": -1, "capacity": 0, "assistance": 0, "groups": 0}, "areas": {}}
        )
