"""The programme and activity edit forms, saved by someone else while this person was typing: the form comes
back (409) with what this person wrote, over the current version, and a message naming the record; saved
again once compared, it is kept. A bad value (422) brings the form back with what was typed and the problem
beside its field, and the version the form was made from (a later save is still checked against it)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityUpdate
from pux.programmes import service as programmes
from pux.programmes.models import Programme
from pux.programmes.schemas import ProgrammeUpdate
from tests.registry.form_fields import field_error, form_problem, sent_again
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, sign_in
from tests.world import World

VERSION = re.compile(r'name="version" value="(\d+)"')


def _opened(client: TestClient, path: str) -> dict[str, Any]:
    """The edit form as its page fills it (with its version and CSRF token), as a browser would send it."""
    page = client.get(path)
    assert page.status_code == 200, page.text[:400]
    return {name: values if len(values) > 1 else values[0] for name, values in sent_again(page.text).items()}


def _post(client: TestClient, path: str, form: dict[str, Any]) -> Any:
    return client.post(path, data={**form, "csrf_token": csrf_token(client, path)}, follow_redirects=False)


def _programme(session: Session, programme_id: int) -> Programme:
    session.expire_all()
    programme = session.get(Programme, programme_id)
    assert programme is not None
    return programme


def _activity(session: Session, activity_id: int) -> AssistanceActivity:
    session.expire_all()
    activity = session.get(AssistanceActivity, activity_id)
    assert activity is not None
    return activity


def test_a_programme_saved_by_someone_else_keeps_what_the_second_person_wrote(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = world.programmes["draft_a"]
    path = f"/programmes/{programme_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    opened_version = int(form["version"])
    # Someone else of the organisation saves first.
    other = programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id)
    changes = {name: getattr(other, name) for name in ProgrammeUpdate.model_fields}
    programmes.update_programme(
        session,
        actor=world.actors["admin"],
        programme_id=programme_id,
        data=ProgrammeUpdate.model_validate({**changes, "title": "Saved first by a colleague"}),
    )
    session.flush()
    typed = {
        **form,
        "title": "Saved second from an old form",
        "description": "Typed while the colleague saved.",
        "total_budget": "6000000",
    }
    stale = _post(client, path, typed)
    assert stale.status_code == 409, form_problem(stale.text)
    current = _programme(session, programme_id)
    assert current.title == "Saved first by a colleague" and current.version > opened_version
    assert (
        f"Someone else saved this programme after you opened it (it is now at version {current.version})"
        in form_problem(stale.text)
    )
    assert "compare it with the programme as it is now" in form_problem(stale.text)
    shown = sent_again(stale.text)
    assert shown["title"] == ["Saved second from an old form"]
    assert shown["description"] == ["Typed while the colleague saved."]
    assert shown["total_budget"] == ["6000000"]
    assert shown["version"] == [str(current.version)]  # made over the current version: saved again, it holds
    assert accessibility_problems(stale.text) == []
    again = _post(client, path, {name: v if len(v) > 1 else v[0] for name, v in shown.items()})
    assert again.status_code == 303, again.text[:400]
    assert _programme(session, programme_id).title == "Saved second from an old form"


def test_a_bad_programme_value_brings_the_form_back_as_typed(
    client: TestClient, session: Session, world: World
) -> None:
    programme_id = world.programmes["draft_a"]
    path = f"/programmes/{programme_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    refused = _post(
        client, path, {**form, "title": "A title typed with the bad budget", "total_budget": "plenty"}
    )
    assert refused.status_code == 422, refused.text[:400]
    shown = sent_again(refused.text)
    assert shown["title"] == ["A title typed with the bad budget"] and shown["total_budget"] == ["plenty"]
    assert field_error(refused.text, "total_budget") and shown["version"] == [form["version"]]


def test_an_activity_saved_by_someone_else_keeps_what_the_second_person_wrote(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = world.activities["public_a"]
    path = f"/activities/{activity_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    opened_version = int(form["version"])
    other = assistance.get_activity(session, actor=world.actors["admin"], activity_id=activity_id)
    changes = {name: getattr(other, name) for name in ActivityUpdate.model_fields}
    assistance.update_activity(
        session,
        actor=world.actors["admin"],
        activity_id=activity_id,
        data=ActivityUpdate.model_validate({**changes, "title": "Saved first by a colleague"}),
    )
    session.flush()
    typed = {
        **form,
        "title": "Saved second from an old form",
        "implementer": "Typed while the colleague saved",
        "amount_committed": "125000",
    }
    stale = _post(client, path, typed)
    assert stale.status_code == 409, form_problem(stale.text)
    current = _activity(session, activity_id)
    assert current.title == "Saved first by a colleague" and current.version > opened_version
    problem = form_problem(stale.text)
    assert (
        f"Someone else saved this activity after you opened it (it is now at version {current.version})"
        in problem
        and "compare it with the activity as it is now" in problem
    )
    shown = sent_again(stale.text)
    assert shown["title"] == ["Saved second from an old form"]
    assert shown["implementer"] == ["Typed while the colleague saved"]
    assert shown["amount_committed"] == ["125000"]
    assert shown["version"] == [str(current.version)]
    assert accessibility_problems(stale.text) == []
    again = _post(client, path, {name: v if len(v) > 1 else v[0] for name, v in shown.items()})
    assert again.status_code == 303, again.text[:400]
    assert _activity(session, activity_id).title == "Saved second from an old form"


def test_a_bad_activity_value_brings_the_form_back_as_typed(
    client: TestClient, session: Session, world: World
) -> None:
    activity_id = world.activities["public_a"]
    path = f"/activities/{activity_id}/edit"
    sign_in(client, world.emails["partner_a"])
    form = _opened(client, path)
    refused = _post(
        client, path, {**form, "title": "A title typed with the bad amount", "amount_committed": "half"}
    )
    assert refused.status_code == 422, refused.text[:400]
    shown = sent_again(refused.text)
    assert shown["title"] == ["A title typed with the bad amount"] and shown["amount_committed"] == ["half"]
    assert field_error(refused.text, "amount_committed") and shown["version"] == [form["version"]]


def test_a_bad_activity_form_from_someone_who_may_not_edit_it_is_refused_without_the_form(
    client: TestClient, world: World
) -> None:
    """Agency B's officer sees donor A's public activity but may not edit it: a bad form posted to it was
    answered with the edit form and its problems (only a valid one was refused)."""
    activity_id = world.activities["public_a"]
    sign_in(client, world.emails["officer_b"])
    token = csrf_token(client, f"/activities/{activity_id}")
    refused = client.post(
        f"/activities/{activity_id}/edit",
        data={"title": "x", "amount_committed": "half", "version": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 403, refused.text[:400]
    assert '<form method="post" action="/activities/' not in refused.text
