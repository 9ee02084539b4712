"""A streaming reader of IATI 2.03 activity files: constant memory whatever the file's size.

lxml's ``iterparse`` hands over one ``iati-activity`` at a time; each is checked against the XSD,
turned into an ``ActivityRecord`` and cleared with everything before it. The parser never resolves
entities, never reaches the network and keeps libxml2's limits on text size and depth (no
``huge_tree``), so an entity bomb or a single enormous element is refused instead of eating memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from pux.interop.iati.records import (
    COUNTRY,
    REGION,
    SECTOR,
    ActivityRecord,
    FileHeader,
    Narrative,
    OrganisationRef,
    RelatedActivity,
    Split,
    Transaction,
)
from pux.interop.iati.schema import schema_problems

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROOT, ACTIVITY = "iati-activities", "iati-activity"
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
}
# Why a whole file is refused (rule codes; rules.describe_file_refusal words them for people).
NOT_XML, ENCODING, TRUNCATED, TOO_LARGE, ENTITIES, NOT_IATI, OLD_VERSION, NO_VERSION = (
    "not-xml",
    "encoding",
    "truncated",
    "too-large",
    "entities",
    "not-iati",
    "old-version",
    "no-version",
)
READABLE_VERSION = re.compile(r"2\.0[1-3]")


class FileRefused(Exception):
    """The file as a whole cannot be read as IATI 2.03; nothing of it is imported. ``detail`` is what the
    file holds instead (its root, its version) or, for XML that cannot be parsed, the parser's own English
    message, which is for the log: people are told the line and column."""

    def __init__(
        self, reason: str, line: int | None = None, detail: str = "", column: int | None = None
    ) -> None:
        super().__init__(f"{reason} (line {line}, column {column}): {detail}")
        self.reason = reason
        self.line = line
        self.column = column
        self.detail = detail


@dataclass
class ReadActivity:
    """One activity as read: its record, and the XSD's complaints (line, message), if any."""

    position: int
    record: ActivityRecord
    schema_problems: list[tuple[int, str]]


Source = Path | BinaryIO


def _open(source: Source) -> BinaryIO:
    return source.open("rb") if isinstance(source, Path) else source


def _last_line(handle: BinaryIO) -> int:
    """The number of the file's last line (counted in chunks, constant memory)."""
    handle.seek(0)
    count = 1
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        count += chunk.count(b"\n")
    return count


def _syntax_refusal(error: etree.XMLSyntaxError, handle: BinaryIO | None = None) -> FileRefused:
    """The refusal of a file the XML parser stopped on: where (libxml2 counts lines and columns from 1,
    and says 0 when it read no line at all), and the parser's own message as the detail."""
    message = str(error.msg or error)
    line, column = error.position
    reason = _syntax_reason(message.lower(), error.lineno, handle)
    return FileRefused(reason, line or None, message, column or None)


def _syntax_reason(lowered: str, line: int | None, handle: BinaryIO | None) -> str:
    # Bytes that are not in the file's declared encoding (a Latin-1 file declaring UTF-8), wherever they are.
    if "character encoding" in lowered or "not proper utf-8" in lowered or "unsupported encoding" in lowered:
        return ENCODING
    # Whatever libxml2 says, XML that breaks off on the file's last line is a file cut short.
    broken_at_end = handle is not None and line is not None and line > 1 and line >= _last_line(handle)
    if broken_at_end and "resource limit" not in lowered and "excessive depth" not in lowered:
        return TRUNCATED
    if "resource limit" in lowered or "huge" in lowered or "excessive depth" in lowered:
        return TOO_LARGE
    if "entity" in lowered:
        return ENTITIES
    if (
        "end of data" in lowered
        or "premature end" in lowered
        or "couldn't find end" in lowered
        or ("not closed" in lowered)
    ):
        return TRUNCATED
    return NOT_XML  # "start tag expected", "extra content", "document is empty" and the rest


def _check_root(element: Any) -> FileHeader:
    if element.getroottree().docinfo.internalDTD is not None:
        raise FileRefused(ENTITIES, element.sourceline, "DOCTYPE")
    if element.tag != ROOT:
        raise FileRefused(NOT_IATI, element.sourceline, str(element.tag))
    version = element.get("version")
    # The schema requires the version; 2.01-2.03 share what PUX reads (1.0x and any later major differ).
    if version is None:
        raise FileRefused(NO_VERSION, element.sourceline)
    if not READABLE_VERSION.fullmatch(version.strip()):
        raise FileRefused(OLD_VERSION, element.sourceline, version)
    return FileHeader(version=version, generated_at=parse_datetime(element.get("generated-datetime")))


def _root_tag(handle: BinaryIO) -> str:
    """The name of the file's root element (for a refusal that says what the file is instead)."""
    handle.seek(0)
    try:
        for _event, element in etree.iterparse(handle, events=("start",), **PARSER_OPTIONS):
            return str(element.tag)[:80]
    except etree.XMLSyntaxError:
        pass
    return "?"


def _events(handle: BinaryIO) -> Any:
    return etree.iterparse(handle, events=("start", "end"), tag=(ROOT, ACTIVITY), **PARSER_OPTIONS)


def _is_activity(event: str, element: Any) -> bool:
    if event != "end" or element.tag != ACTIVITY:
        return False
    parent = element.getparent()
    # An iati-activity nested deeper is not an activity of this file.
    return parent is not None and parent.getparent() is None


def _forget(element: Any) -> None:
    """Drop a handled activity and everything before it, so memory stays flat."""
    parent = element.getparent()
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del parent[0]


def _walk(source: Source) -> Iterator[tuple[FileHeader, Any]]:
    """The file's header once its root is checked (with None), then (header, finished ``iati-activity``
    element) pairs; each element is cleared, with all that came before it, once the caller moves on.
    Raises FileRefused for a file that is not IATI XML, however far into the file that shows."""
    handle = _open(source)
    header: FileHeader | None = None
    try:
        for event, element in _events(handle):
            if header is None:
                header = _check_root(element)
                yield header, None
            elif _is_activity(event, element):
                yield header, element
                _forget(element)
        if header is None:
            raise FileRefused(NOT_IATI, None, _root_tag(handle))
    except etree.XMLSyntaxError as error:
        raise _syntax_refusal(error, handle) from error
    finally:
        if isinstance(source, Path):
            handle.close()


def _activity_elements(source: Source) -> Iterator[tuple[FileHeader, Any]]:
    """(file header, finished ``iati-activity`` element) pairs (see _walk)."""
    return ((header, element) for header, element in _walk(source) if element is not None)


def scan(source: Source) -> tuple[FileHeader, int]:
    """A first pass over the whole file: is it well-formed IATI XML, and how many activities it has.

    A file that is truncated or broken half way is refused here, before anything of it is written.
    """
    walked = _walk(source)
    header, _root = next(walked)  # a file without a root it could read is refused by _walk
    return header, sum(1 for _header, element in walked if element is not None)


def read(
    source: Source,
    *,
    validate: bool = True,
    skip: int = 0,
    on_skipped: Callable[[tuple[str, str]], None] | None = None,
) -> Iterator[tuple[FileHeader, ReadActivity]]:
    """Every activity of the file, in order, with its schema problems (streaming). The first ``skip``
    are only glanced at: ``on_skipped`` gets their (reporting organisation, identifier)."""
    for position, (header, element) in enumerate(_activity_elements(source)):
        if position < skip:
            if on_skipped is not None:
                reporting = element.find("reporting-org")
                ref = (reporting.get("ref") or "").strip() if reporting is not None else ""
                on_skipped((ref, (element.findtext("iati-identifier") or "").strip()))
            continue
        problems = schema_problems(element) if validate else []
        record = activity_record(element)
        yield header, ReadActivity(position=position, record=record, schema_problems=problems)


# --- From an element to a record -------------------------------------------------------------------


def parse_datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def parse_decimal(text: str | None) -> Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _narratives(element: Any, default_language: str) -> tuple[Narrative, ...]:
    if element is None:
        return ()
    found = []
    # Plain iteration: a tag-filtered iterchildren() costs more to set up than these few children take.
    for child in element:
        if child.tag == "narrative":
            text = child.text
            if text and (text := text.strip()):
                found.append(Narrative(language=child.get(XML_LANG, default_language) or "", text=text))
    return tuple(found)


def _organisation(element: Any, language: str, *, activity_attribute: str = "activity-id") -> OrganisationRef:
    return OrganisationRef(
        ref=(element.get("ref") or "").strip() or None,
        type=element.get("type"),
        names=_narratives(element, language),
        activity_id=(element.get(activity_attribute) or "").strip() or None,
        role=element.get("role"),
    )


def _split(element: Any, kind: str, language: str) -> Split:
    vocabulary = element.get("vocabulary") or "1"
    return Split(
        kind=kind,
        vocabulary=vocabulary,
        code=(element.get("code") or "").strip(),
        percentage=parse_decimal(element.get("percentage")),
        vocabulary_uri=element.get("vocabulary-uri"),
        names=_narratives(element, language),
    )


SPLIT_KINDS = {"sector": SECTOR, "recipient-country": COUNTRY, "recipient-region": REGION}


def _splits_in_order(found: dict[str, list[Split]]) -> tuple[Split, ...]:
    return (*found[SECTOR], *found[COUNTRY], *found[REGION])


def _transaction(element: Any, language: str) -> Transaction:
    # One pass over the children (each find() would walk them again: this runs for every transaction).
    kind = value = provider = receiver = day = None
    description: tuple[Narrative, ...] = ()
    splits: dict[str, list[Split]] = {SECTOR: [], COUNTRY: [], REGION: []}
    for child in element:
        tag = child.tag
        if tag == "transaction-type":
            kind = child.get("code", "")
        elif tag == "transaction-date":
            day = parse_date(child.get("iso-date"))
        elif tag == "value":
            value = child
        elif tag == "provider-org":
            provider = _organisation(child, language, activity_attribute="provider-activity-id")
        elif tag == "receiver-org":
            receiver = _organisation(child, language, activity_attribute="receiver-activity-id")
        elif tag in SPLIT_KINDS:
            split_kind = SPLIT_KINDS[tag]
            splits[split_kind].append(_split(child, split_kind, language))
        elif tag == "description":
            description = _narratives(child, language)
    return Transaction(
        type=kind or "",
        date=day,
        value=parse_decimal(value.text) if value is not None else None,
        currency=value.get("currency") if value is not None else None,
        value_date=parse_date(value.get("value-date")) if value is not None else None,
        provider=provider,
        receiver=receiver,
        splits=_splits_in_order(splits),
        description=description,
    )


def activity_record(element: Any) -> ActivityRecord:
    """What PUX keeps of one ``iati-activity`` element (one pass over its children)."""
    language = element.get(XML_LANG) or ""
    identifier = ""
    reporting = OrganisationRef(None)
    titles: tuple[Narrative, ...] = ()
    status = None
    descriptions: list[tuple[str, Narrative]] = []
    participants: list[OrganisationRef] = []
    dates: dict[str, date] = {}
    splits: dict[str, list[Split]] = {SECTOR: [], COUNTRY: [], REGION: []}
    transactions: list[Transaction] = []
    related: list[RelatedActivity] = []
    for child in element:
        tag = child.tag
        if tag == "transaction":
            transactions.append(_transaction(child, language))
        elif tag in SPLIT_KINDS:
            split_kind = SPLIT_KINDS[tag]
            splits[split_kind].append(_split(child, split_kind, language))
        elif tag == "participating-org":
            participants.append(_organisation(child, language))
        elif tag == "description":
            kind = child.get("type") or "1"
            descriptions += [(kind, narrative) for narrative in _narratives(child, language)]
        elif tag == "activity-date":
            parsed, date_type = parse_date(child.get("iso-date")), child.get("type")
            if parsed is not None and date_type:
                dates[date_type] = parsed
        elif tag == "iati-identifier":
            identifier = child.text or ""
        elif tag == "reporting-org":
            reporting = _organisation(child, language)
        elif tag == "title":
            titles = _narratives(child, language)
        elif tag == "activity-status":
            status = child.get("code")
        elif tag == "related-activity":
            ref = (child.get("ref") or "").strip()
            if ref:
                related.append(RelatedActivity(ref=ref, type=child.get("type") or ""))
    return ActivityRecord(
        identifier=identifier.strip(),
        line=element.sourceline or 0,
        last_updated=parse_datetime(element.get("last-updated-datetime")),
        default_currency=element.get("default-currency"),
        default_language=language,
        reporting_org=reporting,
        titles=titles,
        descriptions=tuple(descriptions),
        participating_orgs=tuple(participants),
        status=status,
        dates=dates,
        splits=_splits_in_order(splits),
        transactions=tuple(transactions),
        related=tuple(related),
    )
