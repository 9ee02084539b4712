"""An IATI import's report accounts for every activity it read, exactly once: refused (each named with its
rule), passed over for a named reason (another reporting organisation, not about peaceful uses, outside
the chosen sectors, outside the chosen countries), created, updated or unchanged; the parts add up to the
activities read, on the run's page too."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import IatiImportRun
from pux.interop.iati import synthetic
from pux.interop.iati.records import ActivityRecord, Split
from pux.interop.iati.service import (
    CREATED,
    NOT_PEACEFUL_USES,
    OTHER_REPORTER,
    OUTSIDE_COUNTRIES,
    OUTSIDE_SECTORS,
    PASSED_OVER_UNTOLD,
    REFUSED,
    UNCHANGED,
    UPDATED,
    ImportOptions,
    ImportReport,
    import_file,
)
from tests.web_helpers import sign_in
from tests.world import World

BASE_URL = "http://pux.test"
PUBLISHER = synthetic.FUNDER_REF
# Radiotherapy (DAC 12191) in Kenya or Uganda, from the chosen publisher: what the choices keep.
CHOICES = ImportOptions(countries=("KEN", "UGA"), sector_prefixes=("121",), reporting_orgs=(PUBLISHER,))


def _kept(number: int, country: str = "KE", currency: str = "USD") -> ActivityRecord:
    assert number % len(synthetic.RELEVANT_TOPICS) == 0, "topic 0 is radiotherapy (DAC 12191)"
    return synthetic.activity(number, country=country, currency=currency)


def _mixed_file(tmp_path: Path) -> Path:
    """Two created, one updated, one unchanged, three refused (two rules and a repeated identifier), one
    from another publisher, two not about peaceful uses, one outside the sectors, two outside the
    countries (one names a region only)."""
    region_only = _kept(28)
    region_only = replace(
        region_only,
        splits=(Split("region", "1", "298", Decimal(100)), *region_only.splits[1:]),
        transactions=region_only.transactions[:2],
    )
    records = [
        _kept(0),
        _kept(4, country="UG"),
        _kept(8),  # a newer version of what the first import stored
        _kept(12),  # the same version
        _kept(16, currency="XYZ"),
        replace(_kept(20), last_updated=synthetic.LAST_UPDATED + timedelta(days=3650)),
        replace(_kept(0), titles=_kept(0).titles[:1]),  # repeats the first one's identifier
        synthetic.activity(32, reporting_ref="XX-SYN-ELSEWHERE", funder_ref="XX-SYN-ELSEWHERE"),
        synthetic.activity(1, relevant=False),
        synthetic.activity(3, relevant=False, country="UG"),
        synthetic.activity(9),  # sterile insect technique, DAC 31192
        _kept(24, country="TZ"),
        region_only,
    ]
    return synthetic.write_file(tmp_path / "mixed.xml", records)


def _import(factory: sessionmaker[Session], world: World, path: Path, options: ImportOptions) -> ImportReport:
    actor = world.actors["facilitator"]
    return import_file(session_factory=factory, actor=actor, path=path, base_url=BASE_URL, options=options)


def _by_outcome(report: ImportReport) -> dict[str, int]:
    return {outcome.code: outcome.count for outcome in report.outcomes()}


def test_every_activity_read_is_in_exactly_one_outcome_and_the_parts_add_up_to_the_read(
    client: TestClient, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    older = replace(_kept(8), last_updated=synthetic.LAST_UPDATED - timedelta(days=1))
    earlier = synthetic.write_file(tmp_path / "earlier.xml", [older, _kept(12)])
    assert _import(session_factory, world, earlier, CHOICES).new == 2

    report = _import(session_factory, world, _mixed_file(tmp_path), CHOICES)

    assert report.read == 13
    assert _by_outcome(report) == {
        REFUSED: 3,
        OTHER_REPORTER: 1,
        NOT_PEACEFUL_USES: 2,
        OUTSIDE_SECTORS: 1,
        OUTSIDE_COUNTRIES: 2,
        CREATED: 2,
        UPDATED: 1,
        UNCHANGED: 1,
    }
    assert sum(_by_outcome(report).values()) == report.read
    refused = {(refusal.identifier, refusal.rule) for refusal in report.refusals}
    assert refused == {
        (f"{PUBLISHER}-0000016", "unknown-code"),
        (f"{PUBLISHER}-0000020", "last-updated-future"),
        (f"{PUBLISHER}-0000000", "identifier-duplicate"),
    }

    sign_in(client, world.emails["facilitator"])
    page = client.get(f"/activities/import/iati/runs/{report.run_id}").text
    sentence = re.search(r'<p id="iati-reconciliation">([^<]+)</p>', page)
    assert sentence is not None, page
    said = " ".join(sentence.group(1).split())
    assert said.startswith("13 activities read = 3 refused")
    parts = [int(number) for number in re.findall(r"(?:=|\+) (\d+) ", said)]
    assert sum(parts) == 13 and len(parts) == 8, said
    for text in (
        "1 from another reporting organisation",
        "2 not about the peaceful uses",
        "1 outside the chosen sectors",
        "2 outside the chosen countries",
        "2 created",
        "1 updated",
        "1 unchanged",
    ):
        assert text in said, said
    rows = dict(re.findall(r'<tr data-outcome="([a-z-]+)"><td[^>]*>[^<]*</td><td[^>]*>(\d+)</td>', page))
    assert {code: int(count) for code, count in rows.items()} == _by_outcome(report)
    assert f"{PUBLISHER}-0000016" in page and "XYZ" in page


def test_a_run_begun_before_the_reasons_were_counted_still_adds_up(
    session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    report = _import(session_factory, world, _mixed_file(tmp_path), CHOICES)
    run = session.get(IatiImportRun, report.run_id)
    assert run is not None
    run.passed_over = None  # as runs stored before the tally was kept
    session.flush()
    old = ImportReport.of(run)
    assert _by_outcome(old)[PASSED_OVER_UNTOLD] == 6
    assert sum(_by_outcome(old).values()) == old.read == 13
