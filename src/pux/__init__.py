"""PUX - Peaceful Uses Exchange."""

__version__ = "0.1.0"
