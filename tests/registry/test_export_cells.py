"""A large CSV export turns a chunk of rows into cells a column at a time: the file must hold exactly the
cells that turning each value into a cell would give, formula leads neutralised wherever they are."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pux.interop.tabular.formats import FORMULA_STARTS, csv_cell_writer, csv_column_writer

# Text that starts with a formula sign often enough to matter, and sometimes holds one after a line break.
_texts = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.builds(lambda lead, rest: lead + rest, st.sampled_from(FORMULA_STARTS), st.text(max_size=8)),
    st.builds(lambda rest: "line\n" + rest, st.sampled_from(FORMULA_STARTS)),
)
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "str": _texts,
    "int": st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12)),
    "list": st.one_of(st.none(), st.lists(st.text(max_size=6), max_size=3)),
    "decimal": st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2)),
    "bool": st.one_of(st.none(), st.booleans()),
}


def _as_written(cells: list[Any]) -> str:
    """What the csv module writes for a row of cells (None as an empty cell)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


# Fixed examples (the same in every run); generating them is slow on a loaded machine, which is not a fault.
@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(_VALUES)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.lists(_VALUES[kind], max_size=30))
    )
)
def test_a_column_of_cells_is_written_as_each_cell_on_its_own(kind_and_values: tuple[str, list[Any]]) -> None:
    kind, values = kind_and_values
    one_by_one = [csv_cell_writer(kind)(value) for value in values]
    assert _as_written(list(csv_column_writer(kind)(values))) == _as_written(one_by_one)


def test_one_formula_cell_among_many_is_neutralised_and_the_others_left_alone() -> None:
    column = ["Water", None, "-1+2", "Soil", "", "=HYPERLINK(1)"]
    assert list(csv_column_writer("str")(column)) == ["Water", "", "'-1+2", "Soil", "", "'=HYPERLINK(1)"]
    assert list(csv_column_writer("int")([3, None, -4])) == ["3", "", "'-4"]
    assert list(csv_column_writer("list")([["+A"], None, ["B", "C"]])) == ["'+A", "", "B;C"]
    assert list(csv_column_writer("decimal")([Decimal("-2.50"), Decimal("0")])) == ["'-2.5", "0"]
