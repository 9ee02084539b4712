"""The lifecycle of a need. Pure data: which moves exist and what each status means."""

from __future__ import annotations

from pux.i18n import gettext as _

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
ENDORSED = "endorsed"
PUBLISHED = "published"
MATCHED = "matched"
FUNDED = "funded"
IN_IMPLEMENTATION = "in_implementation"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"

STATUSES = (
    DRAFT,
    SUBMITTED,
    RETURNED,
    ENDORSED,
    PUBLISHED,
    MATCHED,
    FUNDED,
    IN_IMPLEMENTATION,
    COMPLETED,
    WITHDRAWN,
)
# Statuses in which a need is visible beyond its own country (subject to its visibility level).
PUBLISHED_STATUSES = frozenset({PUBLISHED, MATCHED, FUNDED, IN_IMPLEMENTATION, COMPLETED})
# Statuses in which the national priority rank means something.
RANKABLE_STATUSES = frozenset({ENDORSED, PUBLISHED, MATCHED})

TRANSITIONS: dict[str, tuple[str, ...]] = {
    DRAFT: (SUBMITTED, WITHDRAWN),
    SUBMITTED: (ENDORSED, RETURNED, WITHDRAWN),
    RETURNED: (SUBMITTED, WITHDRAWN),
    ENDORSED: (PUBLISHED, RETURNED, WITHDRAWN),
    PUBLISHED: (MATCHED, WITHDRAWN),
    MATCHED: (FUNDED,),
    FUNDED: (IN_IMPLEMENTATION,),
    IN_IMPLEMENTATION: (COMPLETED,),
    COMPLETED: (),
    WITHDRAWN: (),
}
# Moves that must say why (the counterpart needs to know what to change).
COMMENT_REQUIRED = frozenset({(SUBMITTED, RETURNED), (ENDORSED, RETURNED)})


def allowed_targets(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def status_label(status: str) -> str:
    labels = {
        DRAFT: _("Draft"),
        SUBMITTED: _("Submitted"),
        RETURNED: _("Returned"),
        ENDORSED: _("Endorsed"),
        PUBLISHED: _("Published"),
        MATCHED: _("Matched"),
        FUNDED: _("Funded"),
        IN_IMPLEMENTATION: _("In implementation"),
        COMPLETED: _("Completed"),
        WITHDRAWN: _("Withdrawn"),
    }
    return labels.get(status, status)


def action_label(target: str) -> str:
    """The button that moves a need to ``target``."""
    labels = {
        SUBMITTED: _("Submit for endorsement"),
        ENDORSED: _("Endorse"),
        RETURNED: _("Return with a comment"),
        PUBLISHED: _("Publish"),
        MATCHED: _("Mark as matched"),
        FUNDED: _("Mark as funded"),
        IN_IMPLEMENTATION: _("Mark as in implementation"),
        COMPLETED: _("Mark as completed"),
        WITHDRAWN: _("Withdraw"),
    }
    return labels.get(target, target)


# Moves that cannot be undone: the page asks the person to confirm before making them.
IRREVERSIBLE_TARGETS = frozenset({WITHDRAWN})


def confirmation_message(target: str) -> str | None:
    """What the person is asked to confirm before the move, or None when it needs no confirmation."""
    if target == WITHDRAWN:
        return _("Withdraw this need? A withdrawn need cannot be submitted or published again.")
    return None


def done_message(status: str) -> str:
    """The confirmation shown after a move to ``status``."""
    messages = {
        SUBMITTED: _("Submitted: the country's focal point can now endorse it."),
        ENDORSED: _("Endorsed. Publish it when partners may see it."),
        RETURNED: _("Returned to the counterpart with your comment."),
        PUBLISHED: _("Published: partners can now find it and the matching can propose programmes."),
        MATCHED: _("Marked as matched."),
        FUNDED: _("Marked as funded."),
        IN_IMPLEMENTATION: _("Marked as in implementation."),
        COMPLETED: _("Marked as completed."),
        WITHDRAWN: _("The need was withdrawn."),
    }
    return messages.get(status, status_label(status))
