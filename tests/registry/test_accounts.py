"""Accounts: invitation sign-up, argon2id passwords, throttled sign-in, API tokens, production secrets."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from pux.accounts import repository
from pux.accounts import service as accounts
from pux.accounts.permissions import COUNTERPART, EXPERT, Grant, PermissionDenied
from pux.accounts.schemas import InvitationAccept, InvitationCreate
from pux.accounts.service import SignInRefused, SignInThrottled
from pux.config import Settings
from pux.errors import NotFound, ValidationFailed
from tests.web_helpers import csrf_token
from tests.world import PASSWORD, World


def test_invitation_creates_an_account_with_the_invited_scoped_role(session: Session, world: World) -> None:
    invitation, token = accounts.invite(
        session,
        actor=world.actors["focal_ken"],
        data=InvitationCreate(
            email="New.Counterpart@Test.pux.invalid", role="counterpart", country_iso3="KEN"
        ),
    )
    assert invitation.token_hash != token  # only the hash is stored
    user = accounts.accept_invitation(
        session,
        token=token,
        data=InvitationAccept(full_name="New Counterpart", password="a sufficiently long secret"),
    )
    assert user.email == "new.counterpart@test.pux.invalid"
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert [(r.role, r.country_iso3) for r in user.roles] == [("counterpart", "KEN")]
    with pytest.raises(NotFound):
        accounts.open_invitation(session, token=token)  # used once


def test_scope_rules_for_invitations(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied):
        accounts.invite(
            session,
            actor=world.actors["focal_ken"],
            data=InvitationCreate(email="someone@test.pux.invalid", role="counterpart", country_iso3="UGA"),
        )
    with pytest.raises(PermissionDenied):
        accounts.invite(
            session,
            actor=world.actors["facilitator"],
            data=InvitationCreate(email="someone@test.pux.invalid", role="admin"),
        )
    with pytest.raises(ValidationFailed) as refused:
        accounts.invite(
            session,
            actor=world.actors["admin"],
            data=InvitationCreate(email="someone@test.pux.invalid", role="partner"),
        )
    assert refused.value.problems[0].field == "organisation_id"


def test_short_passwords_are_refused() -> None:
    with pytest.raises(ValidationError):
        InvitationAccept(full_name="Someone", password="short")


def test_sign_in_is_throttled_after_repeated_failures(session: Session, world: World) -> None:
    email = world.emails["expert"]
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS):
        with pytest.raises(SignInRefused):
            accounts.sign_in(session, email=email, password="wrong password", client_address="198.51.100.7")
    with pytest.raises(SignInThrottled):  # from that address; others: tests/security/test_sign_in_lockout.py
        accounts.sign_in(session, email=email, password=PASSWORD, client_address="198.51.100.7")
    assert (
        accounts.sign_in(
            session, email=world.emails["admin"], password=PASSWORD, client_address="198.51.100.9"
        ).id
        == world.user_ids["admin"]
    )


def test_session_cookie_is_http_only_and_same_site(client: TestClient, world: World) -> None:
    token = csrf_token(client)
    response = client.post(
        "/sign-in",
        data={"email": world.emails["expert"], "password": PASSWORD, "next": "/", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_wrong_password_page_does_not_say_which_part_was_wrong(client: TestClient, world: World) -> None:
    token = csrf_token(client)
    response = client.post(
        "/sign-in",
        data={"email": "nobody@test.pux.invalid", "password": "x", "next": "/", "csrf_token": token},
    )
    assert response.status_code == 401 and "Wrong email address or password" in response.text


def test_revoked_token_no_longer_works(client: TestClient, session: Session, world: World) -> None:
    token, secret = accounts.create_api_token(session, actor=world.actors["expert"], name="temporary")
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    accounts.revoke_api_token(session, actor=world.actors["expert"], token_id=token.id)
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    kept = repository.token_owner(session, token.token_hash)  # kept, for the trail
    assert kept is not None and kept.revoked_at is not None


def test_production_mode_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError):
        Settings(mode="production")
    assert Settings(mode="production", secret_key="x" * 40).mode == "production"


def test_a_token_acts_with_every_role_of_its_holder_until_the_holder_is_deactivated(
    client: TestClient, session: Session, world: World
) -> None:
    user = accounts.get_user(session, user_id=world.user_ids["counterpart_ken"])
    assert user is not None
    accounts.grant_role(session, actor=world.actors["admin"], user_id=user.id, grant=Grant(EXPERT))
    session.refresh(user)  # its list of roles, as a new request would read it
    token, secret = accounts.create_api_token(session, actor=accounts.actor_for(user), name="two roles")
    holder = accounts.actor_for_api_token(session, secret=secret)
    assert holder is not None and holder.token_id == token.id
    assert holder.actor == accounts.actor_for(user)  # the same label, organisation and grants
    assert {grant.role for grant in holder.actor.grants} == {COUNTERPART, EXPERT}
    # A person without any role: the token still names them, with no grants.
    no_roles = accounts.create_user(
        session,
        actor=world.actors["admin"],
        email="no.roles@test.pux.invalid",
        full_name="No roles",
        password=PASSWORD,
        grants=[],
    )
    _token, bare = accounts.create_api_token(session, actor=accounts.actor_for(no_roles), name="bare")
    bare_holder = accounts.actor_for_api_token(session, secret=bare)
    assert bare_holder is not None and bare_holder.actor.grants == ()
    assert bare_holder.actor.user_id == no_roles.id
    user.is_active = False
    session.flush()
    assert accounts.actor_for_api_token(session, secret=secret) is None
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/needs", headers=headers).status_code == 401
