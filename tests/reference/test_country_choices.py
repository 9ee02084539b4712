"""The countries offered by choosers on list pages and forms: the selectable countries, named and sorted
for the reader's language, kept between pages until a reference load changes them."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.models import Organisation
from pux.accounts.schemas import OrganisationCreate
from pux.audit import service as audit
from pux.i18n import LANGUAGES, language_context
from pux.reference import service as reference
from pux.reference.models import Country
from tests.world import World


@pytest.mark.parametrize("language", LANGUAGES)
def test_choices_are_the_selectable_countries_in_the_readers_order(
    session: Session, world: World, language: str
) -> None:
    with language_context(language):
        choices = reference.country_choices(session)
        countries = reference.list_selectable_countries(session)
        assert [(c.iso3, c.name()) for c in choices] == [(c.iso3, c.name()) for c in countries]
    assert len(choices) > 190


def test_a_reference_load_renames_the_choices(session: Session, world: World) -> None:
    with language_context("fr"):
        before = {c.iso3: c.name() for c in reference.country_choices(session)}
        kenya = session.get(Country, "KEN")
        assert kenya is not None
        kenya.name_fr = "Kenya (nom revu)"
        audit.record(
            session, actor="test", action="reference.load", entity_type="reference", entity_id="packaged"
        )
        after = {c.iso3: c.name() for c in reference.country_choices(session)}
    assert before["KEN"] != "Kenya (nom revu)" and after["KEN"] == "Kenya (nom revu)"


def test_organisation_choices_follow_a_new_organisation(session: Session, world: World) -> None:
    before = accounts.organisation_names(session)
    assert [o.name for o in before] == sorted(session.scalars(select(Organisation.name)))
    accounts.create_organisation(
        session,
        actor=world.actors["facilitator"],
        data=OrganisationCreate(name="Aardvark Isotope Institute", organisation_type="university_research"),
    )
    after = accounts.organisation_names(session)
    assert after[0].name == "Aardvark Isotope Institute" and len(after) == len(before) + 1
