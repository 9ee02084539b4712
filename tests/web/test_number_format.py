"""Figures as pages write them: amounts keep the cents they have at any size; other large figures are
written whole; a missing figure stays visibly missing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pux.i18n import language_context
from pux.web.templating import format_number


@pytest.mark.parametrize(
    ("value", "digits", "english", "french"),
    [
        (Decimal("1250.50"), 2, "1,250.50", "1\u202f250,50"),  # a fare: its cents were dropped
        (Decimal("125000000.50"), 2, "125,000,000.50", "125\u202f000\u202f000,50"),
        (Decimal("1250.00"), 2, "1,250", "1\u202f250"),  # whole amounts stay whole
        (1234.56, 1, "1,235", "1\u202f235"),  # a large statistic is written whole
        (12.345, 1, "12.3", "12,3"),
        (None, 2, "—", "—"),
    ],
)
def test_figures_in_each_notation(
    value: Decimal | float | None, digits: int, english: str, french: str
) -> None:
    with language_context("en"):
        assert format_number(value, digits) == english
    with language_context("fr"):
        assert format_number(value, digits) == french
