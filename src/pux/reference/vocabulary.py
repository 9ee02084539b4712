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
