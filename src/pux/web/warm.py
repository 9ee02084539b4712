"""What an app process computes before it takes its first request (``PUX_WARM_UP``, on under `pux serve`).

At the mission's scale a cold process made its first readers wait tens of seconds, side by side, for results
that every later request shares (the search vectors, the needs' side of the recommendations, the priority
inputs), and its memory grew by hundreds of megabytes while it served. Each step runs in a read-only unit of
work of its own; one that fails is logged and skipped: the process is then slow to its first readers, not
broken.

Last, the process's objects, nearly all of them alive for as long as it runs (the code, templates, the results
above: some 420,000 at the mission's scale), are set apart from Python's cycle collector (``gc.freeze``):
otherwise each of its full collections walked them all, 0.2 s during which every request of the process
waited (an export of 20,000 needs met two of them)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.charts import plots
from pux.gaps import dashboard
from pux.gaps import service as gaps
from pux.gaps import vocabulary as gap_terms
from pux.matching import service as matching
from pux.priority import service as priority
from pux.processes import prepare_ahead, set_long_lived_objects_apart
from pux.search import service as search

LOGGER = logging.getLogger("pux.warm")


def _home_page(session: Session) -> object:
    """The public home page's figures (this year's assistance by provider and country, the needs map)."""
    return dashboard.dashboard(session, actor=Actor.public())


def _assistance_map(session: Session) -> object:
    return gaps.map_figures(session, actor=Actor.public(), indicator=gap_terms.ASSISTANCE)


def _who_does_what_where(session: Session) -> object:
    """The public table of this year's assistance (its first reading: two seconds at the mission's scale)."""
    return gaps.who_does_what_where(session, actor=Actor.public())


def _charts(session: Session) -> object:
    """One small chart drawn: the first chart of a process loaded the plotting library and its fonts,
    0.8 s that the first reader of a page with a chart waited for."""
    return plots.bar_chart(["-"], [1.0], title="-", value_label="-", source="-", year=None)


STEPS: tuple[tuple[str, Callable[[Session], object]], ...] = (
    ("priority inputs", priority.country_inputs),
    ("home page", _home_page),
    ("assistance map", _assistance_map),
    ("recommendations", matching.prepare),
    ("need and programme pages", matching.prepare_pages),
    ("who does what where", _who_does_what_where),
    ("charts", _charts),
    ("search vectors", search.prepare),
)


def warm_up(factory: sessionmaker[Session]) -> None:
    for name, step in STEPS:
        prepare_ahead(factory, name, step, LOGGER, "warm-up: ")
    set_long_lived_objects_apart()
