"""A small figure other than zero is never written 0: Madagascar's research and development spending,
0.01275 % of GDP (2017), read "0 % of GDP" on its country page and in its brief."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from pux.i18n import language_context, number_text


@pytest.mark.parametrize(
    ("value", "digits", "english", "french"),
    [
        (0.01275, 1, "0.013", "0,013"),  # two significant digits
        (-0.0042, 1, "-0.0042", "-0,0042"),
        (0.5, 1, "0.5", "0,5"),
        (0.4, 0, "0.4", "0,4"),  # even where whole figures are asked for
        (Decimal("0.004"), 2, "0.004", "0,004"),  # an amount keeps its cents, and what lies below them
        (Decimal("0.5"), 2, "0.50", "0,50"),
        (12.345, 1, "12.3", "12,3"),  # from 1 up, as before
    ],
)
def test_a_small_figure_keeps_two_significant_digits_in_each_notation(
    value: float | Decimal, digits: int, english: str, french: str
) -> None:
    with language_context("en"):
        assert number_text(value, digits) == english
    with language_context("fr"):
        assert number_text(value, digits) == french


def test_madagascars_research_spending_is_not_shown_as_zero(client: TestClient) -> None:
    for path in ("/countries/MDG", "/countries/MDG/brief"):
        page = html.unescape(client.get(path).text)
        row = page.split("GB.XPD.RSDV.GD.ZS", 1)[1] if path == "/countries/MDG" else page
        shown = row.split('value="0.01275"', 1)[1][:200] if 'value="0.01275"' in row else row[:400]
        assert "0.013" in shown, path
        assert ">0\xa0% of GDP" not in page and ">0</td>" not in shown, path
