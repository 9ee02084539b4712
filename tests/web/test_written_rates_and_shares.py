"""The other numbers people type on pages are read as the page's language writes them too: a travel
application's fare and a payment (their form models), a round's percentages, and the unfunded board's cost
bounds and stated exchange rate (read by the pages outside a form model; the API keeps its plain
decimals). A French "12,5" or "0,00167" was refused, and a value that could be read two ways still is."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.dialogues.models import Disbursement
from pux.jobs.models import Job
from tests.dialogues.test_fund_decisions import _applicant, _awarded_grant, _event
from tests.dialogues.test_travel_application_pages import FIELDS, _post, _setup
from tests.registry.form_fields import field_error
from tests.web.test_forms import language, post_form
from tests.web_helpers import bearer, sign_in
from tests.world import World, senegal_needs

NNBSP = "\u202f"


def test_a_travel_application_is_read_in_french(client: TestClient, session: Session, world: World) -> None:
    event, _person, application = _setup(session, world)
    sign_in(client, world.emails["partner_a"])
    me = f"/events/{event.id}/me"
    changed = {
        **FIELDS,
        "fare": f"1{NNBSP}250,50",
        "daily_allowance": "40,5",
        "version": str(application.version),
    }
    with language(client, "fr"):
        status, _text = _post(client, me, f"/travel/applications/{application.id}", changed)
        assert status == 303
        session.expire_all()
        assert (application.fare, application.daily_allowance) == (Decimal("1250.50"), Decimal("40.50"))
        typed = {**changed, "fare": "1,250", "version": str(application.version)}
        status, text = _post(client, me, f"/travel/applications/{application.id}", typed)
    assert status == 422
    assert f"1{NNBSP}250{NNBSP}000,50" in field_error(text, "fare")
    session.expire_all()
    assert application.fare == Decimal("1250.50")


def test_a_payment_is_read_in_spanish(client: TestClient, session: Session, world: World) -> None:
    event_id = _event(session, world)
    ugandan = _applicant(session, world, event_id, "Paid Ugandan", "UGA", fare=1500, allowance=100, nights=3)
    grant_id = _awarded_grant(session, world, event_id, ugandan)  # 1,800
    sign_in(client, world.emails["facilitator"])
    typed = {"amount": "1.000,50", "paid_on": "2027-04-01", "receipt_amount": "1.000,5"}
    with language(client, "es"):
        status, _text = _post(
            client, f"/events/{event_id}/travel", f"/travel/grants/{grant_id}/disbursements", typed
        )
    assert status == 303
    paid = session.scalars(select(Disbursement).where(Disbursement.grant_id == grant_id)).one()
    assert (paid.amount, paid.receipt_amount) == (Decimal("1000.50"), Decimal("1000.50"))


def test_a_rounds_percentages_are_read_in_french(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    form = {"title": "Sahel round", "country_cap_percent": "12,5", "ldc_floor_percent": "40"}
    with language(client, "fr"):
        response = post_form(client, "/matching/rounds", form, "/matching")
        assert response.status_code == 303, field_error(response.text, "country_cap_percent")
        job = session.get(Job, int(response.headers["location"].rsplit("/", 1)[1]))
        assert job is not None
        assert (job.params["country_cap_share"], job.params["ldc_floor_share"]) == (0.125, 0.4)
        refused = post_form(client, "/matching/rounds", {**form, "country_cap_percent": "douze"}, "/matching")
    assert refused.status_code == 422
    assert "12,5" in field_error(refused.text, "country_cap_percent")


def test_the_unfunded_boards_rate_and_bounds_are_read_in_french(
    client: TestClient,
    world: World,
    session: Session,
) -> None:
    """900,000 XOF at 0,00167 is about 1,503 USD: below a lower bound of 100 000 USD."""
    senegal_needs(session, world)
    sign_in(client, world.emails["officer_b"])
    stated = "rate_from=XOF&rate=0,00167&rate_year=2025&rate_source=BCEAO&currency=USD"
    with language(client, "fr"):
        page = client.get(f"/unfunded?country=SEN&cost_min=100 000&{stated}")
        assert page.status_code == 200, page.text[:600]
        assert "Cyclotron for Dakar" in page.text and "Dosimetry training in Saint-Louis" not in page.text
        ambiguous = client.get(f"/unfunded?country=SEN&cost_min=1,250&{stated}")
        assert ambiguous.status_code == 422
        assert "1,250" in ambiguous.text and f"1{NNBSP}250{NNBSP}000,5" in ambiguous.text
    # The API keeps its plain decimals.
    api = client.get(f"/api/v1/unfunded?country=SEN&{stated}", headers=bearer(world.tokens["officer_b"]))
    assert api.status_code == 422
