"""Gaps: who does what where, each country's gap per thematic area, the unfunded-needs board with partners'
marks of interest, and the figures behind the maps.

The functions the briefs (and the pages, the API and the CLI) call are in ``pux.gaps.service``; they take a
session and the reader (``actor``) and return plain dataclasses (``pux.gaps.schemas`` and
``pux.gaps.engine``) in which every figure carries its unit, source and year and a missing figure is
``None``:

- ``country_gaps(session, *, actor, iso3, period=None, currency="USD", rates=()) -> GapReport``
- ``region_gaps(session, *, actor, m49, area=None, period=None, currency="USD", rates=()) -> GapReport``
- ``gap_ranking(session, *, actor, filters=GapFilter(), period=None, currency="USD", rates=()) -> GapReport``
- ``organisation_gaps(session, *, actor, organisation_id, period=None, currency="USD", rates=())``
  -> ``GapReport``
- ``who_does_what_where(session, *, actor, filters=WhoFilter(), period=None) -> WhoReport``
- ``unfunded_needs(session, *, actor, filters=UnfundedFilter(), page=PageRequest(), sort="priority",
  currency="USD", rates=()) -> UnfundedBoard`` (a page of ``UnfundedNeed``; costs compared in ``currency``)
- ``map_figures(session, *, actor, indicator, area=None, period=None) -> MapFigures`` (ISO3 -> value,
  ready for ``pux.charts.maps.choropleth_svg``)
- ``usd_committed(session, *, actor, period) -> float | None`` (the map's dollar sums added up)
- ``mark_interest`` / ``withdraw_interest`` / ``acknowledge_interest`` / ``interests_for_need`` /
  ``interests_waiting`` (the focal point's inbox).

Only what the reader may see is counted (the needs' and activities' visibility scopes of
``accounts.permissions``): a public reader's gap never includes a private or unpublished need. The gap
arithmetic itself is ``pux.gaps.engine`` (plain data, no ORM, no web).
"""
