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

from pux.assistance.money import AMOUNT_LIMIT
from pux.i18n import decimal_text
from pux.i18n import gettext as _
from pux.interop.iati.codelists import SECTOR_VOCABULARY_LISTS, codelists
from pux.interop.iati.records import (
    ACTUAL_END,
    ACTUAL_START,
    COMMITTED_TYPES,
    COUNTRY,
    DISBURSED_TYPES,
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
# What a "percentages" breach adds up, stored as a code (with the vocabulary and the total as numbers) so
# that the report is worded in its reader's language when shown.
SECTOR_SHARES, GEOGRAPHY_SHARES = "sector", "country-region"
# The transactions an activity's amounts add up: its commitments, and its disbursements and expenditure.
COUNTED_TYPES = (COMMITTED_TYPES, DISBURSED_TYPES)


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
        elif abs(transaction.value) >= AMOUNT_LIMIT:
            breaches.append(Breach("amount-too-large", record.line, {"value": str(transaction.value)}))
    _check_totals(record, breaches)


def _check_totals(record: ActivityRecord, breaches: list[Breach]) -> None:
    """The activity's committed and disbursed totals (one per currency) within what PUX stores and its
    forms take (less than AMOUNT_LIMIT): one saved with more could not be saved again from its edit form."""
    totals: dict[tuple[frozenset[str], str | None], Decimal] = {}
    for transaction in record.transactions:
        kinds = next((kinds for kinds in COUNTED_TYPES if transaction.type in kinds), None)
        if kinds is None or transaction.value is None or abs(transaction.value) >= AMOUNT_LIMIT:
            continue  # not counted, or already refused on its own
        key = (kinds, transaction.currency or record.default_currency)
        totals[key] = totals.get(key, Decimal(0)) + transaction.value
    for total in totals.values():
        if abs(total) >= AMOUNT_LIMIT:
            breaches.append(Breach("amount-too-large", record.line, {"value": str(total)}))


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
            shares = {"shares": SECTOR_SHARES, "vocabulary": vocabulary, "total": _number(total)}
            breaches.append(Breach("percentages", record.line, shares))
    totals = _geography_totals(record.splits)
    if totals and not any(abs(total - 100) <= PERCENT_TOLERANCE for total in totals):
        shares = {"shares": GEOGRAPHY_SHARES, "total": _number(totals[0])}
        breaches.append(Breach("percentages", record.line, shares))


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


def _shares_in_words(details: dict[str, Any]) -> dict[str, Any]:
    """A "percentages" breach's details as its sentence takes them, in the reader's language: what the
    shares are of, and their total in the language's notation (a French reader reads "60,5")."""
    shares = details.get("shares")
    if shares == SECTOR_SHARES:
        what = _("sector (vocabulary %(vocabulary)s)") % {"vocabulary": details.get("vocabulary", "")}
    elif shares == GEOGRAPHY_SHARES:
        what = _("country and region")
    else:
        what = _shares_of(str(details.get("what", "")))
    return {**details, "what": what, "total": _total_text(str(details.get("total", "")))}


def _total_text(total: str) -> str:
    """A stored total ("60.5") in the active language's notation, with every decimal it was stored with
    (rounded, 100.0004 would read as the 100 it is not); a total that is no number stays as stored."""
    try:
        value = Decimal(total)
    except ArithmeticError:
        return total
    if not value.is_finite():
        return total
    exponent = value.normalize().as_tuple().exponent
    decimals = min(-exponent, 10) if isinstance(exponent, int) and exponent < 0 else 0
    return decimal_text(float(value), "#,##0." + "#" * decimals if decimals else "#,##0")


def _shares_of(what: str) -> str:
    """What a "percentages" breach stored before its shares had a code adds up, in the reader's language
    (stored in English words: "sector (vocabulary 1)", "country/region"); anything else as stored."""
    if what == "country/region":
        return _("country and region")
    found = re.fullmatch(r"sector \(vocabulary (.+)\)", what)
    if found:
        return _("sector (vocabulary %(vocabulary)s)") % {"vocabulary": found.group(1)}
    return what


# The schema validator's (libxml2's) messages, in English only: "Element 'value': '12abc' is not a valid
# value of the atomic type 'xs:decimal'." Read into their parts so a report says them in its language.
_SCHEMA_PLACE = re.compile(
    r"^Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)$", re.S
)
_SCHEMA_PROBLEMS = (
    ("bad-value", re.compile(r"^'(?P<value>.*)' is not a valid value of the \w+ type '(?P<type>[^']+)'")),
    ("bad-value", re.compile(r"^\[facet '[^']+'\] The value '(?P<value>.*?)' ")),
    ("missing-attribute", re.compile(r"^The attribute '(?P<named>[^']+)' is required but missing")),
    ("unknown-attribute", re.compile(r"^The attribute '(?P<named>[^']+)' is not allowed")),
    (
        "unexpected-element",
        re.compile(r"^This element is not expected\.(?: Expected is (?:one of )?\( (?P<expected>.*) \))?"),
    ),
    (
        "missing-child",
        re.compile(r"^Missing child element\(s\)\.(?: Expected is (?:one of )?\( (?P<expected>.*) \))?"),
    ),
)


def schema_problem(message: str) -> dict[str, str]:
    """The parts of a schema validator's message: the problem (one of _SCHEMA_PROBLEMS' kinds, else
    "other"), the element and attribute it is in, the value refused, the XML type it should have, the
    attribute missing or not allowed, the elements expected; only those it names."""
    place = _SCHEMA_PLACE.match(message.strip())
    if place is None:
        return {"problem": "other"}
    found: dict[str, str] = {"problem": "other", "element": place["element"]}
    if place["attribute"]:
        found["attribute"] = place["attribute"]
    for problem, pattern in _SCHEMA_PROBLEMS:
        matched = pattern.match(place["rest"])
        if matched:
            found["problem"] = problem
            found.update({key: value for key, value in matched.groupdict().items() if value is not None})
            break
    if "expected" in found:
        # "##other*" stands for elements of other namespaces, which a reader cannot act on.
        names = [name.strip() for name in found["expected"].split(",") if not name.strip().startswith("##")]
        found["expected"] = ", ".join(names)
    return found


def _tags(names: str) -> str:
    """Element names as they are written in the file ("<title>"), so that a sentence tells them apart
    from its words (an element is called "value")."""
    return ", ".join(f"<{name.strip()}>" for name in names.split(",") if name.strip())


def _expected_type(xml_type: str) -> str | None:
    """What a value of the schema's type looks like, in words, for the types IATI files get wrong."""
    kinds = {
        "xs:decimal": lambda: _("a number"),
        "xs:double": lambda: _("a number"),
        "xs:float": lambda: _("a number"),
        "xs:integer": lambda: _("a whole number"),
        "xs:nonNegativeInteger": lambda: _("a whole number"),
        "xs:positiveInteger": lambda: _("a whole number"),
        "xs:date": lambda: _("a date (YYYY-MM-DD)"),
        "xs:dateTime": lambda: _("a date and time (YYYY-MM-DDThh:mm:ss)"),
        "xs:boolean": lambda: _("true, false, 1 or 0"),
        "xs:anyURI": lambda: _("a web address"),
    }
    kind = kinds.get(xml_type)
    return kind() if kind else None


def describe_schema_problem(message: str) -> str:
    """A schema validator's message as a sentence in the active language, naming the element and the
    value (the message itself stays English: shown beside it as the detail)."""
    parts = schema_problem(message)
    problem, element = parts["problem"], parts.get("element")
    if element is None:
        return _("does not follow the IATI 2.03 schema")
    parts = {**parts, "element": _tags(element), "expected": _tags(parts.get("expected", ""))}
    attribute = parts.get("attribute")
    place = _("attribute %(attribute)s of %(element)s") % parts if attribute else parts["element"]
    if problem == "bad-value":
        expected = _expected_type(parts.get("type", ""))
        values = {"value": parts["value"], "place": place, "expected": expected}
        if expected:
            return (
                _('has the value "%(value)s" in %(place)s, where the IATI 2.03 schema expects %(expected)s')
                % values
            )
        return _('has the value "%(value)s" in %(place)s, which the IATI 2.03 schema does not allow') % values
    if problem == "missing-attribute":
        return _("has %(element)s without its required attribute %(named)s") % parts
    if problem == "unknown-attribute":
        return (
            _("has an attribute %(named)s on %(element)s, which the IATI 2.03 schema does not allow") % parts
        )
    if problem == "unexpected-element" and parts.get("expected"):
        return _("has %(element)s where the IATI 2.03 schema expects %(expected)s") % parts
    if problem == "unexpected-element":
        return _("has %(element)s where the IATI 2.03 schema does not allow it") % parts
    if problem == "missing-child" and parts.get("expected"):
        return _("lacks an element in %(element)s that the IATI 2.03 schema requires: %(expected)s") % parts
    return _("does not follow the IATI 2.03 schema in %(element)s") % {"element": place}


def describe(rule: str, details: dict[str, Any] | None = None) -> str:
    """A breach (or a file refusal) in words, in the active language."""
    values = details or {}
    if rule == "schema" and "message" in values:
        return describe_schema_problem(str(values["message"]))
    if rule == "not-xml" and not values.get("column"):
        rule = "not-xml-anywhere"  # the parser found no place to name: the file holds no XML at all
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
        "amount-too-large": lambda: _(
            "has an amount or a total too large for PUX (%(value)s): amounts must be less than %(limit)s"
        ),
        "percentages": lambda: _("has %(what)s shares that add up to %(total)s, not 100"),
        "no-country": lambda: _("names no recipient country PUX knows"),
        "region-only": lambda: _(
            "names a recipient region but no country: PUX records assistance by recipient country"
        ),
        # The XML parser's own message is English whatever the reader's language: it goes to the log, and
        # the sentence names where the file stops being XML.
        "not-xml": lambda: _(
            "The file is not well-formed XML: it stops being XML at line %(line)s, column %(column)s."
        ),
        "not-xml-anywhere": lambda: _("The file is not XML: it holds no XML element."),
        "encoding": lambda: _(
            "The file's characters at line %(line)s, column %(column)s are not in the encoding it declares "
            "(UTF-8 when it declares none): save it as UTF-8."
        ),
        "truncated": lambda: _("The file ends before its XML does: it looks truncated (line %(line)s)."),
        "too-large": lambda: _(
            "The file has an element too large or too deep to read safely (line %(line)s, column %(column)s)."
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
    if rule == "percentages":
        values = _shares_in_words(values)
    if rule == "amount-too-large":
        values = {**values, "limit": decimal_text(float(AMOUNT_LIMIT), "#,##0")}
    try:
        return template() % {key: ("" if value is None else value) for key, value in values.items()}
    except (KeyError, ValueError):
        return template()
