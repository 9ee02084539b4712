"""Organisation filters by typed name: where organisations are too many to list (the mission's scale has
1,500), a person types part of a name or acronym and is offered the names that fit."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.accounts.schemas import OrganisationCreate
from pux.assistance.models import AssistanceActivity
from pux.dialogues import service as dialogues
from pux.dialogues.models import ActionItem, ConceptNote
from pux.web.templating import ORGANISATION_SELECT_LIMIT
from tests.web_helpers import csrf_token, sign_in
from tests.world import World, activity_data, event_data, kenyan_recommendation, programme_data

# A list page's rows name their organisation in a cell labelled for phones.
PROVIDER_CELL = re.compile(r'data-label="(?:Provider|Organisation)">([^<]+)<')


@pytest.fixture(autouse=True)
def forget_kept_names() -> Iterator[None]:
    """Organisation names are kept per process by a stamp of the table, which a rolled-back test can hand
    out again on SQLite: forget them around each test."""
    accounts._NAMES.clear()
    yield
    accounts._NAMES.clear()


def _add_organisations(session: Session, count: int, *, acronym: str | None = None) -> list[int]:
    system = Actor.system("chooser-test")
    return [
        accounts.create_organisation(
            session,
            actor=system,
            data=OrganisationCreate(
                name=f"Chooser Institute {number:03d}",
                acronym=acronym if number == 0 else None,
                organisation_type="university_research",
            ),
        ).id
        for number in range(count)
    ]


def test_a_typed_name_stands_for_the_organisation_so_named_else_every_one_it_is_part_of(
    session: Session, world: World
) -> None:
    added = _add_organisations(session, 12, acronym="CHI")
    # Part of a name, in any case: every organisation whose name contains it.
    assert set(accounts.organisations_named(session, "  chooser INSTITUTE ")) == set(added)
    assert set(accounts.organisations_named(session, "test donor")) == {world.organisations["donor_a"]}
    # The whole name picks that organisation alone, though "Chooser Institute 001" is part of no other
    # here, "Chooser Institute 00" is part of ten: a name chosen from the suggestions means that one only.
    assert accounts.organisations_named(session, "chooser institute 001") == (added[1],)
    assert len(accounts.organisations_named(session, "Chooser Institute 00")) == 10
    # An acronym stated exactly means its organisation, even where it is part of other names.
    assert accounts.organisations_named(session, "chi") == (added[0],)
    assert accounts.organisations_named(session, "no such body") == ()
    assert accounts.organisations_named(session, "   ") == ()


def test_a_whole_name_calls_its_organisation_before_others_acronyms_or_other_cases(session: Session) -> None:
    """Imports bring names that are another organisation's acronym ("UNDP" beside the programme whose
    acronym is UNDP) or differ only in case: the name as written wins, then the name in any case, then a
    unique acronym; only a true tie is refused."""
    system = Actor.system("chooser-test")

    def add(name: str, acronym: str | None = None) -> int:
        data = OrganisationCreate(name=name, acronym=acronym, organisation_type="international_organisation")
        return accounts.create_organisation(session, actor=system, data=data).id

    programme = add("United Nations Development Programme", "UNDP")
    imported = add("UNDP")
    upper, lower = add("MINISTRY OF HEALTH TESTLAND"), add("Ministry of Health Testland")
    assert accounts.organisations_called(session, "UNDP") == (imported,)
    assert accounts.organisations_called(session, "undp") == (imported,)  # a name in any case before acronyms
    assert accounts.organisations_called(session, "united nations development programme") == (programme,)
    assert accounts.organisations_called(session, "Ministry of Health Testland") == (lower,)
    assert set(accounts.organisations_called(session, "ministry of health testland")) == {upper, lower}
    assert accounts.organisations_named(session, "UNDP") == (imported,)  # a filter means it alone too


def test_suggestions_put_names_that_begin_with_the_text_first_and_stop_at_twenty(session: Session) -> None:
    _add_organisations(session, 30)
    accounts.create_organisation(
        session,
        actor=Actor.system("chooser-test"),
        data=OrganisationCreate(name="A Network of Chooser Institutes", organisation_type="ngo"),
    )
    names = [o.name for o in accounts.suggested_organisations(session, "chooser")]
    assert len(names) == accounts.SUGGESTED_ORGANISATIONS
    assert names == [f"Chooser Institute {number:03d}" for number in range(20)]  # begin with it, by name
    later = [o.name for o in accounts.suggested_organisations(session, "institute 02")]
    assert later == [f"Chooser Institute {number:03d}" for number in range(20, 30)]
    assert [o.name for o in accounts.suggested_organisations(session, "network of")] == [
        "A Network of Chooser Institutes"
    ]
    assert accounts.suggested_organisations(session, "") == []


def test_the_suggestions_route_offers_options_for_the_field_that_asks(
    client: TestClient, session: Session
) -> None:
    _add_organisations(session, 3, acronym="CHI")
    answer = client.get("/organisations/choices", params={"field": "provider", "provider": "institute 00"})
    assert answer.status_code == 200
    assert re.findall(r'<option value="([^"]+)"', answer.text) == [
        "Chooser Institute 000",
        "Chooser Institute 001",
        "Chooser Institute 002",
    ]
    assert ">CHI</option>" in answer.text  # the acronym beside its name
    other = client.get("/organisations/choices", params={"field": "organisation", "organisation": "001"})
    assert re.findall(r'<option value="([^"]+)"', other.text) == ["Chooser Institute 001"]
    nothing = client.get("/organisations/choices", params={"field": "provider"})
    assert nothing.status_code == 200 and "<option" not in nothing.text
    refused = client.get("/organisations/choices", params={"field": "Provider<script>"})
    assert refused.status_code == 422


def _listed(text: str) -> set[str]:
    return {name.strip() for name in PROVIDER_CELL.findall(text)}


def test_lists_filter_by_part_of_the_organisation_name(
    client: TestClient, session: Session, world: World
) -> None:
    """The activities, who-does-what-where and programme lists (pages and API) keep the organisations whose
    names contain what was typed; a name nobody has lists nothing and says so, not an error."""
    from pux.assistance import service as assistance
    from pux.programmes import service as programmes

    # Beside the world's public activity and published programme of donor A, the same of agency B.
    admin, agency_b = world.actors["admin"], world.organisations["agency_b"]
    assistance.record_activity(session, actor=admin, data=activity_data(agency_b))
    offered = programmes.create_programme(session, actor=admin, data=programme_data(agency_b))
    programmes.set_programme_status(
        session, actor=admin, programme_id=offered.id, target="published", version=offered.version
    )
    for path, field in (("/activities", "provider"), ("/programmes", "organisation")):
        typed = client.get(path, params={field: "donor agency"})
        assert typed.status_code == 200, path
        assert _listed(typed.text) == {"Test Donor Agency A"}, path
        unfiltered = client.get(path)
        assert {"Test Donor Agency A", "Test Cooperation Agency B"} <= _listed(unfiltered.text), path
        none = client.get(path, params={field: "no such body"})
        assert none.status_code == 200 and _listed(none.text) == set(), path
    who = client.get("/gaps", params={"provider": "COOPERATION agency"})
    assert who.status_code == 200
    assert "Test Cooperation Agency B" in who.text and '<td data-label="Provider">Test Donor' not in who.text
    api = client.get("/api/v1/activities", params={"provider": "donor agency", "page_size": 200})
    assert api.status_code == 200
    assert {item["provider_organisation_id"] for item in api.json()["items"]} == {
        world.organisations["donor_a"]
    }


def test_beyond_the_limit_the_filter_is_a_box_to_type_in_with_suggestions(
    client: TestClient, session: Session, world: World
) -> None:
    small = client.get("/activities")
    assert '<select id="f-provider" name="provider"' in small.text  # few organisations: a list
    assert "htmx" not in small.text
    _add_organisations(session, ORGANISATION_SELECT_LIMIT)
    for path, field in (("/activities", "provider"), ("/gaps", "provider"), ("/programmes", "organisation")):
        page = client.get(path, params={field: str(world.organisations["donor_a"])})
        assert page.status_code == 200, path
        assert f'<select id="f-{field}"' not in page.text and "Chooser Institute" not in page.text, path
        box = re.search(rf'<input id="f-{field}" name="{field}" type="search" value="([^"]*)"', page.text)
        assert box is not None, path
        assert box.group(1) == "Test Donor Agency A", path  # a link's number shows as the name it means
        assert f'hx-get="/organisations/choices?field={field}"' in page.text, path
        assert f'<datalist id="f-{field}-choices">' in page.text, path
        assert '<script src="/static/htmx-2.0.4.min.js" defer></script>' in page.text, path
    typed = client.get("/activities", params={"provider": "chooser"})
    assert 'value="chooser"' in typed.text  # what was typed stays in the box


def _post_form(client: TestClient, path: str, data: dict[str, str], page: str) -> Any:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False)


def test_a_form_takes_an_organisation_by_its_whole_name_or_acronym(
    client: TestClient, session: Session, world: World
) -> None:
    """Above the limit a form's organisation is a box: the whole name (any case) or an acronym that is one
    organisation's is taken as that organisation; anything else is refused beside the field, what was typed
    kept in the box, and nothing saved."""
    _add_organisations(session, ORGANISATION_SELECT_LIMIT)
    for name in ("Shared Acronym Institute One", "Shared Acronym Institute Two"):
        accounts.create_organisation(
            session,
            actor=Actor.system("chooser-test"),
            data=OrganisationCreate(name=name, acronym="SAI", organisation_type="ngo"),
        )
    # A facilitator records for any organisation (a partner is offered only its own, in a short list).
    sign_in(client, world.emails["facilitator"])
    form = client.get("/activities/new")
    assert '<input id="f-provider_organisation_id" name="provider_organisation_id" type="search"' in form.text
    activity = {
        "title": "Dosimetry audit for Kenyan hospitals",
        "recipient_country_iso3": "KEN",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
    }
    before = _count(session, AssistanceActivity)
    for typed, refusal in (
        ("Test Donor", "'Test Donor' is not the name of an organisation"),
        ("sai", "'sai' stands for several organisations: choose the whole name offered as you type"),
    ):
        refused = _post_form(
            client, "/activities", {**activity, "provider_organisation_id": typed}, "/activities/new"
        )
        assert refused.status_code == 422, typed
        assert refusal in html.unescape(refused.text), typed
        assert f'name="provider_organisation_id" type="search" value="{typed}"' in refused.text, typed
        assert 'aria-invalid="true"' in refused.text
    assert _count(session, AssistanceActivity) == before
    recorded = _post_form(
        client,
        "/activities",
        {**activity, "provider_organisation_id": "test donor agency a"},
        "/activities/new",
    )
    assert recorded.status_code == 303
    activity_id = int(recorded.headers["location"].rsplit("/", 1)[1])
    saved = session.get(AssistanceActivity, activity_id)
    assert saved is not None and saved.provider_organisation_id == world.organisations["donor_a"]


def test_a_dialogue_action_is_owned_by_an_organisation_named_in_its_box(
    client: TestClient, session: Session, world: World
) -> None:
    _add_organisations(session, ORGANISATION_SELECT_LIMIT)
    event = dialogues.create_event(session, actor=world.actors["facilitator"], data=event_data())
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{event.id}/outcomes"
    assert (
        '<input id="f-action-owner_organisation_id" name="owner_organisation_id" type="search"'
        in client.get(page).text
    )
    answer = _post_form(
        client,
        f"/events/{event.id}/actions",
        {"title": "Draft the audit network's terms", "owner_organisation_id": "Test Cooperation Agency B"},
        page,
    )
    assert answer.status_code == 303
    action = session.scalars(select(ActionItem).where(ActionItem.event_id == event.id)).one()
    assert action.owner_organisation_id == world.organisations["agency_b"]


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_concept_note_refused_for_its_counterpart_opens_again_with_what_was_sent(
    client: TestClient, session: Session, world: World
) -> None:
    _add_organisations(session, ORGANISATION_SELECT_LIMIT)
    recommendation = kenyan_recommendation(session, world, "Kenya should train two more medical physicists.")
    sign_in(client, world.emails["facilitator"])
    page = f"/events/{recommendation.event_id}/outcomes"
    note = {"country_iso3": "KEN", "title": "Medical physics residency", "thematic_area_code": "health"}
    path = f"/recommendations/{recommendation.id}/concept-notes"
    refused = _post_form(client, path, {**note, "counterpart_organisation_id": "Test Cancer"}, page)
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "'Test Cancer' is not the name of an organisation" in text
    prefix = f"r{recommendation.id}-"
    assert f'id="f-{prefix}title" name="title" type="text" value="Medical physics residency"' in text
    assert 'name="counterpart_organisation_id" type="search" value="Test Cancer"' in text
    assert re.search(r"<details\s+open\s*><summary>Turn into a concept note", text)  # opened again
    assert f'href="#f-{prefix}counterpart_organisation_id"' in text  # the summary's link reaches the box
    created = _post_form(
        client, path, {**note, "counterpart_organisation_id": "Test Cancer Hospital Kenya"}, page
    )
    assert created.status_code == 303
    saved = session.scalars(
        select(ConceptNote).where(ConceptNote.recommendation_id == recommendation.id)
    ).one()
    assert saved.counterpart_organisation_id == world.organisations["hospital_ken"]


def test_a_box_reports_its_problem_with_every_other_problem_of_the_form(
    client: TestClient, session: Session, world: World
) -> None:
    _add_organisations(session, ORGANISATION_SELECT_LIMIT)
    sign_in(client, world.emails["partner_a"])
    refused = _post_form(
        client,
        "/activities",
        {"title": "", "recipient_country_iso3": "KEN", "provider_organisation_id": "Test Donor"},
        "/activities/new",
    )
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "'Test Donor' is not the name of an organisation" in text
    assert 'href="#f-title"><strong>Title</strong></a>' in text  # the empty title, at the same time


def test_a_record_whose_organisation_shares_a_name_with_an_acronym_is_edited_through_the_box(
    client: TestClient, session: Session, world: World
) -> None:
    """The edit form shows the provider's name in the box; saved unchanged, that name is the provider
    again (though it is also another organisation's acronym); a unique acronym names its organisation."""
    from pux.assistance import service as assistance

    _add_organisations(session, ORGANISATION_SELECT_LIMIT, acronym="CHI")
    system = Actor.system("chooser-test")
    accounts.create_organisation(
        session,
        actor=system,
        data=OrganisationCreate(name="Test Agency", acronym="TA", organisation_type="ngo"),
    )
    named = accounts.create_organisation(
        session, actor=system, data=OrganisationCreate(name="TA", organisation_type="ngo")
    ).id
    activity = assistance.record_activity(session, actor=world.actors["admin"], data=activity_data(named))
    sign_in(client, world.emails["admin"])
    path = f"/activities/{activity.id}/edit"
    form = client.get(path)
    assert 'name="provider_organisation_id" type="search" value="TA"' in form.text
    fields = {
        "version": str(activity.version),
        "title": activity.title,
        "recipient_country_iso3": "KEN",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
    }
    saved = _post_form(client, path, {**fields, "provider_organisation_id": "TA"}, path)
    assert saved.status_code == 303
    session.refresh(activity)
    assert activity.provider_organisation_id == named
    by_acronym = _post_form(
        client, path, {**fields, "version": str(activity.version), "provider_organisation_id": "chi"}, path
    )
    assert by_acronym.status_code == 303
    session.refresh(activity)
    chi = next(o for o in accounts.organisation_names(session) if o.acronym == "CHI")
    assert activity.provider_organisation_id == chi.id


def test_a_list_given_part_of_a_name_shows_it_chosen(client: TestClient) -> None:
    """With few organisations the filter is a list: text given by a link stays chosen in it (and is sent
    again with the next filter) instead of the list falling back to "all"."""
    page = client.get("/activities", params={"provider": "donor"})
    assert '<option value="donor" selected>donor</option>' in page.text


def test_suggestions_leave_a_waiting_confirmation_for_the_page(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["admin"])
    registered = _post_form(
        client,
        "/organisations",
        {"name": "Chooser Flash Institute", "organisation_type": "ngo"},
        "/organisations",
    )
    assert registered.status_code == 303
    assert registered.headers["location"] == "/organisations?q=Chooser+Flash+Institute"
    client.get("/organisations/choices", params={"field": "provider", "provider": "flash"})
    page = client.get(registered.headers["location"])
    assert "The organisation was registered." in page.text
    assert 'data-label="Name">Chooser Flash Institute</td>' in page.text


def test_only_digits_a_record_can_have_are_a_number() -> None:
    """What an organisation field reads as a number, everything else being typed text."""
    from pux.validation import MAX_RECORD_ID, record_number

    assert record_number(" 42 ") == 42 and record_number(str(MAX_RECORD_ID)) == MAX_RECORD_ID
    for text in ("0", str(MAX_RECORD_ID + 1), "٤٢", "4 2", "-4", "", None, "UNDP"):
        assert record_number(text) is None, text
