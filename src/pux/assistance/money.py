"""What every amount of money PUX stores obeys, wherever it comes from (a form, the API, a spreadsheet or
an IATI file). Plain values and checks: no web, no ORM (the IATI rules use them too)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from pux.i18n import gettext as _
from pux.validation import FieldValueError

# Every amount is less than this: what the amount columns hold (NUMERIC(16, 2): at most
# 99,999,999,999,999.99). The forms, the API, the spreadsheet imports and the IATI import share it: the
# forms allowed 10 trillion and the IATI import ten quadrillion, so an activity imported with 20 trillion
# XOF could not be saved again from its own edit form.
AMOUNT_LIMIT = Decimal("1e14")
# The currency of a record's amounts (needs, programmes, activities alike); see require_currency_with_amounts.
AmountsCurrency = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of the amounts; required when an amount is given (PUX converts nothing)",
    ),
]


# What an amount column holds after the point (NUMERIC(16, 2)).
CENT = Decimal("0.01")


def as_stored(amount: Decimal) -> Decimal:
    """``amount`` as its column gives it back: written out, with its two decimals. A record just written
    still holds the amount as it was sent, so the answer to a POST or PUT of 1E+3 said "1E+3" where any
    later read says "1000.00"."""
    return amount.quantize(CENT)


# An amount of a record as the API shows it (needs, programmes, activities alike): as stored, whether the
# record was read back or has just been written.
StoredAmount = Annotated[Decimal, AfterValidator(as_stored)]


def require_currency_with_amounts(data: Any, amount_fields: tuple[str, ...]) -> None:
    """Refuse, naming ``currency``, a record's values (as sent, before the schema fills its defaults) that
    give an amount and no currency: a spreadsheet row with a blank currency cell, or an API body without
    one, was saved in US dollars and counted so in the gaps. A form's currency is the one its select
    shows. A record of no amount may leave it out (it then has the column's default, of no consequence)."""
    if not isinstance(data, dict) or _given(data.get("currency")):
        return
    if any(_given(data.get(name)) for name in amount_fields):
        raise FieldValueError(
            "currency", _("is required with an amount: say which currency it is in (PUX converts nothing)")
        )


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
