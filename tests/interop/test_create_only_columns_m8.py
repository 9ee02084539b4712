"""A row updating a record may not change what the record took once, when it was created (M8): a need's
country, a programme's organisation. A counterpart re-importing a Kenyan need with country_iso3 UGA was
answered "unchanged: 1" and the need stayed in Kenya, without a word. The file is now refused naming the row
and the column, and nothing of it is saved."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from pux.programmes.models import Programme
from tests.web.test_forms import count
from tests.web_helpers import bearer
from tests.world import World


def _csv(header: list[str], *rows: list[object]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _need_row(session: Session, world: World, country: str, title: str) -> list[object]:
    need = session.get(Need, world.needs["draft_ken"])
    assert need is not None
    return [need.id, need.version, country, title, need.thematic_area_code]


NEED_HEADER = ["id", "version", "country_iso3", "title", "thematic_area_code"]


def test_the_create_only_columns_are_the_ones_an_edit_does_not_take() -> None:
    names = {
        entity: [column.name for column in tabular.create_only_columns(tabular.ENTITIES[entity])]
        for entity in tabular.ENTITIES
    }
    assert names == {"needs": ["country_iso3"], "programmes": ["organisation_id"], "activities": []}


def test_an_import_moving_a_need_to_another_country_is_refused_over_the_api(
    client: TestClient, session: Session, world: World
) -> None:
    before = count(session, AuditEvent)
    content = _csv(NEED_HEADER, _need_row(session, world, "UGA", "Draft: second linear accelerator"))
    answer = client.post(
        "/api/v1/needs/import",
        headers=bearer(world.tokens["counterpart_ken"]),
        files={"file": ("needs.csv", content, "text/csv")},
    )
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["problems"]
    assert (problem["row"], problem["field"]) == (2, "country_iso3")
    assert "cannot be changed" in problem["message"] and "'KEN'" in problem["message"]
    session.expire_all()
    assert session.get(Need, world.needs["draft_ken"]).country_iso3 == "KEN"  # type: ignore[union-attr]
    assert count(session, AuditEvent) == before


@pytest.mark.parametrize("country", ["UGA", ""])
def test_a_changed_or_blank_country_refuses_the_whole_file(
    session: Session, world: World, country: str
) -> None:
    """The other row's edit is not saved either; a blank cell would have cleared the country."""
    submitted = session.get(Need, world.needs["submitted_ken"])
    assert submitted is not None
    content = _csv(
        NEED_HEADER,
        [submitted.id, submitted.version, "KEN", "Submitted: renamed by this file", "health"],
        _need_row(session, world, country, "Draft: renamed by this file"),
    )
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["focal_ken"],
            entity_name="needs",
            content=content,
            filename="needs.csv",
        )
    assert [(p.row, p.field) for p in refused.value.problems] == [(3, "country_iso3")]
    session.expire_all()
    assert session.get(Need, world.needs["submitted_ken"]).title == "Submitted: brachytherapy suite"  # type: ignore[union-attr]


def test_the_same_country_written_again_still_updates(session: Session, world: World) -> None:
    content = _csv(NEED_HEADER, _need_row(session, world, "KEN", "Draft: renamed, country kept"))
    report = tabular.import_table(
        session, actor=world.actors["counterpart_ken"], entity_name="needs", content=content, filename="n.csv"
    )
    assert (report.updated, report.unchanged) == (1, 0)
    assert session.get(Need, world.needs["draft_ken"]).title == "Draft: renamed, country kept"  # type: ignore[union-attr]


def test_an_import_giving_a_programme_to_another_organisation_is_refused(
    session: Session, world: World
) -> None:
    programme = session.get(Programme, world.programmes["draft_a"])
    assert programme is not None
    content = _csv(
        ["id", "version", "organisation_id", "title"],
        [programme.id, programme.version, world.organisations["agency_b"], programme.title],
    )
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["admin"],
            entity_name="programmes",
            content=content,
            filename="programmes.csv",
        )
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "organisation_id")]
    session.expire_all()
    kept = session.get(Programme, world.programmes["draft_a"])
    assert kept is not None and kept.organisation_id == world.organisations["donor_a"]
