"""The title an IATI publisher gave in the reader's language is the one their activity page shows: a
French reader was shown the English title of an activity whose file had its French title too (stored,
never shown). The original title otherwise, and the title as edited in PUX once someone edited it."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pux.assistance.models import AssistanceActivity
from pux.interop.iati import synthetic
from pux.interop.iati.service import ImportOptions, import_file
from tests.interop.iati.conftest import BASE_URL
from tests.web.test_forms import language
from tests.world import World


def _imported(
    session: Session, factory: sessionmaker[Session], world: World, path: Path
) -> AssistanceActivity:
    record = synthetic.activity(3, identifier="XM-M7-TITLES-1")  # titles in English, French and Spanish
    report = import_file(
        session_factory=factory,
        actor=world.actors["facilitator"],
        path=synthetic.write_file(path, [record]),
        base_url=BASE_URL,
        options=ImportOptions(everything=True),
    )
    assert report.new == 1, report.refusals
    query = select(AssistanceActivity).where(AssistanceActivity.iati_identifier == "XM-M7-TITLES-1")
    return session.scalars(query).one()


def _heading(client: TestClient, activity: AssistanceActivity, code: str) -> str:
    with language(client, code):
        page = client.get(f"/activities/{activity.id}").text
    return unescape(page.split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0])


def test_each_reader_sees_the_title_the_publisher_gave_in_their_language(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    activity = _imported(session, session_factory, world, tmp_path / "titles.xml")
    record = synthetic.activity(3)
    english, french, spanish = (record.title(code) for code in ("en", "fr", "es"))
    assert len({english, french, spanish}) == 3

    assert _heading(client, activity, "fr") == french
    assert _heading(client, activity, "es") == spanish
    assert _heading(client, activity, "en") == english
    assert _heading(client, activity, "ru") == english  # none in Russian: the original


def test_a_title_edited_in_pux_is_shown_in_every_language(
    client: TestClient, session: Session, session_factory: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    activity = _imported(session, session_factory, world, tmp_path / "titles.xml")
    activity.title = "Radiotherapy equipment for Kenyatta hospital"
    session.flush()
    assert _heading(client, activity, "fr") == "Radiotherapy equipment for Kenyatta hospital"
