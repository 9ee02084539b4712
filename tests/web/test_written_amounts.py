"""Amounts typed into the page forms are read the way the page's language writes numbers: "1,250,000" on
an English page, "1 250 000,50" on a French one, "1.250.000,50" on a Spanish one (the need form answered
"must be a number" to all three). A number that could be read a thousand times too large or too small is
refused beside its field with an example in that language, never saved wrong."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.needs.models import Need
from pux.programmes.models import Programme
from tests.registry.form_fields import field_error
from tests.web.test_form_digits_m2 import NEED
from tests.web.test_forms import count, language, post_form
from tests.web_helpers import sign_in
from tests.world import World

NNBSP, NBSP = "\u202f", "\u00a0"


def _new_need(client: TestClient, world: World, lang: str, **typed: str) -> Any:
    sign_in(client, world.emails["counterpart_ken"])
    with language(client, lang):
        return post_form(client, "/needs", {**NEED, **typed}, "/needs/new")


def _saved(session: Session, model: type, response: Any) -> Any:
    assert response.status_code == 303, field_error(response.text, "estimated_cost") or response.text[:2000]
    record = session.get(model, int(response.headers["location"].rsplit("/", 1)[1]))
    assert record is not None
    return record


@pytest.mark.parametrize(
    ("lang", "typed", "saved"),
    [
        ("en", "1,250,000", Decimal("1250000")),
        ("en", "1,250,000.50", Decimal("1250000.50")),
        ("en", "1,250", Decimal("1250")),  # as the English page itself writes 1250
        ("fr", "1 250 000,50", Decimal("1250000.50")),
        ("fr", f"1{NNBSP}250{NNBSP}000,50", Decimal("1250000.50")),  # as the French page writes it
        ("fr", f"1{NBSP}250{NBSP}000", Decimal("1250000")),
        ("es", "1.250.000,50", Decimal("1250000.50")),
        ("es", "1250000,5", Decimal("1250000.50")),
        ("ru", f"1{NBSP}250{NBSP}000,50", Decimal("1250000.50")),
        ("zh", "1,250,000.50", Decimal("1250000.50")),
        ("ar", "١٬٢٥٠٬٠٠٠٫٥٠", Decimal("1250000.50")),  # Arabic-Indic digits and marks
        ("ar", "1,250,000.50", Decimal("1250000.50")),
        ("es", "1250000.50", Decimal("1250000.50")),  # as the app writes a stored amount into the form
    ],
)
def test_a_needs_cost_is_read_as_the_pages_language_writes_it(
    client: TestClient, session: Session, world: World, lang: str, typed: str, saved: Decimal
) -> None:
    response = _new_need(client, world, lang, estimated_cost=typed, cofinancing_amount=typed)
    need = _saved(session, Need, response)
    assert (need.estimated_cost, need.cofinancing_amount) == (saved, saved)


@pytest.mark.parametrize(
    ("lang", "typed", "example"),
    [
        ("en", "1.250.000,50", "1,250,000.50"),  # a Spanish number on an English page
        ("en", "1.250", "1,250,000.50"),  # 1.25, or 1250 as Spanish writes it?
        ("fr", "1,250", f"1{NNBSP}250{NNBSP}000,50"),  # 1,25, or 1250 as English writes it?
        ("fr", "1.250", f"1{NNBSP}250{NNBSP}000,50"),
        ("es", "1,250", "1.250.000,50"),
        ("en", "1250000,50", "1,250,000.50"),
        ("fr", "1,250,000", f"1{NNBSP}250{NNBSP}000,50"),
        ("en", "lots", "1,250,000.50"),
    ],
)
def test_a_malformed_or_ambiguous_cost_is_refused_by_its_field_with_an_example(
    client: TestClient, session: Session, world: World, lang: str, typed: str, example: str
) -> None:
    before = count(session, Need)
    response = _new_need(client, world, lang, estimated_cost=typed)
    assert response.status_code == 422, response.text[:400]
    problem = field_error(response.text, "estimated_cost")
    assert example in problem, problem
    assert count(session, Need) == before


def test_a_need_edited_on_a_spanish_page_keeps_its_cost(
    client: TestClient, session: Session, world: World
) -> None:
    """The edit form shows the stored cost as "1250000.50": sent back untouched it is the same cost."""
    need = _saved(session, Need, _new_need(client, world, "es", estimated_cost="1.250.000,50"))
    path = f"/needs/{need.id}/edit"
    with language(client, "es"):
        form = client.get(path)
        assert 'value="1250000.50"' in form.text
        edited = {**NEED, "title": "Radiotherapy centre, phase 2", "estimated_cost": "1250000.50"}
        response = post_form(client, path, {**edited, "version": str(need.version)}, path)
    assert response.status_code == 303, field_error(response.text, "estimated_cost") or response.text[:400]
    session.expire_all()
    assert (need.title, need.estimated_cost) == ("Radiotherapy centre, phase 2", Decimal("1250000.50"))


ACTIVITY = {
    "title": "Dosimetry audit for Kenyan hospitals",
    "recipient_country_iso3": "KEN",
    "currency": "USD",
    "status": "implementation",
    "visibility": "public",
}


def test_an_activitys_amounts_are_read_in_french(client: TestClient, session: Session, world: World) -> None:
    """The auditor's "400 000,50" was refused as "must be a number"."""
    sign_in(client, world.emails["partner_a"])
    typed = {
        **ACTIVITY,
        "provider_organisation_id": str(world.organisations["donor_a"]),
        "amount_committed": "400 000,50",
        "amount_disbursed": f"120{NNBSP}000",
    }
    with language(client, "fr"):
        response = post_form(client, "/activities", typed, "/activities/new")
        activity = _saved(session, AssistanceActivity, response)
        saved = (activity.amount_committed, activity.amount_disbursed)
        assert saved == (Decimal("400000.50"), Decimal(120000))
        before = count(session, AssistanceActivity)
        ambiguous = {**typed, "amount_committed": "400.000"}
        refused = post_form(client, "/activities", ambiguous, "/activities/new")
    assert refused.status_code == 422
    assert "400.000" in field_error(refused.text, "amount_committed")
    assert count(session, AssistanceActivity) == before


def test_a_programmes_budget_is_read_in_spanish(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, world.emails["partner_a"])
    typed = {
        "organisation_id": str(world.organisations["donor_a"]),
        "title": "Nuclear medicine fellowships",
        "modality": "training",
        "thematic_area_codes": ["health"],
        "total_budget": "2.500.000",
        "max_per_need": "125.000,75",
        "currency": "USD",
        "visibility": "public",
    }
    with language(client, "es"):
        programme = _saved(session, Programme, post_form(client, "/programmes", typed, "/programmes/new"))
        refused = post_form(client, "/programmes", {**typed, "total_budget": "2,500"}, "/programmes/new")
    assert (programme.total_budget, programme.max_per_need) == (Decimal(2500000), Decimal("125000.75"))
    assert "1.250.000,50" in field_error(refused.text, "total_budget")
