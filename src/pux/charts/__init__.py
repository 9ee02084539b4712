"""Maps and charts drawn on the server as SVG: the one rendering interface of the pages and the briefs.

Plain Python on plain data (no web framework, no ORM): callers pass figures, titles, the source and the year,
and get SVG text back, with the same figures as a table for readers who cannot see the picture.

- ``pux.charts.maps.choropleth_svg(values, *, title, legend_title, source, year, unit="", ...) -> str``:
  a world map (Equal Earth projection, vendored world-atlas/Natural Earth outlines) coloured by ``values``
  (ISO3 -> number; ``None`` or absent = "no data", hatched grey, never drawn as zero), with a legend, the
  source and year, the UN-style boundary disclaimer and a ``<title>`` on every country.
  ``pux.charts.maps.choropleth(...) -> Chart`` gives the same SVG together with its ``ChartTable``.
- ``pux.charts.plots.bar_chart(...)``, ``stacked_bar_chart(...)``, ``line_chart(...)`` -> ``Chart``:
  matplotlib rendered to deterministic SVG (text kept as text, so the browser or WeasyPrint shapes Arabic and
  Chinese with the Noto fonts), each returning the SVG and its ``ChartTable``.
- ``pux.charts.tables.Chart`` / ``ChartTable``: what every chart returns; a template renders the table beside
  the picture (``web/templates/charts/_table.html``).

Every text drawn goes through gettext in the active language (``pux.i18n``); pass ``language=`` to draw in
another one.
"""
