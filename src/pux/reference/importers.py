"""Parsing of indicator files and of the UNSD SDG framework file into plain rows.

Pure functions: no database. Every problem is reported with its row number and field, so a
refused file can be corrected in one pass.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from dataclasses import dataclass, field

from pux.i18n import gettext as _

# World Bank aggregates (regions, income and lending groups) and areas outside the M49 list.
# They appear in every World Bank download; they are skipped and counted, never refused.
WORLD_BANK_AGGREGATES = frozenset(
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN LDC LIC "
    "LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD "
    "XKX CHI".split()
)
FIRST_YEAR, LAST_YEAR = 1900, 2100
# The World Bank and the UN write files separated by commas; a spreadsheet saved in a European layout
# separates them by semicolons, and some tools by tabs. The header row tells which: only the right one
# splits it into a 'Country Code' column.
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH_ROWS = 20
# A number as these files write it: digits with a decimal point, the comma only between groups of three
# digits (1,234,567.5). "14,5" or "0,35" is a decimal comma in another layout, not fourteen thousand five
# hundred: it is refused rather than read as 145.
_PLAIN_NUMBER = r"\d*\.?\d+(?:e[-+]?\d+)?"
_GROUPED_NUMBER = r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"
NUMBER = re.compile(rf"-?(?:{_GROUPED_NUMBER}|{_PLAIN_NUMBER})", re.I)


@dataclass(frozen=True)
class RowProblem:
    """One reason a file is refused: its row (1-based, as a spreadsheet shows it), field and message."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, field %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class ObservationRow:
    iso3: str
    indicator_code: str
    year: int
    value: float
    row: int  # the file's row it was read from, as a spreadsheet numbers it


@dataclass
class ParsedIndicatorFile:
    file_format: str
    rows: list[ObservationRow] = field(default_factory=list)
    indicator_names: dict[str, str] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    skipped_aggregates: int = 0
    missing_values: int = 0
    delimiter: str = ","


def parse_indicator_file(
    content: str, *, known_countries: set[str], indicator_code: str | None = None
) -> ParsedIndicatorFile:
    """Parse a World Bank CSV, long (one row per country and year) or wide (one column per year), its
    columns separated by commas, semicolons or tabs."""
    text = content.lstrip("\ufeff")
    delimiter = _delimiter(text)
    if delimiter is None:
        return _without_header()
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_index = _find_header(lines)
    assert header_index is not None  # _delimiter found it with this very delimiter
    header = [cell.strip() for cell in lines[header_index]]
    body = [(header_index + 2 + offset, line) for offset, line in enumerate(lines[header_index + 1 :])]
    if any(column.isdigit() for column in header):
        parsed = _parse_wide(header, body, known_countries, indicator_code, delimiter)
    else:
        parsed = _parse_long(header, body, known_countries, indicator_code, delimiter)
    _check_duplicates(parsed)
    return parsed


def _without_header() -> ParsedIndicatorFile:
    parsed = ParsedIndicatorFile(file_format="unknown")
    parsed.problems.append(
        RowProblem(
            1,
            "header",
            _(
                "no header found: expected a World Bank CSV with 'Country Code' and 'Year' columns "
                "(long format) or year columns such as '2020' (wide format)"
            ),
        )
    )
    return parsed


def _delimiter(text: str) -> str | None:
    """The separator that splits the file's header row into its columns (None: no header found)."""
    for delimiter in DELIMITERS:
        first_rows = itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SEARCH_ROWS)
        if _find_header(list(first_rows)) is not None:
            return delimiter
    return None


def _find_header(lines: list[list[str]]) -> int | None:
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        cells = {cell.strip().lower() for cell in line}
        if "country code" in cells or "iso3" in cells:
            return index
    return None


def _column(header: list[str], *names: str) -> int | None:
    lowered = [cell.lower() for cell in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _parse_long(
    header: list[str],
    body: list[tuple[int, list[str]]],
    known: set[str],
    indicator_code: str | None,
    delimiter: str,
) -> ParsedIndicatorFile:
    parsed = ParsedIndicatorFile(file_format="long", delimiter=delimiter)
    country_col = _column(header, "country code", "iso3")
    year_col = _column(header, "year")
    value_col = _column(header, "value")
    code_col = _column(header, "indicator code", "indicator")
    name_col = _column(header, "indicator name", "title")
    for name, position in (("Country Code", country_col), ("Year", year_col), ("Value", value_col)):
        if position is None:
            parsed.problems.append(RowProblem(1, name, _("required column is missing")))
    if code_col is None and not indicator_code:
        parsed.problems.append(
            RowProblem(
                1,
                "Indicator Code",
                _("the file has no indicator code column: give the indicator code with the import"),
            )
        )
    if parsed.problems:
        return parsed
    assert country_col is not None and year_col is not None and value_col is not None
    for row_number, line in body:
        if not any(cell.strip() for cell in line):
            continue
        cells = line + [""] * (len(header) - len(line))
        iso3 = cells[country_col].strip().upper()
        if not _country_is_usable(parsed, row_number, iso3, known):
            continue
        code = (cells[code_col].strip() if code_col is not None else "") or (indicator_code or "")
        if not code:
            parsed.problems.append(RowProblem(row_number, "Indicator Code", _("is empty")))
            continue
        if name_col is not None and cells[name_col].strip():
            parsed.indicator_names.setdefault(code, cells[name_col].strip())
        year = _parse_year(parsed, row_number, "Year", cells[year_col])
        value = _parse_value(parsed, row_number, "Value", cells[value_col])
        if year is not None and value is not None:
            parsed.rows.append(ObservationRow(iso3, code, year, value, row_number))
    return parsed


def _parse_wide(
    header: list[str],
    body: list[tuple[int, list[str]]],
    known: set[str],
    indicator_code: str | None,
    delimiter: str,
) -> ParsedIndicatorFile:
    parsed = ParsedIndicatorFile(file_format="wide", delimiter=delimiter)
    country_col = _column(header, "country code", "iso3")
    code_col = _column(header, "indicator code")
    name_col = _column(header, "indicator name")
    year_columns = [(index, column) for index, column in enumerate(header) if column.isdigit()]
    if country_col is None:
        parsed.problems.append(RowProblem(1, "Country Code", _("required column is missing")))
        return parsed
    for _index, column in year_columns:
        if not FIRST_YEAR <= int(column) <= LAST_YEAR:
            parsed.problems.append(RowProblem(1, column, _("is not a plausible year")))
    for row_number, line in body:
        if not any(cell.strip() for cell in line):
            continue
        cells = line + [""] * (len(header) - len(line))
        iso3 = cells[country_col].strip().upper()
        if not _country_is_usable(parsed, row_number, iso3, known):
            continue
        code = (cells[code_col].strip() if code_col is not None else "") or (indicator_code or "")
        if not code:
            parsed.problems.append(RowProblem(row_number, "Indicator Code", _("is empty")))
            continue
        if name_col is not None and cells[name_col].strip():
            parsed.indicator_names.setdefault(code, cells[name_col].strip())
        for index, column in year_columns:
            value = _parse_value(parsed, row_number, column, cells[index])
            if value is not None:
                parsed.rows.append(ObservationRow(iso3, code, int(column), value, row_number))
    return parsed


def _country_is_usable(parsed: ParsedIndicatorFile, row_number: int, iso3: str, known: set[str]) -> bool:
    if iso3 in known:
        return True
    if iso3 in WORLD_BANK_AGGREGATES:
        parsed.skipped_aggregates += 1
        return False
    parsed.problems.append(
        RowProblem(
            row_number,
            "Country Code",
            _("'%(code)s' is not an ISO 3166 alpha-3 code of a country or area") % {"code": iso3},
        )
    )
    return False


def _parse_year(parsed: ParsedIndicatorFile, row_number: int, field_name: str, raw: str) -> int | None:
    text = raw.strip()
    if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        parsed.problems.append(
            RowProblem(
                row_number, field_name, _("'%(value)s' is not a year between 1900 and 2100") % {"value": text}
            )
        )
        return None
    return int(text)


def _parse_value(parsed: ParsedIndicatorFile, row_number: int, field_name: str, raw: str) -> float | None:
    text = raw.strip()
    if text in {"", ".."}:  # the World Bank's marks for "no data": stays missing
        parsed.missing_values += 1
        return None
    value = _number(text, parsed.delimiter)
    if value is None:
        parsed.problems.append(RowProblem(row_number, field_name, _not_a_number(text, parsed.delimiter)))
    return value


def _number(text: str, delimiter: str) -> float | None:
    """The value written, or None when it is not a number in this file's layout."""
    # Where semicolons separate the columns, the comma is that layout's decimal mark: "1,234" could be
    # 1.234 as well as 1234, so no comma is read there.
    if not NUMBER.fullmatch(text) or ("," in text and delimiter == ";"):
        return None
    value = float(text.replace(",", ""))
    return value if math.isfinite(value) else None


def _not_a_number(text: str, delimiter: str) -> str:
    if "," not in text:
        return _("'%(value)s' is not a number") % {"value": text}
    if delimiter == ";":
        return _(
            "'%(value)s' is not a number PUX can read without guessing: in a file separated by ';' a comma "
            "may be a decimal comma or a thousands separator; write the number with a decimal point and no "
            "separator (14.5, 1234567)"
        ) % {"value": text}
    return _(
        "'%(value)s' is not a number in this file's layout: a comma may only separate thousands (1,234,567), "
        "and a decimal comma cannot be told from one; write the decimal with a point (14.5)"
    ) % {"value": text}


def _check_duplicates(parsed: ParsedIndicatorFile) -> None:
    """Refuse a country, indicator and year given twice, naming the repeating row and the one it repeats
    (which of two values is right is the file owner's to say)."""
    first_rows: dict[tuple[str, str, int], int] = {}
    for row in parsed.rows:
        key = (row.iso3, row.indicator_code, row.year)
        if key not in first_rows:
            first_rows[key] = row.row
            continue
        parsed.problems.append(
            RowProblem(
                row.row,
                "Year" if parsed.file_format == "long" else str(row.year),
                _("%(country)s %(indicator)s %(year)s appears more than once: it repeats row %(first)s")
                % {
                    "country": row.iso3,
                    "indicator": row.indicator_code,
                    "year": row.year,
                    "first": first_rows[key],
                },
            )
        )


@dataclass(frozen=True)
class OfficialSdgText:
    level: str
    code: str
    title: str
    unsd_code: str | None = None


_GOAL = re.compile(r"^Goal\s+(\d{1,2})\.\s*(.+)$", re.S)
_TARGET = re.compile(r"^(\d{1,2}\.[0-9a-z]{1,2})\s+(.+)$", re.S)
_INDICATOR = re.compile(r"^(\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2})\s+(.+)$", re.S)


def parse_unsd_framework(content: str) -> tuple[list[OfficialSdgText], list[RowProblem]]:
    """Read the UNSD 'Global indicator framework' CSV: goal, target and indicator texts by code."""
    texts: dict[tuple[str, str], OfficialSdgText] = {}
    for line in csv.reader(io.StringIO(content.lstrip("\ufeff"))):
        cells = [_clean_official(cell) for cell in line] + ["", "", "", ""]
        goal_or_target, indicator, unsd_code = cells[1], cells[2], cells[3]
        if match := _GOAL.match(goal_or_target):
            texts[("goal", match[1])] = OfficialSdgText("goal", match[1], match[2])
        elif match := _TARGET.match(goal_or_target):
            texts[("target", match[1])] = OfficialSdgText("target", match[1], match[2])
        if match := _INDICATOR.match(indicator):
            texts[("indicator", match[1])] = OfficialSdgText(
                "indicator", match[1], match[2], unsd_code or None
            )
    problems = []
    if not any(text.level == "goal" for text in texts.values()):
        problems.append(
            RowProblem(
                1,
                "Goals and targets",
                _("no goal found: expected the UNSD framework layout with rows such as 'Goal 1. ...'"),
            )
        )
    return list(texts.values()), problems


def _clean_official(cell: str) -> str:
    # Footnote digits glued to the end of a word or sentence ("...Statistics.1") are not part of the text.
    text = " ".join(cell.split())
    return re.sub(r"((?<=[a-z])|(?<=[a-z][.)]))\d{1,2}$", "", text).strip()
