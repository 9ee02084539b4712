"""A reproducible, clearly labelled illustrative data set (fixed seed), written through the services.

Everything here is invented for demonstration: organisation names end in "(demo)", people have
@demo.pux.invalid addresses, and every need says it is illustrative. Loading goes through the same
services as real use, so it is audited and validated like any other write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from pux.accounts import repository as accounts_repository
from pux.accounts import service as accounts
from pux.accounts.models import Organisation
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
from pux.assistance.schemas import ActivityCreate
from pux.dialogues.demo_history import load_dialogue_history
from pux.knowledge.demo import knowledge_credentials, load_knowledge_demo
from pux.needs import repository as needs_repository
from pux.needs import service as needs
from pux.needs import workflow
from pux.needs.schemas import NeedCreate
from pux.programmes import service as programmes
from pux.programmes.schemas import ProgrammeCreate
from pux.reference import repository as reference_repository
from pux.search import indexing as search_indexing
from pux.search import service as search

SEED = 20261125
DEMO_PASSWORD = "pux-demo-2026"
MARKER_ORGANISATION = "PUX Dialogue Secretariat (demo)"
DEMO_NOTE = "Illustrative demonstration record: invented for the PUX demo, not a real request."

RECIPIENTS = (
    "KEN UGA ETH TZA GHA SEN NGA ZMB MWI MOZ CMR MAR EGY SDN NER MDG BGD NPL KHM LAO MNG VNM PHL IDN PAK LKA "
    "UZB JOR HTI GTM HND BOL PER PRY JAM FJI PNG WSM MDA ALB"
).split()

# (area, techniques, SDG targets, modalities, title pattern)
NEED_TEMPLATES = (
    (
        "health",
        ["radiotherapy", "medical_physics"],
        ["3.4", "3.8"],
        ["equipment", "training"],
        "Establish a radiotherapy centre in the {region} of {country}",
    ),
    (
        "health",
        ["brachytherapy"],
        ["3.4"],
        ["equipment", "training"],
        "Add brachytherapy for cervical cancer at the national cancer hospital of {country}",
    ),
    (
        "health",
        ["nuclear_medicine"],
        ["3.4", "3.8"],
        ["equipment", "expert_mission"],
        "Upgrade nuclear medicine imaging for cancer and heart disease in {country}",
    ),
    (
        "health",
        ["medical_physics"],
        ["3.c", "4.4"],
        ["training"],
        "Train clinically qualified medical physicists for {country}",
    ),
    (
        "health",
        ["stable_isotope_nutrition"],
        ["2.2", "3.2"],
        ["training", "expert_mission"],
        "Measure breastfeeding practices with stable isotopes to improve infant nutrition in {country}",
    ),
    (
        "food",
        ["sterile_insect"],
        ["2.3", "15.8"],
        ["expert_mission", "equipment", "funding"],
        "Suppress fruit flies in the {region} orchards of {country} with the sterile insect technique",
    ),
    (
        "food",
        ["sterile_insect"],
        ["2.3", "3.3"],
        ["feasibility_study", "funding"],
        "Feasibility study for tsetse suppression in the {region} of {country}",
    ),
    (
        "food",
        ["mutation_breeding"],
        ["2.4", "2.5", "13.1"],
        ["training", "funding"],
        "Breed drought-tolerant crop varieties for smallholder farmers in {country}",
    ),
    (
        "food",
        ["food_irradiation"],
        ["2.1", "12.3"],
        ["equipment", "feasibility_study"],
        "Reduce post-harvest losses of fresh produce by irradiation in {country}",
    ),
    (
        "food",
        ["soil_water_isotopes", "fallout_radionuclides"],
        ["2.4", "15.3"],
        ["training", "expert_mission"],
        "Measure soil erosion and improve soil fertility on farms in the {region} of {country}",
    ),
    (
        "food",
        ["animal_health_diagnostics"],
        ["2.3", "3.3"],
        ["equipment", "training"],
        "Early diagnosis of transboundary animal diseases in the veterinary laboratories of {country}",
    ),
    (
        "water",
        ["isotope_hydrology"],
        ["6.4", "6.5"],
        ["expert_mission", "training"],
        "Map groundwater recharge with isotope hydrology in the {region} aquifers of {country}",
    ),
    (
        "water",
        ["marine_isotopes"],
        ["14.1", "14.3"],
        ["training", "equipment"],
        "Monitor coastal pollution and ocean acidification along the coast of {country}",
    ),
    (
        "energy",
        ["energy_planning"],
        ["7.1", "7.2"],
        ["training", "expert_mission"],
        "Build national capacity in energy system planning in {country}",
    ),
    (
        "industry",
        ["non_destructive_testing"],
        ["9.1", "9.4"],
        ["training", "equipment"],
        "Certify non-destructive testing inspectors for bridges and pipelines in {country}",
    ),
    (
        "industry",
        ["radiation_processing"],
        ["6.3", "9.4"],
        ["feasibility_study"],
        "Study electron-beam treatment of industrial wastewater in {country}",
    ),
    (
        "safety",
        ["regulatory_infrastructure"],
        ["16.6", "3.9"],
        ["expert_mission", "twinning"],
        "Strengthen the radiation safety regulatory body of {country}",
    ),
    (
        "safety",
        ["radioactive_waste"],
        ["12.4", "3.9"],
        ["expert_mission", "funding"],
        "Repatriate and secure disused radioactive sources in {country}",
    ),
    (
        "safety",
        ["radiation_protection"],
        ["3.9", "8.8"],
        ["equipment", "training"],
        "Set up individual dosimetry services for medical and industrial workers in {country}",
    ),
)
REGION_WORDS = (
    "northern region",
    "southern region",
    "eastern region",
    "western region",
    "central highlands",
    "coastal region",
    "river basin",
)


def _is_coastal(text: str) -> bool:
    """A template or region word that only makes sense for a country with a coast."""
    return "coast" in text or "ocean" in text or "marine" in text


def _landlocked(session: Session) -> set[str]:
    """Recipients without a coast, from the reference data: every demo recipient is a developing
    country, and the landlocked developing countries are those flagged LLDC (UN M49)."""
    return {
        iso3
        for iso3 in RECIPIENTS
        if (country := reference_repository.get_country(session, iso3)) is not None and country.is_lldc
    }


def _fits(
    country: str, landlocked: set[str], template: tuple[str, list[str], list[str], list[str], str]
) -> bool:
    return country not in landlocked or not (
        _is_coastal(template[4]) or any(_is_coastal(t) for t in template[1])
    )


ORGANISATIONS = (
    ("International Atomic Cooperation Agency (demo)", "iaea", None),
    ("Nordic Development Cooperation Agency (demo)", "donor_agency", "SWE"),
    ("Pacific Rim Development Agency (demo)", "donor_agency", "JPN"),
    ("Atlantic Development Fund (demo)", "donor_agency", "USA"),
    ("Alpine Cooperation Office (demo)", "donor_agency", "CHE"),
    ("Gulf Development Fund (demo)", "donor_agency", "KWT"),
    ("Global Cancer Access Foundation (demo)", "foundation", None),
    ("Harvest Futures Foundation (demo)", "foundation", None),
    ("Blue Water Trust (demo)", "foundation", None),
    ("Regional Development Bank for Africa (demo)", "development_bank", None),
    ("Institute of Tropical Radiology (demo)", "university_research", "FRA"),
    ("Polytechnic University of Applied Isotopes (demo)", "university_research", "ARG"),
    ("Medical Physics Without Borders (demo)", "ngo", None),
    ("Isotope Solutions Ltd (demo)", "industry_operator", "CAN"),
    ("Accelerator Systems Group (demo)", "industry_operator", "KOR"),
    ("Society for Radiation Oncology (demo)", "professional_association", None),
    ("Kenya National Cancer Hospital (demo)", "hospital", "KEN"),
    ("Kenya Ministry of Health (demo)", "ministry", "KEN"),
    ("Kenya Radiation Protection Board (demo)", "regulator", "KEN"),
    ("Uganda Atomic Energy Council (demo)", "regulator", "UGA"),
    ("Ethiopian Agricultural Research Institute (demo)", "university_research", "ETH"),
    ("Ghana Nuclear Applications Institute (demo)", "national_nuclear_authority", "GHA"),
    ("Bangladesh Institute of Nuclear Agriculture (demo)", "university_research", "BGD"),
    ("Peru Nuclear Energy Institute (demo)", "national_nuclear_authority", "PER"),
    (MARKER_ORGANISATION, "ngo", None),
)
PROVIDER_TYPES = frozenset(
    {
        "iaea",
        "donor_agency",
        "foundation",
        "development_bank",
        "university_research",
        "ngo",
        "industry_operator",
        "professional_association",
    }
)


@dataclass
class DemoSummary:
    organisations: int = 0
    users: int = 0
    needs: int = 0
    programmes: int = 0
    activities: int = 0
    events: int = 0
    event_participants: int = 0
    actions: int = 0
    already_loaded: bool = False


def load_demo(
    session: Session, *, needs_count: int = 300, programmes_count: int = 60, activities_count: int = 800
) -> tuple[DemoSummary, list[tuple[str, str, str]]]:
    """Load the demo data set once; returns what was loaded and the demo sign-in credentials."""
    summary = DemoSummary()
    if accounts_repository.get_organisation_by_name(session, MARKER_ORGANISATION) is not None:
        summary.already_loaded = True
        return summary, _credentials()
    rng = random.Random(SEED)
    system = Actor.system("demo-loader")
    # Thousands of writes: the search index is rebuilt once at the end, in the same transaction, rather
    # than document by document on every flush.
    session.info[search_indexing.ENABLED] = False
    organisations = {}
    for name, kind, country in ORGANISATIONS:
        organisations[name] = accounts.create_organisation(
            session,
            actor=system,
            data=OrganisationCreate(name=name, organisation_type=kind, country_iso3=country),
        )
    summary.organisations = len(organisations)
    iaea = organisations["International Atomic Cooperation Agency (demo)"]
    donor = organisations["Global Cancer Access Foundation (demo)"]
    hospital = organisations["Kenya National Cancer Hospital (demo)"]
    for email, name, gender, grants, org in _people(iaea.id, donor.id, hospital.id):
        accounts.create_user(
            session,
            actor=system,
            email=email,
            full_name=name,
            password=DEMO_PASSWORD,
            grants=grants,
            organisation_id=org,
            gender=gender,
        )
        summary.users += 1
    facilitator = Actor.system("demo-loader")
    summary.needs = _load_needs(session, facilitator, rng, needs_count, hospital.id)
    providers = [o for o in organisations.values() if o.organisation_type in PROVIDER_TYPES]
    summary.programmes = _load_programmes(session, facilitator, rng, programmes_count, providers)
    summary.activities = _load_activities(session, facilitator, rng, activities_count, providers)
    _carry_needs_forward(session, facilitator)
    dialogue = load_dialogue_history(session, rng=random.Random(SEED + 1), today=date.today())
    summary.events, summary.event_participants = dialogue.events, dialogue.participants
    summary.actions = dialogue.actions
    load_knowledge_demo(session, password=DEMO_PASSWORD)
    session.info.pop(search_indexing.ENABLED, None)
    search.reindex(session, actor=system)
    return summary, _credentials()


def _people(
    iaea_id: int, donor_id: int, hospital_id: int
) -> list[tuple[str, str, str, list[Grant], int | None]]:
    return [
        ("admin@demo.pux.invalid", "Amina Haddad (demo administrator)", "female", [Grant(ADMIN)], None),
        (
            "facilitator@demo.pux.invalid",
            "Lucas Moreau (demo facilitator)",
            "male",
            [Grant(FACILITATOR)],
            None,
        ),
        (
            "focal.kenya@demo.pux.invalid",
            "Grace Wanjiru (demo focal point, Kenya)",
            "female",
            [Grant(FOCAL_POINT, country_iso3="KEN")],
            None,
        ),
        (
            "counterpart.kenya@demo.pux.invalid",
            "Daniel Otieno (demo counterpart, Kenya)",
            "male",
            [Grant(COUNTERPART, country_iso3="KEN", organisation_id=hospital_id)],
            hospital_id,
        ),
        (
            "focal.uganda@demo.pux.invalid",
            "Ruth Nakato (demo focal point, Uganda)",
            "female",
            [Grant(FOCAL_POINT, country_iso3="UGA")],
            None,
        ),
        (
            "donor@demo.pux.invalid",
            "Sofia Lindqvist (demo donor representative)",
            "female",
            [Grant(PARTNER, organisation_id=donor_id)],
            donor_id,
        ),
        (
            "programme.officer@demo.pux.invalid",
            "Kenji Sato (demo programme officer)",
            "male",
            [Grant(PROGRAMME_OFFICER, organisation_id=iaea_id)],
            iaea_id,
        ),
        ("expert@demo.pux.invalid", "Mariana Costa (demo expert)", "female", [Grant(EXPERT)], None),
    ]


def _credentials() -> list[tuple[str, str, str]]:
    roles = (
        "administrator",
        "facilitator",
        "focal point (Kenya)",
        "counterpart (Kenya)",
        "focal point (Uganda)",
        "donor representative",
        "programme officer",
        "expert",
    )
    emails = (
        "admin",
        "facilitator",
        "focal.kenya",
        "counterpart.kenya",
        "focal.uganda",
        "donor",
        "programme.officer",
        "expert",
    )
    return [
        (role, f"{email}@demo.pux.invalid", DEMO_PASSWORD) for role, email in zip(roles, emails, strict=True)
    ] + knowledge_credentials(DEMO_PASSWORD)


STATUS_PATH = {
    workflow.DRAFT: (),
    workflow.SUBMITTED: (workflow.SUBMITTED,),
    workflow.RETURNED: (workflow.SUBMITTED, workflow.RETURNED),
    workflow.ENDORSED: (workflow.SUBMITTED, workflow.ENDORSED),
    workflow.PUBLISHED: (workflow.SUBMITTED, workflow.ENDORSED, workflow.PUBLISHED),
    workflow.MATCHED: (workflow.SUBMITTED, workflow.ENDORSED, workflow.PUBLISHED, workflow.MATCHED),
}
STATUS_WEIGHTS = (
    (workflow.DRAFT, 8),
    (workflow.SUBMITTED, 8),
    (workflow.RETURNED, 4),
    (workflow.ENDORSED, 14),
    (workflow.PUBLISHED, 60),
    (workflow.MATCHED, 6),
)


def _load_needs(session: Session, actor: Actor, rng: random.Random, count: int, hospital_id: int) -> int:
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    names = {
        iso3: (c.name("en") if (c := reference_repository.get_country(session, iso3)) else iso3)
        for iso3 in RECIPIENTS
    }
    landlocked = _landlocked(session)
    created_by_country: dict[str, list[int]] = {}
    for index in range(count):
        country = (
            RECIPIENTS[index % len(RECIPIENTS)] if index < len(RECIPIENTS) * 2 else rng.choice(RECIPIENTS)
        )
        templates = [t for t in NEED_TEMPLATES if _fits(country, landlocked, t)]
        area, techniques, targets, modalities, pattern = rng.choice(templates)
        regions = [w for w in REGION_WORDS if country not in landlocked or not _is_coastal(w)]
        title = pattern.format(country=names[country], region=rng.choice(regions))
        beneficiaries = rng.choice([800, 2_500, 12_000, 40_000, 150_000, 600_000])
        data = NeedCreate(
            country_iso3=country,
            title=title[:300],
            thematic_area_code=area,
            technique_codes=techniques,
            sdg_target_codes=targets,
            modalities_wanted=modalities,
            description=f"{DEMO_NOTE}\n{title}. Prepared with the national institutions concerned.",
            beneficiaries_count=beneficiaries,
            beneficiaries_women_share=rng.choice([None, 45, 50, 52, 60, 80]),
            vulnerable_groups=rng.sample(
                ["women_girls", "children", "rural_communities", "smallholder_farmers", "people_in_poverty"],
                k=rng.randint(0, 2),
            ),
            estimated_cost=Decimal(rng.choice([45, 80, 150, 320, 600, 1_200, 2_500, 4_800])) * 1000
            if rng.random() > 0.08
            else None,
            cofinancing_amount=Decimal(rng.choice([0, 10, 25, 60, 150])) * 1000
            if rng.random() > 0.4
            else None,
            currency="USD",
            regulatory_body=rng.choice(["ready", "ready", "partial", "none", None]),
            infrastructure=rng.choice(["ready", "partial", "partial", "none", None]),
            trained_staff=rng.choice(["ready", "partial", "none", None]),
            horizon=rng.choice(["short", "medium", "medium", "long"]),
            tc_project_code=f"{country}{rng.randint(5000, 9099)}" if rng.random() < 0.35 else None,
            unfunded_footnote_a=rng.random() < 0.15,
            visibility=rng.choices(["public", "partners", "private"], weights=[82, 12, 6])[0],
            organisation_id=hospital_id if country == "KEN" and area == "health" else None,
        )
        need = needs.create_need(session, actor=actor, data=data)
        target_status = rng.choices(statuses, weights=weights)[0]
        for step in STATUS_PATH[target_status]:
            comment = "Please add the co-financing details (demo)." if step == workflow.RETURNED else None
            need = needs.transition_need(
                session, actor=actor, need_id=need.id, target=step, version=need.version, comment=comment
            )
        if target_status in workflow.RANKABLE_STATUSES:
            created_by_country.setdefault(country, []).append(need.id)
    for country, need_ids in created_by_country.items():
        rng.shuffle(need_ids)
        needs.rank_needs(session, actor=actor, country_iso3=country, ordered_need_ids=need_ids)
    return count


# How far some matched needs have gone since (the oldest matched first): a demo shows needs that were
# funded, are being carried out and were completed, which success stories start from.
CARRIED_FORWARD = (
    (workflow.FUNDED, workflow.IN_IMPLEMENTATION, workflow.COMPLETED),
    (workflow.FUNDED, workflow.IN_IMPLEMENTATION, workflow.COMPLETED),
    (workflow.FUNDED, workflow.IN_IMPLEMENTATION, workflow.COMPLETED),
    (workflow.FUNDED, workflow.IN_IMPLEMENTATION),
    (workflow.FUNDED, workflow.IN_IMPLEMENTATION),
    (workflow.FUNDED,),
)


def _carry_needs_forward(session: Session, actor: Actor) -> None:
    matched = sorted(
        needs_repository.in_statuses(session, countries=None, statuses=[workflow.MATCHED]), key=lambda n: n.id
    )
    for need, path in zip(matched, CARRIED_FORWARD, strict=False):
        for target in path:
            need = needs.transition_need(
                session, actor=actor, need_id=need.id, target=target, version=need.version
            )


PROGRAMME_TITLES = {
    "equipment": "{area} equipment support programme",
    "training": "{area} fellowships and training courses",
    "expert_mission": "{area} expert advisory missions",
    "funding": "{area} project grants",
    "feasibility_study": "{area} feasibility studies",
    "twinning": "{area} institutional twinning",
}


def _load_programmes(
    session: Session, actor: Actor, rng: random.Random, count: int, providers: list[Organisation]
) -> int:
    areas = [template[0] for template in NEED_TEMPLATES]
    technique_pool = {template[0]: template[1] for template in NEED_TEMPLATES}
    area_names = {
        "health": "Cancer care and nutrition",
        "food": "Food security",
        "water": "Water resources",
        "energy": "Energy planning",
        "industry": "Industrial applications",
        "safety": "Radiation safety",
    }
    for index in range(count):
        provider = providers[index % len(providers)]
        area = rng.choice(areas)
        modality = rng.choice(list(PROGRAMME_TITLES))
        total = Decimal(rng.choice([250, 500, 1_000, 2_000, 5_000, 12_000])) * 1000
        start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 200))
        data = ProgrammeCreate(
            organisation_id=provider.id,
            title=f"{PROGRAMME_TITLES[modality].format(area=area_names[area])} (demo {index + 1})",
            description=f"Illustrative demonstration programme of {provider.name}.",
            modality=modality,
            thematic_area_codes=[area],
            technique_codes=technique_pool[area],
            eligible_groups=rng.choice([[], [], ["LDC"], ["SIDS"], ["LDC", "LLDC"]]),
            eligible_income_groups=rng.choice([[], ["LIC", "LMC"], ["LIC", "LMC", "UMC"]]),
            total_budget=total,
            remaining_budget=total * Decimal(rng.choice(["1", "0.8", "0.5", "0.3"])),
            max_per_need=total / rng.choice([4, 8, 10]),
            currency="USD",
            window_start=start,
            window_end=start + timedelta(days=rng.choice([365, 730, 1095])),
            working_languages=rng.sample(["en", "fr", "es", "ar", "ru", "zh"], k=rng.randint(1, 3)),
            gender_focus=rng.random() < 0.3,
            visibility=rng.choices(["public", "partners"], weights=[85, 15])[0],
        )
        programme = programmes.create_programme(session, actor=actor, data=data)
        if rng.random() < 0.9:
            programmes.set_programme_status(
                session, actor=actor, programme_id=programme.id, target="published", version=programme.version
            )
    return count


def _load_activities(
    session: Session, actor: Actor, rng: random.Random, count: int, providers: list[Organisation]
) -> int:
    codes = assistance.ReferenceCodes(session)
    sector_by_area = {
        "health": ["12191", "12262", "12230"],
        "food": ["31161", "31195", "31182"],
        "water": ["14010", "14015"],
        "energy": ["23110", "23182"],
        "industry": ["32110", "32182"],
        "safety": ["15110", "74020"],
    }
    sdg_by_area = {
        "health": ["3"],
        "food": ["2"],
        "water": ["6"],
        "energy": ["7"],
        "industry": ["9"],
        "safety": ["16"],
    }
    landlocked = _landlocked(session)
    for index in range(count):
        country = rng.choice(RECIPIENTS)
        templates = [t for t in NEED_TEMPLATES if _fits(country, landlocked, t)]
        area, techniques, _targets, _modalities, pattern = rng.choice(templates)
        start = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1400))
        committed = Decimal(rng.choice([20, 45, 90, 150, 300, 750, 1_500])) * 1000
        status = (
            "closed"
            if start < date(2024, 1, 1)
            else rng.choice(["implementation", "implementation", "pipeline", "finalisation"])
        )
        data = ActivityCreate(
            external_id=f"XM-DEMO-{index + 1:05d}",
            title=pattern.format(country=country, region="national")[:300],
            provider_organisation_id=providers[index % len(providers)].id,
            recipient_country_iso3=country,
            thematic_area_code=area,
            technique_code=techniques[0],
            amount_committed=committed,
            amount_disbursed=(committed * Decimal(rng.choice(["0", "0.25", "0.6", "1"]))).quantize(
                Decimal("0.01")
            ),
            currency="USD",
            start_date=start,
            end_date=start + timedelta(days=rng.choice([365, 730, 1095])),
            status=status,
            dac_sector_codes=[c for c in sector_by_area[area] if c in codes.sectors][:1],
            sdg_codes=sdg_by_area[area],
            visibility=rng.choices(["public", "partners"], weights=[90, 10])[0],
        )
        assistance.record_activity(session, actor=actor, data=data, origin="demo", codes=codes)
    return count
