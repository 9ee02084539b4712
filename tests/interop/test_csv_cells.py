"""The cells of a CSV export worked out a column at a time give what the one-cell-at-a-time rule gives:
formula leads neutralised in text, negative numbers marked, missing values empty, lists joined, for any
chunk size and at every chunk's edge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pux.interop.tabular.formats import csv_cell_writer, neutralised_csv_rows

KINDS = ("str", "int", "decimal", "list", "date", "bool")
VALUES = {
    "str": st.none() | st.text(max_size=12) | st.sampled_from(["=1+2", "+x", "-y", "@SUM(A1)", "\tz", "\rw"]),
    "int": st.none() | st.integers(min_value=-(10**9), max_value=10**9),
    "decimal": st.none() | st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    "list": st.none() | st.lists(st.sampled_from(["3.4", "=x", "-1", "KEN"]), max_size=3),
    "date": st.none() | st.dates(),
    "bool": st.none() | st.booleans(),
}
ROWS = st.lists(st.tuples(*(VALUES[kind] for kind in KINDS)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(rows=ROWS, chunk=st.integers(min_value=1, max_value=7))
def test_cells_by_column_equal_cells_one_at_a_time(rows: list[tuple[object, ...]], chunk: int) -> None:
    writers = [csv_cell_writer(kind) for kind in KINDS]
    expected = [tuple(write(value) for write, value in zip(writers, row, strict=True)) for row in rows]
    assert list(neutralised_csv_rows(KINDS, rows, chunk=chunk)) == expected


def test_a_formula_in_text_is_shown_as_text_and_a_negative_number_is_marked() -> None:
    rows = [("=HYPERLINK(1)", -5, Decimal("-1.50"), ["=a", "b"], date(2026, 1, 2), True), (None,) * 6]
    assert list(neutralised_csv_rows(KINDS, rows)) == [
        ("'=HYPERLINK(1)", "'-5", "'-1.5", "'=a;b", "2026-01-02", "true"),
        ("", "", "", "", "", ""),
    ]
