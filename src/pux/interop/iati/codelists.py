"""The IATI codelists PUX checks and writes (derived by tools/derive_iati_codelists.py), and how IATI
codes map onto PUX's own vocabularies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# IATI ActivityStatus codes onto PUX's activity statuses (the same six stages under other names).
ACTIVITY_STATUS_TO_PUX = {
    "1": "pipeline",
    "2": "implementation",
    "3": "finalisation",
    "4": "closed",
    "5": "cancelled",
    "6": "suspended",
}
PUX_STATUS_TO_IATI = {pux: iati for iati, pux in ACTIVITY_STATUS_TO_PUX.items()}

# IATI OrganisationType codes onto PUX's organisation types, for organisations an import creates.
ORGANISATION_TYPE_TO_PUX = {
    "10": "ministry",
    "11": "ministry",
    "15": "ministry",
    "21": "ngo",
    "22": "ngo",
    "23": "ngo",
    "24": "ngo",
    "30": "industry_operator",
    "40": "international_organisation",
    "60": "foundation",
    "70": "industry_operator",
    "71": "industry_operator",
    "72": "industry_operator",
    "73": "industry_operator",
    "80": "university_research",
    "90": "international_organisation",
}
PUX_TYPE_TO_IATI = {
    "ministry": "10",
    "national_nuclear_authority": "10",
    "regulator": "10",
    "iaea": "40",
    "international_organisation": "40",
    "donor_agency": "10",
    "development_bank": "40",
    "foundation": "60",
    "university_research": "80",
    "ngo": "21",
    "industry_operator": "70",
    "professional_association": "90",
    "hospital": "15",
}
DEFAULT_PUX_ORGANISATION_TYPE = "donor_agency"

# Sector vocabularies whose codes PUX checks: 1 = DAC 5-digit purpose codes, 2 = DAC 3-digit categories.
SECTOR_VOCABULARY_LISTS = {"1": "Sector", "2": "SectorCategory"}
DAC_5_DIGIT = "1"
REPORTING_ORGANISATION_VOCABULARY = "99"


@dataclass(frozen=True)
class Codelist:
    name: str
    names: dict[str, str]
    withdrawn: frozenset[str]

    def __contains__(self, code: object) -> bool:
        return code in self.names

    def active(self, code: str) -> bool:
        return code in self.names and code not in self.withdrawn


@cache
def codelists() -> dict[str, Codelist]:
    """Every packaged codelist by its IATI name (read once)."""
    text = files("pux.interop.iati").joinpath("data", "codelists.json").read_text(encoding="utf-8")
    lists = json.loads(text)["lists"]
    return {
        name: Codelist(name=name, names=dict(body["codes"]), withdrawn=frozenset(body["withdrawn"]))
        for name, body in lists.items()
    }


def codelist(name: str) -> Codelist:
    return codelists()[name]
