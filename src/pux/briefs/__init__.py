"""Briefs: country, regional and partner briefs for decision makers, as pages and as PDF."""
