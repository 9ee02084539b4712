"""An activity's external identifier is unique in PUX, but refusing one must not trace a record the person
may not see. A partner typing identifiers was told "another activity already has this identifier" of
another publisher's private activity (the form, the API, the edit and the spreadsheet import alike), and
two saves of one identifier at once met the database's unique key as "someone else changed this record".

Now "already has" is said only of an activity the person may see; an identifier in another organisation's
IATI namespace is refused in the same words whether or not it is taken; any other identifier held by a
hidden activity gets a refusal that names no record; and a clash found only by the database is the same
refusal, with nothing saved."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts.models import Organisation
from pux.assistance import repository as assistance_repository
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityUpdate
from pux.audit.models import AuditEvent
from pux.errors import ValidationFailed
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, activity_data

TAKEN = "another activity already has this identifier"
HIDDEN = "this identifier cannot be used: choose another"
OTHER_NAMESPACE = (
    "this identifier cannot be used: it begins with the IATI reference of an organisation other than the "
    "provider"
)
AGENCY_B_REFERENCE = "XM-TEST-B"


def _private_activity_of_agency_b(session: Session, world: World, external_id: str) -> AssistanceActivity:
    return assistance.record_activity(
        session,
        actor=world.actors["officer_b"],
        data=activity_data(
            world.organisations["agency_b"],
            title="Confidential site survey",
            recipient_country_iso3="UGA",
            visibility="private",
            external_id=external_id,
        ),
    )


def _give_agency_b_its_iati_reference(session: Session, world: World) -> None:
    agency_b = session.get(Organisation, world.organisations["agency_b"])
    assert agency_b is not None
    agency_b.iati_identifier = AGENCY_B_REFERENCE
    session.flush()


def _refusal_by_partner_a(session: Session, world: World, external_id: str) -> list[str]:
    """The messages partner_a meets recording a donor_a activity with ``external_id``."""
    with pytest.raises(ValidationFailed) as refused:
        assistance.record_activity(
            session,
            actor=world.actors["partner_a"],
            data=activity_data(world.organisations["donor_a"], external_id=external_id),
        )
    return [problem.message for problem in refused.value.problems if problem.field == "external_id"]


def _saved_counts(session: Session) -> list[int]:
    return [
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (AssistanceActivity, AuditEvent)
    ]


def _problems_on(page: Any) -> str:
    text = html.unescape(page.text)
    return re.sub(r"<[^>]+>", " ", text)


def test_an_identifier_of_a_private_activity_the_partner_may_not_see_is_refused_naming_no_record(
    session: Session, world: World
) -> None:
    _private_activity_of_agency_b(session, world, "SURVEY-2026-07")

    assert _refusal_by_partner_a(session, world, "SURVEY-2026-07") == [HIDDEN]


def test_an_identifier_of_an_activity_the_partner_sees_is_still_said_to_be_taken(
    session: Session, world: World
) -> None:
    assistance.record_activity(
        session,
        actor=world.actors["officer_b"],
        data=activity_data(world.organisations["agency_b"], external_id="OPEN-2026-01"),
    )

    assert _refusal_by_partner_a(session, world, "OPEN-2026-01") == [TAKEN]


def test_another_publishers_iati_identifiers_are_refused_alike_whether_or_not_they_are_taken(
    session: Session, world: World
) -> None:
    _give_agency_b_its_iati_reference(session, world)
    _private_activity_of_agency_b(session, world, f"{AGENCY_B_REFERENCE}-0001")

    taken = _refusal_by_partner_a(session, world, f"{AGENCY_B_REFERENCE}-0001")
    free = _refusal_by_partner_a(session, world, f"{AGENCY_B_REFERENCE}-9999")

    assert taken == free == [OTHER_NAMESPACE]
    # The publisher itself still records in its own namespace.
    own = _private_activity_of_agency_b(session, world, f"{AGENCY_B_REFERENCE}-0002")
    assert own.external_id == f"{AGENCY_B_REFERENCE}-0002"


def test_an_edit_that_keeps_an_identifier_is_not_refused_for_it(session: Session, world: World) -> None:
    activity = assistance.record_activity(
        session,
        actor=world.actors["partner_a"],
        data=activity_data(world.organisations["donor_a"], external_id=f"{AGENCY_B_REFERENCE}-OLD"),
    )
    _give_agency_b_its_iati_reference(session, world)  # the reference came after the identifier

    edited = assistance.update_activity(
        session,
        actor=world.actors["partner_a"],
        activity_id=activity.id,
        data=ActivityUpdate.model_validate(
            activity_data(
                world.organisations["donor_a"],
                external_id=f"{AGENCY_B_REFERENCE}-OLD",
                title="Brachytherapy training, second cohort",
            ).model_dump()
            | {"version": activity.version}
        ),
    )
    assert edited.title == "Brachytherapy training, second cohort"


def test_the_page_form_refuses_a_hidden_activitys_identifier_naming_no_record(
    client: TestClient, session: Session, world: World
) -> None:
    _private_activity_of_agency_b(session, world, "SURVEY-2026-08")
    before = _saved_counts(session)
    sign_in(client, world.emails["partner_a"])
    typed = {
        "external_id": "SURVEY-2026-08",
        "provider_organisation_id": str(world.organisations["donor_a"]),
        "title": "Dosimetry audit for Kenyan hospitals",
        "recipient_country_iso3": "KEN",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
        "csrf_token": csrf_token(client, "/activities/new"),
    }
    refused = client.post("/activities", data=typed, follow_redirects=False)

    assert refused.status_code == 422
    assert HIDDEN in _problems_on(refused) and TAKEN not in _problems_on(refused)
    assert _saved_counts(session) == before


def test_the_api_edit_refuses_a_hidden_activitys_identifier_and_changes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    _private_activity_of_agency_b(session, world, "SURVEY-2026-09")
    activity_id = world.activities["public_a"]
    current = client.get(f"/api/v1/activities/{activity_id}", headers=bearer(world.tokens["partner_a"]))
    body = {key: value for key, value in current.json().items() if key not in {"id", "origin", "updated_at"}}
    body.pop("iati_identifier", None)

    refused = client.put(
        f"/api/v1/activities/{activity_id}",
        json={**body, "external_id": "SURVEY-2026-09", "title": "Renamed while refused"},
        headers=bearer(world.tokens["partner_a"]),
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["problems"] == [{"row": None, "field": "external_id", "message": HIDDEN}]
    session.expire_all()
    unchanged = session.get(AssistanceActivity, activity_id)
    assert unchanged is not None
    assert (unchanged.title, unchanged.version) == (current.json()["title"], current.json()["version"])


def test_the_spreadsheet_import_refuses_a_hidden_activitys_identifier_naming_no_record(
    client: TestClient, session: Session, world: World
) -> None:
    _private_activity_of_agency_b(session, world, "SURVEY-2026-10")
    before = _saved_counts(session)
    provider = world.organisations["donor_a"]
    content = (
        "external_id,title,provider_organisation_id,recipient_country_iso3,amount_committed,currency\n"
        f"SURVEY-2026-10,Dosimetry training,{provider},KEN,100,USD\n"
    )
    sign_in(client, world.emails["partner_a"])
    page = client.post(
        "/activities/import",
        data={"csrf_token": csrf_token(client, "/activities/import")},
        files={"file": ("activities.csv", content.encode(), "text/csv")},
    )

    assert page.status_code == 422
    assert HIDDEN in _problems_on(page) and TAKEN not in _problems_on(page)
    assert _saved_counts(session) == before


def test_an_identifier_taken_between_the_check_and_the_write_is_refused_with_nothing_saved(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request saves the identifier after this one looked: the database's unique key refuses the
    write. It was an IntegrityError answered "someone else changed this record" (409)."""
    _private_activity_of_agency_b(session, world, "SURVEY-2026-11")
    before = _saved_counts(session)
    looked_up = assistance_repository.get_by_external_id
    stale_first_looks = iter([None])  # the first look is taken before the other request saved

    def racing_look(session: Session, external_id: str) -> AssistanceActivity | None:
        return next(stale_first_looks, looked_up(session, external_id))

    monkeypatch.setattr(assistance_repository, "get_by_external_id", racing_look)
    answer = client.post(
        "/api/v1/activities",
        json={
            "external_id": "SURVEY-2026-11",
            "title": "Dosimetry audit for Kenyan hospitals",
            "provider_organisation_id": world.organisations["donor_a"],
            "recipient_country_iso3": "KEN",
        },
        headers=bearer(world.tokens["partner_a"]),
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"] == [{"row": None, "field": "external_id", "message": HIDDEN}]
    assert _saved_counts(session) == before
