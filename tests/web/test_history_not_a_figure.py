"""A record's history writes its amounts (with their cents) and its other figures in the reader's notation
through one helper; a value there that is no number (an old record's free text) is shown as it was
written, never dropped nor turned into an error page."""

from __future__ import annotations

import pytest

from pux.i18n import language_context
from pux.web.templating import history_value


@pytest.mark.parametrize(
    ("field", "stored", "written"),
    [
        ("estimated_cost", "1250000.5", "1.250.000,50"),
        ("beneficiaries_women_share", "85.5", "85,5"),
        ("estimated_cost", "about a million", "about a million"),
        ("value", "n/a", "n/a"),
    ],
)
def test_a_history_writes_numbers_the_readers_way_and_other_text_as_written(
    field: str, stored: str, written: str
) -> None:
    with language_context("es"):
        assert history_value(field, stored) == written
