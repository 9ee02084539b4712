"""``python -m pux ...``: the same command line as ``pux ...``."""

from pux.cli import app

app()
