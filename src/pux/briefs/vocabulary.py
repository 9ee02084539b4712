"""The briefs' words, named once: the kinds of brief and the sources PUX itself is for what it counts."""

from __future__ import annotations

from pux.i18n import gettext as _
from pux.knowledge import vocabulary as knowledge_vocabulary

COUNTRY, REGION, ORGANISATION = "country", "region", "organisation"
KINDS = (COUNTRY, REGION, ORGANISATION)

# How many lines a section lists at most: a brief is read in minutes, the full lists are a link away.
MAX_NEEDS = 8
MAX_PROVIDERS = 6
MAX_TECHNIQUES = 4
MAX_EVIDENCE_PER_TECHNIQUE = 2
MAX_EVENTS = 4
MAX_COUNTRIES = 8
MAX_FITTING_NEEDS = 8
SUMMARY_CHARACTERS = 280
# The unmet needs a country brief finds programmes for, and how many programmes each: every need asks the
# matching engine once, and the section has to stay on the brief's pages.
MAX_MATCHED_NEEDS = 3
MAX_PROGRAMMES_PER_NEED = 3
# The areas whose burden and capacity indicators a country brief lists: its most pressing ones.
MAX_INDICATOR_AREAS = 3


def kind_label(kind: str) -> str:
    labels = {
        COUNTRY: _("Country brief"),
        REGION: _("Regional brief"),
        ORGANISATION: _("Partner brief"),
    }
    return labels.get(kind, kind)


def alternative_relation_label(relation: str) -> str:
    """How a conventional alternative stands to the technique, as a note after its name in a sentence."""
    labels = {
        knowledge_vocabulary.INSTEAD_OF: _("used instead of it"),
        knowledge_vocabulary.ALONGSIDE: _("used alongside it"),
    }
    return labels.get(relation, relation)


def needs_source() -> str:
    return _("PUX needs registry (national needs recorded and cleared by each country)")


def assistance_source() -> str:
    return _("PUX assistance records (reported by the providers)")


def programmes_source() -> str:
    return _("PUX programmes (published by the partners)")


def matching_source() -> str:
    return _("PUX matching engine (eligibility and fit of the published needs and open programmes)")


def priority_source(config_name: str) -> str:
    return _("PUX priority index (configuration '%(name)s'), computed from the indicators listed") % {
        "name": config_name
    }


def regional_source(citation: str) -> str:
    return _("Median of the countries reporting, computed by PUX from: %(citation)s") % {"citation": citation}


def events_source() -> str:
    return _("PUX dialogue calendar")
