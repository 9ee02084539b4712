"""The row that sums the providers a flow table leaves out adds up what they committed currency by
currency, each over the years of its own lines, as the lines themselves are summed from the activities
(one rule for both, in briefs.content): a euro amount is never added to a dollar one, a currency no line
states an amount in stays missing, and the largest sum comes first."""

from __future__ import annotations

from pux.briefs.content import Figure, ProviderLine, rest_of, sums_by_currency, year_span

SOURCE = "PUX assistance records"


def _line(name: str, year: str, *committed: tuple[float | None, str]) -> ProviderLine:
    return ProviderLine(
        name=name,
        activities=Figure(1, "", SOURCE, year),
        committed=sums_by_currency(committed, SOURCE, year),
        disbursed=(),
        area_names=(),
    )


def test_the_rest_sums_each_currency_over_the_years_of_its_own_lines() -> None:
    lines = [
        _line("Agency A", "2019-2021", (100_000.0, "USD")),
        _line("Agency B", "2020", (40_000.0, "EUR"), (None, "GBP")),
        _line("Agency C", "2023", (250_000.0, "USD")),
    ]

    rest = rest_of(lines)

    assert rest is not None and rest.lines == 3
    assert rest.activities == Figure(3, "", SOURCE, "2019-2023")
    assert rest.committed == (
        Figure(350_000.0, "USD", SOURCE, "2019-2023"),
        Figure(40_000.0, "EUR", SOURCE, "2020"),
        Figure(None, "GBP", SOURCE, "2020"),
    )


def test_a_span_of_years_names_the_first_and_the_last_or_the_one() -> None:
    assert year_span([2021, None, 2019, 2023], 2026) == "2019-2023"
    assert year_span([2021, 2021], 2026) == "2021"
    assert year_span([None], 2026) == "2026"
