"""A brief's PDF within its page budget: its longest list is shortened until the document fits.

A regional brief lists the region's most pressing countries, needs, providers and events; in Russian or
Arabic, whose words run longer, the same lists passed the four pages the brief promises. The lists are
cut from their end (each is ordered most important first), never below a few lines; the needs' own
"more needs are listed in PUX" line says how many were left out, and the providers or countries cut are
summed in their table's last row.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pux.briefs.content import Brief, rest_of

MAX_PAGES = 4
# A list is not cut below this many lines: a section of one line reads as if there were no more.
MIN_LINES = 2
CUT_LISTS = (
    "needs",
    "countries",
    "providers",
    "recipients",
    "fitting_needs",
    "need_offers",
    "events",
    "techniques",
)
# The lists whose cut lines are summed in a row of their own (the table's rows add up to the total above it).
SUMMED_REST = {"providers": "providers_rest", "recipients": "recipients_rest"}


def shortened(brief: Brief) -> Brief | None:
    """A copy of ``brief`` with its longest list a quarter shorter, or None when every list is as short
    as it may be."""
    name, length = max(((name, len(getattr(brief, name))) for name in CUT_LISTS), key=lambda item: item[1])
    if length <= MIN_LINES:
        return None
    kept = max(MIN_LINES, length - max(1, length // 4))
    lines = getattr(brief, name)
    changes: dict[str, Any] = {name: lines[:kept]}  # lists and sums of various types, by field name
    if name in SUMMED_REST:
        # The providers (or countries) cut are summed in the table's last row, with those cut before.
        rest = SUMMED_REST[name]
        changes[rest] = rest_of(lines[kept:], getattr(brief, rest))
    return replace(brief, **changes)
