"""Translated labels for the reference codes PUX displays (income groups, region levels, roles)."""

from __future__ import annotations

from pux.i18n import gettext as _

INCOME_GROUP_CODES = ("LIC", "LMC", "UMC", "HIC")


def income_group_label(code: str | None) -> str:
    labels = {
        "LIC": _("Low income"),
        "LMC": _("Lower-middle income"),
        "UMC": _("Upper-middle income"),
        "HIC": _("High income"),
    }
    return labels.get(code or "", _("No income group"))


def income_basis_label(basis: str) -> str:
    labels = {
        "official": _("official World Bank classification"),
        "derived": _("derived by PUX from GNI per capita and the World Bank thresholds"),
        "manual": _("set by an administrator"),
    }
    return labels.get(basis, basis)


def indicator_role_label(role: str) -> str:
    labels = {
        "burden": _("Burden"),
        "capacity": _("Capacity"),
        "context": _("Context"),
    }
    return labels.get(role, role)


def region_level_label(level: str) -> str:
    labels = {
        "region": _("Region"),
        "subregion": _("Sub-region"),
        "intermediate": _("Intermediate region"),
    }
    return labels.get(level, level)


def unit_label(unit: str) -> str:
    """The unit of a packaged indicator in the active language; an imported unit is shown as given."""
    labels = {
        "% gross": _("% gross"),
        "% of GDP": _("% of GDP"),
        "% of ages 20-79": _("% of people aged 20-79"),
        "% of all deaths": _("% of all deaths"),
        "% of children under 5": _("% of children under 5"),
        "% of internal resources": _("% of internal resources"),
        "% of population": _("% of population"),
        "cubic metres per person": _("cubic metres per person"),
        "current US$": _("current US$"),
        "kWh per person": _("kWh per person"),
        "kg per hectare": _("kg per hectare"),
        "micrograms per cubic metre": _("micrograms per cubic metre"),
        "people": _("people"),
        "per 1000 live births": _("per 1,000 live births"),
        "per 1000 people": _("per 1,000 people"),
        "per 100000 live births": _("per 100,000 live births"),
        "per 100000 people": _("per 100,000 people"),
        "per million people": _("per million people"),
    }
    return labels.get(unit, unit)


# Codes shared by needs, programmes and activities. Labels are translated when shown.
MODALITIES = ("expert_mission", "training", "equipment", "funding", "feasibility_study", "twinning")
# Offers that can be split between needs (money); the others are all-or-nothing.
DIVISIBLE_MODALITIES = frozenset({"funding"})


def modality_label(code: str) -> str:
    labels = {
        "expert_mission": _("Expert mission"),
        "training": _("Training or fellowship"),
        "equipment": _("Equipment"),
        "funding": _("Funding"),
        "feasibility_study": _("Feasibility study"),
        "twinning": _("Twinning"),
    }
    return labels.get(code, code)


VULNERABLE_GROUPS = (
    "women_girls",
    "children",
    "youth",
    "older_persons",
    "persons_with_disabilities",
    "rural_communities",
    "indigenous_peoples",
    "refugees_displaced",
    "people_in_poverty",
    "smallholder_farmers",
)


def vulnerable_group_label(code: str) -> str:
    labels = {
        "women_girls": _("Women and girls"),
        "children": _("Children"),
        "youth": _("Young people"),
        "older_persons": _("Older persons"),
        "persons_with_disabilities": _("Persons with disabilities"),
        "rural_communities": _("Rural communities"),
        "indigenous_peoples": _("Indigenous peoples"),
        "refugees_displaced": _("Refugees and displaced people"),
        "people_in_poverty": _("People living in poverty"),
        "smallholder_farmers": _("Smallholder farmers"),
    }
    return labels.get(code, code)


READINESS_LEVELS = ("none", "partial", "ready")


def readiness_label(code: str | None) -> str:
    labels = {"none": _("Not in place"), "partial": _("Partly in place"), "ready": _("In place")}
    return labels.get(code or "", _("Not stated"))


HORIZONS = ("short", "medium", "long")


def horizon_label(code: str | None) -> str:
    labels = {
        "short": _("Within a year"),
        "medium": _("One to three years"),
        "long": _("More than three years"),
    }
    return labels.get(code or "", _("Not stated"))


def visibility_label(code: str) -> str:
    labels = {
        "public": _("Public"),
        "partners": _("Partners only"),
        "private": _("Private to the country"),
    }
    return labels.get(code, code)


ORGANISATION_TYPES = (
    "ministry",
    "national_nuclear_authority",
    "regulator",
    "iaea",
    "international_organisation",
    "donor_agency",
    "development_bank",
    "foundation",
    "university_research",
    "ngo",
    "industry_operator",
    "professional_association",
    "hospital",
)


def organisation_type_label(code: str) -> str:
    labels = {
        "ministry": _("Ministry or government department"),
        "national_nuclear_authority": _("National nuclear energy authority"),
        "regulator": _("Regulatory body"),
        "iaea": _("IAEA"),
        "international_organisation": _("Other international organisation"),
        "donor_agency": _("Donor government agency"),
        "development_bank": _("Development bank"),
        "foundation": _("Foundation"),
        "university_research": _("University or research institute"),
        "ngo": _("Non-governmental organisation"),
        "industry_operator": _("Industry or operator"),
        "professional_association": _("Professional association"),
        "hospital": _("Hospital or health facility"),
    }
    return labels.get(code, code)


def role_label(code: str) -> str:
    labels = {
        "admin": _("Administrator"),
        "facilitator": _("Facilitator"),
        "focal_point": _("Country focal point"),
        "counterpart": _("Country counterpart"),
        "partner": _("Donor or partner representative"),
        "programme_officer": _("Programme officer"),
        "expert": _("Expert"),
        "editor": _("Knowledge editor"),
        "reviewer": _("Knowledge reviewer"),
    }
    return labels.get(code, code)


def programme_status_label(code: str) -> str:
    labels = {"draft": _("Draft"), "published": _("Published"), "closed": _("Closed")}
    return labels.get(code, code)


def activity_status_label(code: str) -> str:
    labels = {
        "pipeline": _("Pipeline"),
        "implementation": _("Implementation"),
        "finalisation": _("Finalisation"),
        "closed": _("Closed"),
        "cancelled": _("Cancelled"),
        "suspended": _("Suspended"),
    }
    return labels.get(code, code)


def proposal_status_label(code: str | None) -> str:
    labels = {"proposed": _("Proposed"), "accepted": _("Accepted"), "declined": _("Declined")}
    return labels.get(code or "", "—")
