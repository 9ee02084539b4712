"""An amount is never given a currency its sender did not state: a needs spreadsheet whose row had a cost
and a blank currency cell was saved in US dollars, an activities file without a currency column too (and
counted so in the gaps); the API took a body without currency the same way. Each is now refused naming
the row and ``currency``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from pux.needs.models import Need
from tests.web_helpers import bearer
from tests.world import World, activity_data

NEEDS = "country_iso3,title,thematic_area_code,estimated_cost,currency\r\n"


def _import(session: Session, world: World, actor: str, entity: str, text: str) -> tabular.ImportReport:
    return tabular.import_table(
        session, actor=world.actors[actor], entity_name=entity, content=text.encode(), filename="rows.csv"
    )


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_needs_row_with_a_cost_and_a_blank_currency_is_refused_by_row_and_field(
    session: Session, world: World
) -> None:
    before = _count(session, Need)
    rows = "KEN,Radiotherapy bunker Mombasa,health,2000000,KES\r\n"
    rows += "KEN,Radiotherapy bunker Kisumu,health,2000000,\r\n"
    with pytest.raises(ValidationFailed) as refused:
        _import(session, world, "counterpart_ken", "needs", NEEDS + rows)
    assert [(p.row, p.field) for p in refused.value.problems] == [(3, "currency")]
    assert _count(session, Need) == before


def test_a_need_of_no_cost_may_leave_its_currency_blank(session: Session, world: World) -> None:
    report = _import(
        session, world, "counterpart_ken", "needs", NEEDS + "KEN,Radiotherapy bunker Nyeri,health,,\r\n"
    )
    assert report.created == 1


def test_an_activities_file_without_a_currency_column_is_refused_for_its_amounts(
    session: Session, world: World
) -> None:
    before = _count(session, AssistanceActivity)
    header = "title,provider_organisation_id,recipient_country_iso3,thematic_area_code,amount_committed\r\n"
    row = f"Radiotherapy support,{world.organisations['donor_a']},KEN,health,450000\r\n"
    with pytest.raises(ValidationFailed) as refused:
        _import(session, world, "partner_a", "activities", header + row)
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "currency")]
    assert _count(session, AssistanceActivity) == before


def test_the_api_refuses_an_amount_without_currency(client: TestClient, world: World) -> None:
    body = activity_data(world.organisations["donor_a"]).model_dump(mode="json")
    del body["currency"]
    answer = client.post("/api/v1/activities", json=body, headers=bearer(world.tokens["partner_a"]))
    assert answer.status_code == 422, answer.text
    assert "currency" in answer.text
