"""The units the packaged evidence states its figures in, in the reader's language.

An entry's unit is free text written with the entry (in English for the packaged evidence, see
data/evidence.csv); the units of the packaged entries are translated here, any other is shown as written,
with the language it is written in, so that a page in another language can set it apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from pux.i18n import get_language
from pux.i18n import gettext as _

# The language the packaged evidence, and so its units, is written in.
WRITTEN_IN = "en"


@dataclass(frozen=True)
class Unit:
    text: str
    language: str  # the reader's language when translated, else the language it is written in


def _labels() -> dict[str, str]:
    return {
        "USD million per year": _("USD million per year"),
        "USD million per year (lower bound: 'more than')": _(
            "USD million per year (lower bound: 'more than')"
        ),
        "USD million (lost exports)": _("USD million (lost exports)"),
        "USD billion per year": _("USD billion per year"),
        "USD billion (total over the period)": _("USD billion (total over the period)"),
        "benefit-cost ratio": _("benefit-cost ratio"),
        "million life-years": _("million life-years"),
        "percent of area": _("percent of area"),
        "percent per year (approximate)": _("percent per year (approximate)"),
        "tonnes per hectare": _("tonnes per hectare"),
        "tonnes of poultry products": _("tonnes of poultry products"),
        "tonnes of honey and honey products": _("tonnes of honey and honey products"),
    }


def evidence_unit(unit: str, written_in: str = WRITTEN_IN) -> Unit:
    """``unit`` (written in ``written_in``) in the reader's language where PUX knows it and its catalogue
    holds a translation; otherwise as written, in the language it is written in."""
    language = get_language()
    if language == written_in or not unit:
        return Unit(unit, language)
    label = _labels().get(unit)
    if label is None or label == unit:  # not a packaged unit, or not translated yet
        return Unit(unit, written_in)
    return Unit(label, language)
