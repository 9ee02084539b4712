"""Errors that services raise and every edge (page, API, CLI) turns into a clear message."""

from __future__ import annotations

from dataclasses import dataclass

from pux.i18n import gettext as _


class DomainError(Exception):
    """Base of the errors a user can act on."""


class NotFound(DomainError):
    """No such record, or one the actor may not see (the two are not told apart, so nothing leaks)."""


class StaleEdit(DomainError):
    """Someone changed the record after it was loaded; the newer data is kept."""


def ensure_current(current_version: int, edited_version: int) -> None:
    """Refuse an edit made on an older version of a record, so the newer data is never overwritten."""
    if current_version != edited_version:
        raise StaleEdit(
            _(
                "This record was changed by someone else since you opened it (now version %(now)s, "
                "you edited version %(then)s). Reload it to see their changes."
            )
            % {"now": current_version, "then": edited_version}
        )


class WorkUnderway(DomainError):
    """The same work is being done right now (the same file imported with the same choices): asked
    again, it is not started twice."""


class InvalidTransition(DomainError):
    """The record's lifecycle does not allow this move from its current status."""


# The field a problem names when it is the whole submission's (no one box is wrong).
WHOLE_FORM = "form"


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return _("row %(row)s, field %(field)s: %(message)s") % {
                "row": self.row,
                "field": self.field,
                "message": self.message,
            }
        return f"{self.field}: {self.message}"


class ValidationFailed(DomainError):
    """Input refused; every problem names its field (and row, for imports). Nothing was saved."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems[:20]))
