"""An imported activity's page shows the DAC sectors its IATI file gives with their shares: an activity
classed in DAC categories (vocabulary 2: 311 at 60 %, 312 at 40 %) said "DAC sectors —", though the file's
sectors were stored and came back in the IATI export."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity
from pux.interop.iati import synthetic
from pux.interop.iati.records import COUNTRY, SECTOR, Split
from pux.interop.iati.service import ImportOptions, import_file
from tests.web.test_forms import language
from tests.world import World

CATEGORIES = (Split(SECTOR, "2", "311", Decimal(60)), Split(SECTOR, "2", "312", Decimal(40)))


def _imported(
    session: Session, factory: sessionmaker[Session], world: World, tmp_path: Path, *splits: Split
) -> AssistanceActivity:
    record = synthetic.activity(0)
    record = replace(record, splits=(Split(COUNTRY, "1", "KE", Decimal(100)), *splits))
    path = synthetic.write_file(tmp_path / "sectors.xml", [record])
    import_file(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=path,
        base_url="http://pux.test",
        options=ImportOptions(everything=True),
    )
    activity = session.scalar(
        select(AssistanceActivity).where(AssistanceActivity.iati_identifier == record.identifier)
    )
    assert activity is not None
    return activity


def test_dac_categories_are_shown_with_their_shares(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    activity = _imported(session, session_factory, world, tmp_path, *CATEGORIES)
    page = html.unescape(client.get(f"/activities/{activity.id}").text)
    note = re.search(r'<span class="note" id="iati-sectors">(.*?)</span>', page, re.S)
    assert note is not None, page[page.find("DAC sectors") :][:400]
    assert " ".join(re.sub(r"<[^>]+>", "", note.group(1)).split()) == "In the IATI file: 311 60%, 312 40%"
    with language(client, "fr"):
        french = html.unescape(client.get(f"/activities/{activity.id}").text)
    assert "311</code> 60" in french and "312</code> 40" in french


def test_a_single_purpose_code_is_said_once(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    """One purpose code for the whole activity: the codes line says it all, no note repeats it."""
    activity = _imported(session, session_factory, world, tmp_path, Split(SECTOR, "1", "12191", Decimal(100)))
    page = client.get(f"/activities/{activity.id}").text
    assert activity.dac_sector_codes == ["12191"]
    assert 'id="iati-sectors"' not in page and "12191" in page
