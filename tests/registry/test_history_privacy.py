"""A need's history tells a reader outside its country no more than its page does: not the rank the
country gave it (the public was told rank 7 on the need and 8 in its history: the trace of a hidden need
ranked above), not the focal point's comment on a return, not who drafted it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.needs import service as needs
from pux.needs.schemas import NeedUpdate
from tests.web_helpers import bearer
from tests.world import World, need_data

RETURN_COMMENT = "Internal: ask the ministry whether the bunker budget is real"


def _returned_then_published(session: Session, world: World) -> int:
    """A public need of Kenya's, returned once with a comment, then published and ranked second, behind
    the country's private need; then its co-financing note edited."""
    focal = world.actors["focal_ken"]
    need = needs.create_need(session, actor=focal, data=need_data(title="Returned once: PET-CT suite"))
    for target, comment in (
        ("submitted", None),
        ("returned", RETURN_COMMENT),
        ("submitted", None),
        ("endorsed", None),
        ("published", None),
    ):
        need = needs.transition_need(
            session, actor=focal, need_id=need.id, target=target, version=need.version, comment=comment
        )
    order = [world.needs["private_ken"], need.id]
    needs.rank_needs(session, actor=focal, country_iso3="KEN", ordered_need_ids=order)
    edited = _form_of(need) | {"cofinancing_note": "The ministry pays the bunker", "version": need.version}
    needs.update_need(session, actor=focal, need_id=need.id, data=NeedUpdate.model_validate(edited))
    session.flush()
    return need.id


def _form_of(need: Any) -> dict[str, Any]:
    return {name: getattr(need, name) for name in NeedUpdate.model_fields if hasattr(need, name)}


def _snapshots(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry[side] for entry in history for side in ("before", "after") if entry[side]]


def test_the_public_api_history_keeps_the_countrys_own_values_to_itself(
    client: TestClient, session: Session, world: World
) -> None:
    need_id = _returned_then_published(session, world)
    assert client.get(f"/api/v1/needs/{need_id}").json()["national_rank"] == 1
    response = client.get(f"/api/v1/needs/{need_id}/history")
    assert response.status_code == 200
    history = response.json()
    assert [entry["action"] for entry in history][-1] == "need.update"
    for snapshot in _snapshots(history):
        assert not {"national_rank", "status_comment", "created_by_id"} & set(snapshot), snapshot
    assert RETURN_COMMENT not in response.text
    # The page, told the same by the same service, shows none of it either.
    page = client.get(f"/needs/{need_id}").text
    assert RETURN_COMMENT not in page and "national_rank" not in page
    # The country's focal point reads its history whole: the rank as the country gave it.
    own = client.get(f"/api/v1/needs/{need_id}/history", headers=bearer(world.tokens["focal_ken"])).json()
    edit = own[-1]
    assert edit["action"] == "need.update"
    assert edit["before"]["national_rank"] == edit["after"]["national_rank"] == 2
    assert any(snapshot.get("status_comment") == RETURN_COMMENT for snapshot in _snapshots(own))
