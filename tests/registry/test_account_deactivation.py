"""An administrator deactivates the account of someone who left their ministry (and reactivates it): no
page or command could, so a departed focal point kept signing in and using their API tokens."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.accounts import service as accounts
from pux.audit.models import AuditEvent
from pux.cli import app
from tests.web.test_forms import post_form
from tests.web_helpers import bearer, sign_in, signs_in
from tests.world import World


def test_a_deactivated_person_is_signed_out_refused_and_can_be_reactivated(
    client: TestClient, session: Session, world: World
) -> None:
    person, email = world.user_ids["expert"], world.emails["expert"]
    _token, secret = accounts.create_api_token(session, actor=world.actors["expert"], name="laptop")
    elsewhere = TestClient(client.app)
    sign_in(elsewhere, email)
    assert elsewhere.get("/account").status_code == 200
    sign_in(client, world.emails["admin"])

    deactivated = post_form(client, f"/people/{person}/deactivate", {}, "/people")
    assert deactivated.status_code == 303
    shown = client.get(deactivated.headers["location"])
    assert "can no longer sign in" in shown.text and "Deactivated" in shown.text
    assert f'action="/people/{person}/reactivate"' in shown.text
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303  # signed out
    assert not signs_in(TestClient(client.app), email)
    assert client.get("/api/v1/needs", headers=bearer(secret)).status_code == 401

    assert post_form(client, f"/people/{person}/reactivate", {}, "/people").status_code == 303
    assert signs_in(TestClient(client.app), email)
    assert client.get("/api/v1/needs", headers=bearer(secret)).status_code == 200
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(person))
        .order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == ["user.deactivate", "user.reactivate"]


def test_refusals_say_why_and_change_nothing(client: TestClient, session: Session, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    expert = world.user_ids["expert"]
    refused = post_form(client, f"/people/{expert}/deactivate", {}, "/people")
    assert refused.status_code == 403
    sign_in(client, world.emails["admin"])
    own = post_form(client, f"/people/{world.user_ids['admin']}/deactivate", {}, "/people")
    assert own.status_code == 409 and "your own account" in own.text
    assert post_form(client, "/people/999999/deactivate", {}, "/people").status_code == 404
    assert signs_in(TestClient(client.app), world.emails["expert"])
    assert signs_in(TestClient(client.app), world.emails["admin"])


def test_the_command_deactivates_and_refuses_the_last_administrator(cli_env: None, world: World) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["users", "deactivate", world.emails["expert"]])
    assert done.exit_code == 0 and "deactivated" in done.output, done.output
    again = runner.invoke(app, ["users", "reactivate", world.emails["expert"]])
    assert again.exit_code == 0 and "active" in again.output, again.output
    # The world has one administrator: the command (no signed-in person) must not leave none.
    refused = runner.invoke(app, ["users", "deactivate", world.emails["admin"]])
    assert refused.exit_code == 1 and "last active administrator" in refused.output, refused.output
    unknown = runner.invoke(app, ["users", "deactivate", "nobody@example.org"])
    assert unknown.exit_code == 1 and "No account" in unknown.output
