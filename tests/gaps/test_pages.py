"""The gaps pages, exports and JSON routes through the real app: figures with their source, missing data
shown as missing, the export's HXL tags, marks of interest from the board and the need page's list."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.gaps import views as gaps_views
from pux.needs import service as needs
from pux.tasks import service as tasks
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, activity_data, need_data


def test_who_does_what_where_page_has_table_chart_map_and_source(client: TestClient, world: World) -> None:
    page = client.get("/gaps?country=KEN")
    assert page.status_code == 200
    assert "Test Donor Agency A" in page.text and "250,000 USD" in page.text
    assert "Confidential planning mission" not in page.text
    assert 'class="chart chart-map"' in page.text and "The figures of this chart" in page.text
    assert "Source:" in page.text and "/gaps/export?format=csv&hxl=1&country=KEN" in page.text


def test_export_carries_hxl_tags_and_the_page_rows(client: TestClient, world: World) -> None:
    response = client.get("/gaps/export?format=csv&hxl=1&country=KEN")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, tags, *data = rows
    assert header[:4] == ["provider_id", "provider", "recipient_code", "recipient"]
    assert tags[:4] == ["#org+code", "#org+name", "#country+code", "#country+name"]
    assert "#value+committed" in tags and "#value+spent" in tags
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert (row["recipient_code"], row["committed"], row["disbursed"]) == (
        "KEN",
        "250000",
        "",
    )  # missing stays empty
    assert tags[-1] == "#meta+source" and row["source"].startswith("PUX assistance activities")
    by_region = client.get("/gaps/export?format=csv&hxl=1&by=region&country=KEN").content.decode("utf-8-sig")
    assert "#region+code" in by_region.splitlines()[1]
    assert client.get("/gaps/export?format=xlsx&country=KEN").content[:2] == b"PK"


def test_gap_pages_and_json_show_missing_as_missing(client: TestClient, world: World) -> None:
    ranking = client.get("/gaps/ranking?area=health")
    assert ranking.status_code == 200 and "Kenya" in ranking.text
    country = client.get("/gaps/countries/KEN")
    assert country.status_code == 200 and "950,000 USD" in country.text
    assert client.get("/gaps/countries/XXX").status_code == 404
    data = client.get("/api/v1/gaps/countries/KEN").json()
    health = next(g for g in data["gaps"] if g["thematic_area"] == "health")
    uncovered = health["uncovered"]
    assert (
        (uncovered["value"], uncovered["unit"]) == (950000.0, "USD")
        and uncovered["source"]
        and uncovered["year"]
    )
    assert data["audience"] == "public"
    refused = client.get("/api/v1/gaps?rate_from=EUR&rate=1.1")
    assert refused.status_code == 422 and "rate_year" in refused.text


def test_the_gap_tables_name_the_capacity_figure_as_what_it_measures(
    client: TestClient, world: World
) -> None:
    """The figure is 1 for the least capacity (the brief and the priority page call it "Lack of capacity");
    headed "Capacity", a poorer country seemed to have more of it."""
    for path in ("/gaps/ranking?area=health", "/gaps/countries/KEN"):
        page = client.get(path)
        assert page.status_code == 200
        assert ">Lack of capacity</th>" in page.text and 'data-label="Lack of capacity"' in page.text
        assert ">Capacity</th>" not in page.text and 'data-label="Capacity"' not in page.text
    described = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["GapRead"]
    assert "1 = the least capacity" in described["properties"]["capacity"]["description"]


def test_map_page_draws_each_indicator(client: TestClient, world: World) -> None:
    for indicator in ("priority", "gap", "needs", "assistance"):
        page = client.get(f"/map?indicator={indicator}&area=health")
        assert page.status_code == 200, indicator
        start = page.text.index("<svg")
        svg = page.text[start : page.text.index("</svg>", start) + 6]
        ET.fromstring(svg)
    assert client.get("/map?indicator=rainfall").status_code == 422
    figures = client.get("/api/v1/map/needs").json()
    assert figures["values"]["KEN"] == 1 and figures["source"]


def test_the_map_form_names_the_area_the_map_is_drawn_for(client: TestClient, world: World) -> None:
    """The priority index belongs to one area: asked for "All areas", the map drew health while the form
    still said all areas. A total over every area (the gap) keeps "All areas"."""
    health = '<option value="health" selected>'
    for path in ("/map", "/map?indicator=priority&area="):
        page = client.get(path)
        assert page.status_code == 200 and health in page.text
    gap = client.get("/map?indicator=gap&area=")
    assert gap.status_code == 200 and health not in gap.text
    water = client.get("/map?indicator=priority&area=water")
    assert '<option value="water" selected>' in water.text and health not in water.text


def test_a_partner_marks_interest_from_the_board_and_the_focal_point_sees_it(
    client: TestClient, world: World
) -> None:
    need_id = world.needs["published_ken"]
    public_board = client.get("/unfunded?country=KEN")
    assert f'href="/needs/{need_id}"' in public_board.text and "Mark interest" not in public_board.text
    sign_in(client, world.emails["partner_a"])
    board = client.get("/unfunded?country=KEN")
    assert "Mark interest" in board.text
    response = client.post(
        f"/needs/{need_id}/interest",
        data={
            "csrf_token": csrf_token(client, "/unfunded"),
            "note": "Bunker design support",
            "next": "/unfunded",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/unfunded"
    assert "Your organisation has marked interest." in client.get("/unfunded?country=KEN").text
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, world.emails["focal_ken"])
    inbox = client.get("/me")
    assert "Partners interested in your needs" in inbox.text and "Test Donor Agency A" in inbox.text
    need_page = client.get(f"/needs/{need_id}")
    assert "Bunker design support" in need_page.text


def test_interest_through_the_api_needs_a_partner_token(client: TestClient, world: World) -> None:
    need_id = world.needs["partners_ken"]
    refused = client.post(
        f"/api/v1/needs/{need_id}/interest", json={}, headers=bearer(world.tokens["focal_ken"])
    )
    assert refused.status_code == 403
    made = client.post(
        f"/api/v1/needs/{need_id}/interest",
        json={"note": "Training"},
        headers=bearer(world.tokens["partner_a"]),
    )
    assert made.status_code == 201 and made.json()["organisation_name"] == "Test Donor Agency A"
    seen = client.get(f"/api/v1/needs/{need_id}/interest", headers=bearer(world.tokens["focal_ken"])).json()
    assert [i["note"] for i in seen] == ["Training"]
    board = client.get("/api/v1/unfunded?country=KEN", headers=bearer(world.tokens["partner_a"])).json()
    assert any(item["need_id"] == need_id and item["my_interest"] for item in board["items"])


def test_home_page_dashboard_for_each_role(client: TestClient, session: Session, world: World) -> None:
    public = client.get("/")
    assert public.status_code == 200
    assert "Needs waiting for a partner" in public.text and 'id="home-map-title"' in public.text
    assert "Your country's needs" not in public.text and "Waiting for you" not in public.text
    sign_in(client, world.emails["focal_ken"])
    focal = client.get("/")
    assert "Your country's needs" in focal.text and "Waiting for you" in focal.text
    # The home page counts what waits as the inbox lists it (Kenya's submitted need).
    waiting = tasks.inbox(session, actor=world.actors["focal_ken"])
    assert waiting.to_endorse and f"{len(waiting.to_endorse)} need" in focal.text
    things = "thing waits" if waiting.waiting == 1 else "things wait"
    assert f"{waiting.waiting} {things} for you." in focal.text
    assert "/needs?country=KEN&status=published" in focal.text
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, world.emails["partner_a"])
    partner = client.get("/")
    assert "Your programmes" in partner.text and "Published fellowship programme" in partner.text


def test_who_table_is_paged_and_its_export_holds_every_row(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the mission's scale the table has tens of thousands of rows: the page shows one page of them
    with the total and a pager, the CSV and Excel export every row."""
    monkeypatch.setattr(gaps_views, "REPORT_PAGE_SIZE", 1)
    sign_in(client, world.emails["facilitator"])
    exported = client.get("/gaps/export?format=csv").content.decode("utf-8-sig").splitlines()
    total = len(exported) - 1
    assert total >= 2  # the public Kenyan activity and the private Ugandan one
    first = client.get("/gaps")
    assert f"1–1 of {total}" in first.text and 'href="?&page=2" rel="next"' in first.text
    second = client.get("/gaps?page=2")
    assert f"2–2 of {total}" in second.text and 'rel="prev"' in second.text
    shown = [page.text.count('data-label="Provider"') for page in (first, second)]
    assert shown == [1, 1]
    assert first.text != second.text
    assert f"{total}–{total} of {total}" in client.get("/gaps?page=999").text  # past the end: the last


def test_who_json_is_paged_with_the_whole_tables_totals(client: TestClient, world: World) -> None:
    """The JSON route pages the table like every other list (it was one answer of 11 MB at the mission's
    scale); each page says the total, and the totals per currency are the whole table's."""
    sign_in(client, world.emails["facilitator"])
    token = bearer(world.tokens["facilitator"])
    exported = list(csv.DictReader(io.StringIO(client.get("/gaps/export?format=csv").text.lstrip("\ufeff"))))
    assert len(exported) >= 2  # the public Kenyan activity and the private Ugandan one
    pages = [
        client.get(f"/api/v1/gaps/who?page_size=1&page={number}", headers=token).json()
        for number in range(1, len(exported) + 1)
    ]
    assert {page["total"] for page in pages} == {len(exported)}
    assert [len(page["rows"]) for page in pages] == [1] * len(exported)
    paged = [(row["provider_id"], row["recipient_code"], row["currency"]) for p in pages for row in p["rows"]]
    assert paged == [(int(r["provider_id"]), r["recipient_code"], r["currency"]) for r in exported]
    committed: dict[str, float] = {}
    for p in pages:
        for row in p["rows"]:
            if row["committed"] is not None:
                committed[row["currency"]] = committed.get(row["currency"], 0.0) + row["committed"]
    assert pages[0]["committed_by_currency"] == pytest.approx(committed)
    past_the_end = client.get("/api/v1/gaps/who?page_size=1&page=999", headers=token).json()
    assert past_the_end["page"] == len(exported) and past_the_end["rows"] == pages[-1]["rows"]
    assert client.get("/api/v1/gaps/who?page_size=201", headers=token).status_code == 422


def test_gap_reports_follow_new_assistance_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    """The gap reports are kept between changes; a new activity shows in them on the next request."""
    assert "250,000 USD" in client.get("/gaps?country=KEN").text
    before = client.get("/api/v1/gaps/countries/KEN").json()
    assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], amount_committed=Decimal("70000")),
    )
    assert "320,000 USD" in client.get("/gaps?country=KEN").text
    after = client.get("/api/v1/gaps/countries/KEN").json()
    health = [next(g for g in report["gaps"] if g["thematic_area"] == "health") for report in (before, after)]
    assert health[0]["uncovered"]["value"] - health[1]["uncovered"]["value"] == 70000.0


def test_gap_reports_follow_a_newly_endorsed_need_at_once(
    client: TestClient, session: Session, world: World
) -> None:
    """Kept gap reports move with the needs they count (endorsed and later), not with drafts."""

    def health_need_cost() -> float:
        data = client.get("/api/v1/gaps/countries/KEN").json()
        return next(g for g in data["gaps"] if g["thematic_area"] == "health")["needs_cost"]["value"]

    before = health_need_cost()
    draft = needs.create_need(
        session,
        actor=world.actors["counterpart_ken"],
        data=need_data("KEN", estimated_cost=Decimal("300000")),
    )
    assert health_need_cost() == before  # a draft is not counted
    for actor, target in (
        ("counterpart_ken", "submitted"),
        ("focal_ken", "endorsed"),
        ("focal_ken", "published"),
    ):
        need = needs.get_need(session, actor=world.actors["admin"], need_id=draft.id)
        needs.transition_need(
            session, actor=world.actors[actor], need_id=draft.id, target=target, version=need.version
        )
    assert health_need_cost() == before + 300000.0


def test_a_gaps_notes_name_the_techniques_and_stay_apart(
    client: TestClient, session: Session, world: World
) -> None:
    """The notes of a gap named techniques by code ("food_irradiation") and ran their sentences together
    ("(brachytherapy).1 activity states no amount.")."""
    assistance.record_activity(
        session,
        actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], amount_committed=None),
    )
    page = client.get("/gaps/countries/KEN")
    assert page.status_code == 200
    assert "(Brachytherapy). 1 activity states no single committed amount (none, or amounts in" in page.text
    client.cookies.set("pux_lang", "fr")
    try:
        assert "(Curiethérapie)." in client.get("/gaps/countries/KEN").text
    finally:
        client.cookies.delete("pux_lang")


def test_the_activities_list_writes_each_amount_with_its_currency(client: TestClient, world: World) -> None:
    page = client.get("/activities", params={"country": "KEN"}).text
    disbursed = page.split('data-label="Disbursed">')[1:]
    assert disbursed, "no activity listed"
    for cell in disbursed:
        cell = cell.split("</td>", 1)[0]
        assert "not stated" in cell or any(code in cell for code in ("USD", "EUR")), cell
