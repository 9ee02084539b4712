"""Bad input: a bad activity among good ones is named with its line and rule while the good ones are
imported; a file that is not XML, not IATI, truncated, huge in one element or an entity bomb is
refused whole, with nothing written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pux.accounts.permissions import Actor
from pux.assistance.models import AssistanceActivity, IatiImportRun, IatiSource, IatiTransaction
from pux.audit.models import AuditEvent
from pux.i18n import language_context
from pux.interop.iati import synthetic
from pux.interop.iati.service import IatiFileRefused, ImportOptions, import_file
from tests.interop.iati.conftest import BASE_URL

EVERYTHING = ImportOptions(everything=True)


def _state(session: Session) -> tuple[int, ...]:
    tables = (AssistanceActivity, IatiTransaction, IatiSource, IatiImportRun, AuditEvent)
    return tuple(int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables)


def _activity_lines(path: Path) -> dict[str, tuple[int, int]]:
    """identifier -> (first line, last line) of its iati-activity element in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [
        number
        for number, line in enumerate(lines, 1)
        if "<iati-activity" in line and "iati-activities" not in line
    ]
    spans: dict[str, tuple[int, int]] = {}
    for index, start in enumerate(starts):
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(lines)
        identifier = next(line for line in lines[start - 1 : end] if "<iati-identifier>" in line)
        spans[identifier.split(">")[1].split("<")[0]] = (start, end)
    return spans


def test_bad_activities_among_good_ones_are_named_with_line_and_rule_and_the_good_ones_imported(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    good = [synthetic.activity(n) for n in range(4)]
    bad_currency = replace(synthetic.activity(10), default_currency="XYZ")
    ends_early = replace(synthetic.activity(11), dates={"1": date(2024, 5, 1), "3": date(2023, 1, 1)})
    no_currency = replace(synthetic.activity(12), default_currency=None)
    duplicate = replace(synthetic.activity(13), identifier=good[0].identifier)
    no_status = synthetic.activity(14)
    path = synthetic.write_file(
        tmp_path / "mixed.xml",
        [good[0], bad_currency, good[1], ends_early, no_currency, good[2], duplicate, no_status, good[3]],
    )
    # Break the schema of one activity: its activity-status element is required.
    text = path.read_text(encoding="utf-8")
    spans = _activity_lines(path)
    lines = text.splitlines()
    start, end = spans[no_status.identifier]
    lines = [
        line
        for number, line in enumerate(lines, 1)
        if not (start <= number <= end and "<activity-status" in line)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spans = _activity_lines(path)

    report = import_file(
        session_factory=session_factory, actor=facilitator, path=path, base_url=BASE_URL, options=EVERYTHING
    )

    assert (report.read, report.new, report.refused) == (9, 4, 5)
    rules = {r.identifier: r for r in report.refusals}
    assert rules[bad_currency.identifier].rule == "unknown-code"
    assert rules[ends_early.identifier].rule == "end-before-start"
    assert rules[no_currency.identifier].rule == "currency-missing"
    assert rules[no_status.identifier].rule == "schema"
    duplicates = [r for r in report.refusals if r.rule == "identifier-duplicate"]
    assert len(duplicates) == 1 and duplicates[0].line > spans[good[1].identifier][1]
    for refusal in report.refusals:
        if refusal.rule != "identifier-duplicate":
            first, last = spans[refusal.identifier]
            assert first <= refusal.line <= last, refusal
    with language_context("fr"):
        assert "XYZ" in rules[bad_currency.identifier].message()
        assert "IATI" in rules[bad_currency.identifier].message()
    stored = set(
        session.scalars(select(AssistanceActivity.iati_identifier).where(AssistanceActivity.origin == "iati"))
    )
    assert stored == {a.identifier for a in good}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _truncated(tmp_path: Path) -> Path:
    whole = synthetic.write_file(
        tmp_path / "whole.xml", [synthetic.activity(n) for n in range(6)]
    ).read_bytes()
    return _write(tmp_path / "truncated.xml", whole[: len(whole) * 2 // 3].decode("utf-8", "ignore"))


def _huge(tmp_path: Path) -> Path:
    text = synthetic.write_file(tmp_path / "h.xml", [synthetic.activity(1), synthetic.activity(2)]).read_text(
        "utf-8"
    )
    enormous = "x" * 11_000_000
    return _write(tmp_path / "huge.xml", text.replace("Activity 2.", f"Activity 2. {enormous}", 1))


BOMB = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<iati-activities version="2.03">
 <iati-activity><iati-identifier>&d;</iati-identifier></iati-activity>
</iati-activities>
"""


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: _write(tmp / "a.csv", "identifier,title\n1,Radiotherapy\n"), "not-xml"),
        (lambda tmp: _write(tmp / "empty.xml", ""), "not-xml"),
        (
            lambda tmp: _write(
                tmp / "org.xml",
                '<iati-organisations version="2.03"><iati-organisation/></iati-organisations>',
            ),
            "not-iati",
        ),
        (lambda tmp: _write(tmp / "page.xml", "<html><body><iati-activity/></body></html>"), "not-iati"),
        (_truncated, "truncated"),
        (_huge, "too-large"),
        (lambda tmp: _write(tmp / "bomb.xml", BOMB), "entities"),
        (
            lambda tmp: _write(tmp / "old.xml", '<iati-activities version="1.05"></iati-activities>'),
            "old-version",
        ),
        (
            lambda tmp: _write(tmp / "new.xml", '<iati-activities version="3.0"></iati-activities>'),
            "old-version",
        ),
        (lambda tmp: _write(tmp / "none.xml", "<iati-activities></iati-activities>"), "no-version"),
    ],
)
def test_a_file_that_is_not_iati_xml_is_refused_whole_and_nothing_is_written(
    session: Session,
    session_factory: sessionmaker[Session],
    facilitator: Actor,
    tmp_path: Path,
    make,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    path = make(tmp_path)
    before = _state(session)
    with pytest.raises(IatiFileRefused) as refused:
        import_file(
            session_factory=session_factory,
            actor=facilitator,
            path=path,
            base_url=BASE_URL,
            options=EVERYTHING,
        )
    assert refused.value.reason == reason
    assert str(refused.value)
    assert _state(session) == before


def test_a_regional_activity_is_refused_saying_why_and_shares_are_named_in_the_readers_language(
    session: Session, session_factory: sessionmaker[Session], facilitator: Actor, tmp_path: Path
) -> None:
    """An activity for a region was refused as naming "no recipient country PUX knows"; a shares breach
    said "sector (vocabulary 1)" in English in every language."""
    from decimal import Decimal

    from pux.interop.iati.records import COUNTRY, REGION, SECTOR, Split
    from pux.interop.iati.rules import describe

    regional = synthetic.activity(20)
    splits = tuple(s for s in regional.splits if s.kind == SECTOR) + (
        Split(REGION, "1", "289", Decimal(100)),
    )
    transactions = tuple(
        replace(t, splits=tuple(s for s in t.splits if s.kind != COUNTRY)) for t in regional.transactions
    )
    only_region = replace(regional, splits=splits, transactions=transactions)
    path = synthetic.write_file(tmp_path / "regional.xml", [only_region])
    report = import_file(
        session_factory=session_factory, actor=facilitator, path=path, base_url=BASE_URL, options=EVERYTHING
    )
    assert [r.rule for r in report.refusals] == ["region-only"]
    assert "recipient region but no country" in report.refusals[0].message()
    with language_context("fr"):
        shares = describe("percentages", {"what": "sector (vocabulary 1)", "total": "80"})
        assert "secteur (vocabulaire 1)" in shares and "sector" not in shares
        assert "pays et région" in describe("percentages", {"what": "country/region", "total": "90"})
