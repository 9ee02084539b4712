"""A stranger could lock anyone out: five wrong passwords for a focal point's email, typed from anywhere,
refused that person's sign-in from everywhere for 15 minutes (during a workshop, from the next seat).
Failures now pause an account only from the address they came from; an address failing on many accounts
is paused; an account is paused for everyone only past a ceiling no single address can reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from pux.accounts import repository
from pux.accounts import service as accounts
from pux.accounts.models import SignInAttempt
from pux.accounts.service import SignInRefused, SignInThrottled
from tests.web_helpers import csrf_token
from tests.world import PASSWORD, World

STRANGER = "203.0.113.66"
HOME = "198.51.100.10"  # where the account's owner signs in from


def _fail(session: Session, email: str, client_address: str, times: int = 1) -> None:
    for _attempt in range(times):
        with pytest.raises(SignInRefused):
            accounts.sign_in(session, email=email, password="a wrong guess", client_address=client_address)


def _recorded_failures(session: Session, email: str, client_address: str) -> int:
    since = accounts._now() - accounts.THROTTLE_WINDOW
    failures = repository.latest_failures(
        session, email=email, client_address=client_address, since=since, limit=1000
    )
    return len(failures)


def test_a_strangers_failures_do_not_keep_the_owner_out(session: Session, world: World) -> None:
    email = world.emails["focal_ken"]
    _fail(session, email, STRANGER, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS)
    signed_in = accounts.sign_in(session, email=email, password=PASSWORD, client_address=HOME)
    assert signed_in.id == world.user_ids["focal_ken"]


def test_the_strangers_address_stays_paused_for_that_account(session: Session, world: World) -> None:
    email = world.emails["focal_ken"]
    _fail(session, email, STRANGER, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS)
    for _attempt in range(3):  # even the right password: the address may not try again yet
        with pytest.raises(SignInThrottled, match="Wait 15 minutes.*this network address only"):
            accounts.sign_in(session, email=email, password=PASSWORD, client_address=STRANGER)
    # Refused attempts are not counted: the pause ends when the recorded failures leave the window.
    assert _recorded_failures(session, email, STRANGER) == accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS
    session.execute(
        update(SignInAttempt)
        .where(SignInAttempt.client_address == STRANGER)
        .values(attempted_at=accounts._now() - accounts.THROTTLE_WINDOW - timedelta(seconds=1))
    )
    assert (
        accounts.sign_in(session, email=email, password=PASSWORD, client_address=STRANGER).id
        == (world.user_ids["focal_ken"])
    )


def test_the_pause_says_how_long_is_left(session: Session, world: World) -> None:
    email = world.emails["focal_ken"]
    _fail(session, email, STRANGER, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS)
    session.execute(
        update(SignInAttempt)
        .where(SignInAttempt.client_address == STRANGER)
        .values(attempted_at=accounts._now() - timedelta(minutes=11))
    )
    with pytest.raises(SignInThrottled, match="Wait 4 minutes"):
        accounts.sign_in(session, email=email, password=PASSWORD, client_address=STRANGER)


def test_failures_spread_over_many_addresses_still_pause_the_account(session: Session, world: World) -> None:
    email = world.emails["focal_ken"]
    per_address = accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS
    addresses = [f"203.0.113.{n}" for n in range(accounts.MAX_FAILURES_PER_ACCOUNT // per_address)]
    for address in addresses:
        _fail(session, email, address, per_address)
    with pytest.raises(SignInThrottled, match="from many places"):
        accounts.sign_in(session, email=email, password=PASSWORD, client_address=HOME)
    # Another account is not touched by it.
    assert accounts.sign_in(session, email=world.emails["admin"], password=PASSWORD, client_address=HOME)


def test_an_address_failing_on_many_accounts_is_paused(session: Session, world: World) -> None:
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):
        _fail(session, f"someone.{n}@test.pux.invalid", STRANGER)
    with pytest.raises(SignInThrottled, match="from your network address. Wait 15 minutes"):
        accounts.sign_in(session, email=world.emails["admin"], password=PASSWORD, client_address=STRANGER)
    assert accounts.sign_in(session, email=world.emails["admin"], password=PASSWORD, client_address=HOME)


def test_the_owner_signs_in_on_the_page_after_a_strangers_failures(
    client: TestClient, session: Session, world: World
) -> None:
    email = world.emails["focal_ken"]
    _fail(session, email, STRANGER, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS)
    answer = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]


def test_the_page_tells_a_paused_address_what_it_can_do(client: TestClient, world: World) -> None:
    email = world.emails["focal_ken"]
    token = csrf_token(client)
    attempt = {"email": email, "password": "a wrong guess", "next": "/", "csrf_token": token}
    for _attempt in range(accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS):
        assert client.post("/sign-in", data=attempt).status_code == 401
    answer = client.post("/sign-in", data={**attempt, "password": PASSWORD})
    assert answer.status_code == 429
    assert "Wait 15 minutes and try again; the pause is for this network address only." in answer.text
    # ... on the sign-in form, the address kept, ready for when the pause ends, which the header gives.
    assert 'name="password"' in answer.text and f'value="{email}"' in answer.text
    assert 14 * 60 < int(answer.headers["retry-after"]) <= 15 * 60


def test_an_ipv6_network_is_one_address_for_the_pauses(session: Session, world: World) -> None:
    # One home line is given a /64 of IPv6 addresses: a stranger taking a new one for each guess is still
    # one address, while the owner on another line signs in.
    email = world.emails["focal_ken"]
    for host in range(1, accounts.MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS + 1):
        _fail(session, email, f"2001:db8:aa:bb::{host:x}")
    with pytest.raises(SignInThrottled, match="this network address only"):
        accounts.sign_in(session, email=email, password=PASSWORD, client_address="2001:db8:aa:bb:ffff::1")
    signed_in = accounts.sign_in(session, email=email, password=PASSWORD, client_address="2001:db8:aa:cc::1")
    assert signed_in.id == world.user_ids["focal_ken"]


def test_a_workshop_behind_one_address_signs_in_after_many_typing_mistakes(
    session: Session, world: World
) -> None:
    # Fifty participants at one venue, one address: forty mistyped passwords (a few each) must not shut
    # out the others who type theirs right.
    for n in range(40):
        _fail(session, f"participant.{n}@test.pux.invalid", STRANGER)
    assert accounts.sign_in(session, email=world.emails["expert"], password=PASSWORD, client_address=STRANGER)
