"""Reading and writing tables as CSV or Excel (xlsx). No database here."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from pux.errors import FieldProblem
from pux.i18n import gettext as _

MAX_ROWS = 50_000


@dataclass
class Table:
    """A table read from a file: its header, its rows (by header) and each row's number as people see it."""

    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)


def _is_hxl_row(cells: Sequence[str]) -> bool:
    filled = [cell.strip() for cell in cells if cell and cell.strip()]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


def _table_from_lines(lines: list[list[str]]) -> Table:
    if not lines:
        return Table(header=[], problems=[FieldProblem("file", _("the file is empty"), 1)])
    header = [cell.strip() for cell in lines[0]]
    table = Table(header=header)
    first_data = 1
    if len(lines) > 1 and _is_hxl_row(lines[1]):
        first_data = 2  # an HXL hashtag row under the header is metadata, not data
    for index, cells in enumerate(lines[first_data:], start=first_data + 1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            table.problems.append(FieldProblem("file", _("this row has more cells than the header"), index))
        table.rows.append(
            {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        )
        table.row_numbers.append(index)
    if len(table.rows) > MAX_ROWS:
        table.problems.append(
            FieldProblem("file", _("too many rows (at most %(limit)s)") % {"limit": MAX_ROWS}, 1)
        )
    return table


def read_table(content: bytes, filename: str) -> Table:
    """Read CSV (UTF-8, comma or semicolon) or xlsx (first sheet) into a Table."""
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors for a broken file
            return Table(
                header=[], problems=[FieldProblem("file", _("this is not a readable Excel file"), 1)]
            )
        sheet = workbook.worksheets[0]
        lines = [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return _table_from_lines(lines)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Table(header=[], problems=[FieldProblem("file", _("the file is not UTF-8 text"), 1)])
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")  # type: ignore[assignment]
    except csv.Error:
        pass
    return _table_from_lines(list(csv.reader(io.StringIO(text), dialect)))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(
    header: Sequence[str], rows: Sequence[Sequence[str]], hxl: Sequence[str] | None = None
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    if hxl:
        writer.writerow(hxl)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    hxl: Sequence[str] | None = None,
    title: str = "data",
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    if hxl:
        sheet.append(list(hxl))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
