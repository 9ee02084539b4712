"""The spreadsheet import page reads amounts as its language writes them, as the forms do: on the French
page "1250000,50" and "1 000,00" were refused with "doit être un nombre", and a Spanish focal point's
"1.250.000,50" the same. PUX's own exports ("1250000.5") are read in every language, so that an export
imported again is unchanged; an amount that could be read two ways is refused with an example, naming
its row and column. The API import reads the exports' form only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.needs import service as needs
from pux.needs.models import Need
from tests.web.test_forms import language
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, need_data

HEADER = "country_iso3;title;thematic_area_code;estimated_cost;currency;cofinancing_amount\r\n"


def _upload(client: TestClient, content: bytes) -> tuple[int, str]:
    token = csrf_token(client, "/needs/import")
    answer = client.post(
        "/needs/import",
        data={"csrf_token": token},
        files={"file": ("needs.csv", content, "text/csv")},
    )
    return answer.status_code, answer.text


def _needs_titled(session: Session, title: str) -> list[Need]:
    return list(session.scalars(select(Need).where(Need.title == title)))


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Need)) or 0


@pytest.mark.parametrize(
    ("code", "cost", "cofinancing"),
    [("fr", "1250000,50", "1 000,00"), ("es", "1.250.000,50", "1000,00"), ("en", "1,250,000.50", "1,000")],
)
def test_amounts_are_read_as_the_pages_language_writes_them(
    client: TestClient, session: Session, world: World, code: str, cost: str, cofinancing: str
) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    title = f"Radiotherapy Kisumu decimals {code}"
    with language(client, code):
        status, page = _upload(client, (HEADER + f"KEN;{title};health;{cost};KES;{cofinancing}\r\n").encode())
    assert status == 200, page[-3000:]
    [need] = _needs_titled(session, title)
    assert need.estimated_cost == Decimal("1250000.50")
    assert need.cofinancing_amount == Decimal(1000)


def test_an_amount_read_two_ways_is_refused_with_an_example_by_row_and_column(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["counterpart_ken"])
    before = _count(session)
    with language(client, "fr"):
        status, page = _upload(
            client, (HEADER + "KEN;Radiothérapie Eldoret ambiguë;health;1,250;KES;\r\n").encode()
        )
    assert status == 422
    assert "estimated_cost" in page and "1,250" in page
    assert "1\u202f250\u202f000,50" in page or "1 250 000,50" in page  # the example, written in French
    assert _count(session) == before


@pytest.mark.parametrize("code", ["fr", "es", "ar", "ru", "zh"])
def test_an_export_imported_again_from_a_page_in_any_language_is_unchanged(
    client: TestClient, session: Session, world: World, code: str
) -> None:
    counterpart = world.actors["counterpart_ken"]
    need = needs.create_need(
        session,
        actor=counterpart,
        data=need_data(title=f"Radiotherapy round trip {code}", estimated_cost=Decimal("1250000.5")),
    )
    sign_in(client, world.emails["counterpart_ken"])
    exported = client.get("/needs/export", params={"format": "csv"}).content
    assert b"1250000.5" in exported
    before, version = _count(session), need.version

    with language(client, code):
        status, page = _upload(client, exported)

    assert status == 200, page[-3000:]
    session.refresh(need)
    assert (_count(session), need.version, need.estimated_cost) == (before, version, Decimal("1250000.50"))


def test_the_api_import_reads_the_exports_form_only(
    client: TestClient, session: Session, world: World
) -> None:
    headers = {**bearer(world.tokens["counterpart_ken"]), "Accept-Language": "fr"}
    files = {
        "file": ("n.csv", (HEADER + "KEN;Radiothérapie API virgule;health;1250000,50;KES;\r\n").encode())
    }
    refused = client.post("/api/v1/needs/import", files=files, headers=headers)
    assert refused.status_code == 422 and "estimated_cost" in refused.text
    files = {"file": ("n.csv", (HEADER + "KEN;Radiothérapie API point;health;1250000.50;KES;\r\n").encode())}
    taken = client.post("/api/v1/needs/import", files=files, headers=headers)
    assert taken.status_code == 200, taken.text
    [need] = _needs_titled(session, "Radiothérapie API point")
    assert need.estimated_cost == Decimal("1250000.50")
