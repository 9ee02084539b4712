"""The last administrator cannot take their role away: the only administrator of a new installation
revoked their own role, was signed out, and nobody could manage accounts any more ("pux users
create-admin" refuses an address that has an account)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.models import RoleAssignment
from pux.accounts.permissions import ADMIN, Grant
from pux.errors import InvalidTransition
from tests.web_helpers import csrf_token, sign_in
from tests.world import World


def _admin_roles(session: Session) -> list[RoleAssignment]:
    return list(session.scalars(select(RoleAssignment).where(RoleAssignment.role == ADMIN)))


def test_the_last_administrators_role_stays_until_another_holds_it(session: Session, world: World) -> None:
    admin = world.actors["admin"]
    (only,) = _admin_roles(session)
    with pytest.raises(InvalidTransition, match="last administrator"):
        accounts.revoke_role(session, actor=admin, role_id=only.id)
    assert [role.id for role in _admin_roles(session)] == [only.id]
    accounts.grant_role(session, actor=admin, user_id=world.user_ids["facilitator"], grant=Grant(ADMIN))
    accounts.revoke_role(session, actor=admin, role_id=only.id)  # now another administrator remains
    assert [role.user_id for role in _admin_roles(session)] == [world.user_ids["facilitator"]]


def test_the_people_page_says_why(client: TestClient, session: Session, world: World) -> None:
    (only,) = _admin_roles(session)
    sign_in(client, world.emails["admin"])
    answer = client.post(
        f"/roles/{only.id}/revoke", data={"csrf_token": csrf_token(client, "/people")}, follow_redirects=False
    )
    assert answer.status_code == 409
    assert "last administrator" in answer.text
    assert client.get("/people").status_code == 200  # still signed in, still an administrator


def test_a_deactivated_administrators_role_may_go_while_one_active_administrator_remains(
    session: Session, world: World
) -> None:
    """The check counts active administrators: the role of one who is no longer active is not the last."""
    from pux.accounts.models import User

    admin = world.actors["admin"]
    former = accounts.grant_role(session, actor=admin, user_id=world.user_ids["expert"], grant=Grant(ADMIN))
    expert = session.get(User, world.user_ids["expert"])
    assert expert is not None
    expert.is_active = False
    session.flush()
    accounts.revoke_role(session, actor=admin, role_id=former.id)
    assert [role.user_id for role in _admin_roles(session)] == [world.user_ids["admin"]]
