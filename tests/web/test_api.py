"""The JSON API under /api/v1 and its OpenAPI description."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web_helpers import bearer
from tests.world import World, activity_data, need_data


def test_country_list_filters_and_names_follow_the_language(client: TestClient) -> None:
    response = client.get(
        "/api/v1/countries", params={"region": "014", "ldc": "true"}, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 200
    countries = {c["iso3"]: c for c in response.json()}
    assert {"ETH", "UGA"} <= set(countries) and "KEN" not in countries
    assert countries["ETH"]["name"] == "Etiopía"
    assert countries["ETH"]["names"]["zh"] == "埃塞俄比亚"
    assert all(c["ldc"] for c in countries.values())


def test_country_detail_carries_value_year_and_source_or_says_missing(client: TestClient) -> None:
    kenya = client.get("/api/v1/countries/KEN").json()
    assert kenya["m49"] == "404" and kenya["intermediate_region"]["name"] == "Eastern Africa"
    assert kenya["income_group"]["fiscal_year"] == 2026 and kenya["income_group"]["source"]
    by_code = {i["code"]: i for i in kenya["indicators"]}
    under_five = by_code["SH.DYN.MORT"]
    assert under_five["value"] > 0 and under_five["year"] >= 2020 and "World Bank" in under_five["source"]
    for indicator in kenya["indicators"]:
        assert indicator["missing"] == (indicator["value"] is None)
        if not indicator["missing"]:
            assert indicator["year"] and indicator["source"]
    monaco = {i["code"]: i for i in client.get("/api/v1/countries/MCO").json()["indicators"]}
    assert monaco["SN.ITK.DEFC.ZS"] == {
        **monaco["SN.ITK.DEFC.ZS"],
        "value": None,
        "year": None,
        "missing": True,
    }


def test_unknown_codes_are_json_404s(client: TestClient) -> None:
    for path in ("/api/v1/countries/XXX", "/api/v1/sdg/goals/18", "/api/v1/sdg/targets/3.99"):
        response = client.get(path)
        assert response.status_code == 404 and "detail" in response.json()


def test_sdg_endpoints(client: TestClient) -> None:
    goals = client.get("/api/v1/sdg/goals").json()
    assert [g["code"] for g in goals] == [str(n) for n in range(1, 18)]
    assert sum(g["target_count"] for g in goals) == 169
    goal = client.get("/api/v1/sdg/goals/14").json()
    assert goal["targets"][0]["code"] == "14.1"
    target = client.get("/api/v1/sdg/targets/3.4").json()
    assert {i["code"] for i in target["indicators"]} == {"3.4.1", "3.4.2"}


def test_reference_lists(client: TestClient) -> None:
    areas = client.get("/api/v1/thematic-areas").json()
    assert [a["code"] for a in areas] == ["health", "food", "water", "energy", "industry", "safety"]
    assert [a["code"] for a in areas if a["enabling"]] == ["safety"]
    regions = client.get("/api/v1/regions").json()
    assert {r["level"] for r in regions} == {"region", "subregion", "intermediate"}


def test_invalid_filter_is_a_422_naming_the_field(client: TestClient) -> None:
    response = client.get("/api/v1/countries", params={"income_group": "RICH"})
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["income_group"]


def test_openapi_describes_the_reference_routes(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/countries",
        "/api/v1/countries/{iso3}",
        "/api/v1/sdg/goals",
        "/api/v1/thematic-areas",
    ):
        assert path in spec["paths"]


def test_a_write_without_a_token_is_told_it_needs_one(client: TestClient) -> None:
    """It answered 403 "You may draft needs only for your own country." to a call that sent no token."""
    answer = client.post("/api/v1/needs", json=need_data().model_dump(mode="json"))
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in answer.json()["detail"]


def test_a_token_sent_another_way_is_refused_not_ignored(client: TestClient) -> None:
    """ "Authorization: Token abc" was read as no token at all: the public's answers, without a word."""
    answer = client.get("/api/v1/needs", headers={"Authorization": "Token abc"})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in answer.json()["detail"]
    assert client.get("/api/v1/needs").status_code == 200  # no header at all: the public
    unknown = client.get("/api/v1/needs", headers={"Authorization": "Bearer not-a-token"})
    assert unknown.status_code == 401 and unknown.headers["WWW-Authenticate"] == "Bearer"


def test_the_api_exports_take_the_lists_filters(client: TestClient, world: World) -> None:
    """GET /api/v1/activities/export?country=... returned every activity (the one route for the three tables
    took no filter), while the page's export and the IATI export honoured theirs."""
    for table in ("needs", "activities", "programmes"):
        whole = client.get(f"/api/v1/{table}/export", params={"format": "csv"})
        assert whole.status_code == 200, (table, whole.text)
        rows = whole.text.strip().splitlines()
        assert len(rows) > 1, table
        filtered = client.get(
            f"/api/v1/{table}/export", params={"format": "csv", "q": "no-such-words-anywhere"}
        )
        assert filtered.status_code == 200
        assert filtered.text.strip().splitlines() == rows[:1], table  # the header only


def test_a_transition_to_no_status_is_a_bad_value_of_its_field(client: TestClient, world: World) -> None:
    """ "target": "flying" answered 409 "A need that is Draft cannot become flying."."""
    from tests.web_helpers import bearer

    answer = client.post(
        f"/api/v1/needs/{world.needs['published_ken']}/transitions",
        json={"target": "flying", "version": 1},
        headers=bearer(world.tokens["focal_ken"]),
    )
    assert answer.status_code == 422
    assert [problem["field"] for problem in answer.json()["problems"]] == ["target"]
    assert "flying" in answer.json()["problems"][0]["message"]


PYDANTIC_WORDS = (
    "Extra inputs are not permitted",
    "Input should be a valid list",
    "Input should be a valid dictionary",
    "Datetimes provided to dates should have zero time",
)


def test_refused_bodies_are_explained_in_the_readers_language(client: TestClient, world: World) -> None:
    """An integrator's mistakes - an unknown field, a text where a list goes, a form-encoded body, a time
    on a date - were answered in pydantic's English words whatever language was asked for."""
    need = need_data().model_dump(mode="json")
    activity = activity_data(world.organisations["donor_a"]).model_dump(mode="json")
    mistakes = {
        "extra": ("needs", {**need, "colour": "blue"}),
        "list": ("needs", {**need, "technique_codes": "radiotherapy"}),
        "date": ("activities", {**activity, "start_date": "2027-05-01T10:30:00"}),
    }
    said: dict[str, dict[str, str]] = {}
    for language in ("en", "fr"):
        headers = {**bearer(world.tokens["partner_a"]), "Accept-Language": language}
        for name, (route, sent) in mistakes.items():
            answer = client.post(f"/api/v1/{route}", json=sent, headers=headers)
            assert answer.status_code == 422, answer.text
            said.setdefault(language, {})[name] = " ".join(p["message"] for p in answer.json()["problems"])
        form = client.post("/api/v1/needs", data={"title": "x"}, headers=headers)
        assert form.status_code == 422
        said[language]["form"] = " ".join(p["message"] for p in form.json()["problems"])
    assert "is not a field of this record" in said["en"]["extra"]
    assert "must be a list" in said["en"]["list"]
    assert "without a time" in said["en"]["date"]
    assert "must be an object" in said["en"]["form"]
    for language in ("en", "fr"):
        for message in said[language].values():
            assert not any(words in message for words in PYDANTIC_WORDS), message
    for name in mistakes:
        assert said["fr"][name] != said["en"][name], f"{name} is not in French"
