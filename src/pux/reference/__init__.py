"""Reference data: countries, regions, income groups, the SDG framework, thematic areas, indicators."""
