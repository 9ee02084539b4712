"""A focal point invites counterparts of their own country, tied to none of the organisations or to one
of that country: the Kenyan focal point could invite a counterpart "of" the Uganda Atomic Energy Council,
whose account then opened Uganda's closed event and set the council's follow-up action to done."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.models import Invitation, User
from pux.accounts.schemas import InvitationAccept, InvitationCreate
from pux.errors import NotFound
from tests.web.test_forms import count
from tests.web_helpers import csrf_token, sign_in
from tests.world import PASSWORD, World

NEW_EMAIL = "new.counterpart.m7@test.pux.invalid"


def _invite(client: TestClient, organisation_id: int | None) -> Any:
    form = {"email": NEW_EMAIL, "role": "counterpart", "country_iso3": "KEN"}
    if organisation_id is not None:
        form["organisation_id"] = str(organisation_id)
    return client.post("/people/invitations", data={**form, "csrf_token": csrf_token(client, "/people")})


def test_a_focal_point_cannot_tie_an_invitation_to_another_countrys_organisation(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    before = count(session, Invitation)
    # Sweden's donor agency; an agency of no country.
    for foreign in (world.organisations["donor_a"], world.organisations["agency_b"]):
        answer = _invite(client, foreign)
        assert answer.status_code == 422, answer.text[:300]
        page = answer.text
        # Beside the organisation's box, where the choice can be changed.
        assert (
            '<p class="field-error" id="error-organisation_id">you may invite someone only to an '
            "organisation of Kenya, or to none</p>"
        ) in page
    assert count(session, Invitation) == before  # nothing saved


def test_a_focal_point_invites_a_counterpart_of_an_organisation_of_their_country(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["focal_ken"])
    before = count(session, Invitation)
    answer = _invite(client, world.organisations["hospital_ken"])
    assert answer.status_code == 200, answer.text[:300]
    assert count(session, Invitation) == before + 1


def test_facilitators_still_tie_an_invitation_to_any_organisation(
    client: TestClient, session: Session, world: World
) -> None:
    sign_in(client, world.emails["facilitator"])
    answer = _invite(client, world.organisations["donor_a"])
    assert answer.status_code == 200, answer.text[:300]


def test_an_invitation_made_to_another_countrys_organisation_before_opens_no_account(
    session: Session, world: World
) -> None:
    # An invitation as the focal point could make before the rule: its link must not open an account.
    _invitation, token = accounts.invite(
        session,
        actor=world.actors["facilitator"],
        data=InvitationCreate(email=NEW_EMAIL, role="counterpart", country_iso3="KEN"),
    )
    invitation = accounts.open_invitation(session, token=token)
    invitation.invited_by_id = world.user_ids["focal_ken"]
    invitation.organisation_id = world.organisations["donor_a"]
    session.flush()
    with pytest.raises(NotFound, match="no longer valid"):
        accounts.accept_invitation(
            session,
            token=token,
            data=InvitationAccept(
                full_name="Someone", password=PASSWORD + "x", password_again=PASSWORD + "x"
            ),
        )
    assert session.scalar(select(User).where(User.email == NEW_EMAIL)) is None
