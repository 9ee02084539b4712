"""Reading and writing tables as CSV or Excel (xlsx). No database here."""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from pux.errors import FieldProblem
from pux.i18n import gettext as _
from pux.interop.tabular.columns import LIST_SEPARATOR, to_cell
from pux.interop.tabular.xlsx import column_letter, write_xlsx_to

# What each file format is sent as.
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ROWS = 50_000
# The longest cell a file may hold (a description is at most 10,000 characters).
MAX_CELL_CHARACTERS = 100_000
# Cells that a spreadsheet would run as a formula (OWASP CSV injection): exported with a leading
# apostrophe, which spreadsheets show as text and the import takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# The header, an HXL row and the data rows.
MAX_LINES = MAX_ROWS + 2
# The columns a sheet may have (the widest table has about 30): a spreadsheet row may hold 16,384 cells.
MAX_COLUMNS = 200
# The last row a spreadsheet program writes (Excel's limit).
EXCEL_MAX_ROWS = 1_048_576


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


def neutralise(cell: str) -> str:
    """A text cell made safe to open in a spreadsheet (a formula becomes visible text)."""
    return TEXT_MARK + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_cell_writer(kind: str) -> Callable[[Any], str]:
    """``to_cell`` then ``neutralise`` for one kind of column, as one call (an export of 200,000 records
    makes millions of cells): text and whole numbers, most of the cells, take a short way."""
    return _CELL_WRITERS.get(kind) or (lambda value: neutralise(to_cell(value, kind)))


# Cells of one column, a chunk of rows at a time, for a large CSV export: text and whole-number columns are
# checked with one pattern search over the whole column (C speed) and, when no cell in it would run as a
# formula, written as they are (the csv module writes None as an empty cell); only a column with such a cell,
# and the other kinds, go cell by cell. Same cells as ``csv_cell_writer``.
ColumnCells = Callable[[Sequence[Any]], Sequence[Any]]
# NUL joins the cells: no stored text holds one (a false hit only sends the column the long way).
_CELL_JOIN = "\x00"
_FORMULA_LEAD = re.compile(_CELL_JOIN + "[" + re.escape("".join(FORMULA_STARTS)) + "]")


def csv_column_writer(kind: str) -> ColumnCells:
    """``csv_cell_writer`` for a column's cells at once (see ``ColumnCells``)."""
    found = _COLUMN_WRITERS.get(kind)
    if found is not None:
        return found
    write = csv_cell_writer(kind)
    return lambda values: [write(value) for value in values]


def _text_column(values: Sequence[Any]) -> Sequence[Any]:
    try:
        joined = _CELL_JOIN + _CELL_JOIN.join(filter(None, values))
    except TypeError:  # a value that is not text: each cell its own way
        return [_neutralised_text(value) for value in values]
    return [_neutralised_text(value) for value in values] if _FORMULA_LEAD.search(joined) else values


def _whole_number_column(values: Sequence[Any]) -> Sequence[Any]:
    present = [value for value in values if value is not None]
    return [_whole_number_text(value) for value in values] if present and min(present) < 0 else values


def _list_column(values: Sequence[Any]) -> Sequence[Any]:
    join = LIST_SEPARATOR.join
    try:  # code lists hold text: joined as they are, without a str() per code
        joined = [None if value is None else join(value) for value in values]
    except TypeError:
        joined = [None if value is None else join(map(str, value)) for value in values]
    return _text_column(joined)


def _neutralised_text(value: Any) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def _neutralised_list(value: Any) -> str:
    return "" if value is None else _neutralised_text(LIST_SEPARATOR.join(map(str, value)))


def _decimal_text(value: Any) -> str:
    if value is None:
        return ""
    number = value if type(value) is Decimal else Decimal(value)
    if number == 0:
        return "0"
    text = format(number.normalize(), "f")
    return TEXT_MARK + text if number < 0 else text


def _whole_number_text(value: Any) -> str:
    if value is None:
        return ""
    return str(value) if value >= 0 else TEXT_MARK + str(value)


_CELL_WRITERS: dict[str, Callable[[Any], str]] = {
    "str": _neutralised_text,
    "int": _whole_number_text,
    "list": _neutralised_list,
    "decimal": _decimal_text,
}
_COLUMN_WRITERS: dict[str, ColumnCells] = {
    "str": _text_column,
    "int": _whole_number_column,
    "list": _list_column,
}


def restore(cell: str) -> str:
    """The text of a cell as it was before export (the apostrophe before a formula sign removed)."""
    if cell.startswith(TEXT_MARK) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


@dataclass
class Lines:
    """The lines of a file as read, each with its number as people count them (the header is 1). Wholly
    blank lines after the header are left out as they come: a spreadsheet's empty trailing rows, or a CSV
    ending in thousands of ",,", are no rows and do not count towards the limit."""

    numbered: list[tuple[int, list[str]]] = field(default_factory=list)

    def add(self, number: int, cells: list[str]) -> bool:
        """Keep a line; False once the file holds more lines than an import takes."""
        if self.numbered and not any(cell.strip() for cell in cells):
            return True
        self.numbered.append((number, cells))
        return len(self.numbered) <= MAX_LINES

    @property
    def header(self) -> list[str]:
        return self.numbered[0][1] if self.numbered else []


def _table_from_lines(lines: Lines) -> Table:
    if not lines.numbered:
        return Table(header=[], problems=[FieldProblem("file", _("the file is empty"), 1)])
    header = [cell.strip() for cell in lines.header]
    table = Table(header=header)
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            table.problems.append(
                FieldProblem(name, _("this column appears more than once in the header"), 1)
            )
        seen.add(name)
    data = lines.numbered[1:]
    if data and _is_hxl_row(data[0][1]):
        data = data[1:]  # an HXL hashtag row under the header is metadata, not data
    for number, cells in data:
        table.problems += _cells_without_header(header, cells, number)
        table.rows.append(
            {
                name: (restore(cells[i].strip()) if i < len(cells) else "")
                for i, name in enumerate(header)
                if name
            }
        )
        table.row_numbers.append(number)
    if len(table.rows) > MAX_ROWS:
        table.problems.append(
            FieldProblem("file", _("too many rows (at most %(limit)s)") % {"limit": MAX_ROWS}, 1)
        )
    return table


# The delimiters a CSV file may use (spreadsheets set to a language with a decimal comma write ";").
DELIMITERS = (",", ";", "\t")
# How far the header line is looked for (a header is a few hundred characters; a quote left open must not
# make the whole file be read character by character).
HEADER_SEARCH_CHARACTERS = 65_536


def header_delimiter(text: str) -> str:
    """The delimiter the header line uses most, outside quotes (a comma when it uses none).

    Only the delimiter is guessed: quoting is always RFC 4180 (a quote doubled inside a quoted cell). A
    guess of the whole dialect from a sample (csv.Sniffer) switched quote doubling off for a file whose
    first lines held no doubled quote, or took apostrophes for quotes, and so changed cells further on."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for character in text[:HEADER_SEARCH_CHARACTERS]:
        if character == '"':
            quoted = not quoted
        elif character == "\n" and not quoted:
            break
        elif character in counts and not quoted:
            counts[character] += 1
    most = max(counts.values())
    return next(d for d in DELIMITERS if counts[d] == most) if most else ","


def _cells_without_header(header: Sequence[str], cells: Sequence[str], row: int) -> list[FieldProblem]:
    """A problem for each cell of a row that holds data under a blank header (a column left unnamed, the
    rest of merged header cells) or past the header's last column: its data would be dropped unread."""
    return [
        FieldProblem(
            "file",
            _("column %(position)s (%(letter)s) has no header but this row holds data in it")
            % {"position": position, "letter": column_letter(position)},
            row,
        )
        for position, cell in enumerate(cells, start=1)
        if cell.strip() and not (position <= len(header) and header[position - 1])
    ]


def read_table(content: bytes, filename: str) -> Table:
    """Read CSV (UTF-8; comma, semicolon or tab) or xlsx (first sheet) into a Table."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content, filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(error)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return Table(header=[], problems=[FieldProblem("file", _("the file holds NUL characters"), line)])
    if text.lstrip().startswith("<"):
        # An IATI activity file sent here was read as a table and refused as "row 1802, column B has no
        # header", which told the sender nothing.
        message = _(
            "the file is XML, not CSV or xlsx: IATI activity files are imported on the IATI import page "
            "(/activities/import/iati) or through POST /api/v1/activities/import/iati"
        )
        return Table(header=[], problems=[FieldProblem("file", message, 1)])
    # Old Macintosh files end lines with CR alone; every ending is read as one.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # RFC 4180 quoting for the whole file, whatever its first lines hold: only the delimiter varies.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=header_delimiter(text))
    lines = Lines()
    try:
        for number, cells in enumerate(reader, start=1):
            if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
                raise csv.Error("field larger than field limit")
            if not lines.add(number, cells):
                return _too_many_rows(number)
    except csv.Error:
        message = _("a cell is longer than %(limit)s characters, or quotes do not match") % {
            "limit": MAX_CELL_CHARACTERS
        }
        return Table(header=[], problems=[FieldProblem("file", message, reader.line_num or 1)])
    return _table_from_lines(lines)


def _not_utf8(error: UnicodeDecodeError) -> Table:
    """A file saved in another encoding (Excel's plain "CSV" on Windows writes Windows-1252): refused on
    the row of its first such character, with the way to save it that works (it was refused on row 1
    whatever the row, which sent people looking at the header)."""
    # The decoder's bytes are the file's without its byte order mark: its position counts from there.
    before = error.object[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    message = _(
        "the file is not UTF-8 text (this row holds a character written in another encoding): save it "
        "again as “CSV UTF-8” in your spreadsheet program, or as UTF-8 in a text editor"
    )
    return Table(header=[], problems=[FieldProblem("file", message, before.count(b"\n") + 1)])


def _read_xlsx(content: bytes, filename: str) -> Table:
    try:
        refusal = _refusal_before_reading(content, filename)
        if refusal is not None:
            return refusal
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors for a broken file
        return _unreadable_xlsx()
    try:
        sheet = workbook.worksheets[0]
        if isinstance(sheet, ReadOnlyWorksheet):
            # The size a sheet declares is not trusted: "A1:XFD1048576" made every row 16,384 cells wide.
            # Rows are then as wide as their last cell.
            sheet.reset_dimensions()
        lines = Lines()
        problems: list[FieldProblem] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number > EXCEL_MAX_ROWS:  # no spreadsheet program writes a row past it
                return _unreadable_xlsx()
            if len(row) > MAX_COLUMNS:
                return _too_many_columns(number)
            if not lines.add(number, _xlsx_cells(row, number, lines, problems)):
                return _too_many_rows(number)
    except Exception:  # a damaged sheet inside a readable archive
        return _unreadable_xlsx()
    finally:
        workbook.close()
    table = _table_from_lines(lines)
    table.problems[:0] = problems
    return table


# A row or cell tag of a sheet (with a namespace prefix or not), and the reference it gives, if any.
_ROW_OR_CELL = re.compile(rb'<(?:\w+:)?(row|c)\b(?:[^>]*?\sr="([A-Z]*)(\d+)")?')
_SCAN_BYTES = 1 << 20


# What the parts of a workbook may unpack to, all together (declared, and then counted as read). PUX's own
# xlsx export of the mission's 20,306 needs unpacks to 37 MB (3.3 MB file); the same table as spreadsheet
# programs save it (every text cell a shared string) to 17 MB. MAX_ROWS such rows come to about 90 MB.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# openpyxl reads a workbook's whole shared-strings table before its first row, a Python string per entry:
# 8 million empty entries, in a 335 KB file, took 72 s and 750 MB. A table may hold no more entries than
# the first sheet has cells (each cell uses one at most), plus SHARED_STRINGS_BEYOND_THE_SHEET, and never
# more than MAX_SHARED_STRINGS (50,000 rows of 20 text cells that all differ). The 20,306 needs saved so
# hold 56,336 entries (4.2 MB of XML) in 390,895 cells.
MAX_SHARED_STRINGS = 1_000_000
# The texts of a short second sheet (a list of codes to pick from), which the import does not read.
SHARED_STRINGS_BEYOND_THE_SHEET = 10_000
# The shared-strings table's XML, entries and text together.
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024
# How openpyxl finds the shared strings: the part the package's content types give this type.
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# A shared string's tag (with a namespace prefix or not).
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
# The longest tag name and prefix searched for whole across two chunks.
_TAG_CARRY_BYTES = 256


class _TooMuchInside(Exception):
    """A part unpacked to more than it may (whatever size the archive declares for it)."""


def _refusal_before_reading(content: bytes, filename: str) -> Table | None:
    """The refusal of a workbook found before openpyxl opens it: one that unpacks to too much, one whose
    first sheet is too wide, one whose shared-strings table holds more entries than its first sheet has
    cells (or than MAX_SHARED_STRINGS). None when openpyxl may read it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        declared = sum(entry.file_size for entry in archive.infolist())
        if declared > MAX_UNPACKED_BYTES:
            return _too_large_inside(filename)
        try:
            scan = _first_sheet_scan(archive)
            if scan.too_wide is not None:
                return _too_many_columns(scan.too_wide)
            most = min(MAX_SHARED_STRINGS, scan.cells + SHARED_STRINGS_BEYOND_THE_SHEET)
            too_many = _shared_strings_past(archive, most)
        except _TooMuchInside:
            return _too_large_inside(filename)
        return _too_many_shared_strings(filename) if too_many else None


def _shared_strings_past(archive: zipfile.ZipFile, most: int) -> bool:
    """Whether the shared-strings table holds more than ``most`` entries or MAX_SHARED_STRINGS_BYTES of
    text. Each is counted as it is unpacked, a chunk at a time: the size an archive declares is not trusted
    (zipfile stops a part at its declared size, then refuses it for a bad checksum; that is zipfile's way,
    not a promise)."""
    entries = 0
    for part in _shared_strings_parts(archive):
        for text in _tag_whole_chunks(archive, part, MAX_SHARED_STRINGS_BYTES):
            entries += len(_SHARED_STRING.findall(text))
            if entries > most:
                return True
    return False


def _shared_strings_parts(archive: zipfile.ZipFile) -> list[str]:
    try:
        types = ElementTree.fromstring(b"".join(_chunks(archive, "[Content_Types].xml", _SCAN_BYTES)))
    except (KeyError, ElementTree.ParseError):
        return []  # no package openpyxl reads: it refuses the file
    named = (
        element.get("PartName", "")
        for element in types
        if element.tag.endswith("}Override") and element.get("ContentType") == _SHARED_STRINGS_TYPE
    )
    return [name.lstrip("/") for name in named if name.lstrip("/") in archive.namelist()]


def _tag_whole_chunks(archive: zipfile.ZipFile, part: str, limit: int) -> Iterator[bytes]:
    """The part's bytes a chunk at a time, a tag cut at a chunk's end moved whole to the next chunk."""
    rest = b""
    for chunk in _chunks(archive, part, limit):
        text = rest + chunk
        cut = text.rfind(b"<", max(0, len(text) - _TAG_CARRY_BYTES))
        text, rest = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        yield text
    yield rest


def _chunks(archive: zipfile.ZipFile, part: str, limit: int) -> Iterator[bytes]:
    """A part's bytes as unpacked; _TooMuchInside once they pass ``limit``."""
    read = 0
    with archive.open(part) as unpacked:
        while chunk := unpacked.read(_SCAN_BYTES):
            read += len(chunk)
            if read > limit:
                raise _TooMuchInside(part)
            yield chunk


@dataclass
class SheetScan:
    """What a search of the first sheet's XML found: the first row with a cell past MAX_COLUMNS, if any,
    and how many cells the sheet has (up to that row)."""

    too_wide: int | None = None
    cells: int = 0


def _first_sheet_scan(archive: zipfile.ZipFile) -> SheetScan:
    """The first sheet searched as it is unpacked, before openpyxl reads it: openpyxl reads every cell of a
    sheet that does not declare its size once to find it (48 s for 1,000 rows of 16,384 empty cells) before
    any row."""
    part = _first_sheet(archive)
    if part is None:
        return SheetScan()  # laid out otherwise: openpyxl finds the sheet, or refuses the file
    return _scan_sheet(archive.open(part))


def _scan_sheet(sheet: IO[bytes]) -> SheetScan:
    scan = SheetScan()
    with sheet:
        row, column, rest = 0, 0, b""
        while chunk := sheet.read(_SCAN_BYTES):
            text = rest + chunk
            # A tag cut by the chunk's end is searched with the next chunk (text after a whole tag is not
            # kept: a long cell's text would be copied again with every chunk).
            end = text.rfind(b"<")
            cut = end >= 0 and text.find(b">", end) < 0 and len(text) - end < _SCAN_BYTES
            searched, rest = (text[:end], text[end:]) if cut else (text, b"")
            for match in _ROW_OR_CELL.finditer(searched):
                tag, letters, digits = match.groups()
                if tag == b"row":
                    row, column = int(digits) if digits else row + 1, 0
                    continue
                scan.cells += 1
                column = _column_number(letters) if letters else column + 1
                if column > MAX_COLUMNS:
                    scan.too_wide = int(digits) if digits else row
                    return scan
    return scan


def _column_number(letters: bytes) -> int:
    """The position of a column named by its letters (A is 1, AA 27); any of more than 3 letters is past
    the last column a spreadsheet has."""
    if len(letters) > 3:
        return MAX_COLUMNS + 1
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet, as openpyxl finds it (the workbook's first sheet and its
    relationship), when the workbook is where spreadsheet programs put it."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        sheet = next(element for element in workbook.iter() if element.tag.endswith("}sheet"))
        wanted = next(value for name, value in sheet.attrib.items() if name.endswith("}id"))
        relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(element.get("Target", "") for element in relationships if element.get("Id") == wanted)
    except (KeyError, StopIteration, ElementTree.ParseError):
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    return part if part in archive.namelist() else None


def _xlsx_cells(row: Sequence[Any], number: int, lines: Lines, problems: list[FieldProblem]) -> list[str]:
    """A sheet row's cells as text; a formula, a NUL character or a text longer than a cell may hold is
    added to ``problems`` (naming the cell's column) and read as an empty cell."""
    cells = []
    for cell in row:
        if cell.data_type == "f":
            message = _("formulas are not accepted: paste the values instead")
            problems.append(FieldProblem(_column_name(lines, cell), message, number))
            cells.append("")
            continue
        text = "" if cell.value is None else _cell_text(cell.value)
        if "\x00" in text:
            problems.append(FieldProblem(_column_name(lines, cell), _("holds NUL characters"), number))
            text = ""
        elif len(text) > MAX_CELL_CHARACTERS:
            message = _("is too long (at most %(limit)s characters)") % {"limit": MAX_CELL_CHARACTERS}
            problems.append(FieldProblem(_column_name(lines, cell), message, number))
            text = ""
        cells.append(text)
    return cells


def _unreadable_xlsx() -> Table:
    return Table(header=[], problems=[FieldProblem("file", _("this is not a readable Excel file"), 1)])


def _too_large_inside(filename: str) -> Table:
    message = _(
        "%(file)s unpacks to more than %(limit)s MB: an import reads smaller workbooks (save the sheet "
        "alone, or split its rows into several files)"
    ) % {"file": filename, "limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
    return Table(header=[], problems=[FieldProblem("file", message, 1)])


def _too_many_shared_strings(filename: str) -> Table:
    message = _(
        "%(file)s holds far more texts than the sheet an import reads could use: save that sheet alone in "
        "a new workbook, or split its rows into several files"
    ) % {"file": filename}
    return Table(header=[], problems=[FieldProblem("file", message, 1)])


def _too_many_columns(number: int) -> Table:
    """Refuse a sheet at its first row with a cell past MAX_COLUMNS (it is not read further: a row of
    16,384 empty cells took a second to read, a sheet of them most of a minute)."""
    message = _(
        "this row has cells past column %(limit)s (%(letter)s): an import reads at most %(limit)s "
        "columns; delete the columns after your data"
    ) % {"limit": MAX_COLUMNS, "letter": column_letter(MAX_COLUMNS)}
    return Table(header=[], problems=[FieldProblem("file", message, number)])


def _too_many_rows(number: int) -> Table:
    """Refuse a file at once when it holds more rows than an import takes (it is not read further)."""
    message = _("too many rows (at most %(limit)s)") % {"limit": MAX_ROWS}
    return Table(header=[], problems=[FieldProblem("file", message, number)])


def _column_name(lines: Lines, cell: Any) -> str:
    """The header of a cell's column (its letter when the header is not read yet)."""
    index = getattr(cell, "column", 1) - 1
    header = lines.header
    if 0 <= index < len(header) and header[index]:
        return header[index]
    return str(getattr(cell, "column_letter", "?"))


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[str]], hxl: Sequence[str] | None = None
) -> bytes:
    buffer = io.BytesIO()
    write_csv_to(buffer, header, rows, hxl)
    return buffer.getvalue()


def write_csv_to(
    target: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[str]], hxl: Sequence[str] | None = None
) -> None:
    """CSV (UTF-8 with a byte-order mark, which spreadsheet programs need to read it as UTF-8) written row
    by row to ``target``, which stays open; a cell that a spreadsheet would take for a formula is written
    as text (``neutralise``)."""
    write_neutralised_csv_to(target, header, ([neutralise(cell) for cell in row] for row in rows), hxl)


def write_neutralised_csv_to(
    target: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[str]], hxl: Sequence[str] | None = None
) -> None:
    """``write_csv_to`` for rows whose cells are neutralised already (a large export does it as it turns
    values into text, see ``csv_cell_writer``)."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    # RFC 4180 line ends: the writer then quotes every cell holding a CR or LF (a bare CR would end the row).
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    if hxl:
        writer.writerow(hxl)
    writer.writerows(rows)
    text.flush()
    text.detach()


def write_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    hxl: Sequence[str] | None = None,
    title: str = "data",
) -> bytes:
    buffer = io.BytesIO()
    write_xlsx_to(buffer, header, rows, hxl, title)
    return buffer.getvalue()
