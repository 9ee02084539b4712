"""The plain shape of one IATI activity, as the reader produces it and the writer consumes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# A field of Transaction is called "date", so the type goes by another name there.
Day = date
SECTOR, COUNTRY, REGION = "sector", "country", "region"
# Transaction types whose money leaves the activity (commitments, disbursements, expenditures) and
# the ones that come in (incoming funds and commitments): used to link a funder's activity to an
# implementer's without counting the same money twice.
COMMITMENT = "2"
DISBURSEMENT = "3"
EXPENDITURE = "4"
# The transaction types PUX reads as an activity's committed and its disbursed amount.
COMMITTED_TYPES = frozenset({COMMITMENT})
DISBURSED_TYPES = frozenset({DISBURSEMENT, EXPENDITURE})
INCOMING = frozenset({"1", "11"})
OUTGOING = frozenset({"2", "3"})
FUNDING_ROLE = "1"
IMPLEMENTING_ROLE = "4"
# IATI activity-date types.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# The description types PUX keeps (1 general, 2 objectives, 3 target groups, 4 other).
DESCRIPTION_TYPES = ("1", "2", "3", "4")


@dataclass(frozen=True, slots=True)
class Narrative:
    """A text in one language ("" when the file says neither on the text nor on the activity)."""

    language: str
    text: str


@dataclass(frozen=True, slots=True)
class Split:
    """A sector, recipient country or region, with its share (None when the file gives none)."""

    kind: str
    vocabulary: str
    code: str
    percentage: Decimal | None = None
    vocabulary_uri: str | None = None
    names: tuple[Narrative, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganisationRef:
    ref: str | None
    type: str | None = None
    names: tuple[Narrative, ...] = ()
    activity_id: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    type: str
    date: Day | None
    value: Decimal | None
    currency: str | None
    value_date: Day | None
    provider: OrganisationRef | None = None
    receiver: OrganisationRef | None = None
    splits: tuple[Split, ...] = ()
    description: tuple[Narrative, ...] = ()


@dataclass(frozen=True, slots=True)
class RelatedActivity:
    ref: str
    type: str


@dataclass(slots=True)
class ActivityRecord:
    """One ``iati-activity``: what PUX keeps of it, with the line where it starts in its file."""

    identifier: str
    line: int = 0
    last_updated: datetime | None = None
    default_currency: str | None = None
    default_language: str = ""
    reporting_org: OrganisationRef = field(default_factory=lambda: OrganisationRef(ref=None))
    titles: tuple[Narrative, ...] = ()
    # (description type, narrative)
    descriptions: tuple[tuple[str, Narrative], ...] = ()
    participating_orgs: tuple[OrganisationRef, ...] = ()
    status: str | None = None
    dates: dict[str, date] = field(default_factory=dict)
    # Narratives of an activity date, by its type: what the date is when it is not what its type says
    # (written by PUX's export; the reader keeps none).
    date_notes: dict[str, tuple[Narrative, ...]] = field(default_factory=dict)
    splits: tuple[Split, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    related: tuple[RelatedActivity, ...] = ()

    def title(self, language: str = "en") -> str:
        return pick(self.titles, language)

    def description(self, language: str = "en") -> str:
        general = tuple(narrative for kind, narrative in self.descriptions if kind == "1")
        return pick(general or tuple(narrative for _kind, narrative in self.descriptions), language)

    def all_text(self) -> str:
        """Every title and description narrative, for keyword relevance."""
        texts = [n.text for n in self.titles] + [n.text for _kind, n in self.descriptions]
        return "\n".join(texts)


@dataclass(frozen=True)
class FileHeader:
    """What the ``iati-activities`` element says about the whole file."""

    version: str | None
    generated_at: datetime | None


def pick(narratives: tuple[Narrative, ...], language: str) -> str:
    """The narrative in ``language``, else English, else the first one ("" when there is none)."""
    for wanted in (language, "en", ""):
        for narrative in narratives:
            if narrative.language == wanted and narrative.text:
                return narrative.text
    return next((narrative.text for narrative in narratives if narrative.text), "")
