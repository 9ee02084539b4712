"""A small, committed world of organisations, people and records shared by the registry tests.

It is built once per test run through the real services; each test then works in a rolled-back
transaction on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import (
    ADMIN,
    COUNTERPART,
    EXPERT,
    FACILITATOR,
    FOCAL_POINT,
    PARTNER,
    PROGRAMME_OFFICER,
    Actor,
    Grant,
)
from pux.accounts.schemas import OrganisationCreate
from pux.assistance import service as assistance
from pux.assistance.models import AssistanceActivity
from pux.assistance.schemas import ActivityCreate
from pux.dialogues import service as dialogues
from pux.dialogues.models import Recommendation
from pux.dialogues.schemas import EventCreate, RecommendationFields
from pux.knowledge import service as knowledge
from pux.knowledge.models import EvidenceEntry
from pux.knowledge.schemas import EvidenceCreate
from pux.matching import service as matching
from pux.matching.allocation import RoundRules
from pux.matching.models import AllocationRound, MatchProposal
from pux.needs import service as needs
from pux.needs.schemas import NeedCreate
from pux.programmes import service as programmes
from pux.programmes.schemas import ProgrammeCreate

PASSWORD = "correct horse battery staple"
ROLES = (
    "public",
    "admin",
    "facilitator",
    "focal_ken",
    "counterpart_ken",
    "focal_uga",
    "partner_a",
    "officer_b",
    "expert",
)


@dataclass
class World:
    organisations: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)
    activities: dict[str, int] = field(default_factory=dict)


def need_data(
    country: str = "KEN",
    title: str = "Radiotherapy services for the western region",
    visibility: str = "public",
    **extra: object,
) -> NeedCreate:
    values: dict[str, object] = {
        "country_iso3": country,
        "title": title,
        "thematic_area_code": "health",
        "technique_codes": ["radiotherapy"],
        "sdg_target_codes": ["3.4"],
        "modalities_wanted": ["equipment"],
        "estimated_cost": Decimal("1200000"),
        "currency": "USD",
        "visibility": visibility,
        "beneficiaries_count": 40000,
        "vulnerable_groups": ["women_girls"],
    }
    values.update(extra)
    return NeedCreate.model_validate(values)


def programme_data(organisation_id: int, **extra: object) -> ProgrammeCreate:
    values: dict[str, object] = {
        "organisation_id": organisation_id,
        "title": "Radiotherapy equipment grants",
        "modality": "funding",
        "thematic_area_codes": ["health"],
        "technique_codes": ["radiotherapy"],
        "total_budget": Decimal("5000000"),
        "remaining_budget": Decimal("4000000"),
        "max_per_need": Decimal("1000000"),
        "currency": "USD",
    }
    values.update(extra)
    return ProgrammeCreate.model_validate(values)


def activity_data(provider_id: int, **extra: object) -> ActivityCreate:
    values: dict[str, object] = {
        "title": "Brachytherapy training for Kenyan physicists",
        "provider_organisation_id": provider_id,
        "recipient_country_iso3": "KEN",
        "thematic_area_code": "health",
        "technique_code": "brachytherapy",
        "amount_committed": Decimal("250000"),
        "currency": "USD",
        "dac_sector_codes": ["12191"],
        "sdg_codes": ["3", "3.4"],
    }
    values.update(extra)
    return ActivityCreate.model_validate(values)


def event_data(days_ahead: int = 30, **extra: object) -> EventCreate:
    """A two-day regional workshop in Nairobi for Kenya and Uganda, starting ``days_ahead`` days from now."""
    starts = datetime.now().replace(second=0, microsecond=0) + timedelta(days=days_ahead)
    values: dict[str, object] = {
        "kind": "regional_workshop",
        "title": "Radiotherapy planning workshop",
        "host_country_iso3": "KEN",
        "city": "Nairobi",
        "starts_at": starts,
        "ends_at": starts + timedelta(days=2),
        "time_zone": "Africa/Nairobi",
        "thematic_area_codes": ["health"],
        "focus_country_codes": ["KEN", "UGA"],
        "travel_budget": Decimal("3000"),
    }
    values.update(extra)
    return EventCreate.model_validate(values)


def kenyan_recommendation(session: Session, world: World, text: str) -> Recommendation:
    """A recommendation for Kenya, made at a new workshop (event_data) run by the world's facilitator."""
    facilitator = world.actors["facilitator"]
    event = dialogues.create_event(session, actor=facilitator, data=event_data())
    return dialogues.add_recommendation(
        session,
        actor=facilitator,
        event_id=event.id,
        data=RecommendationFields(text=text, country_iso3="KEN"),
    )


def build_world(session: Session) -> World:
    world = World()
    system = Actor.system("test-world")
    for key, name, kind, country in (
        ("donor_a", "Test Donor Agency A", "donor_agency", "SWE"),
        ("agency_b", "Test Cooperation Agency B", "iaea", None),
        ("hospital_ken", "Test Cancer Hospital Kenya", "hospital", "KEN"),
    ):
        organisation = accounts.create_organisation(
            session,
            actor=system,
            data=OrganisationCreate(name=name, organisation_type=kind, country_iso3=country),
        )
        world.organisations[key] = organisation.id
    people = {
        "admin": [Grant(ADMIN)],
        "facilitator": [Grant(FACILITATOR)],
        "focal_ken": [Grant(FOCAL_POINT, country_iso3="KEN")],
        "counterpart_ken": [
            Grant(COUNTERPART, country_iso3="KEN", organisation_id=world.organisations["hospital_ken"])
        ],
        "focal_uga": [Grant(FOCAL_POINT, country_iso3="UGA")],
        "partner_a": [Grant(PARTNER, organisation_id=world.organisations["donor_a"])],
        "officer_b": [Grant(PROGRAMME_OFFICER, organisation_id=world.organisations["agency_b"])],
        "expert": [Grant(EXPERT)],
    }
    for role, grants in people.items():
        email = f"{role.replace('_', '.')}@test.pux.invalid"
        user = accounts.create_user(
            session, actor=system, email=email, full_name=f"Test {role}", password=PASSWORD, grants=grants
        )
        world.emails[role] = email
        world.user_ids[role] = user.id
        world.actors[role] = accounts.actor_for(user)
        _token, secret = accounts.create_api_token(session, actor=world.actors[role], name="tests")
        world.tokens[role] = secret
    world.actors["public"] = Actor.public()
    _build_records(session, world, system)
    return world


def _build_records(session: Session, world: World, system: Actor) -> None:
    counterpart = world.actors["counterpart_ken"]
    focal = world.actors["focal_ken"]
    draft = needs.create_need(
        session, actor=counterpart, data=need_data(title="Draft: second linear accelerator")
    )
    world.needs["draft_ken"] = draft.id
    submitted = needs.create_need(
        session, actor=counterpart, data=need_data(title="Submitted: brachytherapy suite")
    )
    needs.transition_need(
        session, actor=counterpart, need_id=submitted.id, target="submitted", version=submitted.version
    )
    world.needs["submitted_ken"] = submitted.id
    for key, visibility in (
        ("published_ken", "public"),
        ("partners_ken", "partners"),
        ("private_ken", "private"),
    ):
        need = needs.create_need(
            session,
            actor=focal,
            data=need_data(title=f"Published {visibility}: nuclear medicine upgrade", visibility=visibility),
        )
        for target in ("submitted", "endorsed", "published"):
            need = needs.transition_need(
                session, actor=focal, need_id=need.id, target=target, version=need.version
            )
        world.needs[key] = need.id
    uganda = needs.create_need(
        session,
        actor=world.actors["focal_uga"],
        data=need_data(
            country="UGA",
            title="Uganda draft: isotope hydrology survey",
            thematic_area_code="water",
            technique_codes=["isotope_hydrology"],
            sdg_target_codes=["6.4"],
        ),
    )
    world.needs["draft_uga"] = uganda.id
    programme = programmes.create_programme(
        session, actor=world.actors["partner_a"], data=programme_data(world.organisations["donor_a"])
    )
    world.programmes["draft_a"] = programme.id
    published = programmes.create_programme(
        session,
        actor=world.actors["partner_a"],
        data=programme_data(
            world.organisations["donor_a"], title="Published fellowship programme", modality="training"
        ),
    )
    programmes.set_programme_status(
        session,
        actor=world.actors["partner_a"],
        programme_id=published.id,
        target="published",
        version=published.version,
    )
    world.programmes["published_a"] = published.id
    activity = assistance.record_activity(
        session, actor=world.actors["partner_a"], data=activity_data(world.organisations["donor_a"])
    )
    world.activities["public_a"] = activity.id
    hidden = assistance.record_activity(
        session,
        actor=world.actors["officer_b"],
        data=activity_data(
            world.organisations["agency_b"],
            title="Confidential planning mission",
            recipient_country_iso3="UGA",
            visibility="private",
        ),
    )
    world.activities["private_b"] = hidden.id


def published_grant_programme(
    session: Session, world: World, *, title: str, budget: Decimal, need_keys: tuple[str, ...]
) -> int:
    """A published donor_a funding programme (health, radiotherapy) that fits the world's needs named by
    ``need_keys`` (they are made to accept funding too); returns its id."""
    for key in need_keys:
        need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs[key])
        need.modalities_wanted = ["equipment", "funding"]
    session.flush()
    return published_programme(
        session,
        world,
        title=title,
        total_budget=budget,
        remaining_budget=budget,
        max_per_need=Decimal("2000000"),
    )


def published_programme(session: Session, world: World, **extra: object) -> int:
    """A donor_a programme (programme_data with ``extra``) that partner_a writes and publishes."""
    partner = world.actors["partner_a"]
    created = programmes.create_programme(
        session, actor=partner, data=programme_data(world.organisations["donor_a"], **extra)
    )
    programmes.set_programme_status(
        session, actor=partner, programme_id=created.id, target="published", version=created.version
    )
    return created.id


def kenya_grant_programme(session: Session, world: World) -> int:
    """A published grant programme; the Kenyan published needs say they would take funding too."""
    return published_grant_programme(
        session,
        world,
        title="Cancer care grants for Eastern Africa",
        budget=Decimal("3000000"),
        need_keys=("published_ken", "partners_ken", "private_ken"),
    )


def kenya_proposal(session: Session, world: World, round_id: int | None = None) -> MatchProposal:
    """An open proposal: 300,000 of the Kenya grant programme for Kenya's published need."""
    proposal = MatchProposal(
        round_id=round_id,
        need_id=world.needs["published_ken"],
        programme_id=kenya_grant_programme(session, world),
        amount=Decimal("300000"),
        fit=0.8,
        explanation="[]",
    )
    session.add(proposal)
    session.flush()
    return proposal


def facilitator_round(
    session: Session, world: World, programme_id: int, *, title: str, cap_share: float
) -> AllocationRound:
    """A round the facilitator runs over one programme, each country capped at ``cap_share`` of it."""
    return matching.run_round(
        session,
        actor=world.actors["facilitator"],
        title=title,
        rules=RoundRules(country_cap_share=cap_share),
        programme_ids=[programme_id],
    )


def event_json(**extra: Any) -> dict[str, Any]:
    """An event as the JSON API takes it: a workshop in Kenya in 2099, with ``extra`` fields."""
    return {
        "kind": "regional_workshop",
        "title": "Workshop on radiotherapy treatment planning",
        "host_country_iso3": "KEN",
        "starts_at": "2099-05-04T09:00:00",
        "ends_at": "2099-05-06T17:00:00",
        **extra,
    }


def person(session: Session, world: World, role: str, email: str) -> Actor:
    """A new account holding one role (made by the admin in the test's own transaction)."""
    user = accounts.create_user(
        session,
        actor=world.actors["admin"],
        email=email,
        full_name=f"Test {role}",
        password=PASSWORD,
        grants=[Grant(role)],
    )
    return accounts.actor_for(user)


def published_need(session: Session, world: World, title: str, cost: str | None, currency: str) -> int:
    """A public need of Senegal (no other need of the test world is there), endorsed and published."""
    admin = world.actors["admin"]
    need = needs.create_need(
        session,
        actor=admin,
        data=need_data("SEN", title=title, estimated_cost=Decimal(cost) if cost else None, currency=currency),
    )
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=admin, need_id=need.id, target=target, version=need.version
        )
    return need.id


def senegal_needs(session: Session, world: World) -> dict[str, int]:
    """Two published needs of Senegal costed in two currencies (dollars and CFA francs)."""
    return {
        "usd_500k": published_need(session, world, "Cyclotron for Dakar", "500000", "USD"),
        "xof_900k": published_need(session, world, "Dosimetry training in Saint-Louis", "900000", "XOF"),
    }


def linked_to_a_hidden_need(session: Session, world: World) -> AssistanceActivity:
    """partner_a's public activity, linked (by a facilitator) to a draft need partner_a may not see."""
    activity = session.get(AssistanceActivity, world.activities["public_a"])
    assert activity is not None
    activity.need_id = world.needs["draft_ken"]
    session.flush()
    return activity


SCREWWORM_CLAIM = "Yearly benefit to livestock producers"


def screwworm_evidence(session: Session, actor: Actor, claim: str = SCREWWORM_CLAIM) -> EvidenceEntry:
    """An evidence entry of the sterile insect technique (the screwworm eradication's yearly benefit),
    reported by ``actor``: what the knowledge tests review, translate and dispute."""
    data = EvidenceCreate(
        technique_code="sterile_insect", claim=claim, value=896, unit="USD million per year", currency="USD",
        citation_title="Screwworm impact", citation_year=2021, citation_url="https://example.org/screwworm",
    )  # fmt: skip
    return knowledge.create_evidence(session, actor=actor, data=data)
