"""What each recorded action means, in the reader's language (the trail stores stable codes)."""

from __future__ import annotations

from collections.abc import Callable

from pux.i18n import gettext as _

_ACTIONS: dict[str, Callable[[], str]] = {
    "need.create": lambda: _("Drafted"),
    "need.update": lambda: _("Edited"),
    "need.submitted": lambda: _("Submitted for endorsement"),
    "need.endorsed": lambda: _("Endorsed"),
    "need.returned": lambda: _("Returned with a comment"),
    "need.published": lambda: _("Published"),
    "need.matched": lambda: _("Matched"),
    "need.funded": lambda: _("Funded"),
    "need.in_implementation": lambda: _("In implementation"),
    "need.completed": lambda: _("Completed"),
    "need.withdrawn": lambda: _("Withdrawn"),
    "need.rank": lambda: _("National priority order changed"),
    "programme.create": lambda: _("Drafted"),
    "programme.update": lambda: _("Edited"),
    "programme.published": lambda: _("Published"),
    "programme.closed": lambda: _("Closed"),
    "programme.draft": lambda: _("Reopened as a draft"),
    "activity.create": lambda: _("Recorded"),
    "activity.update": lambda: _("Edited"),
    "proposal.donor.accepted": lambda: _("Proposal accepted for the programme"),
    "proposal.donor.declined": lambda: _("Proposal declined for the programme"),
    "proposal.country.accepted": lambda: _("Proposal accepted for the country"),
    "proposal.country.declined": lambda: _("Proposal declined for the country"),
    "matching.round": lambda: _("Allocation round run"),
    "evidence.create": lambda: _("Recorded"),
    "evidence.update": lambda: _("Edited"),
    "evidence.check": lambda: _("Checked"),
    "evidence.dispute": lambda: _("Disputed"),
    "job.queue": lambda: _("Job queued"),
    "job.done": lambda: _("Job done"),
    "job.fail": lambda: _("Job failed"),
    "job.retry": lambda: _("Job queued again"),
    "job.retry_later": lambda: _("Attempt failed; tried again later"),
    "job.requeue": lambda: _("Taken up again after its runner stopped"),
}


def audit_action_label(action: str) -> str:
    """The label of a recorded action (its code when PUX has no label for it)."""
    label = _ACTIONS.get(action)
    return label() if label else action
