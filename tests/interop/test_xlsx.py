"""The xlsx writer of the exports, read back with openpyxl (the reader of PUX's own imports, and a reader
of what spreadsheet programs write): every text as it was, nothing ever a formula or a number, rows as
wide as the header, the header bold and kept in view."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from openpyxl import load_workbook

from pux.interop.tabular import formats
from pux.interop.tabular.xlsx import ROWS_PER_WRITE

AWKWARD = [
    "=SUM(A1:A9)",  # a formula sign: stays text
    "0012",  # a code with leading zeros: stays text
    "Tom & Jerry <b>bold</b> \"quoted\" 'single'",
    "  spaces kept  ",
    "first line\r\nsecond line\nthird",
    "الطب النووي في كينيا",
    "核医学 ядерная медицина",
    "",
]


def _written(
    header: list[str], rows: list[list[str]], hxl: list[str] | None = None, title: str = "data"
) -> bytes:
    target = io.BytesIO()
    formats.write_xlsx_to(target, header, rows, hxl, title)
    return target.getvalue()


def test_every_text_reads_back_as_written_and_as_text() -> None:
    header = [f"column {n}" for n in range(len(AWKWARD))]
    content = _written(header, [AWKWARD, list(reversed(AWKWARD))])
    for read_only in (True, False):
        sheet = load_workbook(io.BytesIO(content), read_only=read_only).worksheets[0]
        rows = list(sheet.iter_rows())
        assert [[cell.value for cell in row] for row in rows] == [
            header,
            [text or None for text in AWKWARD],
            [text or None for text in reversed(AWKWARD)],
        ]
        assert {cell.data_type for row in rows for cell in row if cell.value is not None} == {"s"}


def test_rows_stay_as_wide_as_the_header_when_their_last_cells_are_empty() -> None:
    """Beyond 26 columns (AA, AB, ...), and a row longer than the header loses none of its cells."""
    header = [f"c{n}" for n in range(30)]
    rows = [["x"] + [""] * 29, [""] * 30, [str(n) for n in range(32)]]
    sheet = load_workbook(io.BytesIO(_written(header, rows)), read_only=True).worksheets[0]
    read = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [len(row) for row in read[:3]] == [30, 30, 30]
    assert read[1] == ["x"] + [None] * 29
    assert read[2] == [None] * 30
    assert read[3] == [str(n) for n in range(32)]


def test_the_header_and_the_hxl_row_are_bold_and_stay_in_view() -> None:
    plain = load_workbook(io.BytesIO(_written(["a", "b"], [["1", "2"]]))).worksheets[0]
    assert plain.freeze_panes == "A2"
    assert plain["A1"].font.b and not plain["A2"].font.b
    tagged = load_workbook(io.BytesIO(_written(["a", "b"], [["1", "2"]], hxl=["#org", "#country"])))
    sheet = tagged.worksheets[0]
    assert sheet.freeze_panes == "A3"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["a", "b"],
        ["#org", "#country"],
        ["1", "2"],
    ]
    assert sheet["B2"].font.b and not sheet["B3"].font.b


def test_the_sheet_is_named_after_the_table_within_excels_limit() -> None:
    content = _written(["a"], [["1"]], title='Needs & "programmes" <of> a very long title indeed')
    assert load_workbook(io.BytesIO(content)).sheetnames == ['Needs & "programmes" <of> a ver']


def test_a_large_table_is_whole_and_every_part_is_well_formed_xml() -> None:
    """Rows go out in chunks (ROWS_PER_WRITE): none is lost or doubled at a chunk's edge."""
    count = 2 * ROWS_PER_WRITE + 7
    rows = [[str(n), f"need {n}"] for n in range(count)]
    content = _written(["id", "title"], rows)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            ET.fromstring(archive.read(name))  # raises on a part that is not well-formed
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == rows


def test_a_character_xml_cannot_hold_is_shown_replaced_not_dropped_with_its_cell() -> None:
    """PUX stores no control character (validation.clean_text); a text from elsewhere could hold one."""
    sheet = load_workbook(io.BytesIO(_written(["a"], [["bell\x07 and tab\t"]]))).worksheets[0]
    assert sheet["A2"].value == "bell\ufffd and tab\t"
