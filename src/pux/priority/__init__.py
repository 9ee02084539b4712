"""The priority index: burden against capacity per country and thematic area (an engine: no web, no ORM)."""
