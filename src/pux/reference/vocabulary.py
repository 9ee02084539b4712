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
