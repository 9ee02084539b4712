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
    "event.create": lambda: _("Event created"),
    "event.update": lambda: _("Event edited"),
    "event.session_add": lambda: _("Agenda item added"),
    "event.session_remove": lambda: _("Agenda item removed"),
    "event.target_set": lambda: _("Participation target set"),
    "event.target_remove": lambda: _("Participation target removed"),
    "event.outcome": lambda: _("Outcome recorded"),
    "event.recommendation": lambda: _("Recommendation recorded"),
    "participant.register": lambda: _("Registered themselves (commits to nothing)"),
    "participant.invited": lambda: _("Invited"),
    "participant.nominated": lambda: _("Nominated"),
    "participant.endorsed": lambda: _("Endorsed"),
    "participant.confirmed": lambda: _("Confirmed"),
    "participant.attended": lambda: _("Attended"),
    "participant.declined": lambda: _("Declined"),
    "participant.no_show": lambda: _("Did not come"),
    "travel.apply": lambda: _("Applied for travel support"),
    "travel.update": lambda: _("Travel application edited"),
    "travel.withdraw": lambda: _("Travel application withdrawn; any award cancelled"),
    "travel.reopen": lambda: _("Travel application reopened"),
    "travel.allocate": lambda: _("Travel fund allocated"),
    "travel.override": lambda: _("Travel award decided by a facilitator"),
    "travel.disburse": lambda: _("Travel payment recorded"),
    "concept_note.create": lambda: _("Concept note drafted"),
    "concept_note.update": lambda: _("Concept note edited"),
    "concept_note.convert": lambda: _("Concept note turned into a need"),
    "action.create": lambda: _("Follow-up action created"),
    "action.progress": lambda: _("Progress reported on a follow-up action"),
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
