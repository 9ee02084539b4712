"""A chart's source line as Chromium draws it: a long source (Russian, Chinese, Arabic) is broken over
lines inside the picture, every word of it kept (it ran off the chart's edge, cut, on the Russian gaps
page)."""

from __future__ import annotations

from typing import Any

import pytest

from pux.charts.plots import bar_chart

pytestmark = pytest.mark.browser

LONG_SOURCES = {
    "ru": "Реестр потребностей PUX: утвержденные потребности и их сметная стоимость; Мероприятия по "
    "оказанию помощи PUX: суммы обязательств, ещё не выплаченные",
    "zh": "PUX需求登记册：已认可需求及其估计费用；PUX援助活动：已承诺但尚未支付的金额；世界银行世界发展指标的"
    "各项数据与联合国统计司的人口估计数",
    "ar": "سجل الاحتياجات في PUX: الاحتياجات المعتمدة وتكاليفها التقديرية؛ أنشطة المساعدة في PUX: المبالغ "
    "الملتزم بها التي لم تصرف بعد؛ مؤشرات التنمية العالمية للبنك الدولي وتقديرات السكان الصادرة عن شعبة "
    "الإحصاءات في الأمم المتحدة",
}

BOXES = """() => {
  const svg = document.querySelector('svg').getBoundingClientRect();
  const texts = [...document.querySelectorAll('svg text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left, right: r.right};
  });
  return {left: svg.left, right: svg.right, texts};
}"""


@pytest.mark.parametrize("language", ["ru", "zh", "ar"])
def test_a_long_source_is_broken_over_lines_inside_the_chart(browser: Any, language: str) -> None:
    source = LONG_SOURCES[language]
    chart = bar_chart(
        ["A", "B"], [1.0, 2.0], title="T", value_label="V", source=source, year=2026, language=language
    )
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    try:
        page.set_content(f"<!doctype html><html><body style='margin:0'>{chart.svg}</body></html>")
        boxes = page.evaluate(BOXES)
    finally:
        page.close()
    drawn = [t for t in boxes["texts"] if any(word in t["text"] for word in ("PUX", "2026"))]
    assert len(drawn) >= 2, "the long source should take more than one line"
    for line in drawn:
        assert boxes["left"] - 0.5 <= line["left"] and line["right"] <= boxes["right"] + 0.5, line
    kept = "".join(line["text"] for line in drawn).replace(" ", "")
    for mark in ("\u202b", "\u202c"):  # the right-to-left embedding around each Arabic line
        kept = kept.replace(mark, "")
    assert source.replace(" ", "") in kept
