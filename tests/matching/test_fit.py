"""Eligibility, fit and recommendations with their explanations."""

from __future__ import annotations

from datetime import date

from pux.matching.engine import MatchingData, eligible_pairs, top_needs_for_programme, top_programmes_for_need
from tests.matching.test_allocation import need, programme


def test_hard_eligibility_rules() -> None:
    needs = [
        need(1, "KEN", 10),
        need(2, "UGA", 10, groups=frozenset({"LDC"})),
        need(3, "KEN", 10, area="food"),
        need(4, "KEN", 10, status="submitted"),
    ]
    programmes = [
        programme(1, 100, groups=frozenset({"LDC"})),
        programme(2, 100, countries=frozenset({"KEN"})),
        programme(3, 100),
    ]
    data = MatchingData(needs, programmes, today=date(2026, 6, 1))
    pairs = eligible_pairs(data)
    found = {
        (data.needs[i].id, data.programmes[j].id) for i, j in zip(pairs.needs, pairs.programmes, strict=True)
    }
    assert found == {(2, 1), (1, 2), (1, 3), (2, 3)}


def test_recommendations_rank_by_fit_and_explain_themselves() -> None:
    needs = [
        need(1, "UGA", 100, priority=90, groups=frozenset({"LDC"})),
        need(2, "KEN", 100, priority=20),
        need(3, "TZA", 100, priority=50, technique="brachytherapy"),
    ]
    programmes = [programme(1, 1000, 500, groups=frozenset({"LDC"})), programme(2, 1000, 500)]
    data = MatchingData(needs, programmes)
    top = top_needs_for_programme(data, 1, k=3)
    assert [r.need_id for r in top] == [1, 2, 3]  # the high-priority LDC need with the same technique first
    assert all(top[i].fit >= top[i + 1].fit for i in range(len(top) - 1))
    assert any("radiotherapy" in reason for reason in top[0].reasons)
    assert any("SDG 3.4" in reason for reason in top[0].reasons)
    for_need = {r.programme_id: r for r in top_programmes_for_need(data, 0, k=5)}
    assert set(for_need) == {1, 2}  # the LDC need may use the LDC-only programme and the open one
    assert "eligible: LDC" in for_need[1].reasons
    assert "eligible: no restriction applies" in for_need[2].reasons
    # KEN and TZA are not LDCs here: the LDC-only programme is never offered to them.
    assert [r.programme_id for r in top_programmes_for_need(data, 1, k=5)] == [2]
    tanzania = top_programmes_for_need(data, 2, k=5)
    assert [r.programme_id for r in tanzania] == [2]
    assert not any("technique" in reason for reason in tanzania[0].reasons)  # brachytherapy vs radiotherapy
    assert tanzania[0].fit < top[0].fit


def test_a_reasons_named_codes_are_listed_in_the_readers_language() -> None:
    from pux.i18n import language_context
    from pux.matching.engine import render_reasons

    found = [("technique %(names)s matches", {"names": "SIT, RT"})]
    names = {"SIT": "تقنية الحشرات العقيمة", "RT": "العلاج الإشعاعي"}
    with language_context("ar"):
        shown = render_reasons(found, label=lambda _key, code: names[code])
    assert "تقنية الحشرات العقيمة\u060c العلاج الإشعاعي" in shown[0]
