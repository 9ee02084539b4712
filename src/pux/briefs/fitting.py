"""A brief's PDF within its page budget: its longest list is shortened until the document fits.

A regional brief lists the region's most pressing countries, needs, providers and events; in Russian or
Arabic, whose words run longer, the same lists passed the four pages the brief promises. The lists are
cut from their end (each is ordered most important first), never below a few lines, and the needs' own
"more needs are listed in PUX" line says how many were left out.
"""

from __future__ import annotations

from dataclasses import replace

from pux.briefs.content import Brief

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


def shortened(brief: Brief) -> Brief | None:
    """A copy of ``brief`` with its longest list a quarter shorter, or None when every list is as short
    as it may be."""
    name, length = max(((name, len(getattr(brief, name))) for name in CUT_LISTS), key=lambda item: item[1])
    if length <= MIN_LINES:
        return None
    kept = max(MIN_LINES, length - max(1, length // 4))
    return replace(brief, **{name: getattr(brief, name)[:kept]})
