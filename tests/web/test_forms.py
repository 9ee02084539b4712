"""Every form page for every role, and every main form submitted right and submitted all wrong.

A form page renders (200 with its form) for each role that may use it and answers the site's own refusal
for each role that may not: a redirect to /sign-in for the public, 403 with the site's page, 404 for a
record the role may not see, or the page without the form where the page itself is public. A valid
submission saves and confirms on the next page; a submission with every field wrong at once answers 422
listing every problem beside its field under translated labels (English and French) and saves nothing.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.accounts.models import ApiToken, Invitation, Organisation
from pux.assistance.models import AssistanceActivity
from pux.matching.models import AllocationRound
from pux.needs import service as needs
from pux.needs.models import Need
from pux.priority.engine import default_config_data
from pux.priority.models import PriorityConfigVersion
from pux.priority.service import config_revision
from pux.programmes import service as programmes
from pux.programmes.models import Programme
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import csrf_token, run_queued_jobs, sign_in
from tests.world import ROLES, World

SIGNED_IN = frozenset(ROLES) - {"public"}
GLOBAL = frozenset({"admin", "facilitator"})
KENYA_DRAFTERS = GLOBAL | {"focal_ken", "counterpart_ken"}
DRAFTERS = KENYA_DRAFTERS | {"focal_uga"}
KENYA_FOCAL = GLOBAL | {"focal_ken"}
INVITERS = GLOBAL | {"focal_ken", "focal_uga"}
DONOR_A = GLOBAL | {"partner_a"}
ORGANISATION_PEOPLE = DONOR_A | {"officer_b"}

FRENCH_HOME_LINK = "Retour à la page d'accueil"
FRENCH_PROBLEMS_HEADING = "Aucune donnée n'a été enregistrée"


@contextmanager
def language(client: TestClient, code: str) -> Iterator[None]:
    """The interface language chosen in the header (the pux_lang cookie) for the requests inside."""
    client.cookies.set("pux_lang", code)
    try:
        yield
    finally:
        client.cookies.delete("pux_lang")


def as_role(client: TestClient, world: World, role: str) -> None:
    if role != "public":
        sign_in(client, world.emails[role])


def post_form(client: TestClient, path: str, data: dict[str, Any], page: str) -> Any:
    """Submit a form the way a browser does: with the CSRF token of the page it came from."""
    token = csrf_token(client, page)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def assert_site_refusal(response: Any, status: int, lang: str) -> None:
    """The site's own error page, in the reader's language, with the expected status."""
    assert response.status_code == status, (response.status_code, response.text[:400])
    assert "text/html" in response.headers["content-type"]
    assert 'class="error-message"' in response.text
    assert f'lang="{lang}"' in response.text
    assert "Traceback" not in response.text
    if lang == "fr":
        assert FRENCH_HOME_LINK in response.text


# --- Every form page, every role ------------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    path: Callable[[World], str]
    marker: str  # what shows that the form itself is on the page
    allowed: frozenset[str]
    # What the others get: "sign-in" (public only), "403", "404", or "no form" (a public page without it)
    refusal: Callable[[str], str]

    def expected(self, role: str) -> str:
        return "form" if role in self.allowed else self.refusal(role)


def signed_in_only(others: str) -> Callable[[str], str]:
    return lambda role: "sign-in" if role == "public" else others


def _need_edit(world: World) -> str:
    return f"/needs/{world.needs['draft_ken']}/edit"


def _programme_edit(world: World) -> str:
    return f"/programmes/{world.programmes['draft_a']}/edit"


def _activity_edit(world: World) -> str:
    return f"/activities/{world.activities['public_a']}/edit"


FORM_PAGES = {
    "need new": FormPage(lambda w: "/needs/new", 'action="/needs"', DRAFTERS, signed_in_only("403")),
    "need edit": FormPage(
        _need_edit,
        'class="form"',
        KENYA_DRAFTERS,
        # A draft is seen only by its country's people: to anyone else it does not exist.
        lambda role: "404",
    ),
    "programme new": FormPage(
        lambda w: "/programmes/new", 'action="/programmes"', ORGANISATION_PEOPLE, signed_in_only("403")
    ),
    "programme edit": FormPage(_programme_edit, 'class="form"', DONOR_A, lambda role: "404"),
    "activity new": FormPage(
        lambda w: "/activities/new", 'action="/activities"', ORGANISATION_PEOPLE, signed_in_only("403")
    ),
    "activity edit": FormPage(_activity_edit, 'class="form"', DONOR_A, signed_in_only("403")),
    "people": FormPage(lambda w: "/people", 'action="/people/invitations"', INVITERS, signed_in_only("403")),
    "organisations": FormPage(
        lambda w: "/organisations", 'method="post" action="/organisations"', GLOBAL, lambda role: "no form"
    ),
    "account": FormPage(lambda w: "/account", 'action="/account/tokens"', SIGNED_IN, signed_in_only("?")),
    "ranking": FormPage(
        lambda w: "/countries/KEN/ranking",
        '<form method="post" class="form">',
        KENYA_FOCAL,
        signed_in_only("403"),
    ),
    "needs import": FormPage(
        lambda w: "/needs/import", 'enctype="multipart/form-data"', DRAFTERS, signed_in_only("403")
    ),
    "programmes import": FormPage(
        lambda w: "/programmes/import",
        'enctype="multipart/form-data"',
        ORGANISATION_PEOPLE,
        signed_in_only("403"),
    ),
    "activities import": FormPage(
        lambda w: "/activities/import",
        'enctype="multipart/form-data"',
        ORGANISATION_PEOPLE,
        signed_in_only("403"),
    ),
    "matching": FormPage(
        lambda w: "/matching", 'action="/matching/rounds"', GLOBAL, signed_in_only("no form")
    ),
    "priority": FormPage(lambda w: "/priority", 'action="/priority/config"', GLOBAL, lambda role: "no form"),
}


def outcome(response: Any, marker: str) -> str:
    if response.status_code == 303:
        location = response.headers["location"]
        return "sign-in" if location.startswith("/sign-in") else f"303 to {location}"
    if response.status_code == 200:
        return "form" if marker in response.text and "<form" in response.text else "no form"
    return str(response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_page_renders_or_is_refused_for(client: TestClient, world: World, role: str) -> None:
    as_role(client, world, role)
    wrong: list[str] = []
    for name, page in FORM_PAGES.items():
        path = page.path(world)
        for lang in ("en", "fr"):
            with language(client, lang):
                response = client.get(path, follow_redirects=False)
            got, expected = outcome(response, page.marker), page.expected(role)
            if got != expected:
                wrong.append(f"{name} {path} [{lang}]: expected {expected}, got {got}")
                continue
            if got in {"403", "404"}:
                assert_site_refusal(response, int(got), lang)
            elif got in {"form", "no form"}:
                assert f'lang="{lang}"' in response.text
                assert "Traceback" not in response.text
                assert accessibility_problems(response.text) == [], f"{name} {path} [{lang}]"
    assert wrong == [], "\n".join(wrong)


# --- Submitting the main forms --------------------------------------------------------------------


def _invalid_page(response: Any, fields: dict[str, tuple[str, str]], lang: str) -> None:
    """A 422 form page naming every problem beside its field, under the field's label in ``lang``."""
    assert response.status_code == 422, (response.status_code, response.text[:400])
    text = html.unescape(response.text)
    assert f'lang="{lang}"' in text
    assert 'class="problems"' in text
    assert accessibility_problems(response.text) == []  # the summary's links reach their fields
    if lang == "fr":
        assert FRENCH_PROBLEMS_HEADING in text
    for field, labels in fields.items():
        label = labels[0] if lang == "en" else labels[1]
        assert f'id="error-{field}"' in text, f"no error beside {field}"
        assert f'href="#f-{field}"><strong>{label}</strong>' in text, f"{field} not listed as {label!r}"


def _flash_after(client: TestClient, response: Any, message: str) -> None:
    assert response.status_code == 303, (response.status_code, response.text[:400])
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert 'class="flash"' in page.text and message in page.text, page.text[:2000]


NEED_FIELDS_WRONG = {
    "title": "Dig",
    "sdg_target_codes": "3.99",
    "currency": "dollars",
    "estimated_cost": "a lot",
    "thematic_area_code": "health",
}
NEED_LABELS = {
    "title": ("Title", "Titre"),
    "sdg_target_codes": ("SDG targets", "Cibles des ODD"),
    "currency": ("Currency (ISO 4217)", "Devise (ISO\u00a04217)"),
    "estimated_cost": ("Estimated cost", "Coût estimatif"),
}


def test_need_create(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "counterpart_ken")
    before = count(session, Need)
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(client, "/needs", {"country_iso3": "KEN", **NEED_FIELDS_WRONG}, "/needs/new")
        _invalid_page(wrong, NEED_LABELS, lang)
    assert count(session, Need) == before
    valid = {
        "country_iso3": "KEN",
        "title": "Cyclotron for medical isotopes",
        "thematic_area_code": "health",
        "technique_codes": ["radiotherapy"],
        "sdg_target_codes": "3.4",
        "estimated_cost": "1500000",
        "currency": "EUR",
        "visibility": "public",
    }
    response = post_form(client, "/needs", valid, "/needs/new")
    assert count(session, Need) == before + 1
    need_id = int(response.headers["location"].rsplit("/", 1)[1])
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    assert (need.title, need.currency, need.sdg_target_codes) == (valid["title"], "EUR", ["3.4"])
    _flash_after(client, response, "saved")


def test_need_edit(client: TestClient, session: Session, world: World) -> None:
    need_id = world.needs["draft_ken"]
    need = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    title, version = need.title, need.version
    as_role(client, world, "counterpart_ken")
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client, f"/needs/{need_id}/edit", {**NEED_FIELDS_WRONG, "version": str(version)}, "/needs/new"
            )
        _invalid_page(wrong, NEED_LABELS, lang)
    session.expire_all()
    assert needs.get_need(session, actor=world.actors["admin"], need_id=need_id).title == title
    edited = {
        "title": title + " (revised)",
        "thematic_area_code": "health",
        "sdg_target_codes": "3.4, 3.8",
        "currency": "USD",
        "visibility": "public",
        "version": str(version),
    }
    response = post_form(client, f"/needs/{need_id}/edit", edited, f"/needs/{need_id}/edit")
    assert response.headers.get("location") == f"/needs/{need_id}"
    session.expire_all()
    saved = needs.get_need(session, actor=world.actors["admin"], need_id=need_id)
    assert (saved.title, saved.sdg_target_codes) == (edited["title"], ["3.4", "3.8"])
    _flash_after(client, response, "Your changes were saved.")
    # The same form again, made from the version before the save: the newer data is kept (409).
    for lang in ("en", "fr"):
        with language(client, lang):
            stale = post_form(
                client, f"/needs/{need_id}/edit", {**edited, "title": "Stale edit"}, "/needs/new"
            )
        assert stale.status_code == 409, stale.text[:400]
        assert f'lang="{lang}"' in stale.text and "Traceback" not in stale.text
    session.expire_all()
    assert needs.get_need(session, actor=world.actors["admin"], need_id=need_id).title == edited["title"]


PROGRAMME_FIELDS_WRONG = {
    "title": "Aid",
    "modality": "magic",
    "currency": "euro",
    "total_budget": "plenty",
    "window_start": "next spring",
}
PROGRAMME_LABELS = {
    "title": ("Title", "Titre"),
    "modality": ("Modality", "Modalité"),
    "thematic_area_codes": ("Thematic areas", "Domaines thématiques"),
    "currency": ("Currency (ISO 4217)", "Devise (ISO\u00a04217)"),
    "total_budget": ("Total budget", "Budget total"),
    "window_start": ("Open from", "Ouvert à partir du"),
}


def test_programme_create(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "partner_a")
    donor = str(world.organisations["donor_a"])
    before = count(session, Programme)
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client, "/programmes", {"organisation_id": donor, **PROGRAMME_FIELDS_WRONG}, "/programmes/new"
            )
        _invalid_page(wrong, PROGRAMME_LABELS, lang)
    assert count(session, Programme) == before
    valid = {
        "organisation_id": donor,
        "title": "Nuclear medicine fellowships",
        "modality": "training",
        "thematic_area_codes": ["health"],
        "total_budget": "300000",
        "currency": "USD",
        "visibility": "public",
    }
    response = post_form(client, "/programmes", valid, "/programmes/new")
    assert count(session, Programme) == before + 1
    programme_id = int(response.headers["location"].rsplit("/", 1)[1])
    saved = programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id)
    assert (saved.title, saved.modality, saved.status) == (valid["title"], "training", "draft")
    _flash_after(client, response, "Programme saved as a draft.")


def test_programme_edit(client: TestClient, session: Session, world: World) -> None:
    programme_id = world.programmes["draft_a"]
    programme = programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id)
    title, version = programme.title, programme.version
    path = f"/programmes/{programme_id}/edit"
    as_role(client, world, "partner_a")
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(client, path, {**PROGRAMME_FIELDS_WRONG, "version": str(version)}, path)
        _invalid_page(wrong, PROGRAMME_LABELS, lang)
    session.expire_all()
    assert (
        programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id).title
        == title
    )
    edited = {
        "title": "Radiotherapy equipment grants 2027",
        "modality": "funding",
        "thematic_area_codes": ["health"],
        "currency": "USD",
        "visibility": "public",
        "version": str(version),
    }
    response = post_form(client, path, edited, path)
    assert response.headers.get("location") == f"/programmes/{programme_id}"
    session.expire_all()
    saved = programmes.get_programme(session, actor=world.actors["admin"], programme_id=programme_id)
    assert saved.title == edited["title"]
    _flash_after(client, response, "Your changes were saved.")


ACTIVITY_FIELDS_WRONG = {
    "title": "X",
    "recipient_country_iso3": "Kenya",
    "currency": "usd!",
    "amount_committed": "half a million",
    "start_date": "soon",
}
ACTIVITY_LABELS = {
    "title": ("Title", "Titre"),
    "recipient_country_iso3": ("Recipient country", "Pays bénéficiaire"),
    "currency": ("Currency (ISO 4217)", "Devise (ISO\u00a04217)"),
    "amount_committed": ("Amount committed", "Montant engagé"),
    "start_date": ("Start", "Début"),
}


def _activity(session: Session, activity_id: int) -> AssistanceActivity:
    activity = session.get(AssistanceActivity, activity_id)
    assert activity is not None
    return activity


def test_activity_create(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "partner_a")
    donor = str(world.organisations["donor_a"])
    before = count(session, AssistanceActivity)
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                "/activities",
                {"provider_organisation_id": donor, **ACTIVITY_FIELDS_WRONG},
                "/activities/new",
            )
        _invalid_page(wrong, ACTIVITY_LABELS, lang)
    assert count(session, AssistanceActivity) == before
    valid = {
        "provider_organisation_id": donor,
        "title": "Dosimetry audit for Kenyan hospitals",
        "recipient_country_iso3": "KEN",
        "amount_committed": "80000",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
    }
    response = post_form(client, "/activities", valid, "/activities/new")
    assert count(session, AssistanceActivity) == before + 1
    activity_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert _activity(session, activity_id).title == valid["title"]
    _flash_after(client, response, "The activity was recorded.")


def test_activity_edit(client: TestClient, session: Session, world: World) -> None:
    activity_id = world.activities["public_a"]
    activity = _activity(session, activity_id)
    title, version = activity.title, activity.version
    path = f"/activities/{activity_id}/edit"
    donor = str(world.organisations["donor_a"])
    as_role(client, world, "partner_a")
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                path,
                {"provider_organisation_id": donor, **ACTIVITY_FIELDS_WRONG, "version": str(version)},
                path,
            )
        _invalid_page(wrong, ACTIVITY_LABELS, lang)
    session.expire_all()
    assert _activity(session, activity_id).title == title
    edited = {
        "provider_organisation_id": donor,
        "title": "Brachytherapy training for Kenyan physicists, second cohort",
        "recipient_country_iso3": "KEN",
        "currency": "USD",
        "visibility": "public",
        "version": str(version),
    }
    response = post_form(client, path, edited, path)
    assert response.headers.get("location") == f"/activities/{activity_id}"
    session.expire_all()
    assert _activity(session, activity_id).title == edited["title"]
    _flash_after(client, response, "Your changes were saved.")


def test_a_donor_offered_only_its_own_organisations_and_told_beside_the_field(
    client: TestClient, session: Session, world: World
) -> None:
    as_role(client, world, "partner_a")
    form = client.get("/activities/new")
    own, other = world.organisations["donor_a"], world.organisations["agency_b"]
    assert f'value="{own}"' in form.text and f'value="{other}"' not in form.text
    before = count(session, AssistanceActivity)
    typed = {
        "provider_organisation_id": str(other),
        "title": "Dosimetry audit for Kenyan hospitals",
        "recipient_country_iso3": "KEN",
        "amount_committed": "80000",
        "currency": "USD",
        "status": "implementation",
        "visibility": "public",
    }
    refused = post_form(client, "/activities", typed, "/activities/new")
    # The form again, with what was typed, the refusal beside the provider: not a page that lost it all.
    assert refused.status_code == 403
    assert "Dosimetry audit for Kenyan hospitals" in refused.text
    assert 'id="error-provider_organisation_id"' in refused.text
    assert count(session, AssistanceActivity) == before


def test_organisation(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "facilitator")
    before = count(session, Organisation)
    labels = {
        "name": ("Name", "Nom"),
        "organisation_type": ("Type", "Type"),
        "country_iso3": ("Country", "Pays"),
    }
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                "/organisations",
                {"name": "Z", "organisation_type": "spaceship", "country_iso3": "Kenya"},
                "/organisations",
            )
        _invalid_page(wrong, labels, lang)
    assert count(session, Organisation) == before
    response = post_form(
        client,
        "/organisations",
        {
            "name": "Kenya Nuclear Regulatory Authority",
            "organisation_type": "regulator",
            "country_iso3": "KEN",
        },
        "/organisations",
    )
    assert count(session, Organisation) == before + 1
    _flash_after(client, response, "The organisation was registered.")
    assert "Kenya Nuclear Regulatory Authority" in client.get("/organisations").text


def test_invitation(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "focal_ken")
    before = count(session, Invitation)
    labels = {
        "email": ("Email address", "Adresse électronique"),
        "role": ("Role", "Rôle"),
        "country_iso3": ("Country", "Pays"),
    }
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                "/people/invitations",
                {"email": "not an address", "role": "emperor", "country_iso3": "Kenya"},
                "/people",
            )
        _invalid_page(wrong, labels, lang)
    assert count(session, Invitation) == before
    # The link is shown once, on the answer itself (it is not kept anywhere it could be read again).
    response = post_form(
        client,
        "/people/invitations",
        {"email": "new.counterpart@test.pux.invalid", "role": "counterpart", "country_iso3": "KEN"},
        "/people",
    )
    assert response.status_code == 200, response.text[:400]
    assert "/invitations/" in response.text and 'role="status"' in response.text
    assert count(session, Invitation) == before + 1


def test_token(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "expert")
    before = count(session, ApiToken)
    response = post_form(client, "/account/tokens", {"name": "reporting"}, "/account")
    # The secret is shown once, on the answer itself; only its hash is kept.
    assert response.status_code == 200, response.text[:400]
    assert 'class="token"' in response.text and "reporting" in response.text
    assert count(session, ApiToken) == before + 1


def test_the_account_page_names_the_persons_organisation_and_each_roles(
    client: TestClient, world: World
) -> None:
    as_role(client, world, "partner_a")
    page = client.get("/account")
    assert page.status_code == 200
    assert re.search(r"<li>[^<]+ — Test Donor Agency A</li>", page.text)  # beside the partner role
    assert "Test Cooperation Agency B" not in page.text


def test_ranking(client: TestClient, session: Session, world: World) -> None:
    first, second = world.needs["published_ken"], world.needs["partners_ken"]
    as_role(client, world, "focal_ken")
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                "/countries/KEN/ranking",
                {f"rank-{first}": "first", f"rank-{second}": "2.5"},
                "/countries/KEN/ranking",
            )
        assert wrong.status_code == 422, wrong.text[:400]
        assert f'lang="{lang}"' in wrong.text and "Traceback" not in wrong.text
        for need_id in (first, second):
            assert f'id="error-rank-{need_id}"' in wrong.text, f"no error beside the place of need {need_id}"
    session.expire_all()
    assert session.get(Need, first).national_rank is None  # type: ignore[union-attr]
    response = post_form(
        client,
        "/countries/KEN/ranking",
        {f"rank-{first}": "2", f"rank-{second}": "1"},
        "/countries/KEN/ranking",
    )
    _flash_after(client, response, "The national priority order was saved.")
    session.expire_all()
    assert session.get(Need, second).national_rank == 1  # type: ignore[union-attr]
    assert session.get(Need, first).national_rank == 2  # type: ignore[union-attr]


def test_matching_round(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "facilitator")
    before = count(session, AllocationRound)
    labels = {
        "country_cap_percent": (
            "Cap on any one country's share of the round (%)",
            "Part maximale d'un même pays dans le cycle (%)",
        ),
        "ldc_floor_percent": (
            "Floor for least developed countries (%, optional)",
            "Part minimale pour les PMA (%, facultatif)",
        ),
    }
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(
                client,
                "/matching/rounds",
                {"title": "Round", "country_cap_percent": "a quarter", "ldc_floor_percent": "150"},
                "/matching",
            )
        _invalid_page(wrong, labels, lang)
    assert count(session, AllocationRound) == before
    response = post_form(
        client, "/matching/rounds", {"title": "Test round", "country_cap_percent": "50"}, "/matching"
    )
    # Queued as a job (its page follows it); the round is stored once the job has run.
    assert response.headers.get("location", "").startswith("/jobs/")
    _flash_after(client, response, "The round is queued")
    assert count(session, AllocationRound) == before
    assert run_queued_jobs(client) == ["done"]
    assert count(session, AllocationRound) == before + 1


def test_priority_config(client: TestClient, session: Session, world: World) -> None:
    as_role(client, world, "admin")
    before = count(session, PriorityConfigVersion)
    labels = {
        "configuration": (
            "Indicators, directions and weights (JSON)",
            "Indicateurs, sens et pondérations (JSON)",
        )
    }
    for lang in ("en", "fr"):
        with language(client, lang):
            wrong = post_form(client, "/priority/config", {"configuration": "{not json"}, "/priority")
        _invalid_page(wrong, labels, lang)
    assert count(session, PriorityConfigVersion) == before
    response = post_form(
        client,
        "/priority/config",
        {"configuration": json.dumps(default_config_data()), "revision": str(config_revision(session))},
        "/priority",
    )
    assert count(session, PriorityConfigVersion) == before + 1
    _flash_after(client, response, "The priority index now uses the new configuration.")


# --- Actions a role may not take ------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    path: Callable[[World], str]
    data: Callable[[Session, World], dict[str, Any]]
    allowed: frozenset[str]
    # Roles who may use the form but not for what was sent (a focal point drafting for another country): the
    # form comes back with what was typed and the refusal beside this field, still 403.
    refused_beside: tuple[frozenset[str], str] = (frozenset(), "")


def _version(session: Session, model: type, record_id: int) -> str:
    record = session.get(model, record_id)
    assert record is not None
    return str(record.version)


ACTIONS = {
    "need create": Action(
        lambda w: "/needs",
        lambda s, w: {
            "country_iso3": "KEN",
            "title": "Dosimetry laboratory",
            "thematic_area_code": "safety",
            "currency": "USD",
        },
        KENYA_DRAFTERS,
        (frozenset({"focal_uga"}), "country_iso3"),
    ),
    "need edit": Action(
        _need_edit,
        lambda s, w: {
            "title": "Edited title of the draft",
            "thematic_area_code": "health",
            "currency": "USD",
            "version": _version(s, Need, w.needs["draft_ken"]),
        },
        KENYA_DRAFTERS,
    ),
    "programme create": Action(
        lambda w: "/programmes",
        lambda s, w: {
            "organisation_id": str(w.organisations["donor_a"]),
            "title": "Another programme of donor A",
            "modality": "funding",
            "thematic_area_codes": ["health"],
            "currency": "USD",
        },
        DONOR_A,
    ),
    "programme edit": Action(
        _programme_edit,
        lambda s, w: {
            "title": "Edited programme title",
            "modality": "funding",
            "thematic_area_codes": ["health"],
            "currency": "USD",
            "version": _version(s, Programme, w.programmes["draft_a"]),
        },
        DONOR_A,
    ),
    "activity create": Action(
        lambda w: "/activities",
        lambda s, w: {
            "provider_organisation_id": str(w.organisations["donor_a"]),
            "title": "Another activity of donor A",
            "recipient_country_iso3": "KEN",
            "currency": "USD",
        },
        DONOR_A,
        refused_beside=(frozenset({"officer_b"}), "provider_organisation_id"),
    ),
    "activity edit": Action(
        _activity_edit,
        lambda s, w: {
            "provider_organisation_id": str(w.organisations["donor_a"]),
            "title": "Edited activity title",
            "recipient_country_iso3": "KEN",
            "currency": "USD",
            "version": _version(s, AssistanceActivity, w.activities["public_a"]),
        },
        DONOR_A,
    ),
    "organisation": Action(
        lambda w: "/organisations",
        lambda s, w: {"name": "Refused organisation", "organisation_type": "ngo"},
        GLOBAL,
    ),
    "invitation": Action(
        lambda w: "/people/invitations",
        lambda s, w: {"email": "refused@test.pux.invalid", "role": "counterpart", "country_iso3": "KEN"},
        KENYA_FOCAL,
    ),
    "ranking": Action(
        lambda w: "/countries/KEN/ranking",
        lambda s, w: {f"rank-{w.needs['published_ken']}": "1"},
        KENYA_FOCAL,
    ),
    "matching round": Action(
        lambda w: "/matching/rounds",
        lambda s, w: {"title": "Refused round", "country_cap_percent": "50"},
        GLOBAL,
    ),
    "priority config": Action(
        lambda w: "/priority/config",
        lambda s, w: {"configuration": json.dumps(default_config_data())},
        GLOBAL,
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_actions_refused_to(client: TestClient, session: Session, world: World, role: str) -> None:
    """What a role may not do answers the site's page (en and fr) and saves nothing; never a 500."""
    as_role(client, world, role)
    counted = (
        Need,
        Programme,
        AssistanceActivity,
        Organisation,
        Invitation,
        AllocationRound,
        PriorityConfigVersion,
    )
    before = {model: count(session, model) for model in counted}
    wrong: list[str] = []
    tried = 0
    for name, action in ACTIONS.items():
        if role in action.allowed:
            continue
        tried += 1
        for lang in ("en", "fr"):
            with language(client, lang):
                response = post_form(client, action.path(world), action.data(session, world), "/sign-in")
            status = response.status_code
            beside_roles, beside_field = action.refused_beside
            if role == "public" and status == 303:
                if not response.headers["location"].startswith("/sign-in"):
                    wrong.append(f"{name} [{lang}]: redirected to {response.headers['location']}")
            elif role in beside_roles:
                assert status == 403 and f'lang="{lang}"' in response.text, (name, lang, status)
                assert f'id="error-{beside_field}"' in response.text, f"{name} [{lang}]: no refusal beside"
            elif status in {403, 404}:
                assert_site_refusal(response, status, lang)
            else:
                wrong.append(f"{name} [{lang}]: answered {status}: {response.text[:200]}")
    assert wrong == [], "\n".join(wrong)
    session.expire_all()
    assert {model: count(session, model) for model in counted} == before
    assert tried > 0 or role in GLOBAL


def test_a_refused_import_names_each_row_and_column_and_saves_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    """A file with faults in two rows and a column nobody knows: every fault named by row and column
    under its translated label, the page's own links all reach something on it, no need saved."""
    as_role(client, world, "focal_ken")
    before = count(session, Need)
    content = (
        "country_iso3,title,thematic_area_code,technique_codes,currency,estimated_cost,visibility,colour\n"
        "KEN,A first imported need,health,radiotherapy,USD,120000,public,red\n"
        "KEN,Dig,health,radiotherapy,USD,a lot,public,blue\n"
        "KEN,A third imported need,health,radiotherapy,dollars,5000,public,green\n"
    )
    expected = {"en": ("row 1, <strong>Header row", "row 3, <strong>Estimated cost"),
                "fr": ("ligne 1, <strong>Ligne d'en-tête", "ligne 3, <strong>Coût estimatif")}  # fmt: skip
    for lang, (header, cost) in expected.items():
        with language(client, lang):
            answer = client.post(
                "/needs/import",
                data={"csrf_token": csrf_token(client, "/needs/import")},
                files={"file": ("needs.csv", content.encode(), "text/csv")},
            )
        assert answer.status_code == 422, answer.text[:400]
        text = html.unescape(answer.text)
        problems = text[text.find('class="problems"') :][:1500]
        assert header in problems and cost in problems and "colour" in problems, problems
        assert accessibility_problems(answer.text) == []
    assert count(session, Need) == before
