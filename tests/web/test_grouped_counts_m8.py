"""Counts of a thousand or more are written in the reader's notation like every other figure: the IATI
import report read "Relevant 2000" beside "2,000 activities read", and /gaps listed "2003" activities."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity, IatiImportRun
from pux.interop.iati import synthetic
from pux.interop.iati.service import ImportOptions, import_file
from tests.web.test_forms import language
from tests.web_helpers import sign_in
from tests.world import World

GROUPED = {"en": "1,003", "fr": "1\u202f003"}
# The refusals table's caption when only some are named, as each language's catalogue writes it.
CUT_SENTENCE = {
    "en": "The first 1 of {written} are named.",
    "fr": "Les 1 premières sur {written} sont nommées.",
}


def _many_activities(session: Session, world: World, how_many: int) -> None:
    """Tanzanian activities of one provider, area and technique: one row of the who-does-what page."""
    this_year = date.today().year
    session.add_all(
        AssistanceActivity(
            title=f"Sterile insect release {number}",
            provider_organisation_id=world.organisations["donor_a"],
            recipient_country_iso3="TZA",
            thematic_area_code="food",
            technique_code="sterile_insect",
            amount_committed=Decimal(1000),
            currency="USD",
            start_date=date(this_year, 1, 1),
            end_date=date(this_year, 12, 31),
        )
        for number in range(how_many)
    )
    session.flush()


def test_the_activities_of_a_who_does_what_row_are_grouped(
    client: TestClient, session: Session, world: World
) -> None:
    _many_activities(session, world, 1003)
    for lang, written in GROUPED.items():
        with language(client, lang):
            page = client.get("/gaps?country=TZA")
        assert page.status_code == 200
        cells = re.findall(r'<td class="num" data-label="[^"]*">([^<]*)</td>', page.text)
        assert html.unescape(cells[0]) == written, (lang, cells)


def test_the_iati_report_groups_the_relevant_and_refused_counts(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    """A run's counts as a file of two thousand activities leaves them (importing one is too slow here)."""
    path = synthetic.write_file(tmp_path / "one.xml", [synthetic.activity(0, currency="XYZ")])
    report = import_file(
        session_factory=session_factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url="http://pux.test",
        options=ImportOptions(everything=True),
    )
    run = session.get(IatiImportRun, report.run_id)
    assert run is not None and len(run.refusals) == 1
    run.read_count = run.relevant_count = run.total_count = run.done_count = 2003
    run.new_count, run.refused_count = 1000, 1003
    session.flush()
    sign_in(client, world.emails["facilitator"])
    for lang, written in GROUPED.items():
        with language(client, lang):
            page = html.unescape(client.get(f"/activities/import/iati/runs/{report.run_id}").text)
        relevant = re.search(r"<dd>([^<]*)<span", page)
        assert relevant is not None and relevant.group(1).strip() == written.replace("1", "2", 1), page
        cut = CUT_SENTENCE[lang].format(written=written)
        assert cut in page.split("<caption>")[2], page
