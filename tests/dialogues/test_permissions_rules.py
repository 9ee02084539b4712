"""The dialogue's visibility rules are accounts/permissions.py's, pure functions of the actor and facts: who
takes part in a closed event (and so may see it), and whose account a focal point may name for a list.
The service asks them (its privacy tests: tests/dialogues/test_privacy_*.py)."""

from __future__ import annotations

from pux.accounts import permissions
from pux.accounts.permissions import FACILITATOR, FOCAL_POINT, PARTNER, Actor, Grant, TakingPart

FOCAL_KEN = Actor(
    user_id=7, label="focal", grants=(Grant(FOCAL_POINT, country_iso3="KEN"),), organisation_id=3
)
FACILITATOR_ACTOR = Actor(user_id=1, label="facilitator", grants=(Grant(FACILITATOR),))
PARTNER_ACTOR = Actor(
    user_id=9, label="partner", grants=(Grant(PARTNER, organisation_id=4),), organisation_id=4
)


def test_who_takes_part_in_events() -> None:
    assert permissions.taking_part(Actor.public()) == TakingPart()
    assert permissions.taking_part(Actor.public()).none
    # An administrator of the command line is no one on a list.
    assert permissions.taking_part(Actor.system("cli")).none
    assert permissions.taking_part(FOCAL_KEN) == TakingPart(
        user_id=7, organisation_id=3, nominating_countries=frozenset({"KEN"})
    )
    # A partner takes part as a person and through their organisation, never for a country.
    assert permissions.taking_part(PARTNER_ACTOR) == TakingPart(user_id=9, organisation_id=4)


def test_the_countries_an_account_belongs_to() -> None:
    both = permissions.account_countries(role_countries=frozenset({"UGA"}), organisation_country="KEN")
    assert both == {"UGA"}  # the roles' countries come first
    assert permissions.account_countries(role_countries=frozenset(), organisation_country="KEN") == {"KEN"}
    assert permissions.account_countries(role_countries=frozenset(), organisation_country=None) == set()


def test_whose_account_a_focal_point_may_name() -> None:
    def may(actor: Actor, roles: set[str], organisation: str | None) -> bool:
        return permissions.can_name_account(
            actor, role_countries=frozenset(roles), organisation_country=organisation
        )

    assert may(FOCAL_KEN, set(), "KEN") and may(FOCAL_KEN, {"KEN"}, None)
    assert not may(FOCAL_KEN, {"UGA"}, "KEN")  # a Ugandan focal point working at a Kenyan organisation
    assert not may(FOCAL_KEN, set(), "UGA") and not may(FOCAL_KEN, set(), None)
    assert may(FACILITATOR_ACTOR, set(), None) and may(FACILITATOR_ACTOR, {"UGA"}, "UGA")
    assert not may(PARTNER_ACTOR, set(), "KEN")  # nominates for no country at all
