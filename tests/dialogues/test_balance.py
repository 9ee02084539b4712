"""The balance meter on a hand-counted list of ten people: every expected number is worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pux.dialogues.balance import MET, MISSED, NO_DATA, CategoryShare, CountedPerson, TargetCheck, measure
from pux.dialogues.vocabulary import (
    AT_LEAST,
    AT_MOST,
    COUNTRY_GROUP,
    COUNTRY_SIDE,
    EVERY_CATEGORY,
    GENDER,
    REGION,
    STAKEHOLDER_TYPE,
    BalanceTarget,
)


def person(key: int, gender: str, region: str, stakeholder: str, side: str, *groups: str) -> CountedPerson:
    return CountedPerson(
        key=key,
        categories={
            GENDER: frozenset({gender}),
            REGION: frozenset({region}),
            STAKEHOLDER_TYPE: frozenset({stakeholder}),
            COUNTRY_SIDE: frozenset({side}),
            COUNTRY_GROUP: frozenset(groups),
        },
    )


# gender: 4 woman, 5 man, 1 not_stated; region: africa 5, asia_pacific 3, latin_america 2;
# stakeholder: government 5, academia 2, civil_society 2, private_sector 1; side: recipient 7, partner 3;
# country groups: ldc 3 (people 1, 2, 5), lldc 2 (people 1, 6), sids 1 (person 4); person 1 is in two groups.
TEN = [
    person(1, "woman", "africa", "government", "recipient", "ldc", "lldc"),
    person(2, "woman", "africa", "government", "recipient", "ldc"),
    person(3, "woman", "asia_pacific", "academia", "partner"),
    person(4, "woman", "latin_america", "civil_society", "recipient", "sids"),
    person(5, "man", "africa", "government", "recipient", "ldc"),
    person(6, "man", "africa", "government", "recipient", "lldc"),
    person(7, "man", "africa", "government", "partner"),
    person(8, "man", "asia_pacific", "academia", "recipient"),
    person(9, "man", "asia_pacific", "private_sector", "partner"),
    person(10, "not_stated", "latin_america", "civil_society", "recipient"),
]


def check(target: BalanceTarget, people: list[CountedPerson] = TEN) -> TargetCheck:
    (only,) = measure(people, [target]).checks
    return only


def test_shares_per_dimension_are_sorted_by_count_then_category() -> None:
    report = measure(TEN, [])
    assert report.total == 10
    by_dimension = {shares.dimension: shares.rows for shares in report.dimensions}
    assert by_dimension[GENDER] == (
        CategoryShare("man", 5, 0.5),
        CategoryShare("woman", 4, 0.4),
        CategoryShare("not_stated", 1, 0.1),
    )
    assert by_dimension[STAKEHOLDER_TYPE] == (
        CategoryShare("government", 5, 0.5),
        CategoryShare("academia", 2, 0.2),
        CategoryShare("civil_society", 2, 0.2),
        CategoryShare("private_sector", 1, 0.1),
    )
    assert by_dimension[COUNTRY_SIDE] == (
        CategoryShare("recipient", 7, 0.7),
        CategoryShare("partner", 3, 0.3),
    )


def test_a_person_in_several_country_groups_counts_in_each() -> None:
    (groups,) = measure(TEN, [], dimensions=[COUNTRY_GROUP]).dimensions
    # 6 memberships among 10 people: the shares do not add up to 1, and need not.
    assert groups.rows == (
        CategoryShare("ldc", 3, 0.3),
        CategoryShare("lldc", 2, 0.2),
        CategoryShare("sids", 1, 0.1),
    )


def test_four_women_of_ten_meet_at_least_forty_percent() -> None:
    result = check(BalanceTarget(GENDER, "woman", AT_LEAST, 0.40))
    assert (result.category, result.count, result.share, result.status) == ("woman", 4, 0.4, MET)
    assert result.people_needed is None


def test_four_women_of_ten_miss_half_and_need_two_more() -> None:
    # (4 + 2) / (10 + 2) = 6/12 = 0.5 meets; (4 + 1) / 11 = 0.4545 does not.
    result = check(BalanceTarget(GENDER, "woman", AT_LEAST, 0.50))
    assert (result.count, result.status, result.people_needed) == (4, MISSED, 2)


def test_three_of_ten_miss_forty_percent_and_need_two_more() -> None:
    # 3 ldc of 10 = 0.3; (3 + 2) / 12 = 0.4167 meets 0.40, (3 + 1) / 11 = 0.3636 does not.
    result = check(BalanceTarget(COUNTRY_GROUP, "ldc", AT_LEAST, 0.40))
    assert (result.count, result.share, result.status, result.people_needed) == (3, 0.3, MISSED, 2)


def test_five_of_ten_need_three_more_for_sixty_percent() -> None:
    # (5 + 3) / 13 = 0.6154 meets 0.60; (5 + 2) / 12 = 0.5833 does not.
    result = check(BalanceTarget(REGION, "africa", AT_LEAST, 0.60))
    assert (result.status, result.people_needed) == (MISSED, 3)


def test_at_most_counts_the_people_outside_the_category_still_needed() -> None:
    # 7 recipients of 10 = 0.7; 7 / (10 + 2) = 0.5833 <= 0.60, 7 / 11 = 0.6364 is not.
    assert check(BalanceTarget(COUNTRY_SIDE, "recipient", AT_MOST, 0.70)).status == MET
    result = check(BalanceTarget(COUNTRY_SIDE, "recipient", AT_MOST, 0.60))
    assert (result.count, result.status, result.people_needed) == (7, MISSED, 2)


def test_a_share_typed_as_a_decimal_is_met_exactly_at_the_bound() -> None:
    # 1 of 10 = 0.1 and 3 of 10 = 0.3: float noise (0.1 + 0.2 = 0.30000000000000004) must not tip the verdict.
    assert check(BalanceTarget(GENDER, "not_stated", AT_MOST, 0.1)).status == MET
    assert check(BalanceTarget(COUNTRY_SIDE, "partner", AT_LEAST, 0.1 + 0.2)).status == MET
    assert check(BalanceTarget(COUNTRY_SIDE, "partner", AT_MOST, 0.1 + 0.2)).status == MET


def test_a_category_nobody_is_in_has_share_zero() -> None:
    # 0 of 10; 2 / 12 = 0.1667 meets 0.10, 1 / 11 = 0.0909 does not.
    result = check(BalanceTarget(GENDER, "other", AT_LEAST, 0.10))
    assert (result.count, result.share, result.status, result.people_needed) == (0, 0.0, MISSED, 2)


def test_every_category_at_most_reports_the_largest_category() -> None:
    # Government is 5 of 10 = 0.5 against "no type above 30%": 5 / (10 + 7) = 0.294 meets, 5 / 16 = 0.3125
    # does not.
    result = check(BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_MOST, 0.30))
    assert (result.category, result.count, result.share, result.status) == ("government", 5, 0.5, MISSED)
    assert result.people_needed == 7
    assert check(BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_MOST, 0.50)).status == MET


def test_every_category_at_least_reports_the_smallest_category() -> None:
    # Latin America is 2 of 10 = 0.2: it meets "each region at least 20%" and misses 25%,
    # where (2 + 1) / 11 = 0.2727 meets.
    met = check(BalanceTarget(REGION, EVERY_CATEGORY, AT_LEAST, 0.20))
    assert (met.category, met.count, met.status) == ("latin_america", 2, MET)
    missed = check(BalanceTarget(REGION, EVERY_CATEGORY, AT_LEAST, 0.25))
    assert (missed.category, missed.status, missed.people_needed) == ("latin_america", MISSED, 1)


def test_every_category_ties_are_broken_by_name() -> None:
    # academia and civil_society are both 2 of 10; private_sector (1) is the lowest, then the tie.
    result = check(BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_LEAST, 0.15))
    assert (result.category, result.count, result.status) == ("private_sector", 1, MISSED)
    without_private = [p for p in TEN if p.key != 9]
    result = check(BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_LEAST, 0.15), without_private)
    assert result.category == "academia"


def test_nobody_counted_gives_no_data() -> None:
    targets = [
        BalanceTarget(GENDER, "woman", AT_LEAST, 0.4),
        BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_MOST, 0.3),
    ]
    report = measure([], targets)
    assert report.total == 0
    assert all(shares.rows == () for shares in report.dimensions)
    assert [(c.status, c.count, c.share, c.people_needed) for c in report.checks] == [
        (NO_DATA, 0, None, None)
    ] * 2
    assert report.missed == ()


def test_every_category_over_a_dimension_nobody_has_gives_no_data() -> None:
    outside_groups = [p for p in TEN if not p.categories[COUNTRY_GROUP]]
    assert check(BalanceTarget(COUNTRY_GROUP, EVERY_CATEGORY, AT_MOST, 0.5), outside_groups).status == NO_DATA


def test_unreachable_bounds_need_no_number_of_people() -> None:
    assert check(BalanceTarget(GENDER, "woman", AT_LEAST, 1.0)).people_needed is None
    assert check(BalanceTarget(GENDER, "woman", AT_MOST, 0.0)).people_needed is None
    assert check(BalanceTarget(GENDER, "woman", AT_MOST, 0.0)).status == MISSED


def test_missed_lists_only_missed_checks_in_order() -> None:
    targets = [
        BalanceTarget(GENDER, "woman", AT_LEAST, 0.5),
        BalanceTarget(GENDER, "woman", AT_LEAST, 0.4),
        BalanceTarget(STAKEHOLDER_TYPE, EVERY_CATEGORY, AT_MOST, 0.3),
    ]
    report = measure(TEN, targets)
    assert [c.target for c in report.missed] == [targets[0], targets[2]]


def test_a_target_dimension_outside_the_shown_dimensions_is_still_checked() -> None:
    report = measure(TEN, [BalanceTarget(REGION, "africa", AT_LEAST, 0.5)], dimensions=[GENDER])
    assert [shares.dimension for shares in report.dimensions] == [GENDER]
    assert report.checks[0].status == MET


@pytest.mark.parametrize(
    "target",
    [BalanceTarget(GENDER, "woman", "about", 0.4), BalanceTarget(GENDER, "woman", AT_LEAST, 1.5)],
)
def test_malformed_targets_are_refused(target: BalanceTarget) -> None:
    with pytest.raises(ValueError):
        measure(TEN, [target])


def crowd(inside: int, outside: int) -> list[CountedPerson]:
    categories = [frozenset({"in"})] * inside + [frozenset({"out"})] * outside
    return [CountedPerson(key, {GENDER: group}) for key, group in enumerate(categories)]


shares = st.one_of(st.integers(1, 99).map(lambda percent: percent / 100), st.floats(0.05, 0.95))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(total=st.integers(1, 60), data=st.data(), bound=st.sampled_from([AT_LEAST, AT_MOST]), share=shares)
def test_people_needed_is_exactly_enough(total: int, data: st.DataObject, bound: str, share: float) -> None:
    inside = data.draw(st.integers(0, total), label="inside")
    target = BalanceTarget(GENDER, "in", bound, share)
    result = check(target, crowd(inside, total - inside))
    if result.status == MET:
        assert result.people_needed is None
        return
    needed = result.people_needed
    assert needed is not None and needed >= 1
    # AT_LEAST is helped by people of the category, AT_MOST by people outside it.
    if bound == AT_LEAST:
        enough, one_short = crowd(inside + needed, total - inside), crowd(inside + needed - 1, total - inside)
    else:
        enough, one_short = crowd(inside, total - inside + needed), crowd(inside, total - inside + needed - 1)
    assert check(target, enough).status == MET
    assert check(target, one_short).status == MISSED
