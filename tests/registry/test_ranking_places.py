"""The national priority order: places given to more than one need are refused, naming the needs that clash
(1, 1, 2 was saved as 1, 2, 3, the tie broken by record number without a word), and so are places that are
not whole numbers from 1 up, naming the need and what was typed; the form comes back with what was typed
(422) and nothing is saved. The API takes the order as a list of needs, where a need given twice is
refused the same way."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.needs.models import Need
from tests.registry.form_fields import field_error, form_problem, sent_again
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

PAGE = "/countries/KEN/ranking"
KEYS = ("published_ken", "partners_ken", "private_ken")


def _post(client: TestClient, places: dict[int, str]) -> Any:
    data = {f"rank-{need_id}": place for need_id, place in places.items()}
    return client.post(PAGE, data={**data, "csrf_token": csrf_token(client, PAGE)}, follow_redirects=False)


def _ranks(session: Session, ids: list[int]) -> list[int | None]:
    session.expire_all()
    return [session.get(Need, need_id).national_rank for need_id in ids]  # type: ignore[union-attr]


def _references(session: Session, ids: list[int]) -> list[str]:
    return [session.get(Need, need_id).reference for need_id in ids]  # type: ignore[union-attr]


@pytest.fixture
def ranked(client: TestClient, session: Session, world: World) -> list[int]:
    """The three Kenyan published needs, in the order 3, 1, 2 (saved through the form)."""
    ids = [world.needs[key] for key in KEYS]
    sign_in(client, world.emails["focal_ken"])
    saved = _post(client, {ids[0]: "3", ids[1]: "1", ids[2]: "2"})
    assert saved.status_code == 303, saved.text[:400]
    assert _ranks(session, ids) == [3, 1, 2]
    return ids


def test_a_tie_is_refused_naming_the_needs_that_share_a_place(
    client: TestClient, session: Session, ranked: list[int]
) -> None:
    first, second, third = _references(session, ranked)
    refused = _post(client, {ranked[0]: "1", ranked[1]: "1", ranked[2]: "2"})
    assert refused.status_code == 422, refused.text[:400]
    assert field_error(refused.text, f"rank-{ranked[0]}") == f"{first} has the same place (1) as {second}"
    assert field_error(refused.text, f"rank-{ranked[1]}") == f"{second} has the same place (1) as {first}"
    assert field_error(refused.text, f"rank-{ranked[2]}") == ""
    summary = form_problem(refused.text)
    assert "Nothing was saved" in summary and first in summary and second in summary
    sent = sent_again(refused.text)
    assert [sent[f"rank-{need_id}"] for need_id in ranked] == [["1"], ["1"], ["2"]]  # as typed
    assert accessibility_problems(refused.text) == []
    assert _ranks(session, ranked) == [3, 1, 2]  # nothing saved
    page = client.get(PAGE)
    assert "The national priority order was saved." not in page.text


def test_three_needs_at_one_place_each_name_the_other_two(
    client: TestClient, session: Session, ranked: list[int]
) -> None:
    first, second, third = _references(session, ranked)
    refused = _post(client, {need_id: "2" for need_id in ranked})
    assert refused.status_code == 422
    assert (
        field_error(refused.text, f"rank-{ranked[1]}")
        == f"{second} has the same place (2) as {first}, {third}"
    )
    assert _ranks(session, ranked) == [3, 1, 2]


@pytest.mark.parametrize("place", ["0", "-1", "1.5", "first", "²", "00"])
def test_a_place_that_is_not_a_whole_number_from_one_up_is_refused_by_name(
    client: TestClient, session: Session, ranked: list[int], place: str
) -> None:
    reference = _references(session, ranked)[0]
    refused = _post(client, {ranked[0]: place, ranked[1]: "1", ranked[2]: "2"})
    assert refused.status_code == 422, refused.text[:400]
    expected = f"the place of {reference} must be a whole number from 1 up, not '{place}'"
    assert field_error(refused.text, f"rank-{ranked[0]}") == expected
    assert sent_again(refused.text)[f"rank-{ranked[0]}"] == [place]
    assert _ranks(session, ranked) == [3, 1, 2]


def test_places_with_gaps_and_empty_ones_still_order_the_needs(
    client: TestClient, session: Session, ranked: list[int]
) -> None:
    saved = _post(client, {ranked[0]: "10", ranked[1]: "", ranked[2]: "4"})
    assert saved.status_code == 303, saved.text[:400]
    assert _ranks(session, ranked) == [2, None, 1]


def test_the_refusal_reads_in_the_readers_language_with_the_references_set_apart(
    client: TestClient, session: Session, ranked: list[int]
) -> None:
    client.cookies.set("pux_lang", "ar")
    refused = _post(client, {ranked[0]: "1", ranked[1]: "1"})
    assert refused.status_code == 422
    assert 'lang="ar"' in refused.text
    first, second = _references(session, ranked)[:2]
    assert f"\u2068{first}\u2069" in field_error(refused.text, f"rank-{ranked[0]}")
    assert f"\u2068{second}\u2069" in field_error(refused.text, f"rank-{ranked[0]}")


def test_the_api_refuses_a_need_given_twice(session: Session, world: World, client: TestClient) -> None:
    ids = [world.needs[key] for key in KEYS]
    before = _ranks(session, ids)
    refused = client.put(
        "/api/v1/countries/KEN/needs/ranking",
        json={"need_ids": [ids[0], ids[0], ids[1]]},
        headers=bearer(world.tokens["focal_ken"]),
    )
    assert refused.status_code == 422, refused.text[:400]
    assert _ranks(session, ids) == before
    saved = client.put(
        "/api/v1/countries/KEN/needs/ranking",
        json={"need_ids": [ids[2], ids[0]]},
        headers=bearer(world.tokens["focal_ken"]),
    )
    assert saved.status_code == 200, saved.text[:400]
    assert _ranks(session, ids) == [2, None, 1]
