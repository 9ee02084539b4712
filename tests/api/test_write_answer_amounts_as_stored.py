"""The answer to a write shows the amounts as they were stored, as any read does: a need's cost sent as
"1E+3" was answered "1E+3" (the figure as sent), and the following GET said "1000.00". An integrator
comparing the two, or keeping the answer as the record, saw a change that never happened."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from pux.assistance.schemas import ActivityUpdate
from pux.needs.schemas import NeedUpdate
from pux.programmes.schemas import ProgrammeUpdate
from tests.web_helpers import bearer, update_fields
from tests.world import World, activity_data, need_data, programme_data


@dataclass(frozen=True)
class Kind:
    path: str
    writer: str  # the role whose token writes it
    amount: str  # the amount field written
    update: type[BaseModel]
    body: Callable[[World], dict[str, Any]]


KINDS = {
    "need": Kind(
        "/api/v1/needs",
        "counterpart_ken",
        "estimated_cost",
        NeedUpdate,
        lambda world: need_data().model_dump(mode="json"),
    ),
    "programme": Kind(
        "/api/v1/programmes",
        "partner_a",
        "max_per_need",
        ProgrammeUpdate,
        lambda world: programme_data(world.organisations["donor_a"]).model_dump(mode="json"),
    ),
    "activity": Kind(
        "/api/v1/activities",
        "partner_a",
        "amount_committed",
        ActivityUpdate,
        lambda world: activity_data(world.organisations["donor_a"]).model_dump(mode="json"),
    ),
}


def _with_amount(body: dict[str, Any], field: str, written: str) -> str:
    """``body`` as JSON text with ``field`` written exactly as ``written`` (a JSON string or number)."""
    return json.dumps(body | {field: "AMOUNT"}).replace('"AMOUNT"', written)


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_the_answer_to_a_write_shows_the_amount_as_a_read_does(
    client: TestClient, world: World, kind: Kind
) -> None:
    headers = bearer(world.tokens[kind.writer]) | {"Content-Type": "application/json"}

    created = client.post(
        kind.path, content=_with_amount(kind.body(world), kind.amount, '"1E+3"'), headers=headers
    )
    assert created.status_code == 201, created.text
    read = client.get(f"{kind.path}/{created.json()['id']}", headers=headers).json()

    assert created.json()[kind.amount] == read[kind.amount] == "1000.00"

    edit = _with_amount(update_fields(read, kind.update), kind.amount, "2e3")
    edited = client.put(f"{kind.path}/{read['id']}", content=edit, headers=headers)
    assert edited.status_code == 200, edited.text
    read_again = client.get(f"{kind.path}/{read['id']}", headers=headers).json()

    assert edited.json()[kind.amount] == read_again[kind.amount] == "2000.00"
    assert _all_but_rank(edited.json()) == _all_but_rank(read_again)  # the other amounts too


def _all_but_rank(record: dict[str, Any]) -> dict[str, Any]:
    """A need's national rank is the one among those the reader may see, shown by a read only."""
    return {name: value for name, value in record.items() if name != "national_rank"}
