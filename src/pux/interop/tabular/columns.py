"""The columns of each exchanged table: header, field, kind and HXL hashtag. Pure data and conversions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pux.errors import ValidationFailed
from pux.i18n import gettext as _
from pux.validation import typed_amount, typed_field_number, typed_number, western_digits

LIST_SEPARATOR = ";"
# What separates the items of a list cell: the comma and semicolon as each script writes them (Arabic "،"
# and "؛", the ideographic "、", the full-width "，" and "；"). "3.4، 3.8" was read as the one code "3.4،".
LIST_SEPARATORS = ",;،؛、，；"
_LIST_CELL_SPLIT = re.compile(f"[{LIST_SEPARATORS}]")
# A code typed in one field is also ended by a space ("3.4 3.8").
_TYPED_CODES_SPLIT = re.compile(rf"[\s{LIST_SEPARATORS}]+")


def ascii_code(text: str) -> str:
    """A code as PUX stores it, whatever script's digits it was typed in ("٣.٤" and "३.४" are 3.4)."""
    return western_digits(text.strip())


def typed_codes(text: object) -> list[str]:
    """Codes typed into one field ("3.4, 3.8; 5.6", "٣٫٤، ٣٫٨") as a list of codes in ASCII digits."""
    return [ascii_code(code) for code in _TYPED_CODES_SPLIT.split(str(text or "")) if code.strip()]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str, int, decimal, bool, list, date
    hxl: str = ""
    export_only: bool = False


def to_cell(value: Any, kind: str) -> str:
    """A value as the text of a cell (lists joined with ';', booleans as true/false, missing as empty)."""
    if value is None:
        return ""
    if kind == "list":
        return LIST_SEPARATOR.join(str(item) for item in value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "decimal":
        return format(Decimal(value).normalize(), "f") if Decimal(value) != 0 else "0"
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def from_cell(text: str, kind: str, *, as_page_writes: bool = False) -> Any:
    """A cell's text as a value for the schema; raises ValueError with a translated message. An amount is
    read as PUX's exports write it, and also as the page's language writes numbers when
    ``as_page_writes`` (an import from a page, not from the API)."""
    text = text.strip()
    if kind == "list":
        return [ascii_code(item) for item in _LIST_CELL_SPLIT.split(text) if item.strip()]
    if text == "":
        return False if kind == "bool" else None
    if kind == "bool":
        lowered = text.lower()
        if lowered in {"true", "yes", "1", "oui", "sí", "si"}:
            return True
        if lowered in {"false", "no", "0", "non"}:
            return False
        raise ValueError(_("must be true or false"))
    if kind == "int":
        return _whole_number(text)
    if kind == "decimal":
        return _number(text, as_page_writes=as_page_writes)
    if kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError as error:
            raise ValueError(_("must be a date (YYYY-MM-DD)")) from error
    return text


# More digits than any whole number a field takes (the largest, a 64-bit key, has 19). Python refuses to
# read a number of more than 4,300 digits, in words of its own; one of thousands of digits is no one's.
MAX_WHOLE_NUMBER_DIGITS = 20


def _whole_number(text: str) -> int:
    """Digits of any script (an Arabic spreadsheet writes "٤٠٠٠٠", see typed_number), after an optional
    minus sign. The digits are checked as ASCII ones: ``isdigit`` alone admits "²", which ``int`` then
    refuses in words of its own."""
    figures = typed_number(text)
    digits = figures.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(_("must be a whole number"))
    if len(digits.lstrip("0")) > MAX_WHOLE_NUMBER_DIGITS:
        raise ValueError(_("has too many digits (at most %(limit)s)") % {"limit": MAX_WHOLE_NUMBER_DIGITS})
    return int(figures)


# Every decimal column holds an amount of money, kept to the cent.
AMOUNT_PLACES = 2


# An amount as PUX's own exports write it ("1250000.5"): read the same in every language, so that an export
# imported again from a French or Spanish page is read as written.
_EXPORTED_AMOUNT = re.compile(r"-?\d+(\.\d+)?")


def _number(text: str, *, as_page_writes: bool) -> Decimal:
    """An amount as PUX's exports write it, else (``as_page_writes``) as the page's language writes numbers
    ("1 250 000,50" on a French page, "1.250.000,50" on a Spanish one, as the forms read them: a French
    focal point's decimal commas were refused with "must be a number"). One that could be read two ways
    ("1,250" on a French page) or cannot be read is refused with an example in the page's language. One
    written with more than two decimals is refused as written: "250.000" from a Spanish spreadsheet
    (250,000) was saved as 250."""
    if _EXPORTED_AMOUNT.fullmatch(text):
        return typed_amount(text, AMOUNT_PLACES)
    if not as_page_writes:
        raise ValueError(_("must be a number written as PUX's exports write it, such as 1250000.50"))
    try:
        return typed_field_number("", text, places=AMOUNT_PLACES)
    except ValidationFailed as refused:
        raise ValueError(refused.problems[0].message) from None


NEED_COLUMNS = (
    Column("id", "int", "#meta+id"),
    Column("version", "int", "#meta+version"),
    Column("reference", "str", "#meta+reference", export_only=True),
    Column("status", "str", "#status", export_only=True),
    # The rank the need's page shows the reader: the country's own, or the order among what they may see.
    Column("national_rank", "int", "#meta+rank", export_only=True),
    Column("country_iso3", "str", "#country+code"),
    Column("title", "str", "#description+title"),
    Column("description", "str", "#description"),
    Column("thematic_area_code", "str", "#sector+code"),
    Column("technique_codes", "list", "#subsector+technique"),
    Column("sdg_target_codes", "list", "#indicator+sdg+target"),
    Column("modalities_wanted", "list", "#modality"),
    Column("beneficiaries_count", "int", "#targeted+num"),
    Column("beneficiaries_women_share", "int", "#targeted+f+pct"),
    Column("beneficiary_description", "str", "#beneficiary"),
    Column("gender_dimension", "str", "#description+gender"),
    Column("vulnerable_groups", "list", "#beneficiary+vulnerable"),
    Column("estimated_cost", "decimal", "#value+cost"),
    Column("currency", "str", "#currency"),
    Column("cofinancing_amount", "decimal", "#value+cofinancing"),
    Column("cofinancing_note", "str", "#description+cofinancing"),
    Column("regulatory_body", "str", "#capacity+regulatory"),
    Column("infrastructure", "str", "#capacity+infrastructure"),
    Column("trained_staff", "str", "#capacity+staff"),
    Column("horizon", "str", "#date+horizon"),
    Column("national_plan_reference", "str", "#meta+plan"),
    Column("cpf_priority", "str", "#meta+cpf"),
    Column("tc_project_code", "str", "#activity+code+tc"),
    Column("unfunded_footnote_a", "bool", "#status+unfunded"),
    Column("visibility", "str", "#meta+visibility"),
    Column("organisation_id", "int", "#org+id"),
)

PROGRAMME_COLUMNS = (
    Column("id", "int", "#meta+id"),
    Column("version", "int", "#meta+version"),
    Column("status", "str", "#status", export_only=True),
    Column("organisation_id", "int", "#org+id"),
    Column("title", "str", "#activity+name"),
    Column("description", "str", "#description"),
    Column("modality", "str", "#modality"),
    Column("thematic_area_codes", "list", "#sector+code"),
    Column("technique_codes", "list", "#subsector+technique"),
    Column("sdg_target_codes", "list", "#indicator+sdg+target"),
    Column("eligible_country_codes", "list", "#country+code+eligible"),
    Column("eligible_region_codes", "list", "#region+code+eligible"),
    Column("eligible_income_groups", "list", "#meta+income+eligible"),
    Column("eligible_groups", "list", "#meta+group+eligible"),
    Column("total_budget", "decimal", "#value+budget+total"),
    Column("remaining_budget", "decimal", "#value+budget+remaining"),
    Column("max_per_need", "decimal", "#value+max"),
    Column("currency", "str", "#currency"),
    Column("window_start", "date", "#date+start"),
    Column("window_end", "date", "#date+end"),
    Column("working_languages", "list", "#meta+language"),
    Column("gender_focus", "bool", "#meta+gender"),
    Column("visibility", "str", "#meta+visibility"),
)

ACTIVITY_COLUMNS = (
    Column("id", "int", "#meta+id"),
    Column("version", "int", "#meta+version"),
    Column("external_id", "str", "#activity+id"),
    # The identifier an IATI file gave an imported activity: shown so that a shared file can be traced back
    # to its publisher; an import cannot change it.
    Column("iati_identifier", "str", "#activity+code+v_iati", export_only=True),
    Column("title", "str", "#activity+name"),
    Column("description", "str", "#description"),
    Column("provider_organisation_id", "int", "#org+funder+id"),
    Column("implementer", "str", "#org+impl+name"),
    Column("recipient_country_iso3", "str", "#country+code"),
    Column("need_id", "int", "#meta+need"),
    Column("programme_id", "int", "#meta+programme"),
    Column("thematic_area_code", "str", "#sector+code"),
    Column("technique_code", "str", "#subsector+technique"),
    Column("amount_committed", "decimal", "#value+committed"),
    Column("amount_disbursed", "decimal", "#value+disbursed"),
    Column("currency", "str", "#currency"),
    Column("start_date", "date", "#date+start"),
    Column("end_date", "date", "#date+end"),
    Column("status", "str", "#status"),
    Column("dac_sector_codes", "list", "#sector+dac"),
    Column("sdg_codes", "list", "#indicator+sdg"),
    Column("visibility", "str", "#meta+visibility"),
)
