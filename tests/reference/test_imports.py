"""Administrator imports: World Bank indicator files and the official SDG texts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.reference import service
from pux.reference.importers import parse_indicator_file
from pux.reference.models import IndicatorObservation, SdgGoal, SdgIndicator, SdgTarget
from pux.reference.service import ImportRefused

KNOWN = {"KEN", "UGA", "ETH"}

WIDE = """"Data Source","World Development Indicators",

"Last Updated Date","2025-01-28",

"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020","2021",
"Kenya","KEN","Radiotherapy units (per million people)","TEST.RT.UNITS","0.5","","0.61",
"World","WLD","Radiotherapy units (per million people)","TEST.RT.UNITS","1.1","1.2","1.3",
"Uganda","UGA","Radiotherapy units (per million people)","TEST.RT.UNITS","..","0.1","0.12",
"""

LONG = """Country Name,Country Code,Year,Value
Kenya,KEN,2022,41.5
Uganda,UGA,2022,38.25
Ethiopia,ETH,2021,
"""


def _observations(session: Session, code: str) -> list[IndicatorObservation]:
    statement = select(IndicatorObservation).where(IndicatorObservation.indicator_code == code)
    return list(session.scalars(statement))


def test_wide_world_bank_file_is_parsed_with_missing_cells_left_missing() -> None:
    parsed = parse_indicator_file(WIDE, known_countries=KNOWN)
    assert parsed.file_format == "wide" and not parsed.problems
    assert parsed.skipped_aggregates == 1
    assert parsed.missing_values == 2  # Kenya 2020 empty, Uganda 2019 '..'
    assert {(r.iso3, r.year, r.value) for r in parsed.rows} == {
        ("KEN", 2019, 0.5),
        ("KEN", 2021, 0.61),
        ("UGA", 2020, 0.1),
        ("UGA", 2021, 0.12),
    }
    assert parsed.indicator_names == {"TEST.RT.UNITS": "Radiotherapy units (per million people)"}


def test_long_file_needs_the_indicator_code_when_it_has_no_column() -> None:
    refused = parse_indicator_file(LONG, known_countries=KNOWN)
    assert [(p.field, p.row) for p in refused.problems] == [("Indicator Code", 1)]
    parsed = parse_indicator_file(LONG, known_countries=KNOWN, indicator_code="TEST.CANCER.ASR")
    assert not parsed.problems and parsed.missing_values == 1
    assert {(r.iso3, r.indicator_code, r.year, r.value) for r in parsed.rows} == {
        ("KEN", "TEST.CANCER.ASR", 2022, 41.5),
        ("UGA", "TEST.CANCER.ASR", 2022, 38.25),
    }


def test_import_applies_a_good_file_with_its_source_and_an_audit_record(session: Session) -> None:
    report = service.import_indicator_file(
        session,
        content=WIDE,
        filename="rt.csv",
        source_code="test-dirac-2025",
        source_citation="Test radiotherapy census 2025",
        actor="tester",
        role="capacity",
        unit="per million people",
        thematic_area_code="health",
    )
    assert (report.inserted, report.updated, report.skipped_aggregates) == (4, 0, 1)
    rows = _observations(session, "TEST.RT.UNITS")
    assert {(r.country_iso3, r.year) for r in rows} == {
        ("KEN", 2019),
        ("KEN", 2021),
        ("UGA", 2020),
        ("UGA", 2021),
    }
    assert all(
        r.source.citation == "Test radiotherapy census 2025" and r.unit == "per million people" for r in rows
    )
    trail = audit.history(session, entity_type="indicator_file", entity_id="rt.csv")
    assert trail[-1].actor == "tester" and trail[-1].after is not None and trail[-1].after["inserted"] == 4
    again = service.import_indicator_file(
        session,
        content=WIDE,
        filename="rt.csv",
        source_code="test-dirac-2025",
        source_citation=None,
        actor="tester",
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)


def test_a_bad_file_is_refused_whole_naming_every_row_and_field(session: Session) -> None:
    bad = """Country Code,Year,Value,Indicator Code
KEN,2022,41.5,TEST.BAD
XYZ,2022,3,TEST.BAD
UGA,20x2,4,TEST.BAD
ETH,2021,lots,TEST.BAD
"""
    with pytest.raises(ImportRefused) as refused:
        service.import_indicator_file(
            session,
            content=bad,
            filename="bad.csv",
            source_code="test-bad",
            source_citation="Bad file",
            actor="tester",
        )
    problems = {(p.row, p.field) for p in refused.value.problems}
    assert problems == {(3, "Country Code"), (4, "Year"), (5, "Value")}
    assert "XYZ" in str(refused.value)
    assert _observations(session, "TEST.BAD") == []  # the good first row was not half-imported


def test_an_unknown_source_without_citation_is_refused(session: Session) -> None:
    with pytest.raises(ImportRefused) as refused:
        service.import_indicator_file(
            session,
            content=LONG,
            filename="x.csv",
            source_code="nobody-knows",
            source_citation=None,
            actor="tester",
            indicator_code="TEST.X",
        )
    assert [p.field for p in refused.value.problems] == ["source"]


def test_duplicate_rows_are_refused() -> None:
    duplicate = "Country Code,Year,Value\nKEN,2022,1\nKEN,2022,2\n"
    parsed = parse_indicator_file(duplicate, known_countries=KNOWN, indicator_code="TEST.D")
    assert len(parsed.problems) == 1 and "more than once" in parsed.problems[0].message


UNSD_EXTRACT = ""","Global indicator framework for the Sustainable Development Goals",,
,Goals and targets (from the 2030 Agenda for Sustainable Development),Indicators,UNSD Indicator Codes†
,Goal 3. Wording of goal three as the official file gives it,,
,"3.4 Wording of target 3.4, with a comma","3.4.1 Wording of the first indicator",C030401
,,3.4.2 Wording of the second indicator,C030402
"""


def test_official_sdg_texts_are_imported_from_the_unsd_layout(session: Session) -> None:
    counts = service.import_official_sdg_texts(session, content=UNSD_EXTRACT, actor="tester")
    assert counts == {"goal": 1, "target": 1, "indicator": 2}
    goal = session.get(SdgGoal, "3")
    target = session.get(SdgTarget, "3.4")
    indicator = session.get(SdgIndicator, "3.4.2")
    assert goal is not None and goal.official_title == "Wording of goal three as the official file gives it"
    assert target is not None and target.official_title is not None
    assert target.official_title == "Wording of target 3.4, with a comma"
    assert indicator is not None and indicator.official_title == "Wording of the second indicator"
    assert indicator.unsd_code == "C030402"


def test_a_file_that_is_not_the_framework_is_refused(session: Session) -> None:
    with pytest.raises(ImportRefused):
        service.import_official_sdg_texts(session, content="a,b,c\n1,2,3\n", actor="tester")
    with pytest.raises(ImportRefused) as refused:
        service.import_official_sdg_texts(
            session, content=UNSD_EXTRACT.replace("3.4.2 ", "3.4.9 "), actor="x"
        )
    assert "3.4.9" in str(refused.value)
