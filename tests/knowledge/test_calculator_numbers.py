"""The calculator reads figures as the page's language writes them (decimal mark, group separators
including the narrow no-break space the page itself writes in French), and refuses rather than guesses."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pux.knowledge.calculator import NumberRefused, parse_number
from pux.knowledge.seed import SeedReport

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("fr", "1500000,50", 1_500_000.5),
        ("fr", f"1{NNBSP}500{NNBSP}000", 1_500_000),
        ("fr", "1 500 000,5", 1_500_000.5),
        ("fr", "3,5", 3.5),
        ("fr", "1.5", 1.5),
        ("ru", f"1{NBSP}500{NBSP}000,25", 1_500_000.25),
        ("ru", "1 500 000", 1_500_000),
        ("es", "1.500.000,5", 1_500_000.5),
        ("en", "1,500,000.50", 1_500_000.5),
        ("en", "1 500 000", 1_500_000),
        ("zh", "1,500,000", 1_500_000),
        ("ar", "1,500,000.5", 1_500_000.5),
        ("ar", "١٥٠٠٫٥", 1500.5),
        ("en", "-2.5", -2.5),
    ],
)
def test_numbers_are_read_in_the_pages_language(language: str, typed: str, number: float) -> None:
    assert parse_number(typed, language) == number


@pytest.mark.parametrize(
    ("language", "typed", "ambiguous"),
    [
        ("fr", "1.500", True),  # 1.5 or 1500?
        ("ru", "2.000", True),
        ("en", "1500000,50", False),  # not a grouping of three digits: not a number as written in English
        ("en", "1,5", False),
        ("fr", "1,500,000", False),
        ("fr", "1 50", False),
        ("en", "abc", False),
        ("en", "nan", False),
        ("en", "inf", False),
    ],
)
def test_numbers_that_cannot_be_read_or_read_two_ways_are_refused(
    language: str, typed: str, ambiguous: bool
) -> None:
    with pytest.raises(NumberRefused) as refused:
        parse_number(typed, language)
    assert refused.value.ambiguous is ambiguous


def _calculate(client: TestClient, language: str, **figures: str) -> str:
    client.get(f"/language/{language}")
    query = {
        "investment__currency": "USD", "running_cost": "0", "running_cost__currency": "USD",
        "benefit__currency": "USD", "horizon_years": "1", "discount_percent": "0", "sensitivity_percent": "0",
        **figures,
    }  # fmt: skip
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert page.status_code == 200
    return page.text


def test_a_french_reader_gets_the_result_of_the_figures_as_written_in_french(
    client: TestClient, seeded: SeedReport
) -> None:
    # 1 000 a year of benefit for one year, against 100.5 invested: 899.5 (was read as 1005, and the
    # page's own way of writing a thousand was refused).
    text = _calculate(client, "fr", investment="100,5", benefit=f"1{NNBSP}000")
    npv = re.search(r'class="npv"><span dir="ltr">([^<]*)</span>', text)
    assert npv is not None and npv.group(1) == "899,50", npv  # an amount: with its cents


def test_an_ambiguous_figure_is_refused_with_a_clear_message(client: TestClient, seeded: SeedReport) -> None:
    text = _calculate(client, "en", investment="1500000,50", benefit="10")
    assert 'class="npv"' not in text
    assert "must be a number, written as in 1,234,567.5" in text
    text = _calculate(client, "fr", investment="1.500", benefit="10")
    assert 'class="npv"' not in text
    assert "1.500" in text and "1\u202f234\u202f567,5" in text
