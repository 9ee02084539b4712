"""A brief's PDF within its page budget: its longest list is shortened until the document fits.

A regional brief lists the region's most pressing countries, needs, providers and events; in Russian or
Arabic, whose words run longer, the same lists passed the four pages the brief promises. The lists are
cut from their end (each is ordered most important first), never below a few lines; the needs' own
"more needs are listed in PUX" line says how many were left out, and the providers or countries cut are
summed in their table's last row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


# --- Fitting in few renders ------------------------------------------------------------------------------
#
# Each render of a brief costs 0.6-1.1 s, and stepping a quarter at a time took a regional brief in Russian
# twenty renders. The first render says by how much the brief ran past its budget; the cut is guessed from
# that along the same quarter steps (every cut is one they would make, never a list below MIN_LINES), and
# each further render corrects the guess with what the cut lines measured. A guess may land a step or more
# past the first step that fits: the steps between are then rendered (the one just before first, then
# halving), so that the brief printed is the one the quarter steps would print, never shorter.

# The share of a brief's length its cut lists take, for the first guess. On the demo's country and
# regional briefs in English, Russian and Arabic it measured a quarter to four fifths (the rest is headings,
# tables of figures, gaps and sources), and the length falls in jumps: a technique or a need's offers are
# kept whole on one page, so cutting a line often moves nothing until a whole article moves. These two
# values took the fewest renders on those briefs (replayed on every step's measured length): a lower share
# cuts more at once, a higher one renders more often.
LISTS_SHARE = 0.45
# Room a guess keeps below the budget, in pages: a table or article kept whole moves by more than its lines.
MARGIN = 0.1


@dataclass(frozen=True)
class Measured:
    """One rendered step: its place among the quarter steps, its lines, its pages and its length in pages
    (its last page counted as far as the text reached)."""

    step: int
    lines: int
    pages: int
    length: float

    @property
    def fits(self) -> bool:
        return self.pages <= MAX_PAGES


def lines(brief: Brief) -> int:
    """The lines of the lists that may be cut."""
    return sum(len(getattr(brief, name)) for name in CUT_LISTS)


def quarter_steps(brief: Brief) -> list[Brief]:
    """The brief and each shorter copy ``shortened`` makes of it in turn, down to the shortest."""
    steps = [brief]
    while (shorter := shortened(steps[-1])) is not None:
        steps.append(shorter)
    return steps


def chosen_step(step_lines: Sequence[int], first: Measured, measure: Callable[[int], Measured]) -> int:
    """The quarter step to print, given the lines of each step and the first render (past the budget);
    ``measure`` renders a step. On the demo's briefs one to four more renders, where the quarter steps
    took up to twenty."""
    too_long = first
    guessed = LISTS_SHARE * first.length / max(1, first.lines)
    height = guessed
    while too_long.step < len(step_lines) - 1:
        step = _first_step_to_fit(step_lines, too_long, height)
        measured = measure(step)
        # A line is taken as at least as tall as first guessed: lengths fall in jumps, and a cut that moved
        # nothing would make the next guess cut far too much.
        height = max(guessed, _line_height(too_long, measured, guessed))
        if measured.fits:
            return _first_that_fits(too_long.step, step, measure)
        too_long = measured
    return too_long.step  # every list as short as it may be


def _line_height(longer: Measured, shorter: Measured, guessed: float) -> float:
    """Pages a line takes, from two renders of the same brief (the guess when they cannot tell)."""
    cut = longer.lines - shorter.lines
    measured = (longer.length - shorter.length) / cut if cut > 0 else 0.0
    return measured if measured > 0 else guessed


def _predicted_length(step_lines: Sequence[int], step: int, known: Measured, height: float) -> float:
    return known.length - (known.lines - step_lines[step]) * height


def _first_step_to_fit(step_lines: Sequence[int], too_long: Measured, height: float) -> int:
    """The first step after ``too_long`` predicted to keep within budget (the last step when none is)."""
    for step in range(too_long.step + 1, len(step_lines)):
        if _predicted_length(step_lines, step, too_long, height) <= MAX_PAGES - MARGIN:
            return step
    return len(step_lines) - 1


def _first_that_fits(too_long: int, fits: int, measure: Callable[[int], Measured]) -> int:
    """The first step that fits, between a step known to run past the budget and one known to fit. The
    step just before the fitting one is rendered first (the guess usually lands on the first that fits:
    one render says so), then the steps between are halved."""
    probe = fits - 1
    while fits - too_long > 1:
        if measure(probe).fits:
            fits = probe
        else:
            too_long = probe
        probe = (too_long + fits) // 2
    return fits
