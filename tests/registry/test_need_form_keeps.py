"""Saving a need's edit form changes what its form shows and nothing else: the form has no organisation
box, and its save set the need's organisation to nothing (history "Organisation: 17 -> —")."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit import service as audit
from pux.needs.models import Need
from tests.registry.form_fields import sent_again
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World


def test_an_edit_on_the_page_keeps_the_needs_organisation(
    client: TestClient, session: Session, world: World
) -> None:
    need_id, hospital = world.needs["published_ken"], world.organisations["hospital_ken"]
    need = session.get(Need, need_id)
    assert need is not None
    need.organisation_id = hospital  # as the API or an import sets it
    session.flush()
    sign_in(client, world.emails["focal_ken"])
    path = f"/needs/{need_id}/edit"
    form = sent_again(client.get(path).text)
    assert "organisation_id" not in form  # the page offers no box for it
    form["cofinancing_note"] = ["The ministry pays for the bunker"]
    form["csrf_token"] = [csrf_token(client, path)]
    saved = client.post(path, data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    read = client.get(f"/api/v1/needs/{need_id}", headers=bearer(world.tokens["focal_ken"])).json()
    assert read["cofinancing_note"] == "The ministry pays for the bunker"
    assert read["organisation_id"] == hospital
    edit = audit.history(session, entity_type="need", entity_id=str(need_id))[-1]
    assert edit.action == "need.update" and edit.after is not None
    assert edit.after["organisation_id"] == hospital
