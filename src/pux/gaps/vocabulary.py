"""The gaps' vocabulary, named once: which needs count as endorsed, which as unfunded, the map indicators,
interest statuses. Pure data (no ORM, no web)."""

from __future__ import annotations

from pux.i18n import gettext as _
from pux.needs import workflow

# Needs a country has endorsed and not finished or withdrawn: their cost is what the gap measures.
ENDORSED_STATUSES = frozenset(
    {workflow.ENDORSED, workflow.PUBLISHED, workflow.MATCHED, workflow.FUNDED, workflow.IN_IMPLEMENTATION}
)
# Needs that wait for a partner: endorsed or published, with no accepted match or funding yet.
UNFUNDED_STATUSES = frozenset({workflow.ENDORSED, workflow.PUBLISHED})
# Activities that no longer count as current assistance (the matching engine's rule for overlaps).
ENDED_ACTIVITY_STATUSES = frozenset({"cancelled", "closed"})
# Activities that never count (a cancelled activity commits nothing).
CANCELLED_ACTIVITY_STATUSES = frozenset({"cancelled"})

# --- Map indicators ----------------------------------------------------------------------------
PRIORITY_INDEX = "priority"
GAP = "gap"
NEEDS = "needs"
ASSISTANCE = "assistance"
MAP_INDICATORS = (PRIORITY_INDEX, GAP, NEEDS, ASSISTANCE)


def map_indicator_label(code: str) -> str:
    labels = {
        PRIORITY_INDEX: _("Priority index"),
        GAP: _("Uncovered cost of endorsed needs"),
        NEEDS: _("Number of needs"),
        ASSISTANCE: _("Assistance committed"),
    }
    return labels.get(code, code)


# --- Who does what where: what the rows group by ---------------------------------------------
BY_COUNTRY = "country"
BY_REGION = "region"
GROUPINGS = (BY_COUNTRY, BY_REGION)

# --- Interest marks ------------------------------------------------------------------------------
INTEREST_ACTIVE = "active"
INTEREST_WITHDRAWN = "withdrawn"
INTEREST_STATUSES = (INTEREST_ACTIVE, INTEREST_WITHDRAWN)


def interest_status_label(code: str) -> str:
    labels = {INTEREST_ACTIVE: _("Interested"), INTEREST_WITHDRAWN: _("Withdrawn")}
    return labels.get(code, code)


# --- Gaps by SDG goal or by technique: what the rows of a table group by -------------------------
BY_GOAL = "goal"
BY_TECHNIQUE = "technique"
TAG_GROUPINGS = (BY_GOAL, BY_TECHNIQUE)
