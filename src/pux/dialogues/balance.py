"""The balance meter: who is expected at a dialogue event, counted per dimension, and checked against the
facilitator's balance targets ("at least 40% women", "no stakeholder type above 30%").

An engine: plain data in, plain data out (stdlib and ``pux.dialogues.vocabulary`` only; no ORM, no web).
Callers decide who counts (see ``EXPECTED_STATUSES``) and pass each person's categories per dimension.

Targets are judged in exact arithmetic: the share a facilitator typed (a float such as 0.1) is read back as
the decimal it was written as, and a tolerance of 1e-9 absorbs what is left of float noise, so 4 women of 10
meet "at least 0.40". The same threshold decides the status and the number of people still needed, so the
two never disagree.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from pux.dialogues.vocabulary import AT_LEAST, AT_MOST, DIMENSIONS, EVERY_CATEGORY, NOT_STATED, BalanceTarget

MET = "met"
MISSED = "missed"
NO_DATA = "no_data"
TARGET_STATUSES = (MET, MISSED, NO_DATA)

TOLERANCE = Fraction(1, 10**9)


@dataclass(frozen=True)
class CountedPerson:
    """One person the meter counts; ``categories`` maps a dimension to the person's categories in it
    (gender ``{"female"}`` or ``{"not_stated"}``; country_group may be empty or hold several groups)."""

    key: int
    categories: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class CategoryShare:
    category: str
    count: int
    share: float | None  # None when nobody is counted


@dataclass(frozen=True)
class DimensionShares:
    dimension: str
    rows: tuple[CategoryShare, ...]  # largest count first, then by category


@dataclass(frozen=True)
class TargetCheck:
    """One target judged. For an every-category target, ``category`` is the worst one."""

    target: BalanceTarget
    category: str
    count: int
    share: float | None  # None when nobody is counted yet
    status: str  # MET, MISSED or NO_DATA
    # AT_LEAST missed: people of the category to add; AT_MOST missed: people outside it to add.
    # None when met, without data, or when no number of people can ever meet the target.
    people_needed: int | None


@dataclass(frozen=True)
class BalanceReport:
    total: int
    dimensions: tuple[DimensionShares, ...]
    checks: tuple[TargetCheck, ...]

    @property
    def missed(self) -> tuple[TargetCheck, ...]:
        return tuple(check for check in self.checks if check.status == MISSED)


def measure(
    people: Sequence[CountedPerson],
    targets: Sequence[BalanceTarget],
    *,
    dimensions: Sequence[str] = DIMENSIONS,
) -> BalanceReport:
    """Count ``people`` in each of ``dimensions`` and check every target (a target's dimension is counted
    even when it is not among ``dimensions``). Raises ValueError for a target with an unknown bound or a
    share outside 0..1."""
    for target in targets:
        _validate(target)
    total = len(people)
    wanted = list(dict.fromkeys([*dimensions, *(target.dimension for target in targets)]))
    counts = {dimension: _count(people, dimension) for dimension in wanted}
    return BalanceReport(
        total=total,
        dimensions=tuple(_dimension_shares(dimension, counts[dimension], total) for dimension in dimensions),
        checks=tuple(_check(target, counts[target.dimension], total) for target in targets),
    )


def _validate(target: BalanceTarget) -> None:
    if target.bound not in (AT_LEAST, AT_MOST):
        raise ValueError(f"unknown bound {target.bound!r} in target {target.name}")
    if not 0 <= target.share <= 1:
        raise ValueError(f"share {target.share!r} of target {target.name} is outside 0..1")


def _count(people: Sequence[CountedPerson], dimension: str) -> Counter[str]:
    # A person in several categories (country groups) counts once in each of them.
    counts: Counter[str] = Counter()
    for person in people:
        counts.update(person.categories.get(dimension, frozenset()))
    return counts


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _dimension_shares(dimension: str, counts: Counter[str], total: int) -> DimensionShares:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return DimensionShares(
        dimension=dimension,
        rows=tuple(CategoryShare(category, count, _share(count, total)) for category, count in ordered),
    )


def _exact(share: float) -> Fraction:
    # str() gives the shortest decimal that reads back as this float: 0.1 becomes exactly 1/10.
    return Fraction(str(share))


def _margin(target: BalanceTarget, count: int, total: int) -> Fraction:
    """How far the category is on the good side of the bound (negative: on the wrong side)."""
    share = Fraction(count, total)
    bound = _exact(target.share)
    return share - bound if target.bound == AT_LEAST else bound - share


def _check(target: BalanceTarget, counts: Counter[str], total: int) -> TargetCheck:
    if total == 0:
        return TargetCheck(target, target.category, 0, None, NO_DATA, None)
    category = _checked_category(target, counts, total)
    if category is None:
        # An every-category target over a dimension nobody has a category in: nothing to judge.
        return TargetCheck(target, target.category, 0, None, NO_DATA, None)
    count = counts[category]
    if _margin(target, count, total) >= -TOLERANCE:
        return TargetCheck(target, category, count, _share(count, total), MET, None)
    needed = _people_needed(target, count, total)
    return TargetCheck(target, category, count, _share(count, total), MISSED, needed)


def _checked_category(target: BalanceTarget, counts: Counter[str], total: int) -> str | None:
    if target.category != EVERY_CATEGORY:
        return target.category
    # "Not stated" is missing data, not a category a target on each one is about ("each region at
    # least 20%" does not ask for people of no stated country).
    present = sorted(category for category, count in counts.items() if count > 0 and category != NOT_STATED)
    if not present:
        return None
    # The worst category decides; among equally bad ones the first by name, so reports are stable.
    return min(present, key=lambda category: _margin(target, counts[category], total))


def _people_needed(target: BalanceTarget, count: int, total: int) -> int | None:
    bound = _exact(target.share)
    if target.bound == AT_LEAST:
        return _needed_to_reach(count, total, bound - TOLERANCE, unreachable=bound >= 1)
    return _needed_to_dilute(count, total, bound + TOLERANCE, unreachable=bound == 0)


def _needed_to_reach(count: int, total: int, threshold: Fraction, *, unreachable: bool) -> int | None:
    """Smallest k with (count + k) / (total + k) >= threshold,
    that is k >= (threshold * total - count) / (1 - threshold)."""
    if unreachable:
        # "At least 100%" while someone is outside the category: adding people never gets there.
        return None
    return max(0, math.ceil((threshold * total - count) / (1 - threshold)))


def _needed_to_dilute(count: int, total: int, threshold: Fraction, *, unreachable: bool) -> int | None:
    """Smallest k with count / (total + k) <= threshold: k >= count / threshold - total."""
    if unreachable:
        # "At most 0%" while someone is in the category: only removing people helps.
        return None
    return max(0, math.ceil(count / threshold - total))
