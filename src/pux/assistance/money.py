"""What every amount of money PUX stores obeys, wherever it comes from (a form, the API, a spreadsheet or
an IATI file). Plain values and checks: no web, no ORM (the IATI rules use them too)."""

from __future__ import annotations

from decimal import Decimal

# Every amount is less than this: what the amount columns hold (NUMERIC(16, 2): at most
# 99,999,999,999,999.99). The forms, the API, the spreadsheet imports and the IATI import share it: the
# forms allowed 10 trillion and the IATI import ten quadrillion, so an activity imported with 20 trillion
# XOF could not be saved again from its own edit form.
AMOUNT_LIMIT = Decimal("1e14")
