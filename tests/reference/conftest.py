"""What the reference tests keep in the process-wide caches must not outlive them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pux.reference import choices
from pux.reference import service as reference


@pytest.fixture(autouse=True)
def _forget_kept_choices() -> Iterator[None]:
    """A test that renames a country or relabels a goal is rolled back, and on SQLite the audit id of the
    stamp its choices were kept by is then handed out again: what it kept must go with it."""
    yield
    reference._CHOICES.clear()
    reference._VOCABULARY.clear()
    choices._SDG_OPTIONS.clear()
