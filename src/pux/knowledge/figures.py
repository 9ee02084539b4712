"""Figures of the evidence ledger and the calculator as they were given: the site's number format rounds
from 1,000 up (1,250.75 became "1,251"), which is right for a total and wrong for a figure quoted from its
source."""

from __future__ import annotations

from decimal import Decimal

from pux.i18n import decimal_text

# A figure typed or quoted has a few significant digits; one computed (an indicator times a number of
# people) may carry seventeen: it is shown to this many.
SIGNIFICANT_DIGITS = 10


def as_entered(value: float | None, significant: int | None = SIGNIFICANT_DIGITS) -> str:
    """``value`` with every decimal it was given (up to ``significant`` digits; None: all of them), in the
    reader's notation; None stays visibly missing."""
    if value is None:
        return "—"
    figure = Decimal(repr(float(value)))
    if not figure.is_finite():
        return str(value)
    if significant is not None and len(figure.as_tuple().digits) > significant:
        figure = Decimal(f"{float(value):.{significant}g}")
    exponent = figure.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return decimal_text(float(figure), "#,##0." + "#" * decimals if decimals else "#,##0")


def in_form(value: float | None) -> str:
    """``value`` to fill a form's box, in the reader's notation and whole (a French form showing "0.125" had
    it refused as 125 or 0.125 when saved unchanged); None leaves the box empty."""
    return "" if value is None else as_entered(value, significant=None)
