"""Computes the priority index from plain data. No database, no web: everything arrives as dataclasses.

Each indicator becomes a percentile among the recipient countries that report it, oriented so that 1
is the most pressing. Missing indicators are never filled: they drop out of their component, the
others carry the weight, and a completeness figure says how much of the intended weight was present.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import numpy as np

from pux.i18n import gettext as _
from pux.i18n import listed, number_text
from pux.reference.vocabulary import INCOME_GROUP_CODES

COMPONENTS = ("burden", "capacity", "assistance", "groups")
# The country groups a configuration may give points to (the flags of the reference data).
COUNTRY_GROUPS = ("LDC", "LLDC", "SIDS")
# The direction of an indicator whose rule leaves it out, by its part: a heavier burden is worse; less
# capacity is worse. (The shipped indicator catalogue reads every capacity indicator "worse when lower".)
DEFAULT_WORSE_WHEN = {"burden": "higher", "capacity": "lower"}
WORSE_WHEN = ("higher", "lower")
# The largest weight a component or an indicator may have. Weights are relative (only their ratios count:
# 0.45 and 45 weigh alike), so this leaves room for shares and percentages; a weight of 1e308 made every
# weighted sum infinite and every score "no score", while the countries were still ranked.
MAX_WEIGHT = 100.0
# The most points a country group may give: a country's groups together count at most 1 (see
# _groups_component), so more than 1 changes nothing, and fewer than 0 would count a group against it.
MAX_GROUP_POINTS = 1.0


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the part."""


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    weight: float
    # "higher": a higher value is worse (more pressing); "lower": a lower one is. The indicator catalogue's
    # meaning, for burden and capacity alike (GNI per capita, a capacity, is worse when lower). A capacity
    # rule's "higher" used to mean "more capacity", so "lower" on GNI reversed the ranking. None: the
    # part's usual direction (DEFAULT_WORSE_WHEN).
    worse_when: str | None = None
    optional: bool = False

    def worse_when_higher(self, part: str) -> bool:
        return (self.worse_when or DEFAULT_WORSE_WHEN[part]) == "higher"


@dataclass(frozen=True)
class AreaRules:
    burden: tuple[IndicatorRule, ...]
    capacity: tuple[IndicatorRule, ...]


@dataclass(frozen=True)
class PriorityConfig:
    name: str
    component_weights: Mapping[str, float]
    group_points: Mapping[str, float]
    excluded_income_groups: frozenset[str]
    areas: Mapping[str, AreaRules]
    explanation: str = ""
    version: int = 1

    def with_weights(self, component_weights: Mapping[str, float]) -> PriorityConfig:
        return replace(self, component_weights=dict(component_weights))


def _rules(items: Sequence[Mapping[str, Any]], where: str) -> tuple[IndicatorRule, ...]:
    rules = []
    for index, item in enumerate(items):
        try:
            direction = item.get("worse_when")
            rule = IndicatorRule(
                code=str(item["code"]),
                weight=float(item["weight"]),
                worse_when=None if direction is None else str(direction),
                optional=bool(item.get("optional", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ConfigError(
                _("%(where)s: needs a code and a numeric weight") % {"where": f"{where}[{index}]"}
            ) from error
        if (
            not math.isfinite(rule.weight)
            or rule.weight < 0
            or (rule.worse_when is not None and rule.worse_when not in WORSE_WHEN)
        ):
            raise ConfigError(
                _("%(where)s: the weight must be 0 or more and worse_when 'higher' or 'lower'")
                % {"where": f"{where}[{index}]"}
            )
        rules.append(rule)
    return tuple(rules)


def parse_config(data: Mapping[str, Any]) -> PriorityConfig:
    """Validate a configuration (the shipped default or a facilitator's override): each part that cannot be
    used is named (JSON as the API reads it also admits NaN and Infinity, which no weight may be)."""
    try:
        weights = {name: float(data["component_weights"][name]) for name in COMPONENTS}
        areas = {
            area: AreaRules(
                burden=_rules(rules.get("burden", []), f"areas.{area}.burden"),
                capacity=_rules(rules.get("capacity", []), f"areas.{area}.capacity"),
            )
            for area, rules in dict(data["areas"]).items()
        }
    except ConfigError:
        raise  # a rule's own message says more than the general one below
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ConfigError(
            _("component_weights and areas are required (%(problem)s)") % {"problem": error}
        ) from error
    if not all(math.isfinite(w) and w >= 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ConfigError(_("component_weights must be 0 or more and not all zero"))
    return PriorityConfig(
        name=str(data.get("name", "custom")),
        component_weights=weights,
        group_points=_group_points(data.get("group_points", {})),
        excluded_income_groups=_income_groups(data.get("excluded_income_groups", ["HIC"])),
        areas=areas,
        explanation=str(data.get("explanation", "")),
        version=_version(data.get("version", 1)),
    )


CONFIG_KEYS = frozenset(
    {"name", "version", "explanation", "component_weights", "group_points", "excluded_income_groups", "areas"}
)
AREA_KEYS = frozenset({"burden", "capacity"})
RULE_KEYS = frozenset({"code", "weight", "worse_when", "optional"})


def unknown_config_keys(data: Mapping[str, Any]) -> list[str]:
    """The keys of a configuration that PUX does not read, by their path ("areas.health.burdn"): a
    misspelt key would otherwise be ignored without a word, and its weight or rule lost."""
    unknown = [key for key in data if key not in CONFIG_KEYS]
    weights = data.get("component_weights")
    if isinstance(weights, Mapping):
        unknown += [f"component_weights.{key}" for key in weights if key not in COMPONENTS]
    areas = data.get("areas")
    for area, rules in areas.items() if isinstance(areas, Mapping) else ():
        if not isinstance(rules, Mapping):
            continue
        unknown += [f"areas.{area}.{key}" for key in rules if key not in AREA_KEYS]
        for part in AREA_KEYS:
            items = rules.get(part)
            for index, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, Mapping):
                    unknown += [f"areas.{area}.{part}[{index}].{key}" for key in item if key not in RULE_KEYS]
    return unknown


def weights_out_of_bounds(config: PriorityConfig) -> list[tuple[str, str]]:
    """(path, problem) for each weight above MAX_WEIGHT and each group's points outside 0 to
    MAX_GROUP_POINTS. Checked when a configuration is saved, not when one is read: a configuration saved
    before these bounds stays readable until it is replaced."""
    weight_problem = _("must be from 0 to %(most)s (weights are relative: only their ratios count)") % {
        "most": number_text(MAX_WEIGHT)
    }
    problems = [
        (f"component_weights.{name}", weight_problem)
        for name, weight in config.component_weights.items()
        if weight > MAX_WEIGHT
    ]
    for area, rules in config.areas.items():
        for part, part_rules in (("burden", rules.burden), ("capacity", rules.capacity)):
            problems += [
                (f"areas.{area}.{part}[{index}].weight", weight_problem)
                for index, rule in enumerate(part_rules)
                if rule.weight > MAX_WEIGHT
            ]
    points_problem = _("must be from 0 to %(most)s (a country's groups together count at most %(most)s)") % {
        "most": number_text(MAX_GROUP_POINTS)
    }
    problems += [
        (f"group_points.{group}", points_problem)
        for group, points in config.group_points.items()
        if not 0 <= points <= MAX_GROUP_POINTS
    ]
    return problems


def with_directions(config: PriorityConfig, directions: Mapping[str, str | None]) -> PriorityConfig:
    """``config`` with each rule that leaves worse_when out reading the indicator catalogue's direction
    (``directions``: code -> "higher", "lower" or None); a rule whose code the catalogue does not direct
    keeps its part's usual direction (DEFAULT_WORSE_WHEN)."""

    def directed(rule: IndicatorRule) -> IndicatorRule:
        known = directions.get(rule.code)
        return replace(rule, worse_when=known) if rule.worse_when is None and known in WORSE_WHEN else rule

    return replace(
        config,
        areas={
            area: AreaRules(tuple(map(directed, rules.burden)), tuple(map(directed, rules.capacity)))
            for area, rules in config.areas.items()
        },
    )


def unknown_names(config: PriorityConfig, indicator_codes: Collection[str]) -> list[tuple[str, str]]:
    """(path, problem) for each name of a configuration that PUX does not know: an indicator code outside
    the catalogue in a required rule (its indicator silently dropped out of every score; an optional rule
    may name one still to be imported from an indicator file, as the shipped configuration does), an
    income group outside the World Bank's four (high-income countries became recipients), a country group
    other than LDC, LLDC and SIDS (its points went to no one)."""
    problems = []
    for area, rules in config.areas.items():
        for part, part_rules in (("burden", rules.burden), ("capacity", rules.capacity)):
            for index, rule in enumerate(part_rules):
                if rule.code not in indicator_codes and not rule.optional:
                    message = _(
                        "PUX has no indicator %(code)s: use a code of the indicator catalogue (one still to "
                        "be imported may be named in an optional rule)"
                    )
                    problems.append((f"areas.{area}.{part}[{index}].code", message % {"code": rule.code}))
    for code in sorted(config.excluded_income_groups - set(INCOME_GROUP_CODES)):
        message = _("PUX knows no income group %(code)s: use %(codes)s")
        problems.append(
            ("excluded_income_groups", message % {"code": code, "codes": listed(INCOME_GROUP_CODES)})
        )
    for group in sorted(set(config.group_points) - set(COUNTRY_GROUPS)):
        message = _("PUX knows no country group %(code)s: use %(codes)s")
        problems.append((f"group_points.{group}", message % {"code": group, "codes": listed(COUNTRY_GROUPS)}))
    return problems


def _group_points(value: Any) -> dict[str, float]:
    try:
        points = {str(group): float(number) for group, number in dict(value).items()}
    except (TypeError, ValueError) as error:
        raise ConfigError(_("group_points: give each country group a number of points")) from error
    if not all(math.isfinite(number) for number in points.values()):
        raise ConfigError(_("group_points: give each country group a number of points"))
    return points


def _income_groups(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ConfigError(_("excluded_income_groups: give a list of income group codes"))
    return frozenset(str(code) for code in value)


def _version(value: Any) -> int:
    # bool is an int to Python; a version of true means a mistake, not version 1.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError(_("version: give a whole number"))
    try:
        return int(value)
    except ValueError as error:
        raise ConfigError(_("version: give a whole number")) from error


# The components that say how pressing a country's needs are; a score needs at least one of them.
EVIDENCE_COMPONENTS = frozenset({"burden", "capacity"})


def method_explanation(config: PriorityConfig) -> str:
    """How the score is computed: the configuration's own explanation, else PUX's (in the active language).

    The shipped configuration leaves its explanation empty so that this one, translated, is shown."""
    return config.explanation or _(
        "Score 0-100 per recipient country and thematic area. Each indicator becomes a percentile rank "
        "among the recipient countries that report it (0 = least pressing, 1 = most pressing, following "
        "the indicator's direction). A component is the weighted mean of the percentiles of the indicators "
        "present: a missing indicator is left out, the others carry its weight, and completeness reports "
        "the share of indicator weight that was present. The score is the weighted mean of the components "
        "present, times 100. Countries classed high-income are not recipients."
    )


def default_config_data() -> dict[str, Any]:
    text = resources.files("pux.priority").joinpath("default_config.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def default_config() -> PriorityConfig:
    return parse_config(default_config_data())


@dataclass(frozen=True)
class Observation:
    value: float
    year: int
    source: str


@dataclass(frozen=True)
class CountryInput:
    """What the index needs to know about one country."""

    iso3: str
    name: str
    income_group: str | None
    groups: frozenset[str]  # LDC, LLDC, SIDS
    observations: Mapping[str, Observation]
    population: float | None
    assistance_by_area: Mapping[str, float] = field(default_factory=dict)  # current commitments, USD
    # Current commitments in other currencies, by area and currency: not counted (PUX converts none, and
    # has no shared source of exchange rates), but named beside the component so that none is lost unsaid.
    uncounted_by_area: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorPart:
    """One indicator's part in a component: its value, year and source, or missing."""

    code: str
    weight: float
    observation: Observation | None
    pressing: float | None  # percentile oriented so that 1 is the most pressing; None when missing


@dataclass(frozen=True)
class ComponentScore:
    name: str
    weight: float
    pressing: float | None  # 0..1, None when no indicator of the component was available
    parts: tuple[IndicatorPart, ...]
    completeness: float
    note: str = ""
    # (currency, amount) of the current commitments the component leaves out because they are not in
    # US dollars, largest first (the assistance component only).
    not_counted: tuple[tuple[str, float], ...] = ()


# The only currency whose commitments "little assistance so far" counts.
ASSISTANCE_CURRENCY = "USD"


@dataclass(frozen=True)
class PriorityResult:
    iso3: str
    name: str
    area: str
    score: float | None
    rank: int | None
    components: tuple[ComponentScore, ...]
    completeness: float
    missing: tuple[str, ...]


def data_years(result: PriorityResult, component: str | None = None) -> tuple[str | None, tuple[str, ...]]:
    """The years ("2019–2024") and sources of the observations a result (or one of its components) used;
    (None, ()) when it used none."""
    observations = [
        part.observation
        for score in result.components
        if component is None or score.name == component
        for part in score.parts
        if part.observation is not None
    ]
    if not observations:
        return None, ()
    first, last = min(o.year for o in observations), max(o.year for o in observations)
    span = str(first) if first == last else f"{first}–{last}"
    return span, tuple(sorted({o.source for o in observations}))


def recipients(countries: Sequence[CountryInput], config: PriorityConfig) -> list[CountryInput]:
    """Countries the dialogue may assist: not in an excluded income group (those without one stay in)."""
    return [c for c in countries if c.income_group not in config.excluded_income_groups]


def _percentiles(values: dict[str, float], worse_when_higher: bool) -> dict[str, float]:
    """Mid-rank percentile in [0, 1] among the countries that have a value (1 = most pressing)."""
    if not values:
        return {}
    codes = list(values)
    array = np.array([values[code] for code in codes], dtype=float)
    if not worse_when_higher:
        array = -array
    order = array.argsort(kind="stable")
    ranks = np.empty(len(array))
    sorted_values = array[order]
    # Ties share the mean of their ranks, so equal values always get equal percentiles.
    _unique, first, counts = np.unique(sorted_values, return_index=True, return_counts=True)
    mean_rank = first + (counts - 1) / 2.0
    ranks[order] = np.repeat(mean_rank, counts)
    denominator = max(len(array) - 1, 1)
    return {
        code: float(rank / denominator) if len(array) > 1 else 0.5
        for code, rank in zip(codes, ranks, strict=True)
    }


def _indicator_percentiles(
    pool: Sequence[CountryInput], rules: Sequence[IndicatorRule], part: str
) -> dict[str, dict[str, float]]:
    table = {}
    for rule in rules:
        values = {c.iso3: c.observations[rule.code].value for c in pool if rule.code in c.observations}
        # The rule's direction as the catalogue reads it, in either part: lacking capacity is "worse".
        table[rule.code] = _percentiles(values, rule.worse_when_higher(part))
    return table


def _component(
    name: str,
    weight: float,
    country: CountryInput,
    rules: Sequence[IndicatorRule],
    percentiles: dict[str, dict[str, float]],
) -> ComponentScore:
    parts = []
    required_present = 0.0  # the weight of the required indicators that have a value
    for rule in rules:
        observation = country.observations.get(rule.code)
        pressing = percentiles[rule.code].get(country.iso3) if observation else None
        parts.append(IndicatorPart(rule.code, rule.weight, observation, pressing))
        if pressing is not None and not rule.optional:
            required_present += rule.weight
    expected = sum(rule.weight for rule in rules if not rule.optional) or 1.0
    present = [(part.weight, part.pressing) for part in parts if part.pressing is not None]
    present_weight = sum(weight for weight, _ in present)
    completeness = min(1.0, required_present / expected)
    value = (
        sum(weight * pressing for weight, pressing in present) / present_weight if present_weight else None
    )
    return ComponentScore(name, weight, value, tuple(parts), completeness)


def _assistance_percentiles(pool: Sequence[CountryInput], area: str) -> dict[str, float]:
    per_person = {c.iso3: c.assistance_by_area.get(area, 0.0) / c.population for c in pool if c.population}
    # More assistance already flowing is less pressing, so the direction is "worse when lower".
    return _percentiles(per_person, worse_when_higher=False)


def compute(countries: Sequence[CountryInput], config: PriorityConfig, area: str) -> list[PriorityResult]:
    """The index for one thematic area, best-ranked (most pressing) first; countries without a score last."""
    if area not in config.areas:
        raise ConfigError(_("no rules for the thematic area '%(area)s'") % {"area": area})
    rules = config.areas[area]
    pool = recipients(countries, config)
    burden = _indicator_percentiles(pool, rules.burden, "burden")
    capacity = _indicator_percentiles(pool, rules.capacity, "capacity")
    assistance = _assistance_percentiles(pool, area)
    weights = config.component_weights
    results = []
    for country in pool:
        components = (
            _component("burden", weights["burden"], country, rules.burden, burden),
            _component("capacity", weights["capacity"], country, rules.capacity, capacity),
            _assistance_component(country, area, weights["assistance"], assistance),
            _groups_component(country, weights["groups"], config.group_points),
        )
        results.append(_result(country, area, components))
    return _ranked(results)


def _assistance_component(
    country: CountryInput, area: str, weight: float, percentiles: dict[str, float]
) -> ComponentScore:
    pressing = percentiles.get(country.iso3)
    note = "" if pressing is not None else "population missing: assistance per person cannot be computed"
    uncounted = country.uncounted_by_area.get(area, {})
    not_counted = tuple(sorted(uncounted.items(), key=lambda item: (-item[1], item[0])))
    return ComponentScore(
        "assistance", weight, pressing, (), 1.0 if pressing is not None else 0.0, note, not_counted
    )


def _groups_component(country: CountryInput, weight: float, points: Mapping[str, float]) -> ComponentScore:
    value = min(1.0, sum(points.get(group, 0.0) for group in country.groups))
    return ComponentScore("groups", weight, value, (), 1.0, ", ".join(sorted(country.groups)))


def _result(country: CountryInput, area: str, components: Sequence[ComponentScore]) -> PriorityResult:
    present = [(c.weight, c.pressing) for c in components if c.pressing is not None and c.weight > 0]
    total_weight = sum(c.weight for c in components) or 1.0
    weight_present = sum(weight for weight, _ in present)
    # Without one burden or capacity figure the score would come from the group flags alone (a small island
    # with no data scored 50, above countries with full data; a territory with none scored 0): no score.
    weighed = [c for c in components if c.name in EVIDENCE_COMPONENTS and c.weight > 0]
    evidenced = not weighed or any(c.pressing is not None for c in weighed)
    score = 100.0 * sum(w * p for w, p in present) / weight_present if weight_present and evidenced else None
    completeness = sum(c.weight * c.completeness for c in components) / total_weight
    missing = tuple(part.code for c in components for part in c.parts if part.pressing is None)
    return PriorityResult(
        country.iso3, country.name, area, score, None, tuple(components), completeness, missing
    )


def _ranked(results: list[PriorityResult]) -> list[PriorityResult]:
    scored = sorted((r for r in results if r.score is not None), key=lambda r: (-(r.score or 0.0), r.iso3))
    unscored = sorted((r for r in results if r.score is None), key=lambda r: r.iso3)
    return [replace(r, rank=index) for index, r in enumerate(scored, start=1)] + unscored


# How many random weightings a rank range is drawn from, and from which seed: one count and one seed for
# the page, the API and the CLI, so that each shows the same ranges (the page drew 60, the others 100).
RANK_RANGE_DRAWS = 100
RANK_RANGE_SEED = 7


@dataclass(frozen=True)
class RankRange:
    iso3: str
    rank: int
    best: int
    worst: int


def sensitivity(
    countries: Sequence[CountryInput],
    config: PriorityConfig,
    area: str,
    *,
    draws: int = RANK_RANGE_DRAWS,
    spread: float = 0.25,
    seed: int = RANK_RANGE_SEED,
) -> dict[str, RankRange]:
    """Each country's rank range when every weight is scaled by a random factor in [1-spread, 1+spread].

    Percentiles do not depend on the weights, so they are computed once; each draw only recombines them
    (the same arithmetic as ``compute``, for all countries at once)."""
    results = compute(countries, config, area)
    base = {r.iso3: r.rank for r in results if r.rank is not None}
    table = _WeightTable.of(results, config, area)
    rng = np.random.default_rng(seed)
    ranks: dict[str, list[int]] = {iso3: [rank] for iso3, rank in base.items()}
    for _draw in range(draws):
        perturbed = _perturbed(config, area, rng, spread)
        for iso3, rank in table.ranks(perturbed, area).items():
            if iso3 in ranks:
                ranks[iso3].append(rank)
    return {iso3: RankRange(iso3, base[iso3], min(values), max(values)) for iso3, values in ranks.items()}


@dataclass(frozen=True)
class _WeightTable:
    """The percentiles of every country, as arrays (NaN where missing), ready to be reweighted."""

    iso3: tuple[str, ...]
    burden: np.ndarray  # countries x burden indicators
    capacity: np.ndarray  # countries x capacity indicators
    assistance: np.ndarray  # per country
    groups: np.ndarray  # per country

    @classmethod
    def of(cls, results: Sequence[PriorityResult], config: PriorityConfig, area: str) -> _WeightTable:
        rules = config.areas[area]

        def pressing(result: PriorityResult, name: str, codes: Sequence[str]) -> list[float]:
            component = next(c for c in result.components if c.name == name)
            by_code = {part.code: part.pressing for part in component.parts}
            values = [by_code.get(code) for code in codes]
            return [np.nan if value is None else float(value) for value in values]

        def value(result: PriorityResult, name: str) -> float:
            component = next(c for c in result.components if c.name == name)
            return np.nan if component.pressing is None else float(component.pressing)

        burden_codes = [rule.code for rule in rules.burden]
        capacity_codes = [rule.code for rule in rules.capacity]
        return cls(
            tuple(r.iso3 for r in results),
            np.array([pressing(r, "burden", burden_codes) for r in results]).reshape(
                len(results), len(burden_codes)
            ),
            np.array([pressing(r, "capacity", capacity_codes) for r in results]).reshape(
                len(results), len(capacity_codes)
            ),
            np.array([value(r, "assistance") for r in results]),
            np.array([value(r, "groups") for r in results]),
        )

    def ranks(self, config: PriorityConfig, area: str) -> dict[str, int]:
        rules = config.areas[area]
        weights = config.component_weights
        columns = {
            "burden": _weighted_mean(self.burden, [rule.weight for rule in rules.burden]),
            "capacity": _weighted_mean(self.capacity, [rule.weight for rule in rules.capacity]),
            "assistance": self.assistance,
            "groups": self.groups,
        }
        total = np.zeros(len(self.iso3))
        present_weight = np.zeros(len(self.iso3))
        for name, values in columns.items():
            weight = weights[name]
            if weight > 0:
                present = ~np.isnan(values)
                total += np.where(present, weight * np.nan_to_num(values), 0.0)
                present_weight += np.where(present, weight, 0.0)
        evidence = [  # as in ``_result``
            values for name, values in columns.items() if name in EVIDENCE_COMPONENTS and weights[name] > 0
        ]
        evidenced = np.logical_or.reduce([~np.isnan(v) for v in evidence]) if evidence else True
        scored = np.flatnonzero((present_weight > 0) & evidenced)
        score = 100.0 * total[scored] / present_weight[scored]
        # Most pressing first; ties by country code, as in ``compute``.
        codes = np.array(self.iso3, dtype=object)[scored]
        order = sorted(range(len(scored)), key=lambda k: (-score[k], codes[k]))
        return {str(codes[k]): position for position, k in enumerate(order, start=1)}


def _weighted_mean(percentiles: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Per country, the weighted mean of its percentiles present (NaN when none is)."""
    if percentiles.shape[1] == 0:
        return np.full(percentiles.shape[0], np.nan)
    weight = np.asarray(weights, dtype=np.float64)
    present = ~np.isnan(percentiles)
    present_weight = (present * weight).sum(axis=1)
    total = (np.nan_to_num(percentiles) * weight).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(present_weight > 0, total / np.where(present_weight > 0, present_weight, 1.0), np.nan)


def _perturbed(config: PriorityConfig, area: str, rng: np.random.Generator, spread: float) -> PriorityConfig:
    def scaled(weight: float) -> float:
        return float(weight * rng.uniform(1 - spread, 1 + spread))

    rules = config.areas[area]
    new_rules = AreaRules(
        burden=tuple(replace(rule, weight=scaled(rule.weight)) for rule in rules.burden),
        capacity=tuple(replace(rule, weight=scaled(rule.weight)) for rule in rules.capacity),
    )
    return replace(
        config,
        component_weights={k: scaled(v) for k, v in config.component_weights.items()},
        areas={**config.areas, area: new_rules},
    )
