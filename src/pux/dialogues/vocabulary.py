"""The dialogue's vocabulary, named once: event kinds, participant statuses, the dimensions a balance
target measures, and the plain ``BalanceTarget`` shape that the balance meter and the travel fund share.

Pure data (no ORM, no web): the engines, the services and the pages all import from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pux.i18n import gettext as _

# --- Event kinds -------------------------------------------------------------------------------
# The one list of kinds: the form's choices, the list's filter, the API's enum and the statistics follow it.
# Whether an event is online is its own flag (is_online), not its kind: a webinar or a virtual symposium
# (several online sessions over days) is online in practice, but nothing decides that from the kind.
EventKind = Literal[
    "regional_workshop",
    "trilateral_meeting",
    "consultative_visit",
    "conference",
    "webinar",
    "virtual_symposium",
    "side_event",
]
REGIONAL_WORKSHOP: EventKind = "regional_workshop"
TRILATERAL_MEETING: EventKind = "trilateral_meeting"
CONSULTATIVE_VISIT: EventKind = "consultative_visit"
CONFERENCE: EventKind = "conference"
WEBINAR: EventKind = "webinar"
VIRTUAL_SYMPOSIUM: EventKind = "virtual_symposium"
SIDE_EVENT: EventKind = "side_event"
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)


def event_kind_label(code: str) -> str:
    labels: dict[str, str] = {
        REGIONAL_WORKSHOP: _("Regional workshop"),
        TRILATERAL_MEETING: _("Trilateral meeting"),
        CONSULTATIVE_VISIT: _("Consultative visit"),
        CONFERENCE: _("Conference"),
        WEBINAR: _("Webinar"),
        VIRTUAL_SYMPOSIUM: _("Virtual symposium"),
        SIDE_EVENT: _("Side event"),
    }
    return labels.get(code, code)


# --- Participant statuses: the nomination chain ------------------------------------------------
INVITED = "invited"
NOMINATED = "nominated"
ENDORSED = "endorsed"
CONFIRMED = "confirmed"
ATTENDED = "attended"
DECLINED = "declined"
NO_SHOW = "no_show"
PARTICIPANT_STATUSES = (INVITED, NOMINATED, ENDORSED, CONFIRMED, ATTENDED, DECLINED, NO_SHOW)
# People who are (still) expected at the event: they count in the balance meter.
EXPECTED_STATUSES = frozenset({INVITED, NOMINATED, ENDORSED, CONFIRMED, ATTENDED})
# Statuses the travel fund may support: anyone still expected (support is decided before confirmation,
# since for many recipients the award decides whether they can come at all).
FUNDABLE_STATUSES = EXPECTED_STATUSES


def participant_status_label(code: str) -> str:
    labels = {
        INVITED: _("Invited"),
        NOMINATED: _("Nominated"),
        ENDORSED: _("Endorsed"),
        CONFIRMED: _("Confirmed"),
        ATTENDED: _("Attended"),
        DECLINED: _("Declined"),
        NO_SHOW: _("Did not come"),
    }
    return labels.get(code, code)


# --- Balance dimensions ------------------------------------------------------------------------
GENDER = "gender"
REGION = "region"
STAKEHOLDER_TYPE = "stakeholder_type"
COUNTRY_SIDE = "country_side"  # recipient or partner
COUNTRY_GROUP = "country_group"  # ldc, lldc, sids (a person may fall in several)
DIMENSIONS = (GENDER, REGION, STAKEHOLDER_TYPE, COUNTRY_SIDE, COUNTRY_GROUP)

RECIPIENT = "recipient"
PARTNER_SIDE = "partner"
# The same words as a person's account (accounts.schemas); "undisclosed" there counts as not stated here.
GENDERS = ("female", "male", "other")
NOT_STATED = "not_stated"
COUNTRY_GROUPS = ("ldc", "lldc", "sids")

AT_LEAST = "at_least"
AT_MOST = "at_most"
BOUNDS = (AT_LEAST, AT_MOST)
# A target on this category applies to every category of its dimension ("no stakeholder type above 30%").
EVERY_CATEGORY = "*"


@dataclass(frozen=True)
class BalanceTarget:
    """One target the facilitator set: the share of ``category`` in ``dimension`` is at least / at most
    ``share`` (0..1) of the people counted. ``category == EVERY_CATEGORY`` means each category."""

    dimension: str
    category: str
    bound: str
    share: float
    key: str = ""  # a stable name for reports ("gender:female>=0.40"); filled by ``target_key``

    @property
    def name(self) -> str:
        return self.key or target_key(self)


def target_key(target: BalanceTarget) -> str:
    sign = ">=" if target.bound == AT_LEAST else "<="
    return f"{target.dimension}:{target.category}{sign}{target.share:.2f}"


def dimension_label(code: str) -> str:
    labels = {
        GENDER: _("Gender"),
        REGION: _("Region"),
        STAKEHOLDER_TYPE: _("Stakeholder type"),
        COUNTRY_SIDE: _("Recipient or partner"),
        COUNTRY_GROUP: _("LDC, LLDC and SIDS"),
    }
    return labels.get(code, code)


def category_label(dimension: str, code: str) -> str:
    """The words for a category; regions and stakeholder types are named by the reference data."""
    if code == EVERY_CATEGORY:
        return _("each category")
    if code == NOT_STATED:
        return _("Not stated")
    labels = {
        "female": _("Women"),
        "male": _("Men"),
        "other": _("Another gender"),
        RECIPIENT: _("Recipient countries"),
        PARTNER_SIDE: _("Partner countries and organisations"),
        "ldc": _("Least developed countries"),
        "lldc": _("Landlocked developing countries"),
        "sids": _("Small island developing States"),
    }
    return labels.get(code, code)


# --- Travel support, outcomes, concept notes, actions --------------------------------------------
APPLIED = "applied"
AWARDED = "awarded"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
APPLICATION_STATUSES = (APPLIED, AWARDED, REFUSED, WITHDRAWN)

CONCEPT_DRAFT = "draft"
CONCEPT_READY = "ready"
CONCEPT_CONVERTED = "converted"
CONCEPT_STATUSES = (CONCEPT_DRAFT, CONCEPT_READY, CONCEPT_CONVERTED)

ACTION_OPEN = "open"
ACTION_IN_PROGRESS = "in_progress"
ACTION_DONE = "done"
ACTION_DROPPED = "dropped"
ACTION_STATUSES = (ACTION_OPEN, ACTION_IN_PROGRESS, ACTION_DONE, ACTION_DROPPED)
ACTION_OPEN_STATUSES = frozenset({ACTION_OPEN, ACTION_IN_PROGRESS})


def application_status_label(code: str) -> str:
    labels = {
        APPLIED: _("Applied"),
        AWARDED: _("Awarded"),
        REFUSED: _("Not supported"),
        WITHDRAWN: _("Withdrawn"),
    }
    return labels.get(code, code)


def concept_status_label(code: str) -> str:
    labels = {
        CONCEPT_DRAFT: _("Draft"),
        CONCEPT_READY: _("Ready to convert"),
        CONCEPT_CONVERTED: _("Converted into a need"),
    }
    return labels.get(code, code)


def action_status_label(code: str) -> str:
    labels = {
        ACTION_OPEN: _("Open"),
        ACTION_IN_PROGRESS: _("In progress"),
        ACTION_DONE: _("Done"),
        ACTION_DROPPED: _("Dropped"),
    }
    return labels.get(code, code)
