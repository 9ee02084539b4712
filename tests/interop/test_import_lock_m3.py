"""A large spreadsheet import does not stop everyone else's saves (M3).

Served the way `pux serve` serves it: while a donor's activities file is being checked, another user's new
need is saved and answered at once (on SQLite the check held the write lock: the need waited for the whole
check, and past the busy timeout was refused with 503 "the site is very busy"). The file is still saved
whole or refused whole. And what changed between the check and the save is checked again when saving.
"""

from __future__ import annotations

import csv
import io
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.db import make_engine, make_session_factory, unit_of_work
from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.search import indexing as search_indexing
from pux.search import sources
from pux.search.models import SearchDocument
from tests.committed import audit_events_taken_back
from tests.web.conftest import Served, serve_pux
from tests.web_helpers import bearer
from tests.world import World

MARK = f"Import lock {secrets.token_hex(4)}"
# Enough rows for the check to take several seconds on an idle two-core machine (0.5 to 1 ms a row).
CHECKED_ROWS = 8_000
SAVED_ROWS = 300
# A new need is answered in well under a second; this leaves room for a busy machine, and is far below
# the check's own duration, which the need waited for when the check held the write lock.
PROMPT_SECONDS = 2.0
TIMEOUT = httpx2.Timeout(600.0)
HEADER = (
    "external_id",
    "title",
    "provider_organisation_id",
    "recipient_country_iso3",
    "thematic_area_code",
    "technique_code",
    "amount_committed",
    "amount_disbursed",
    "currency",
    "start_date",
    "end_date",
    "status",
    "visibility",
)


def _activities_csv(organisation_id: int, rows: int, tag: str, bad_last_row: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number in range(rows):
        currency = "US$" if bad_last_row and number == rows - 1 else "USD"
        writer.writerow(
            [
                f"M3-{tag}-{number}",
                f"{MARK} activity {tag} {number}",
                organisation_id,
                "KEN",
                "health",
                "radiotherapy",
                "1000",
                "500",
                currency,
                "2026-01-01",
                "2026-12-31",
                "implementation",
                "public",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _remove_marked(database_url: str) -> None:
    """The needs and activities this module made, with their history and search documents."""
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine), write=True) as session:
            marked = f"{MARK}%"
            for model, kind, search_kind, links in (
                (Need, "need", sources.NEED, (need_technique.c.need_id, need_sdg_target.c.need_id)),
                (AssistanceActivity, "assistance_activity", sources.ACTIVITY, ()),
            ):
                ids = list(session.scalars(select(model.id).where(model.title.like(marked))))
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    session.execute(
                        delete(AuditEvent).where(
                            AuditEvent.entity_type == kind, AuditEvent.entity_id.in_([str(i) for i in chunk])
                        )
                    )
                    for link in links:
                        session.execute(delete(link.table).where(link.in_(chunk)))
                    session.execute(delete(model).where(model.id.in_(chunk)))
                    gone = [(search_kind, str(i)) for i in chunk]
                    search_indexing.write(session.connection(), [], deleted=gone)
    finally:
        engine.dispose()


def _marked_activities(database_url: str, tag: str) -> int:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            title = f"{MARK} activity {tag} %"
            return int(session.scalar(select(func.count()).where(AssistanceActivity.title.like(title))) or 0)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def server(database_url: str, world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    try:
        with (
            audit_events_taken_back(database_url),
            serve_pux(database_url, tmp_path_factory.mktemp("import-lock")) as served,
        ):
            yield served
    finally:
        _remove_marked(database_url)


class NeedsDraftedMeanwhile:
    """Another user drafting needs one after another (each answered before the next is sent) for as long
    as the block runs: each draft's answer and how long it took."""

    def __init__(self, server: Served, token: str) -> None:
        self.server, self.token = server, token
        self.drafts: list[tuple[int | str, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._draft)

    def __enter__(self) -> NeedsDraftedMeanwhile:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT.read)

    def _draft(self) -> None:
        with httpx2.Client(base_url=self.server.base_url, timeout=TIMEOUT) as client:
            while not self._stop.is_set():
                body = {
                    "country_iso3": "KEN",
                    "title": f"{MARK} drafted meanwhile {len(self.drafts)}",
                    "thematic_area_code": "health",
                    "currency": "USD",
                }
                started = time.perf_counter()
                try:
                    outcome: int | str = client.post(
                        "/api/v1/needs", json=body, headers=bearer(self.token)
                    ).status_code
                except httpx2.HTTPError as error:
                    outcome = type(error).__name__
                self.drafts.append((outcome, time.perf_counter() - started))
                time.sleep(0.1)


def _import(server: Served, token: str, content: bytes) -> tuple[httpx2.Response, float]:
    started = time.perf_counter()
    response = httpx2.post(
        f"{server.base_url}/api/v1/activities/import",
        files={"file": ("activities.csv", content, "text/csv")},
        headers=bearer(token),
        timeout=TIMEOUT,
    )
    return response, time.perf_counter() - started


def test_a_need_is_saved_at_once_while_a_large_file_is_checked(
    server: Served, world: World, database_url: str
) -> None:
    """The file is refused by its last row, so the whole request is the check: every need drafted
    meanwhile is saved (201) promptly, and the refused file saves nothing."""
    content = _activities_csv(world.organisations["donor_a"], CHECKED_ROWS, "refused", bad_last_row=True)
    # Warm: the first draft and the first import of a process load what they need once.
    assert (
        _import(server, world.tokens["partner_a"], _activities_csv(1, 1, "warm", True))[0].status_code == 422
    )
    with NeedsDraftedMeanwhile(server, world.tokens["focal_ken"]) as meanwhile:
        time.sleep(0.5)
        response, seconds = _import(server, world.tokens["partner_a"], content)
    assert response.status_code == 422, response.text[:500]
    assert [(p["row"], p["field"]) for p in response.json()["problems"]] == [(CHECKED_ROWS + 1, "currency")]
    assert seconds > 2 * PROMPT_SECONDS, f"the check took {seconds:.1f} s: too short to tell anything"
    assert len(meanwhile.drafts) >= 3, meanwhile.drafts
    assert {outcome for outcome, _ in meanwhile.drafts} == {201}, meanwhile.drafts
    slowest = max(took for _, took in meanwhile.drafts)
    assert slowest < PROMPT_SECONDS, (
        f"a need waited {slowest:.1f} s while a file of {CHECKED_ROWS} rows was checked ({seconds:.1f} s)"
    )
    assert _marked_activities(database_url, "refused") == 0


def test_a_file_checked_beside_other_saves_is_still_saved_whole(
    server: Served, world: World, database_url: str
) -> None:
    content = _activities_csv(world.organisations["donor_a"], SAVED_ROWS, "saved")
    with NeedsDraftedMeanwhile(server, world.tokens["focal_ken"]) as meanwhile:
        response, _seconds = _import(server, world.tokens["partner_a"], content)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["created"] == SAVED_ROWS
    assert _marked_activities(database_url, "saved") == SAVED_ROWS
    assert meanwhile.drafts and {outcome for outcome, _ in meanwhile.drafts} == {201}, meanwhile.drafts


# --- What changes between the check and the save is checked again ------------------------------------


def _export_row(session: Session, activity: AssistanceActivity, title: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "version", "title"])
    writer.writerow([activity.id, activity.version, title])
    return buffer.getvalue().encode("utf-8")


def _meanwhile(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    """``change()`` runs after the file was checked and before its saving begins."""
    begin_writing = tabular.write_from_here

    def changed_then_begun(session: Session) -> None:
        change(session)
        begin_writing(session)

    monkeypatch.setattr(tabular, "write_from_here", changed_then_begun)


def test_a_record_edited_after_the_check_refuses_the_file(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    activity = session.scalars(
        select(AssistanceActivity).where(
            AssistanceActivity.provider_organisation_id == world.organisations["donor_a"]
        )
    ).first()
    assert activity is not None
    checked_version, title = activity.version, activity.title

    def edited_by_someone_else(session: Session) -> None:
        # Another request's edit: a new version in the database, not in this session's copy.
        session.execute(
            update(AssistanceActivity)
            .where(AssistanceActivity.id == activity.id)
            .values(title=f"{MARK} edited meanwhile", version=checked_version + 1)
            .execution_options(synchronize_session=False)
        )

    _meanwhile(monkeypatch, edited_by_someone_else)
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["partner_a"],
            entity_name="activities",
            content=_export_row(session, activity, f"{MARK} from the file"),
            filename="activities.csv",
        )
    assert [(p.field, p.row) for p in refused.value.problems] == [("version", 2)]
    assert f"now version {checked_version + 1}" in refused.value.problems[0].message
    session.expire_all()
    stored = session.get(AssistanceActivity, activity.id)
    assert stored is not None and stored.title == f"{MARK} edited meanwhile" != title


def test_an_identifier_taken_after_the_check_refuses_the_whole_file(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = f"M3-TAKEN-{secrets.token_hex(3)}"
    content = _activities_csv(world.organisations["donor_a"], 3, "taken")
    content = content.replace(b"M3-taken-2,", f"{taken},".encode())
    counted = select(func.count()).where(AssistanceActivity.title.like(f"{MARK} activity taken %"))

    def identifier_taken(session: Session) -> None:
        first = session.scalars(select(AssistanceActivity)).first()
        assert first is not None
        session.execute(
            update(AssistanceActivity)
            .where(AssistanceActivity.id == first.id)
            .values(external_id=taken)
            .execution_options(synchronize_session=False)
        )

    _meanwhile(monkeypatch, identifier_taken)
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["partner_a"],
            entity_name="activities",
            content=content,
            filename="activities.csv",
        )
    assert [(p.field, p.row) for p in refused.value.problems] == [("external_id", 4)]
    assert session.scalar(counted) == 0  # the two rows saved before it are undone


def test_the_records_of_a_file_are_found_by_search_once_saved(session: Session, world: World) -> None:
    """Their search documents are written together at the end of the saving, in its transaction."""
    content = _activities_csv(world.organisations["donor_a"], 3, "indexed")
    report = tabular.import_table(
        session, actor=world.actors["partner_a"], entity_name="activities", content=content, filename="a.csv"
    )
    documents = session.execute(
        select(SearchDocument.source_key, SearchDocument.title).where(
            SearchDocument.kind == sources.ACTIVITY,
            SearchDocument.source_key.in_([str(i) for i in report.ids]),
        )
    ).all()
    assert sorted(documents) == sorted(
        (str(i), f"{MARK} activity indexed {n}") for n, i in enumerate(report.ids)
    )


def test_a_record_removed_after_the_check_refuses_the_file(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    partner = world.actors["partner_a"]
    content = _activities_csv(world.organisations["donor_a"], 1, "removed")
    (made,) = tabular.import_table(
        session, actor=partner, entity_name="activities", content=content, filename="a.csv"
    ).ids
    activity = session.get(AssistanceActivity, made)
    assert activity is not None

    def removed_by_someone_else(session: Session) -> None:
        session.execute(
            delete(AssistanceActivity)
            .where(AssistanceActivity.id == made)
            .execution_options(synchronize_session=False)
        )

    _meanwhile(monkeypatch, removed_by_someone_else)
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=partner,
            entity_name="activities",
            content=_export_row(session, activity, f"{MARK} from the file"),
            filename="activities.csv",
        )
    assert [(p.field, p.row) for p in refused.value.problems] == [("id", 2)]
