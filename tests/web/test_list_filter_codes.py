"""A list filter that takes a code from a closed vocabulary (a status, a modality, an income group, an
organisation type, a role) refuses a code outside it. An integrator asking for
/api/v1/needs?status=in-implementation (for "in_implementation") got 200 and an empty list, as if no need
were being implemented; activities?status=active and programmes?modality=grant the same. Now the API
answers 422 naming the filter, its description lists the allowed codes, and a page answers 422 naming the
filter instead of an empty list; a blank value (a filter form's "any") and every known code still list."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from pux.accounts.permissions import ROLES
from pux.assistance.models import ACTIVITY_STATUSES
from pux.needs import workflow
from pux.programmes.schemas import PROGRAMME_STATUSES
from pux.reference.vocabulary import INCOME_GROUP_CODES, MODALITIES, ORGANISATION_TYPES
from tests.web_helpers import bearer, sign_in
from tests.world import World

# (list, filter, a code it does not know, its vocabulary)
API_FILTERS = (
    ("/api/v1/needs", "status", "in-implementation", workflow.STATUSES),
    ("/api/v1/needs", "income_group", "low", INCOME_GROUP_CODES),
    ("/api/v1/activities", "status", "active", ACTIVITY_STATUSES),
    ("/api/v1/programmes", "modality", "grant", MODALITIES),
    ("/api/v1/programmes", "status", "open", PROGRAMME_STATUSES),
)
PAGE_FILTERS = (
    ("/needs", "status", "in-implementation", "Status"),
    ("/needs", "income_group", "low", "Income group"),
    ("/activities", "status", "active", "Status"),
    ("/programmes", "modality", "grant", "Modality"),
    ("/programmes", "status", "open", "Status"),
    ("/organisations", "type", "charity", "Type"),
    ("/people", "role", "owner", "Role"),
)


@pytest.mark.parametrize(("path", "name", "unknown", "codes"), API_FILTERS)
def test_the_api_refuses_an_unknown_code_naming_the_filter(
    client: TestClient, world: World, path: str, name: str, unknown: str, codes: tuple[str, ...]
) -> None:
    headers = bearer(world.tokens["facilitator"])

    refused = client.get(path, params={name: unknown}, headers=headers)

    assert refused.status_code == 422, refused.text
    assert [problem["field"] for problem in refused.json()["problems"]] == [name]
    for code in ("", *codes):
        assert client.get(path, params={name: code}, headers=headers).status_code == 200, code


@pytest.mark.parametrize(("path", "name", "unknown", "codes"), API_FILTERS)
def test_the_api_description_lists_the_allowed_codes(
    client: TestClient, path: str, name: str, unknown: str, codes: tuple[str, ...]
) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]
    (parameter,) = [parameter for parameter in operation["parameters"] if parameter["name"] == name]

    assert all(code in parameter["description"] for code in codes)
    assert unknown not in parameter["description"]


def test_an_existing_code_still_lists_its_records(client: TestClient, world: World) -> None:
    headers = bearer(world.tokens["facilitator"])
    everything = client.get("/api/v1/needs", params={"page_size": 200}, headers=headers).json()
    status = everything["items"][0]["status"]

    listed = client.get("/api/v1/needs", params={"status": status, "page_size": 200}, headers=headers).json()

    assert listed["total"] == sum(1 for need in everything["items"] if need["status"] == status) > 0


@pytest.mark.parametrize(("path", "name", "unknown", "label"), PAGE_FILTERS)
def test_a_page_refuses_an_unknown_code_naming_the_filter(
    client: TestClient, world: World, path: str, name: str, unknown: str, label: str
) -> None:
    sign_in(client, world.emails["admin"])

    refused = client.get(path, params={name: unknown})

    assert refused.status_code == 422
    assert f"not valid: {label}." in refused.text
    assert client.get(path, params={name: ""}).status_code == 200


def test_the_people_and_organisation_pages_take_every_role_and_type(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["admin"])

    roles = {client.get("/people", params={"role": role}).status_code for role in ROLES}
    types = {client.get("/organisations", params={"type": kind}).status_code for kind in ORGANISATION_TYPES}

    assert roles == types == {200}
