"""Indicator files are read as their layout writes numbers and rows: a decimal comma is refused rather
than read as a thousands separator (14,5 became 145), a repeated country and year names its own row and
the row it repeats (it said "row 0"), and a file separated by semicolons is read (it was refused as
having no header)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.reference import service
from pux.reference.importers import parse_indicator_file
from pux.reference.models import IndicatorObservation
from pux.reference.service import ImportRefused

KNOWN = {"KEN", "UGA", "ABW"}


def _import(session: Session, content: str, code: str) -> service.IndicatorImportReport:
    return service.import_indicator_file(
        session,
        content=content,
        filename="qa.csv",
        source_code="qa-m1",
        source_citation="QA source",
        actor="tester",
        indicator_code=code,
        role="burden",
    )


def _values(session: Session, code: str) -> dict[tuple[str, int], float]:
    statement = select(IndicatorObservation).where(IndicatorObservation.indicator_code == code)
    return {(o.country_iso3, o.year): o.value for o in session.scalars(statement)}


def test_a_decimal_comma_is_refused_naming_its_row_and_nothing_is_saved(session: Session) -> None:
    content = 'Country Name,Country Code,Year,Value\nKenya,KEN,2019,"14,5"\nKenya,KEN,2020,"0,35"\n'
    with pytest.raises(ImportRefused) as refused:
        _import(session, content, "QA.DC")
    problems = refused.value.problems
    assert [(p.row, p.field) for p in problems] == [(2, "Value"), (3, "Value")]
    assert "'14,5' is not a number in this file's layout" in str(problems[0])
    assert "decimal comma" in problems[0].message
    assert _values(session, "QA.DC") == {}  # not 145 and 35


def test_a_comma_between_groups_of_three_digits_is_a_thousands_separator(session: Session) -> None:
    content = 'Country Code,Year,Value\nKEN,2019,"1,234,567.5"\nKEN,2020,"14,500"\nKEN,2021,-0.25\n'
    _import(session, content, "QA.TH")
    expected = {("KEN", 2019): 1234567.5, ("KEN", 2020): 14500.0, ("KEN", 2021): -0.25}
    assert _values(session, "QA.TH") == expected


@pytest.mark.parametrize("written", ["0,350", "1,23", "12,3456", "1,2,3", ",5"])
def test_a_comma_anywhere_else_is_refused(written: str) -> None:
    parsed = parse_indicator_file(
        f'Country Code,Year,Value\nKEN,2019,"{written}"\n', known_countries=KNOWN, indicator_code="QA.X"
    )
    assert not parsed.rows
    assert [(p.row, p.field) for p in parsed.problems] == [(2, "Value")]


def test_a_repeated_country_and_year_names_its_row_and_the_row_it_repeats() -> None:
    content = "Country Name,Country Code,Year,Value\n" + "".join(
        f"Aruba,ABW,{year},1\n" for year in (2002, 2003, 2004, 2005, 2005, 2007)
    )
    parsed = parse_indicator_file(content, known_countries=KNOWN, indicator_code="QA.DUP")
    assert [(p.row, p.field) for p in parsed.problems] == [(6, "Year")]
    assert "ABW QA.DUP 2005 appears more than once: it repeats row 5" in parsed.problems[0].message


def test_a_country_given_twice_in_a_wide_file_names_both_rows_and_the_year_column() -> None:
    content = "Country Code,Indicator Code,2019,2020\nKEN,QA.W,1,2\nUGA,QA.W,3,4\nKEN,QA.W,,5\n"
    parsed = parse_indicator_file(content, known_countries=KNOWN)
    assert [(p.row, p.field) for p in parsed.problems] == [(4, "2020")]
    assert "repeats row 2" in parsed.problems[0].message


def test_a_file_separated_by_semicolons_is_read(session: Session) -> None:
    content = "\ufeffCountry Name;Country Code;Year;Value\nKenya;KEN;2019;14.5\nUganda;UGA;2019;0.35\n"
    report = _import(session, content, "QA.SEMI")
    assert report.inserted == 2
    assert _values(session, "QA.SEMI") == {("KEN", 2019): 14.5, ("UGA", 2019): 0.35}


def test_a_comma_in_a_file_separated_by_semicolons_is_refused_as_ambiguous() -> None:
    # In that layout the comma is the decimal mark: "1,234" may be 1.234 as well as 1234.
    content = "Country Code;Year;Value\nKEN;2019;14.5\nKEN;2020;14,5\nKEN;2021;1,234\n"
    parsed = parse_indicator_file(content, known_countries=KNOWN, indicator_code="QA.SC")
    assert [(p.row, p.field) for p in parsed.problems] == [(3, "Value"), (4, "Value")]
    assert "separated by ';'" in parsed.problems[0].message
    assert [(r.year, r.value) for r in parsed.rows] == [(2019, 14.5)]
