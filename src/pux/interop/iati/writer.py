"""Writes activities as IATI 2.03 XML, streaming (one activity in memory at a time).

Elements come in the order the 2.03 schema's sequences require; narratives carry ``xml:lang``
unless they are in the activity's default language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any, BinaryIO

from lxml import etree

from pux.interop.iati.records import (
    COUNTRY,
    REGION,
    SECTOR,
    ActivityRecord,
    Narrative,
    OrganisationRef,
    Split,
    Transaction,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IATI_VERSION = "2.03"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


# What XML 1.0 cannot hold: control characters but tab and line ends, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold: forms refuse them now, but a record saved before
    (or written around PUX) must not make the whole file fail for everyone."""
    return _NOT_XML.sub("", text)


def _narratives(parent: Any, narratives: Iterable[Narrative], default_language: str) -> None:
    for narrative in narratives:
        element = etree.SubElement(parent, "narrative")
        if narrative.language and narrative.language != default_language:
            element.set(XML_LANG, narrative.language)
        element.text = xml_text(narrative.text)


def _organisation(
    parent: Any, tag: str, org: OrganisationRef, language: str, activity_attribute: str
) -> None:
    element = etree.SubElement(parent, tag)
    if org.ref:
        element.set("ref", org.ref)
    if org.role and tag == "participating-org":
        element.set("role", org.role)
    if org.type:
        element.set("type", org.type)
    if org.activity_id:
        element.set(activity_attribute, org.activity_id)
    _narratives(element, org.names, language)


def _splits(parent: Any, splits: Iterable[Split], kinds: tuple[str, ...], language: str) -> None:
    tags = {SECTOR: "sector", COUNTRY: "recipient-country", REGION: "recipient-region"}
    for kind in kinds:
        for split in splits:
            if split.kind != kind:
                continue
            element = etree.SubElement(parent, tags[kind])
            element.set("code", split.code)
            if kind != COUNTRY and split.vocabulary:
                element.set("vocabulary", split.vocabulary)
            if split.vocabulary_uri:
                element.set("vocabulary-uri", split.vocabulary_uri)
            if split.percentage is not None:
                element.set("percentage", _amount(split.percentage))
            _narratives(element, split.names, language)


def _transaction(parent: Any, transaction: Transaction, record: ActivityRecord) -> None:
    element = etree.SubElement(parent, "transaction")
    etree.SubElement(element, "transaction-type", code=transaction.type)
    when = transaction.date or transaction.value_date or date.today()
    etree.SubElement(element, "transaction-date", {"iso-date": when.isoformat()})
    value = etree.SubElement(element, "value", {"value-date": (transaction.value_date or when).isoformat()})
    if transaction.currency and transaction.currency != record.default_currency:
        value.set("currency", transaction.currency)
    value.text = _amount(transaction.value or Decimal(0))
    if transaction.description:
        _narratives(
            etree.SubElement(element, "description"), transaction.description, record.default_language
        )
    if transaction.provider is not None:
        _organisation(
            element, "provider-org", transaction.provider, record.default_language, "provider-activity-id"
        )
    if transaction.receiver is not None:
        _organisation(
            element, "receiver-org", transaction.receiver, record.default_language, "receiver-activity-id"
        )
    _splits(element, transaction.splits, (SECTOR, COUNTRY, REGION), record.default_language)


def activity_element(record: ActivityRecord) -> Any:
    """One ``iati-activity`` element, in schema order."""
    language = record.default_language
    activity = etree.Element("iati-activity")
    if language:
        activity.set(XML_LANG, language)
    if record.default_currency:
        activity.set("default-currency", record.default_currency)
    if record.last_updated:
        activity.set("last-updated-datetime", _iso(record.last_updated))
    etree.SubElement(activity, "iati-identifier").text = xml_text(record.identifier)
    _organisation(activity, "reporting-org", record.reporting_org, language, "activity-id")
    _narratives(etree.SubElement(activity, "title"), record.titles, language)
    for kind in sorted({kind for kind, _n in record.descriptions}):
        description = etree.SubElement(activity, "description", type=kind)
        _narratives(description, (n for k, n in record.descriptions if k == kind), language)
    for organisation in record.participating_orgs:
        _organisation(activity, "participating-org", organisation, language, "activity-id")
    if record.status:
        etree.SubElement(activity, "activity-status", code=record.status)
    for kind in sorted(record.dates):
        day = etree.SubElement(
            activity, "activity-date", {"iso-date": record.dates[kind].isoformat(), "type": kind}
        )
        _narratives(day, record.date_notes.get(kind, ()), language)
    _splits(activity, record.splits, (COUNTRY, REGION, SECTOR), language)
    for transaction in record.transactions:
        _transaction(activity, transaction, record)
    for related in record.related:
        etree.SubElement(activity, "related-activity", ref=related.ref, type=related.type)
    return activity


def write_activities(
    target: BinaryIO | IO[bytes], records: Iterable[ActivityRecord], *, generated_at: datetime | None = None
) -> int:
    """Write an ``iati-activities`` file of the records (streaming); returns how many were written."""
    count = 0
    with etree.xmlfile(target, encoding="utf-8") as xml:
        xml.write_declaration()
        attributes = {"version": IATI_VERSION, "generated-datetime": _iso(generated_at or datetime.now(UTC))}
        with xml.element("iati-activities", attributes):
            for record in records:
                xml.write(activity_element(record), pretty_print=True)
                count += 1
    return count
