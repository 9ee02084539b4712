"""The calculator's problems and notes name each input by the label the reader sees on the form, in the
reader's language, and state ranges in the units typed (percent): readers met "horizon_years doit être...",
"discount_rate ... 0.0 et 0.5" after typing 70 (percent), and "...: investment, running_cost" on an Arabic
page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from pux.knowledge.seed import SeedReport

PAGE = "/techniques/sterile-insect-technique"
FIGURES = {
    "investment": "100", "investment__currency": "USD", "running_cost": "10", "running_cost__currency": "USD",
    "benefit": "50", "benefit__currency": "USD",
}  # fmt: skip
INTERNAL_NAMES = re.compile(r"\b(horizon_years|discount_rate|sensitivity|investment|running_cost|benefit)\b")


def _result(client: TestClient, language: str, **query: str) -> str:
    client.get(f"/language/{language}")
    page = client.get(PAGE, params={**FIGURES, **query})
    assert page.status_code == 200
    return page.text.split('class="calculator-result"')[1].split("</section>")[0]


def test_assumptions_out_of_range_are_named_by_label_with_percent_ranges(
    client: TestClient, seeded: SeedReport
) -> None:
    result = _result(client, "fr", horizon_years="0", discount_percent="70", sensitivity_percent="95")
    assert not INTERNAL_NAMES.search(result), result
    assert "Horizon (années)" in result and "Taux d&#39;actualisation" in result
    assert "50 %" in result and "90 %" in result  # as typed: percent, not 0.5 and 0.9
    assert "0.5" not in result and "0,5" not in result


def test_notes_name_the_figures_by_label_in_arabic(client: TestClient, seeded: SeedReport) -> None:
    result = _result(client, "ar")
    notes = re.search(r'<ul class="notes">(.*?)</ul>', result)
    assert notes is not None
    assert not INTERNAL_NAMES.search(notes.group(1)), notes.group(1)
    assert "\u060c" in notes.group(1)  # the Arabic comma between the figures


def test_a_figures_own_box_is_named_with_the_figure(client: TestClient, seeded: SeedReport) -> None:
    result = _result(client, "en", benefit__price_year="twenty", rate_value="abc", rate_from="EUR")
    assert "Benefit per year (at full scale): Price year must be a number" in result
    assert "One unit is worth (in the results&#39; currency) must be a number" in result
    assert "rate_value" not in result and "price_year" not in result
