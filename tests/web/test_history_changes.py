"""What a record's history shows of a change: an amount written again with its decimals is no change (an
IATI update showed "Amount committed: 500000.00 → 500000"); internal numbers are not shown."""

from __future__ import annotations

from pux.i18n import language_context
from pux.web.field_labels import field_label
from pux.web.templating import history_changes


def test_an_amount_written_again_with_its_decimals_is_no_change() -> None:
    before = {"amount_committed": "500000.00", "title": "Old", "iati_source_id": 3, "reference": "10.0"}
    after = {"amount_committed": "500000", "title": "New", "iati_source_id": 4, "reference": "10.01"}
    assert history_changes(before, after) == [("title", "Old", "New"), ("reference", "10.0", "10.01")]


def test_codes_that_differ_only_in_leading_zeros_are_still_a_change() -> None:
    assert history_changes({"code": "01"}, {"code": "1"}) == [("code", "01", "1")]
    assert history_changes({"amount": None}, {"amount": "0.00"}) == [("amount", None, "0.00")]


def test_the_iati_update_time_has_a_name_in_every_language() -> None:
    with language_context("en"):
        english = field_label("iati_last_updated")
    for language in ("fr", "es", "ar", "zh", "ru"):
        with language_context(language):
            assert field_label("iati_last_updated") not in ("iati_last_updated", "")
            assert field_label("iati_last_updated") != english, language  # translated, not the fallback
