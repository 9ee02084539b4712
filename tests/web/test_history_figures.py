"""A record's history writes its amounts and counts the way the reader's language writes numbers: a Spanish
focal point who changed a need's cost read "Costo estimado: 1250000.50 → 2000000", and a Russian donor
"Выплаченная сумма: 300000.00 → 450000.75", while only a programme's budget was written their way."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.i18n import language_context
from pux.needs.models import Need
from pux.web.templating import history_value
from tests.web.test_form_digits_m2 import NEED
from tests.web.test_forms import language, post_form
from tests.web_helpers import sign_in
from tests.world import World

NBSP = "\u00a0"


def _saved_need(client: TestClient, session: Session, **typed: str) -> Any:
    response = post_form(client, "/needs", {**NEED, **typed}, "/needs/new")
    assert response.status_code == 303, response.text[:400]
    need = session.get(Need, int(response.headers["location"].rsplit("/", 1)[1]))
    assert need is not None
    return need


def test_a_needs_changed_cost_and_count_are_written_the_spanish_way_in_its_history(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    with language(client, "es"):
        need = _saved_need(client, session, estimated_cost="1.250.000,50", beneficiaries_count="12000")
        path = f"/needs/{need.id}/edit"
        edited = {**NEED, "estimated_cost": "2.000.000", "beneficiaries_count": "15000"}
        response = post_form(client, path, {**edited, "version": str(need.version)}, path)
        assert response.status_code == 303, response.text[:400]
        page = html.unescape(client.get(f"/needs/{need.id}").text)
    assert "1.250.000,50 → 2.000.000" in page
    assert "12.000 → 15.000" in page
    assert "1250000.50" not in page and "2000000" not in page


@pytest.mark.parametrize(
    ("lang", "field", "stored", "written"),
    [
        ("ru", "amount_disbursed", "300000.00", f"300{NBSP}000"),
        ("ru", "amount_committed", "450000.75", f"450{NBSP}000,75"),
        ("es", "cofinancing_amount", "1250000.50", "1.250.000,50"),
        ("fr", "fare", "1250.50", "1\u202f250,50"),
        ("ar", "daily_allowance", "250", "250"),
        ("es", "beneficiaries_count", 12000, "12.000"),
        ("fr", "value", 85.5, "85,5"),
        ("ru", "capacity", 1200, f"1{NBSP}200"),
        # A year is a year in every language, not a figure to group ("2,021").
        ("en", "citation_year", 2021, "2021"),
    ],
)
def test_every_amount_and_count_in_a_history_is_written_in_the_readers_notation(
    lang: str, field: str, stored: object, written: str
) -> None:
    with language_context(lang):
        assert history_value(field, stored) == written
