"""Need-to-programme fit and allocation, on plain arrays. No database and no web framework here.

Sets of codes (techniques, SDG targets, languages...) are bit masks, so eligibility and fit for
millions of pairs are a few vectorised numpy operations. Money allocation is exact: a min-cost flow
(OR-Tools) for money that can be split, and for all-or-nothing offers a flow relaxation that bounds
the optimum from above, rounded and repaired by a small mixed-integer programme (HiGHS), with the
proven gap reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pux.i18n import N_, decimal_text, listed
from pux.i18n import gettext as _

FIT_WEIGHTS: dict[str, float] = {
    "technique": 3.0,
    "sdg": 2.0,
    "readiness": 1.0,
    "language": 1.0,
    "cost": 1.0,
    "text": 1.0,
    "gender": 1.0,
    "priority": 2.0,
}
ELIGIBLE_STATUSES = frozenset({"endorsed", "published"})
UNKNOWN_PRIORITY = 50.0
FIT_SLICE = 1 << 16  # pairs scored at a time


# Below this share the difference between a round's objective and its bound is the rounding of sums of
# floating-point numbers, not a gap: a demo round's page read "0.000000000000021%".
GAP_NOISE = 1e-9


def proven_gap(objective: float, upper_bound: float) -> float:
    """How far ``objective`` may be from the optimum, as a share of the proven ``upper_bound``."""
    if upper_bound <= 0:
        return 0.0
    gap = (upper_bound - objective) / upper_bound
    return gap if gap > GAP_NOISE else 0.0


@dataclass(frozen=True)
class NeedItem:
    id: int
    country: str
    regions: frozenset[str]
    income_group: str | None
    groups: frozenset[str]
    area: str
    techniques: frozenset[str]
    targets: frozenset[str]
    modalities: frozenset[str]
    readiness: Mapping[str, str | None]
    languages: frozenset[str]
    cost: float | None
    currency: str
    women_focus: bool
    priority: float | None
    status: str = "published"
    title: str = ""


@dataclass(frozen=True)
class ProgrammeItem:
    id: int
    organisation: str
    modality: str
    areas: frozenset[str]
    techniques: frozenset[str]
    targets: frozenset[str]
    countries: frozenset[str]
    regions: frozenset[str]
    income_groups: frozenset[str]
    groups: frozenset[str]
    remaining: float | None
    max_per_need: float | None
    currency: str
    window_end: date | None
    languages: frozenset[str]
    gender_focus: bool
    divisible: bool
    title: str = ""
    # Before this day the programme's money is not there to give: recommended (saying when it opens), never
    # allocated by a round.
    window_start: date | None = None


WORD = 0xFFFFFFFFFFFFFFFF


class Vocabulary:
    """Assigns each code a bit, so that sets become integer masks."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}
        # The same sets recur (every need of a country has its places): each is turned into bits once.
        self._known: dict[frozenset[str], int] = {}

    def mask(self, codes: frozenset[str]) -> int:
        value = self._known.get(codes)
        if value is None:
            value = 0
            for code in codes:
                value |= 1 << self.bits.setdefault(code, len(self.bits))
            self._known[codes] = value
        return value


def _masks(vocabulary: Vocabulary, sets: Sequence[frozenset[str]], words: int | None = None) -> np.ndarray:
    """(n, words) uint64 masks; wide vocabularies (SDG targets, places) take several words.

    With ``words`` None the width follows the vocabulary, so small vocabularies stay one word wide.
    """
    values = [vocabulary.mask(codes) for codes in sets]
    width = words if words is not None else max(1, -(-len(vocabulary.bits) // 64))
    if len(vocabulary.bits) > 64 * width:
        raise ValueError("vocabulary larger than the mask")
    out = np.zeros((len(sets), width), dtype=np.uint64)
    for word in range(width):
        shift = 64 * word
        out[:, word] = np.fromiter(((value >> shift) & WORD for value in values), np.uint64, len(values))
    return out


def _popcount(masks: np.ndarray) -> np.ndarray:
    counts: np.ndarray = np.bitwise_count(masks).sum(axis=-1).astype(np.float32)
    return counts


READINESS_SCORE = {"ready": 1.0, "partial": 0.5, "none": 0.0}


@dataclass
class MatchingData:
    """Needs and programmes turned into arrays once, reused for fit, recommendations and allocation."""

    needs: Sequence[NeedItem]
    programmes: Sequence[ProgrammeItem]
    need_vectors: np.ndarray | None = None
    programme_vectors: np.ndarray | None = None
    today: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        vocab = {
            name: Vocabulary() for name in ("code", "target", "goal", "place", "group", "language", "kind")
        }
        needs, programmes = self.needs, self.programmes
        for codes in [n.techniques for n in needs] + [p.techniques for p in programmes]:
            vocab["code"].mask(codes)
        for codes in [n.targets for n in needs] + [p.targets for p in programmes]:
            vocab["target"].mask(codes)
        self.n_techniques = _masks(vocab["code"], [n.techniques for n in needs])
        self.p_techniques = _masks(vocab["code"], [p.techniques for p in programmes])
        self.n_targets = _masks(vocab["target"], [n.targets for n in needs])
        self.p_targets = _masks(vocab["target"], [p.targets for p in programmes])
        self.n_technique_count = _popcount(self.n_techniques)
        self.n_target_count = _popcount(self.n_targets)
        self.n_goals = _masks(
            vocab["goal"], [frozenset(t.split(".")[0] for t in n.targets) for n in needs], 1
        )
        self.p_goals = _masks(
            vocab["goal"], [frozenset(t.split(".")[0] for t in p.targets) for p in programmes], 1
        )
        for codes in [frozenset({n.country}) | n.regions for n in needs] + [
            p.countries | p.regions for p in programmes
        ]:
            vocab["place"].mask(codes)
        self.n_places = _masks(vocab["place"], [frozenset({n.country}) | n.regions for n in needs])
        self.p_places = _masks(vocab["place"], [p.countries | p.regions for p in programmes])
        self.n_groups = _masks(vocab["group"], [n.groups | {f"income:{n.income_group}"} for n in needs], 1)
        self.p_groups = _masks(vocab["group"], [p.groups for p in programmes], 1)
        self.p_incomes = _masks(
            vocab["group"], [frozenset(f"income:{g}" for g in p.income_groups) for p in programmes], 1
        )
        self.n_languages = _masks(vocab["language"], [n.languages for n in needs], 1)
        self.p_languages = _masks(vocab["language"], [p.languages for p in programmes], 1)
        # Areas and modalities share one small vocabulary ("area:health", "modality:training").
        self.n_area = _masks(vocab["kind"], [frozenset({f"area:{n.area}"}) for n in needs], 1)[:, 0]
        self.p_area = _masks(vocab["kind"], [frozenset(f"area:{a}" for a in p.areas) for p in programmes], 1)[
            :, 0
        ]
        self.n_modality = _masks(
            vocab["kind"], [frozenset(f"modality:{m}" for m in n.modalities) for n in needs], 1
        )[:, 0]
        self.p_modality = _masks(
            vocab["kind"], [frozenset({f"modality:{p.modality}"}) for p in programmes], 1
        )[:, 0]
        self.p_restricts_places = np.array([bool(p.countries or p.regions) for p in programmes])
        self.p_restricts_income = np.array([bool(p.income_groups) for p in programmes])
        self.p_restricts_groups = np.array([bool(p.groups) for p in programmes])
        self.p_equipment = np.array([p.modality == "equipment" for p in programmes])
        self.p_max_per_need = np.array(
            [p.max_per_need if p.max_per_need is not None else np.inf for p in programmes]
        )
        self.p_gender = np.array([p.gender_focus for p in programmes])
        self.p_open = np.array([p.window_end is None or p.window_end >= self.today for p in programmes])
        self.p_started = np.array(
            [p.window_start is None or p.window_start <= self.today for p in programmes], dtype=bool
        )
        # A programme with nothing left is recommended to no need (a budget not stated may still give).
        self.p_has_money = np.array([p.remaining is None or p.remaining > 0 for p in programmes], dtype=bool)
        self.n_cost = np.array([n.cost if n.cost is not None else np.nan for n in needs], dtype=np.float64)
        self.n_priority = np.array(
            [n.priority if n.priority is not None else UNKNOWN_PRIORITY for n in needs], dtype=np.float32
        )
        self.n_eligible_status = np.array([n.status in ELIGIBLE_STATUSES for n in needs])
        self.n_women = np.array([n.women_focus for n in needs])
        self.n_readiness = np.array([_readiness(n) for n in needs], dtype=np.float32)
        self.currencies = sorted({n.currency for n in needs} | {p.currency for p in programmes})
        currencies = {code: index for index, code in enumerate(self.currencies)}
        self.n_currency = np.array([currencies[n.currency] for n in needs], dtype=np.int32)
        self.p_currency = np.array([currencies[p.currency] for p in programmes], dtype=np.int32)
        self.n_costed = ~np.isnan(self.n_cost) & (np.nan_to_num(self.n_cost) > 0)
        self.n_country = np.array([n.country for n in needs], dtype=object)


def _readiness(need: NeedItem) -> float:
    values = [
        READINESS_SCORE.get(need.readiness.get(key) or "", 0.5)
        for key in ("regulatory_body", "infrastructure", "trained_staff")
    ]
    return sum(values) / len(values)


def eligible_needs_for(data: MatchingData, j: int, *, for_allocation: bool = False) -> np.ndarray:
    """Indices of the needs programme ``j`` may support (hard rules only)."""
    programme = data.programmes[j]
    if not data.p_open[j]:
        return np.zeros(0, dtype=np.int64)
    ok = data.n_eligible_status & ((data.n_area & data.p_area[j]) != 0)
    ok &= (data.n_modality == 0) | ((data.n_modality & data.p_modality[j]) != 0)
    if data.p_restricts_places[j]:
        ok &= (data.n_places & data.p_places[j]).any(axis=1)
    if data.p_restricts_income[j]:
        ok &= (data.n_groups & data.p_incomes[j]).any(axis=1)
    if data.p_restricts_groups[j]:
        ok &= (data.n_groups & data.p_groups[j]).any(axis=1)
    if for_allocation:
        if not data.p_started[j]:
            return np.zeros(0, dtype=np.int64)  # a round commits money now: none of it is there yet
        ok &= data.n_costed & (data.n_currency == data.p_currency[j])
        if not programme.remaining:
            return np.zeros(0, dtype=np.int64)
        if not programme.divisible:
            # An all-or-nothing offer must be able to cover the whole need.
            limit = min(x for x in (programme.max_per_need, programme.remaining) if x is not None)
            ok &= data.n_cost <= limit
    return np.flatnonzero(ok)


def eligible_programmes_for(data: MatchingData, i: int) -> np.ndarray:
    """Indices of the programmes that may support need ``i`` (hard rules only), all programmes at once."""
    if not data.n_eligible_status[i]:
        return np.zeros(0, dtype=np.int64)
    ok = data.p_open & data.p_has_money & ((data.p_area & data.n_area[i]) != 0)
    if data.n_modality[i]:
        ok &= (data.p_modality & data.n_modality[i]) != 0
    ok &= ~data.p_restricts_places | (data.p_places & data.n_places[i]).any(axis=1)
    ok &= ~data.p_restricts_income | (data.p_incomes & data.n_groups[i]).any(axis=1)
    ok &= ~data.p_restricts_groups | (data.p_groups & data.n_groups[i]).any(axis=1)
    return np.flatnonzero(ok)


def fit_components(data: MatchingData, needs: np.ndarray, programmes: np.ndarray) -> dict[str, np.ndarray]:
    """Each soft-fit component (0..1) for the pairs (needs[k], programmes[k])."""
    technique_wanted = data.n_technique_count[needs]
    technique_shared = _popcount(data.n_techniques[needs] & data.p_techniques[programmes])
    technique = np.where(technique_wanted > 0, technique_shared / np.maximum(technique_wanted, 1), 0.5)
    target_wanted = data.n_target_count[needs]
    exact = _popcount(data.n_targets[needs] & data.p_targets[programmes]) / np.maximum(target_wanted, 1)
    same_goal = (data.n_goals[needs] & data.p_goals[programmes]).any(axis=1)
    sdg = np.where(target_wanted > 0, np.maximum(exact, np.where(same_goal, 0.5, 0.0)), 0.5)
    offers_equipment = data.p_equipment[programmes]
    readiness = np.where(offers_equipment, data.n_readiness[needs], np.maximum(data.n_readiness[needs], 0.75))
    programme_languages = data.p_languages[programmes]
    language = np.where(
        programme_languages.any(axis=1),
        (data.n_languages[needs] & programme_languages).any(axis=1).astype(np.float32),
        1.0,
    )
    limits = data.p_max_per_need[programmes]
    costs = data.n_cost[needs]
    # Amounts in two currencies are not compared (PUX converts nothing): such a cost counts as unknown.
    comparable = data.n_currency[needs] == data.p_currency[programmes]
    # Without a maximum per need no cost can pass it; with one, a cost not stated (or not comparable)
    # is neither within nor above it.
    within = np.minimum(1.0, limits / np.maximum(np.nan_to_num(costs, nan=1.0), 1.0))
    cost = np.where(np.isinf(limits), 1.0, np.where(np.isnan(costs) | ~comparable, 0.5, within))
    gender_focus = data.p_gender[programmes]
    gender = np.where(
        data.n_women[needs], np.where(gender_focus, 1.0, 0.5), np.where(gender_focus, 0.25, 0.5)
    )
    text = np.full(len(needs), 0.5, dtype=np.float32)
    if data.need_vectors is not None and data.programme_vectors is not None:
        cosine = np.einsum("ij,ij->i", data.need_vectors[needs], data.programme_vectors[programmes])
        text = np.clip(cosine, 0.0, 1.0)
    return {
        "technique": technique.astype(np.float32),
        "sdg": sdg.astype(np.float32),
        "readiness": readiness.astype(np.float32),
        "language": language.astype(np.float32),
        "cost": cost.astype(np.float32),
        "text": text.astype(np.float32),
        "gender": gender.astype(np.float32),
        "priority": (data.n_priority[needs] / 100.0).astype(np.float32),
    }


def fit_scores(
    components: Mapping[str, np.ndarray], weights: Mapping[str, float] = FIT_WEIGHTS
) -> np.ndarray:
    total = sum(weights.values())
    return sum(weights[name] * components[name] for name in weights) / total  # type: ignore[return-value]


@dataclass(frozen=True)
class PairSet:
    """All eligible pairs with their fit."""

    needs: np.ndarray
    programmes: np.ndarray
    fit: np.ndarray


def without_pairs(
    data: MatchingData, pairs: PairSet, excluded: Iterable[tuple[int, int]]
) -> tuple[PairSet, int]:
    """``pairs`` without the (need id, programme id) pairs of ``excluded``, and how many were left out."""
    need_index = {item.id: index for index, item in enumerate(data.needs)}
    programme_index = {item.id: index for index, item in enumerate(data.programmes)}
    width = max(len(data.programmes), 1)
    codes = [
        need_index[need] * width + programme_index[programme]
        for need, programme in excluded
        if need in need_index and programme in programme_index
    ]
    if not codes:
        return pairs, 0
    keep = ~np.isin(pairs.needs * width + pairs.programmes, np.asarray(codes, dtype=np.int64))
    return PairSet(pairs.needs[keep], pairs.programmes[keep], pairs.fit[keep]), int(len(keep) - keep.sum())


def eligible_pairs(
    data: MatchingData, *, for_allocation: bool = False, programme_indices: Sequence[int] | None = None
) -> PairSet:
    indices = range(len(data.programmes)) if programme_indices is None else programme_indices
    need_parts, programme_parts = [], []
    # Programmes with the same rules (area, modality, restrictions...) reach the same needs.
    reach: dict[tuple[object, ...], np.ndarray] = {}
    for j in indices:
        rules = _eligibility_rules(data, j, for_allocation)
        found = reach.get(rules)
        if found is None:
            found = reach[rules] = eligible_needs_for(data, j, for_allocation=for_allocation)
        need_parts.append(found)
        programme_parts.append(np.full(len(found), j, dtype=np.int64))
    needs = np.concatenate(need_parts) if need_parts else np.zeros(0, dtype=np.int64)
    programmes = np.concatenate(programme_parts) if programme_parts else np.zeros(0, dtype=np.int64)
    fit = np.empty(len(needs), dtype=np.float64)
    # In slices, so that the temporaries stay small and warm in memory instead of millions long.
    for start in range(0, len(needs), FIT_SLICE):
        part = slice(start, start + FIT_SLICE)
        fit[part] = fit_scores(fit_components(data, needs[part], programmes[part]))
    return PairSet(needs, programmes, fit)


def _eligibility_rules(data: MatchingData, j: int, for_allocation: bool) -> tuple[object, ...]:
    """Everything ``eligible_needs_for`` looks at for programme ``j``; equal rules, equal needs."""
    programme = data.programmes[j]
    rules: tuple[object, ...] = (
        bool(data.p_open[j]),
        int(data.p_area[j]),
        int(data.p_modality[j]),
        data.p_places[j].tobytes() if data.p_restricts_places[j] else None,
        data.p_incomes[j].tobytes() if data.p_restricts_income[j] else None,
        data.p_groups[j].tobytes() if data.p_restricts_groups[j] else None,
    )
    if for_allocation:
        limits = (programme.max_per_need, programme.remaining)
        rules += (
            bool(data.p_started[j]),
            int(data.p_currency[j]),
            bool(programme.remaining),
            None
            if programme.divisible or not programme.remaining
            else min(x for x in limits if x is not None),
        )
    return rules


@dataclass(frozen=True)
class Recommendation:
    need_id: int
    programme_id: int
    fit: float
    components: Mapping[str, float]
    reasons: tuple[str, ...]


def top_programmes_for_need(data: MatchingData, need_index: int, k: int = 10) -> list[Recommendation]:
    """The k best eligible programmes for one need, each with its explanation."""
    candidates = eligible_programmes_for(data, need_index)
    return _top(data, np.full(len(candidates), need_index, dtype=np.int64), candidates, k)


def top_needs_for_programme(data: MatchingData, programme_index: int, k: int = 10) -> list[Recommendation]:
    """The k best eligible needs for one programme, each with its explanation."""
    needs = eligible_needs_for(data, programme_index)
    return _top(data, needs, np.full(len(needs), programme_index, dtype=np.int64), k)


def _top(data: MatchingData, needs: np.ndarray, programmes: np.ndarray, k: int) -> list[Recommendation]:
    if len(needs) == 0:
        return []
    components = fit_components(data, needs, programmes)
    fit = fit_scores(components)
    best = np.argsort(-fit, kind="stable")[:k]
    return [
        Recommendation(
            need_id=data.needs[needs[b]].id,
            programme_id=data.programmes[programmes[b]].id,
            fit=float(fit[b]),
            components={name: float(values[b]) for name, values in components.items()},
            reasons=explain(
                data.needs[needs[b]],
                data.programmes[programmes[b]],
                {name: float(values[b]) for name, values in components.items()},
                today=data.today,
            ),
        )
        for b in best
    ]


# A reason as stored: its message (marked for the catalogues, translated when shown) and its values.
Reason = tuple[str, dict[str, str | int | float]]


# Names a reason's coded values in the reader's language: (value key, code) -> label.
CodeLabeller = Callable[[str, str], str]


def explain(
    need: NeedItem,
    programme: ProgrammeItem,
    components: Mapping[str, float],
    priority_rank: tuple[int, int] | None = None,
    label: CodeLabeller | None = None,
    *,
    today: date | None = None,
) -> tuple[str, ...]:
    """Plain-language reasons for a pair's fit, in the active language."""
    return render_reasons(reasons(need, programme, components, priority_rank, today=today), label)


# Values of reasons that hold codes (several joined by ", "), named by ``label`` when shown.
CODED_VALUES = frozenset({"names", "groups", "group", "country", "region"})
# Values of reasons that are shares with as many decimals as they need, written in the reader's notation.
SHARE_VALUES = frozenset({"part"})
SHARE_DECIMALS = 12


def render_reasons(found: Sequence[Reason], label: CodeLabeller | None = None) -> tuple[str, ...]:
    """Reasons in the active language, their codes (techniques, groups, countries) named."""

    def named(key: str, value: str | int | float) -> str | int | float:
        if key in SHARE_VALUES and isinstance(value, int | float):
            return decimal_text(value, "#,##0." + "#" * SHARE_DECIMALS)
        if label is None or key not in CODED_VALUES or not isinstance(value, str):
            return value
        return listed(label(key, code) for code in value.split(", ") if code)

    return tuple(
        _(message) % {key: named(key, value) for key, value in values.items()} if values else _(message)
        for message, values in found
    )


def reasons(
    need: NeedItem,
    programme: ProgrammeItem,
    components: Mapping[str, float],
    priority_rank: tuple[int, int] | None = None,
    *,
    today: date | None = None,
) -> tuple[Reason, ...]:
    """The reasons for a pair's fit, in no language yet: stored with a proposal, shown to each reader in
    theirs."""
    found: list[Reason] = _eligibility_reasons(need, programme)
    opens = programme.window_start
    if opens is not None and opens > (today or date.today()):
        found.append(
            (N_("opens on %(date)s: allocation rounds leave it out until then"), {"date": opens.isoformat()})
        )
    shared = sorted(need.techniques & programme.techniques)
    if shared:
        found.append((N_("technique %(names)s matches"), {"names": ", ".join(shared)}))
    exact = sorted(need.targets & programme.targets)
    if exact:
        found.append((N_("SDG %(targets)s matches"), {"targets": ", ".join(exact)}))
    elif components.get("sdg", 0) >= 0.5 and need.targets and programme.targets:
        found.append((N_("same SDG goal"), {}))
    if priority_rank:
        found.append(
            (N_("priority rank %(rank)s of %(total)s"), {"rank": priority_rank[0], "total": priority_rank[1]})
        )
    elif need.priority is not None:
        found.append((N_("priority score %(score).0f of 100"), {"score": need.priority}))
    found.extend(_budget_reasons(need, programme))
    if components.get("language", 1) == 0:
        found.append((N_("no shared working language"), {}))
    if components.get("gender", 0) == 1:
        found.append((N_("gender focus on both sides"), {}))
    return tuple(found)


def _budget_reasons(need: NeedItem, programme: ProgrammeItem) -> list[Reason]:
    """What the need's cost is beside the programme's money, from the figures themselves (a need without a
    cost was said to cost more than the programme's maximum per need). Amounts in two currencies are never
    compared (no rate is known here: 2.5 billion EUR against 500,000 USD was said to take "100%" of the
    budget)."""
    if programme.remaining is not None and programme.remaining <= 0:
        return [(N_("nothing is left of the programme's budget (allocation rounds leave it out)"), {})]
    if need.cost is None:
        return [(N_("cost not stated"), {})]
    if need.currency != programme.currency:
        return [
            (
                N_(
                    "costed in %(need_currency)s, the programme budgets in %(programme_currency)s: "
                    "amounts not compared (allocation rounds leave such pairs out)"
                ),
                {"need_currency": need.currency, "programme_currency": programme.currency},
            )
        ]
    found: list[Reason] = []
    if need.cost > 0 and programme.remaining is not None:
        if need.cost <= programme.remaining:
            share = 100 * need.cost / programme.remaining
            found.append((N_("%(share).0f%% of the remaining budget would cover it"), {"share": share}))
        else:
            part = _shown_share(100 * programme.remaining / need.cost)
            found.append((N_("the remaining budget would cover %(part)s%% of its cost"), {"part": part}))
    if programme.max_per_need is not None and need.cost > programme.max_per_need:
        found.append((N_("cost above the programme's maximum per need"), {}))
    return found


def _shown_share(percent: float) -> float:
    """A share below 100% to two significant figures, rounded down: never "100%" for a part, never "0%"
    for a little (500,000 of 2.5 billion covers 0.02%)."""
    if percent <= 0:
        return 0.0
    decimals = min(SHARE_DECIMALS, max(0, 1 - math.floor(math.log10(percent))))
    scale = 10.0**decimals
    # The float product of a share like 0.29 falls just short of 29 (28.999999999999996): not one less.
    return math.floor(percent * scale * (1 + 1e-12)) / scale


def _eligibility_reasons(need: NeedItem, programme: ProgrammeItem) -> list[Reason]:
    """Each restriction of the programme the need passes, by name (a programme open to a region only was
    said to have no restriction): its place (a country listed, or a region), income group, country group."""
    found: list[Reason] = []
    groups = sorted(need.groups & programme.groups)
    if groups:
        found.append((N_("eligible: %(groups)s"), {"groups": ", ".join(groups)}))
    if programme.countries and need.country in programme.countries:
        found.append((N_("eligible: %(country)s is listed"), {"country": need.country}))
    elif programme.regions and need.regions & programme.regions:
        regions = ", ".join(sorted(need.regions & programme.regions))
        found.append((N_("eligible: in %(region)s"), {"region": regions}))
    if programme.income_groups and need.income_group in programme.income_groups:
        found.append((N_("eligible: income group %(group)s"), {"group": need.income_group or ""}))
    return found or [(N_("eligible: no restriction applies"), {})]
