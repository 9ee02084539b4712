"""The dialogue's JSON routes against the real app and database: who may do what, what the public sees,
the balance meter's figures (worked out by hand), travel support and the fund, stale edits and bad input."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.dialogues import service as dialogues
from pux.dialogues.schemas import TargetFields
from tests.web_helpers import bearer
from tests.world import World

API = "/api/v1"
PRIVATE_EMAIL = "amina.wanjiru.private@test.pux.invalid"


def event_json(**extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "regional_workshop",
        "title": "Regional workshop on radiotherapy treatment planning",
        "description": "Three days on planning, quality assurance and dosimetry audits.",
        "is_public": True,
        "host_country_iso3": "KEN",
        "city": "Nairobi",
        "starts_at": "2099-05-04T09:00:00",
        "ends_at": "2099-05-06T17:00:00",
        "time_zone": "Africa/Nairobi",
        "working_languages": ["en", "fr"],
        "thematic_area_codes": ["health"],
        "technique_codes": ["radiotherapy"],
        "focus_country_codes": ["KEN", "UGA"],
        "travel_budget": "3000",
        "budget_currency": "USD",
    }
    values.update(extra)
    return values


def as_(world: World, role: str) -> dict[str, str]:
    return bearer(world.tokens[role]) if role != "public" else {}


def create_event(client: TestClient, world: World, **extra: Any) -> dict[str, Any]:
    response = client.post(f"{API}/events", json=event_json(**extra), headers=as_(world, "facilitator"))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def add_person(
    client: TestClient, world: World, event_id: int, role: str = "facilitator", **person: Any
) -> dict[str, Any]:
    response = client.post(f"{API}/events/{event_id}/participants", json=person, headers=as_(world, role))
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


def move(
    client: TestClient, world: World, role: str, participant: dict[str, Any], target: str
) -> dict[str, Any]:
    response = client.post(
        f"{API}/participants/{participant['id']}/moves",
        json={"target": target, "version": participant["version"]},
        headers=as_(world, role),
    )
    assert response.status_code == 200, response.text
    moved: dict[str, Any] = response.json()
    return moved


def test_a_facilitator_creates_an_event_and_the_public_sees_it_without_personal_data(
    client: TestClient, world: World
) -> None:
    event = create_event(client, world)
    assert event["version"] == 1 and event["targets"] == [] and event["working_languages"] == ["en", "fr"]
    person = add_person(
        client,
        world,
        event["id"],
        full_name="Amina Wanjiru",
        email=PRIVATE_EMAIL,
        gender="female",
        country_iso3="KEN",
    )
    assert person["status"] == "invited" and person["email"] == PRIVATE_EMAIL
    outcome = client.put(
        f"{API}/events/{event['id']}/outcome",
        json={"summary": "Participants agreed on a regional dosimetry audit network.", "version": 0},
        headers=as_(world, "facilitator"),
    )
    assert outcome.status_code == 200, outcome.text

    listed = client.get(
        f"{API}/events", params={"when": "upcoming", "kind": "regional_workshop", "country": "UGA"}
    )
    assert listed.status_code == 200
    assert event["id"] in [item["id"] for item in listed.json()["items"]]
    assert set(listed.json()) == {"total", "page", "page_size", "items"}
    past = client.get(f"{API}/events", params={"when": "past"}).json()
    assert event["id"] not in [item["id"] for item in past["items"]]
    shown = client.get(f"{API}/events/{event['id']}")
    assert shown.status_code == 200 and shown.json()["title"] == event["title"]
    public_outcome = client.get(f"{API}/events/{event['id']}/outcome")
    assert public_outcome.status_code == 200
    assert public_outcome.json()["outcome"]["summary"].startswith("Participants agreed")
    for response in (listed, shown, public_outcome):
        text = json.dumps(response.json())
        assert PRIVATE_EMAIL not in text and "Amina" not in text and '"gender"' not in text


def test_the_public_may_not_create_or_edit_events(client: TestClient, world: World) -> None:
    # Without a token: told that one is needed (401); with one of a role that may not: refused (403).
    assert client.post(f"{API}/events", json=event_json()).status_code == 401
    assert client.post(f"{API}/events", json=event_json(), headers=as_(world, "focal_ken")).status_code == 403
    event = create_event(client, world)
    edit = client.put(f"{API}/events/{event['id']}", json={**event_json(), "version": event["version"]})
    assert edit.status_code == 401


def test_unknown_and_closed_events_are_404_to_those_who_may_not_see_them(
    client: TestClient, world: World
) -> None:
    assert client.get(f"{API}/events/999999999").status_code == 404
    closed = create_event(client, world, is_public=False, focus_country_codes=["KEN"])
    add_person(
        client, world, closed["id"], full_name="Amina Wanjiru", email=PRIVATE_EMAIL, country_iso3="KEN"
    )
    for path in ("", "/participants", "/outcome"):
        response = client.get(f"{API}/events/{closed['id']}{path}")
        assert response.status_code == 404, path
        assert PRIVATE_EMAIL not in response.text
    assert client.get(f"{API}/events/{closed['id']}", headers=as_(world, "partner_a")).status_code == 404
    # The focal points of the countries it focuses on see a closed event.
    assert client.get(f"{API}/events/{closed['id']}", headers=as_(world, "focal_ken")).status_code == 200
    listed = client.get(f"{API}/events").json()
    assert closed["id"] not in [item["id"] for item in listed["items"]]


def test_someone_not_signed_in_reads_no_participant(client: TestClient, world: World) -> None:
    event = create_event(client, world)
    add_person(client, world, event["id"], full_name="Amina Wanjiru", email=PRIVATE_EMAIL, country_iso3="KEN")
    response = client.get(f"{API}/events/{event['id']}/participants")
    # Even a public event's list needs a signed-in person.
    assert response.status_code in {401, 403, 404}
    assert PRIVATE_EMAIL not in response.text
    expert = client.get(f"{API}/events/{event['id']}/participants", headers=as_(world, "expert"))
    assert expert.status_code == 200 and expert.json() == []


def test_a_focal_point_nominates_their_own_people_and_the_chain_runs(
    client: TestClient, world: World
) -> None:
    event = create_event(client, world)
    nominee = add_person(
        client,
        world,
        event["id"],
        role="focal_ken",
        full_name="Otieno Kamau",
        email="otieno.kamau@test.pux.invalid",
        country_iso3="KEN",
        gender="male",
    )
    assert nominee["status"] == "nominated"
    other_country = client.post(
        f"{API}/events/{event['id']}/participants",
        json={"full_name": "Nakato Sarah", "email": "nakato@test.pux.invalid", "country_iso3": "UGA"},
        headers=as_(world, "focal_ken"),
    )
    assert other_country.status_code == 403

    endorsed = move(client, world, "focal_ken", nominee, "endorsed")
    assert endorsed["status"] == "endorsed" and endorsed["version"] == nominee["version"] + 1
    not_theirs = client.post(
        f"{API}/participants/{nominee['id']}/moves",
        json={"target": "confirmed", "version": endorsed["version"]},
        headers=as_(world, "focal_ken"),
    )
    assert not_theirs.status_code == 403
    confirmed = move(client, world, "facilitator", endorsed, "confirmed")
    assert confirmed["status"] == "confirmed"

    def names(role: str) -> list[str]:
        response = client.get(f"{API}/events/{event['id']}/participants", headers=as_(world, role))
        assert response.status_code == 200
        return [p["full_name"] for p in response.json()]

    assert names("focal_ken") == ["Otieno Kamau"] and names("facilitator") == ["Otieno Kamau"]
    assert names("focal_uga") == []
    # Another country's focal point cannot even find the person to move them.
    refused = client.post(
        f"{API}/participants/{nominee['id']}/moves",
        json={"target": "declined", "version": confirmed["version"]},
        headers=as_(world, "focal_uga"),
    )
    assert refused.status_code == 404


def test_the_balance_meter_on_five_people_counted_by_hand(
    client: TestClient, session: Session, world: World
) -> None:
    event = create_event(client, world)
    people = (
        ("Amina Wanjiru", "female", "KEN"),
        ("Nakato Sarah", "female", "UGA"),
        ("Otieno Kamau", "male", "KEN"),
        ("Erik Lindqvist", "male", "SWE"),
        ("Lars Berg", "male", "SWE"),
    )
    for name, gender, country in people:
        email = name.lower().replace(" ", ".") + "@test.pux.invalid"
        add_person(
            client, world, event["id"], full_name=name, email=email, gender=gender, country_iso3=country
        )
    # A sixth person declines: people who are no longer expected do not count.
    declining = add_person(
        client,
        world,
        event["id"],
        full_name="Zawadi Achieng",
        email="zawadi@test.pux.invalid",
        gender="female",
        country_iso3="KEN",
    )
    move(client, world, "facilitator", declining, "declined")
    facilitator = world.actors["facilitator"]
    for fields in (
        TargetFields(dimension="gender", category="female", bound="at_least", share_percent=Decimal("50")),
        TargetFields(dimension="gender", category="male", bound="at_most", share_percent=Decimal("60")),
        TargetFields(
            dimension="country_side", category="recipient", bound="at_least", share_percent=Decimal("60")
        ),
    ):
        dialogues.add_target(session, actor=facilitator, event_id=event["id"], data=fields)

    response = client.get(f"{API}/events/{event['id']}/balance", headers=as_(world, "facilitator"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["total"] == 5
    rows = {d["dimension"]: d["rows"] for d in report["dimensions"]}
    # 3 men of 5 = 0.6, 2 women of 5 = 0.4; largest count first.
    assert rows["gender"] == [
        {"category": "male", "count": 3, "share": 0.6},
        {"category": "female", "count": 2, "share": 0.4},
    ]
    # Kenya and Uganda are recipients (3 of 5); Sweden, a high-income country, is on the partner side.
    assert rows["country_side"] == [
        {"category": "recipient", "count": 3, "share": 0.6},
        {"category": "partner", "count": 2, "share": 0.4},
    ]
    checks = {(c["dimension"], c["category"], c["bound"]): c for c in report["checks"]}
    women = checks[("gender", "female", "at_least")]
    # 2 of 5 is below half; one more woman makes 3 of 6 = 0.5.
    assert (women["target_share"], women["share"], women["status"], women["people_needed"]) == (
        0.5,
        0.4,
        "missed",
        1,
    )
    men = checks[("gender", "male", "at_most")]
    assert (men["share"], men["status"], men["people_needed"]) == (0.6, "met", None)
    recipients = checks[("country_side", "recipient", "at_least")]
    assert (recipients["share"], recipients["status"]) == (0.6, "met")
    # The meter is for the people who run the event.
    refused = client.get(f"{API}/events/{event['id']}/balance", headers=as_(world, "focal_ken"))
    assert refused.status_code == 403


def test_a_participant_applies_for_travel_for_themself_and_nobody_else_may(
    client: TestClient, world: World
) -> None:
    event = create_event(client, world)
    person = add_person(client, world, event["id"], user_id=world.user_ids["expert"], country_iso3="KEN")
    assert person["email"] == world.emails["expert"]
    application = {
        "fare": "900.00",
        "daily_allowance": "150.00",
        "nights": 3,
        "reason": "Flight from Mombasa.",
    }
    path = f"{API}/participants/{person['id']}/travel-application"
    for role in ("public", "partner_a", "focal_uga"):
        refused = client.post(path, json=application, headers=as_(world, role))
        assert refused.status_code in {403, 404}, role
    # The focal point sees the person (their country's) but may not apply in their name.
    assert client.post(path, json=application, headers=as_(world, "focal_ken")).status_code == 403
    applied = client.post(path, json=application, headers=as_(world, "expert"))
    assert applied.status_code == 201, applied.text
    body = applied.json()
    assert body["participant_id"] == person["id"] and body["status"] == "applied" and body["version"] == 1
    assert Decimal(body["requested"]) == Decimal("1350.00")  # 900 + 150 x 3
    again = client.post(path, json=application, headers=as_(world, "expert"))
    assert again.status_code == 422 and again.json()["problems"][0]["field"] == "fare"
    # The fund's view names people and their countries' priorities: facilitators only.
    assert client.get(f"{API}/events/{event['id']}/travel", headers=as_(world, "expert")).status_code == 403


def test_the_fund_never_awards_more_than_the_budget(client: TestClient, world: World) -> None:
    event = create_event(client, world, travel_budget="3000")
    for index, country in enumerate(("KEN", "UGA", "ETH")):
        person = add_person(
            client,
            world,
            event["id"],
            full_name=f"Applicant {index}",
            email=f"applicant.{index}@test.pux.invalid",
            country_iso3=country,
        )
        applied = client.post(
            f"{API}/participants/{person['id']}/travel-application",
            json={"fare": "1200", "daily_allowance": "100", "nights": 3, "reason": "Travel to the workshop."},
            headers=as_(world, "facilitator"),
        )
        assert applied.status_code == 201, applied.text
    path = f"{API}/events/{event['id']}/travel/allocate"
    assert client.post(path, headers=as_(world, "focal_ken")).status_code == 403
    run = client.post(path, headers=as_(world, "facilitator"))
    assert run.status_code == 201, run.text
    body = run.json()
    assert body["status"] in {"optimal", "feasible"} and body["event_id"] == event["id"]
    assert Decimal(body["total_awarded"]) <= Decimal("3000")
    assert isinstance(body["binding"], list) and isinstance(body["conflicting"], list)

    lines = client.get(f"{API}/events/{event['id']}/travel", headers=as_(world, "facilitator"))
    assert lines.status_code == 200
    awarded = Decimal(0)
    for line in lines.json():
        grant = line["grant"]
        assert grant is not None and grant["reason_code"] and grant["is_override"] is False
        amount = Decimal(grant["amount"])
        # Nothing, or at least the smallest useful award and at most what was asked for.
        assert amount == 0 or Decimal(line["minimum"]) <= amount <= Decimal(line["requested"])
        awarded += amount
    # Each asks for 1500 and needs at least 1350: a budget of 3000 supports two of the three.
    assert awarded == Decimal(body["total_awarded"]) and awarded <= Decimal("3000")
    assert sum(1 for line in lines.json() if Decimal(line["grant"]["amount"]) > 0) == 2


def test_a_stale_version_is_a_409_and_changes_nothing(client: TestClient, world: World) -> None:
    event = create_event(client, world)
    path = f"{API}/events/{event['id']}"
    facilitator = as_(world, "facilitator")
    edited = client.put(
        path, json={**event_json(title="Workshop on treatment planning"), "version": 1}, headers=facilitator
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.put(
        path, json={**event_json(title="An edit on an old copy"), "version": 1}, headers=facilitator
    )
    assert stale.status_code == 409
    assert client.get(path).json()["title"] == "Workshop on treatment planning"
    person = add_person(client, world, event["id"], full_name="Otieno Kamau", email="otieno@test.pux.invalid")
    move(client, world, "facilitator", person, "declined")
    again = client.post(
        f"{API}/participants/{person['id']}/moves",
        json={"target": "declined", "version": person["version"]},
        headers=facilitator,
    )
    assert again.status_code == 409


def test_an_invalid_body_is_a_422_naming_the_field(client: TestClient, world: World) -> None:
    facilitator = as_(world, "facilitator")
    short = client.post(f"{API}/events", json=event_json(title="abc"), headers=facilitator)
    assert short.status_code == 422
    assert [p["field"] for p in short.json()["problems"]] == ["title"]
    unknown = client.post(f"{API}/events", json=event_json(focus_country_codes=["XXX"]), headers=facilitator)
    assert unknown.status_code == 422
    assert [p["field"] for p in unknown.json()["problems"]] == ["focus_country_codes"]
    event = create_event(client, world)
    nobody = client.post(
        f"{API}/events/{event['id']}/participants", json={"gender": "female"}, headers=facilitator
    )
    assert nobody.status_code == 422 and nobody.json()["problems"]
    bad_move = client.post(
        f"{API}/participants/1/moves", json={"target": "promoted", "version": 1}, headers=facilitator
    )
    assert bad_move.status_code == 422 and bad_move.json()["problems"][0]["field"] == "target"
    broken = client.post(
        f"{API}/events", content=b"{not json", headers={**facilitator, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422


def test_actions_are_listed_for_their_owner_and_progress_is_reported(
    client: TestClient, world: World
) -> None:
    event = create_event(client, world)
    facilitator = as_(world, "facilitator")
    created = client.post(
        f"{API}/events/{event['id']}/actions",
        json={
            "title": "Draft the audit network's terms",
            "owner_user_id": world.user_ids["expert"],
            "due_on": "2020-01-31",
        },
        headers=facilitator,
    )
    assert created.status_code == 201, created.text
    action = created.json()
    assert action["status"] == "open" and action["version"] == 1

    def ids(role: str, **params: Any) -> list[int]:
        response = client.get(f"{API}/actions", params=params, headers=as_(world, role))
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert action["id"] in ids("facilitator", overdue="true")
    assert action["id"] in ids("expert") and action["id"] not in ids("partner_a")
    assert action["id"] not in ids("facilitator", status="done")
    path = f"{API}/actions/{action['id']}/progress"
    refused = client.post(path, json={"status": "done", "version": 1}, headers=as_(world, "partner_a"))
    assert refused.status_code == 403
    progress = client.post(
        path,
        json={"status": "in_progress", "note": "First draft shared.", "version": 1},
        headers=as_(world, "expert"),
    )
    assert progress.status_code == 200, progress.text
    assert progress.json()["status"] == "in_progress" and progress.json()["version"] == 2
    assert action["id"] in ids("expert", status="in_progress")


def test_a_fund_runs_proven_gap_is_written_in_the_readers_notation(
    client: TestClient, session: Session, world: World
) -> None:
    """A run stopped by its time limit said "proven within 1.25% of the optimum", its time "0.35 s" and
    the applicants' priority "61.3" the English way on a French page too."""
    from pux.dialogues.models import FundAllocationRun
    from tests.web.test_forms import language
    from tests.web_helpers import sign_in

    event = create_event(client, world, travel_budget="3000")
    person = add_person(
        client,
        world,
        event["id"],
        full_name="Applicant",
        email="applicant@test.pux.invalid",
        country_iso3="KEN",
    )
    applied = client.post(
        f"{API}/participants/{person['id']}/travel-application",
        json={"fare": "1200", "daily_allowance": "100", "nights": 3, "reason": "Travel to the workshop."},
        headers=as_(world, "facilitator"),
    )
    assert applied.status_code == 201, applied.text
    session.add(
        FundAllocationRun(
            event_id=event["id"], status="feasible", budget=Decimal("3000"), total_awarded=Decimal("2700"),
            proven_gap=0.0125, solve_seconds=0.35,
        )
    )  # fmt: skip
    session.flush()
    sign_in(client, world.emails["facilitator"])
    with language(client, "fr"):
        page = client.get(f"/events/{event['id']}/travel")
    assert page.status_code == 200, page.text[:500]
    shown = page.text[page.text.find('id="run-heading"') :][:600]
    assert "1,2" in shown and "0,35" in shown, shown
    assert "1.2" not in shown and "0.35" not in shown, shown
    priority = page.text.split('data-label="Indice de priorité">')[1].split("</td>")[0]
    assert re.fullmatch(r"\d+,\d", priority), priority  # Kenya's index, with a decimal comma
