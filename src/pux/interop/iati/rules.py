"""PUX's own checks on an IATI activity, beyond the XSD: an identifier present and unique per
reporting organisation, known codes, dates that make sense, amounts in a stated currency.

A breach is a rule code with its details; ``describe`` words it in the reader's language when a
report is shown, so a report stored once reads right in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pux.i18n import gettext as _
from pux.interop.iati.codelists import SECTOR_VOCABULARY_LISTS, codelists
from pux.interop.iati.records import (
    ACTUAL_END,
    ACTUAL_START,
    COUNTRY,
    PLANNED_END,
    PLANNED_START,
    REGION,
    SECTOR,
    ActivityRecord,
    Split,
)

# Dates outside these years are typing mistakes, not activities.
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100
# Shares of one vocabulary must add up to 100; this much rounding is forgiven.
PERCENT_TOLERANCE = Decimal("1")


@dataclass(frozen=True)
class Breach:
    """One broken rule: its code, the line in the file, and details for the message."""

    rule: str
    line: int
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class RuleContext:
    """What the rules remember across the activities of one file, and the codes PUX itself knows."""

    pux_currencies: frozenset[str]
    seen: set[tuple[str, str]] = field(default_factory=set)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


def check(record: ActivityRecord, context: RuleContext) -> list[Breach]:
    """Every PUX rule the activity breaks (empty when it may be imported)."""
    breaches: list[Breach] = []
    _check_identifier(record, context, breaches)
    _check_codes(record, context, breaches)
    _check_dates(record, context, breaches)
    _check_amounts(record, context, breaches)
    _check_percentages(record, breaches)
    return breaches


def _check_identifier(record: ActivityRecord, context: RuleContext, breaches: list[Breach]) -> None:
    if not record.identifier:
        breaches.append(Breach("identifier-missing", record.line))
        return
    if len(record.identifier) > 200:
        breaches.append(Breach("identifier-too-long", record.line))
    key = (record.reporting_org.ref or "", record.identifier)
    if key in context.seen:
        breaches.append(Breach("identifier-duplicate", record.line, {"identifier": record.identifier}))
    context.seen.add(key)
    if not record.reporting_org.ref:
        breaches.append(Breach("reporting-org-missing", record.line))


def _unknown(breaches: list[Breach], line: int, listname: str, code: str | None) -> None:
    # The list's own dict, not the Codelist: this runs a dozen times per activity of every file.
    if code and code not in codelists()[listname].names:
        breaches.append(Breach("unknown-code", line, {"list": listname, "code": code}))


def _check_split_codes(splits: tuple[Split, ...], line: int, breaches: list[Breach]) -> None:
    for split in splits:
        if split.kind == SECTOR and split.vocabulary in SECTOR_VOCABULARY_LISTS:
            _unknown(breaches, line, SECTOR_VOCABULARY_LISTS[split.vocabulary], split.code)
        elif split.kind == COUNTRY:
            _unknown(breaches, line, "Country", split.code)
        # Region codes are not checked: PUX places activities by country, and DAC's region list has
        # changed more often than the files that use it.


def _check_codes(record: ActivityRecord, context: RuleContext, breaches: list[Breach]) -> None:
    line = record.line
    _unknown(breaches, line, "ActivityStatus", record.status)
    _unknown(breaches, line, "OrganisationType", record.reporting_org.type)
    for organisation in record.participating_orgs:
        _unknown(breaches, line, "OrganisationRole", organisation.role)
        _unknown(breaches, line, "OrganisationType", organisation.type)
    _check_split_codes(record.splits, line, breaches)
    currencies = {record.default_currency} | {t.currency for t in record.transactions}
    for currency in sorted(code for code in currencies if code):
        if currency not in codelists()["Currency"].names or currency not in context.pux_currencies:
            breaches.append(Breach("unknown-code", line, {"list": "Currency", "code": currency}))
    for transaction in record.transactions:
        _unknown(breaches, line, "TransactionType", transaction.type)
        _check_split_codes(transaction.splits, line, breaches)


def _sensible(value: date) -> bool:
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def _check_dates(record: ActivityRecord, context: RuleContext, breaches: list[Breach]) -> None:
    line = record.line
    for value in [*record.dates.values(), *(t.date for t in record.transactions if t.date)]:
        if not _sensible(value):
            breaches.append(Breach("date-out-of-range", line, {"date": value.isoformat()}))
    start = record.dates.get(ACTUAL_START) or record.dates.get(PLANNED_START)
    end = record.dates.get(ACTUAL_END) or record.dates.get(PLANNED_END)
    if start and end and end < start:
        breaches.append(
            Breach("end-before-start", line, {"start": start.isoformat(), "end": end.isoformat()})
        )
    if record.last_updated is None:
        breaches.append(Breach("last-updated-missing", line))
    elif record.last_updated > context.now + timedelta(days=1):
        breaches.append(Breach("last-updated-future", line, {"date": record.last_updated.isoformat()}))


def _check_amounts(record: ActivityRecord, context: RuleContext, breaches: list[Breach]) -> None:
    for transaction in record.transactions:
        if transaction.value is None:
            breaches.append(Breach("amount-missing", record.line))
        elif not (transaction.currency or record.default_currency):
            breaches.append(Breach("currency-missing", record.line, {"value": str(transaction.value)}))
        elif abs(transaction.value) >= Decimal("1e16"):
            breaches.append(Breach("amount-too-large", record.line, {"value": str(transaction.value)}))


def _check_percentages(record: ActivityRecord, breaches: list[Breach]) -> None:
    """Activity-level shares of each sector vocabulary add up to 100, and so do countries with regions."""
    sector_totals: dict[str, Decimal] = {}
    for split in record.splits:
        if split.kind == SECTOR and split.percentage is not None:
            sector_totals[split.vocabulary] = (
                sector_totals.get(split.vocabulary, Decimal(0)) + split.percentage
            )
    for vocabulary, total in sorted(sector_totals.items()):
        if abs(total - 100) > PERCENT_TOLERANCE:
            what = f"sector (vocabulary {vocabulary})"
            breaches.append(Breach("percentages", record.line, {"what": what, "total": _number(total)}))
    totals = _geography_totals(record.splits)
    if totals and not any(abs(total - 100) <= PERCENT_TOLERANCE for total in totals):
        breaches.append(
            Breach("percentages", record.line, {"what": "country/region", "total": _number(totals[0])})
        )


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _geography_totals(splits: tuple[Split, ...]) -> list[Decimal]:
    """The sums 2.03 allows (countries with the regions of one vocabulary; publishers, and the official
    example, also add all regions up together); empty when no country or region gives a share."""
    shared = [s for s in splits if s.kind in (COUNTRY, REGION) and s.percentage is not None]
    if not shared:
        return []
    countries = sum((s.percentage or Decimal(0) for s in shared if s.kind == COUNTRY), Decimal(0))
    everything = sum((s.percentage or Decimal(0) for s in shared), Decimal(0))
    vocabularies = sorted({s.vocabulary for s in shared if s.kind == REGION})
    per_vocabulary = [
        countries
        + sum(
            (s.percentage or Decimal(0) for s in shared if s.kind == REGION and s.vocabulary == v), Decimal(0)
        )
        for v in vocabularies
    ]
    return [everything, *per_vocabulary]


def _shares_of(what: str) -> str:
    """What a "percentages" breach adds up, in the reader's language (stored in English words: "sector
    (vocabulary 1)", "country/region"; they stayed English in every language)."""
    if what == "country/region":
        return _("country and region")
    found = re.fullmatch(r"sector \(vocabulary (.+)\)", what)
    if found:
        return _("sector (vocabulary %(vocabulary)s)") % {"vocabulary": found.group(1)}
    return what


def describe(rule: str, details: dict[str, Any] | None = None) -> str:
    """A breach (or a file refusal) in words, in the active language."""
    values = details or {}
    messages = {
        "schema": lambda: _("does not follow the IATI 2.03 schema: %(message)s"),
        "identifier-missing": lambda: _("has no iati-identifier"),
        "identifier-too-long": lambda: _("has an iati-identifier longer than 200 characters"),
        "identifier-duplicate": lambda: _(
            "repeats the iati-identifier %(identifier)s of an earlier activity of the same reporting "
            "organisation"
        ),
        "reporting-org-missing": lambda: _("names no reporting organisation identifier"),
        "unknown-code": lambda: _("uses %(code)s, which is not a code of the IATI %(list)s list"),
        "date-out-of-range": lambda: _("has a date that cannot be right: %(date)s"),
        "end-before-start": lambda: _("ends (%(end)s) before it starts (%(start)s)"),
        "last-updated-missing": lambda: _("has no last-updated-datetime, so a newer version cannot be told"),
        "last-updated-future": lambda: _("was last updated in the future (%(date)s)"),
        "amount-missing": lambda: _("has a transaction without a value"),
        "currency-missing": lambda: _("has an amount (%(value)s) in no stated currency"),
        "amount-too-large": lambda: _("has an amount too large to be right (%(value)s)"),
        "percentages": lambda: _("has %(what)s shares that add up to %(total)s, not 100"),
        "no-country": lambda: _("names no recipient country PUX knows"),
        "region-only": lambda: _(
            "names a recipient region but no country: PUX records assistance by recipient country"
        ),
        "not-xml": lambda: _("The file is not well-formed XML (line %(line)s: %(detail)s)."),
        "truncated": lambda: _("The file ends before its XML does: it looks truncated (line %(line)s)."),
        "too-large": lambda: _(
            "The file has an element too large or too deep to read safely (line %(line)s: %(detail)s)."
        ),
        "entities": lambda: _(
            "The file declares a DTD or entities (line %(line)s); IATI files never do, and such files can "
            "expand without limit, so it is not read."
        ),
        "not-iati": lambda: _("The file is XML but not an IATI activity file (its root is %(detail)s)."),
        "old-version": lambda: _("The file is IATI version %(detail)s; PUX reads versions 2.01 to 2.03."),
        "no-version": lambda: _(
            "The file does not say which IATI version it follows (the version of iati-activities); PUX reads "
            "versions 2.01 to 2.03."
        ),
    }
    template = messages.get(rule)
    if template is None:
        return rule
    if rule == "percentages" and "what" in values:
        values = {**values, "what": _shares_of(str(values["what"]))}
    try:
        return template() % {key: ("" if value is None else value) for key, value in values.items()}
    except (KeyError, ValueError):
        return template()
