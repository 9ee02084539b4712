"""The columns an export writes and an import does not read (a need's reference, status and national rank):
a file that changes one is refused naming the row and the column (a status made "submitted" and a reference
made KEN-2026-999 were imported as "0 new, 0 updated, 1 unchanged", without a word). The needs export holds
each need's national rank as its page tells the reader."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from pux.needs.repository import NeedFilter
from tests.world import World

KENYA = NeedFilter(country_iso3="KEN")


def _rank_kenya(session: Session, world: World) -> None:
    """Kenya ranks its private need first, its public one second and its partners' one third."""
    for rank, key in enumerate(("private_ken", "published_ken", "partners_ken"), start=1):
        need = session.get(Need, world.needs[key])
        assert need is not None
        need.national_rank = rank
    session.flush()


def _export(session: Session, world: World, role: str, file_format: str = "csv") -> list[dict[str, str]]:
    target = io.BytesIO()
    tabular.export_table(
        session,
        actor=world.actors[role],
        entity_name="needs",
        target=target,
        filters=KENYA,
        file_format=file_format,
    )
    if file_format == "csv":
        return list(csv.DictReader(io.StringIO(target.getvalue().decode("utf-8-sig"))))
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = [str(name) for name in rows[0]]
    return [
        {name: "" if cell is None else str(cell) for name, cell in zip(header, row, strict=True)}
        for row in rows[1:]
    ]


def _ranks(rows: list[dict[str, str]], world: World) -> dict[str, str]:
    by_id = {row["id"]: row["national_rank"] for row in rows}
    return {key: by_id[str(need_id)] for key, need_id in world.needs.items() if str(need_id) in by_id}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_tells_each_reader_the_ranks_its_pages_tell(
    session: Session, world: World, file_format: str
) -> None:
    _rank_kenya(session, world)
    own = _ranks(_export(session, world, "focal_ken", file_format), world)
    assert (own["private_ken"], own["published_ken"], own["partners_ken"], own["draft_ken"]) == (
        "1",
        "2",
        "3",
        "",
    )
    # The public sees the public need alone, first among what it sees: no gap left by the hidden ones.
    assert _ranks(_export(session, world, "public", file_format), world) == {"published_ken": "1"}
    partner = _ranks(_export(session, world, "partner_a", file_format), world)
    assert partner == {"published_ken": "1", "partners_ken": "2"}


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_an_import_changing_an_export_only_cell_is_refused_naming_row_and_column(
    session: Session, world: World
) -> None:
    _rank_kenya(session, world)
    rows = _export(session, world, "focal_ken")
    row_of = {int(row["id"]): number for number, row in enumerate(rows, start=2)}
    changed: dict[str, dict[str, Any]] = {
        "draft_ken": {"status": "submitted", "title": "Draft: second linear accelerator, edited"},
        "published_ken": {"reference": "KEN-2026-999"},
        "partners_ken": {"national_rank": "1"},
    }
    for key, cells in changed.items():
        next(row for row in rows if int(row["id"]) == world.needs[key]).update(cells)
    events_before = _events(session)
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["focal_ken"],
            entity_name="needs",
            content=_csv(rows),
            filename="n.csv",
        )
    named = {(p.row, p.field) for p in refused.value.problems}
    assert named == {
        (row_of[world.needs["draft_ken"]], "status"),
        (row_of[world.needs["published_ken"]], "reference"),
        (row_of[world.needs["partners_ken"]], "national_rank"),
    }
    assert all("cannot be changed by import" in p.message for p in refused.value.problems)
    session.expire_all()
    draft = session.get(Need, world.needs["draft_ken"])
    assert draft is not None and draft.status == "draft" and draft.title == "Draft: second linear accelerator"
    assert _events(session) == events_before  # the title edited beside the status was not saved either


def test_a_new_row_giving_a_status_is_refused(session: Session, world: World) -> None:
    content = "country_iso3,title,thematic_area_code,status\nKEN,Imported as if published,health,published\n"
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["counterpart_ken"],
            entity_name="needs",
            content=content.encode(),
            filename="n.csv",
        )
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "status")]
