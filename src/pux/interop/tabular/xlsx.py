"""An Excel workbook (xlsx, ECMA-376) of one sheet of text cells, written as its rows come.

A workbook is a zip of a few XML parts; only the sheet grows with the table, and it is compressed as it is
written, so an export of 200,000 records holds one chunk of rows in memory. Written here rather than with
openpyxl: its write-only mode made an object per cell, 8 s for the 20,306 needs of the mission's scale
(about 25 cells each), where writing the sheet's XML directly takes well under a second. openpyxl still
reads the files people upload (``formats.read_table``), these included.

Every cell is text (an inline string), as the CSV export: a code such as "0012" or a value starting with
"=" stays what it is, and no cell is ever a formula. The header row is bold and stays in view when
scrolling (with the HXL row under it, when there is one).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO

SHEET_PART = "xl/worksheets/sheet1.xml"
# Rows gathered before they are encoded and compressed: fewer, larger writes.
ROWS_PER_WRITE = 500
# Excel refuses a sheet name longer than this.
MAX_SHEET_NAME = 31
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the zip entries' date: the same file for the same table

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _XML_DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/{SHEET_PART}" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    _XML_DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Two cell formats: 0 plain, 1 bold (the header). Spreadsheet programs want the fills, borders and the
# "Normal" style present even when nothing uses them.
_STYLES = (
    _XML_DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# What XML 1.0 cannot hold (PUX stores no such character, see validation.clean_text; a file from
# elsewhere could): shown as the replacement character. A carriage return is kept as a reference, which
# XML readers do not turn into a line feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_xlsx_to(
    target: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    hxl: Sequence[str] | None = None,
    title: str = "data",
) -> None:
    """The workbook written to ``target`` (which stays open): the header, the HXL row if any, the rows."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _PACKAGE_RELS),
            ("xl/workbook.xml", _workbook(title)),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            archive.writestr(_entry(name), content)
        with archive.open(_entry(SHEET_PART), "w", force_zip64=True) as sheet:
            _write_rows(sheet, header, hxl, rows)


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _workbook(title: str) -> str:
    name = _escaped(title[:MAX_SHEET_NAME] or "data").replace('"', "&quot;")
    return (
        _XML_DECLARATION + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _write_rows(
    sheet: IO[bytes], header: Sequence[str], hxl: Sequence[str] | None, rows: Iterable[Sequence[str]]
) -> None:
    heading = [header] if hxl is None else [header, hxl]
    letters = _column_letters(len(header))
    sheet.write(_sheet_start(len(heading)).encode())
    sheet.write(_xml_safe("".join(_row(n, cells, letters, ' s="1"') for n, cells in enumerate(heading, 1))))
    number, chunk = len(heading), []
    for cells in rows:
        number += 1
        chunk.append(_row(number, cells, letters))
        if len(chunk) == ROWS_PER_WRITE:
            sheet.write(_xml_safe("".join(chunk)))
            chunk = []
    sheet.write(_xml_safe("".join(chunk)))
    sheet.write(b"</sheetData></worksheet>")


def _sheet_start(frozen_rows: int) -> str:
    pane = (
        f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" activePane="bottomLeft" '
        'state="frozen"/>'
    )
    return (
        _XML_DECLARATION + f'<worksheet xmlns="{_MAIN}">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews><sheetData>'
    )


# A text cell after its reference and style: an inline string, its spaces kept.
_TEXT_OPENS = ' t="inlineStr"><is><t xml:space="preserve">'


def _row(number: int, cells: Sequence[str], letters: list[str], style: str = "") -> str:
    """One row's XML. An empty cell is written without a value, so that every row is as wide as the
    header for a reader that goes by each row's last cell (the sheet's size is not known in advance)."""
    if len(cells) > len(letters):  # a row longer than the header keeps every cell
        letters[:] = _column_letters(len(cells))
    written = "".join(
        f'<c r="{letter}{number}"{style}{_TEXT_OPENS}{_escaped(cell)}</t></is></c>'
        if cell
        else f'<c r="{letter}{number}"{style}/>'
        for letter, cell in zip(letters, cells)  # noqa: B905 (letters may be longer)
    )
    return f'<row r="{number}">{written}</row>'


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_safe(xml: str) -> bytes:
    """Encoded, after the characters XML cannot hold as they are (see _NOT_XML): the markup around the
    cells holds none of them, so the whole chunk is searched at once."""
    if "\r" in xml:
        xml = xml.replace("\r", "&#13;")
    return _NOT_XML.sub("\ufffd", xml).encode()


def _column_letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ... for ``count`` columns."""
    return [column_letter(position) for position in range(1, count + 1)]


def column_letter(position: int) -> str:
    """The letters a spreadsheet names a column by: 1 is A, 26 Z, 27 AA."""
    name = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name
