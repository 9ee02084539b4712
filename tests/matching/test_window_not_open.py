"""A programme whose window opens later: recommended, saying when it opens, but given to no need by a round.
A programme opening on 1 September 2027 was recommended in December 2026 with no word of its window, and a
round gave all of its money at once (only the window's end was read). A round commits money now: money that
is not there yet is neither allocated nor counted in the round's budget (and so in its country caps)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pux.matching.allocation import RoundRules, allocate
from pux.matching.engine import MatchingData, ProgrammeItem, eligible_pairs, top_programmes_for_need
from tests.matching.test_allocation import need, programme

TODAY = date(2026, 12, 6)
OPENS = date(2027, 9, 1)


def _later(index: int, budget: float) -> ProgrammeItem:
    return replace(programme(index, budget), window_start=OPENS)


def test_a_programme_not_yet_open_is_recommended_saying_when_it_opens() -> None:
    data = MatchingData([need(1, "KEN", 100_000)], [_later(1, 500_000)], today=TODAY)
    (found,) = top_programmes_for_need(data, 0)
    assert "opens on 2027-09-01: allocation rounds leave it out until then" in found.reasons


def test_an_open_programme_says_nothing_of_its_window() -> None:
    opened = replace(programme(1, 500_000), window_start=date(2026, 1, 1))
    (found,) = top_programmes_for_need(MatchingData([need(1, "KEN", 100_000)], [opened], today=TODAY), 0)
    assert not any("opens on" in reason for reason in found.reasons)


def test_a_round_gives_nothing_from_a_programme_not_yet_open_nor_counts_its_money() -> None:
    needs_ = [need(1, "KEN", 400_000), need(2, "UGA", 400_000)]
    now = programme(1, 400_000)
    data = MatchingData(needs_, [now, _later(2, 600_000)], today=TODAY)
    pairs = eligible_pairs(data, for_allocation=True)
    assert set(pairs.programmes.tolist()) == {0}
    result = allocate(data, pairs, RoundRules(country_cap_share=0.5))
    assert {award.programme for award in result.awards} == {0}
    # The cap is half of the 400,000 there is now, not of 1,000,000 (which let Kenya take it all).
    assert result.total_budget == 400_000 and result.currencies["USD"].country_cap == 200_000
    assert max(award.amount for award in result.awards) == 200_000
    # On its first day it takes part.
    opened = MatchingData(needs_, [now, _later(2, 600_000)], today=OPENS)
    assert set(eligible_pairs(opened, for_allocation=True).programmes.tolist()) == {0, 1}
