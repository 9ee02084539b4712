"""Exchange with other systems: CSV and Excel tables, IATI."""
