"""Figures of the evidence ledger and the calculator as they were given: the site's number format rounds
from 1,000 up (1,250.75 became "1,251"), which is right for a total and wrong for a figure quoted from its
source."""

from __future__ import annotations

from decimal import Decimal

from pux.i18n import decimal_text

# A figure typed or quoted has a few significant digits; one computed (an indicator times a number of
# people) may carry seventeen: it is shown to this many.
SIGNIFICANT_DIGITS = 10


def as_entered(value: float | None) -> str:
    """``value`` with every decimal it was given (up to ten significant digits), in the reader's notation;
    None stays visibly missing."""
    if value is None:
        return "—"
    figure = Decimal(repr(float(value)))
    if not figure.is_finite():
        return str(value)
    if len(figure.as_tuple().digits) > SIGNIFICANT_DIGITS:
        figure = Decimal(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
    exponent = figure.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return decimal_text(float(figure), "#,##0." + "#" * decimals if decimals else "#,##0")
