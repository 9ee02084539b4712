"""Create / Update / Read shapes of the knowledge package: evidence entries, stories, myths, translations.

Codes (techniques, areas, countries, currencies) are checked against the reference data by the service,
which names every unknown one at once.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pux.i18n import gettext as _
from pux.knowledge.vocabulary import StudyMethod
from pux.validation import CleanInput, FieldValueError, RecordNumber, UtcDateTime

Version = Field(
    ge=1, le=2**31 - 1, description="The version that was edited; a stale version is refused (409)"
)
Language = Literal["en", "fr", "es", "ar", "zh", "ru"]
URL_PATTERN = r"^https?://[^\s]+$"
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Year = Field(default=None, ge=1800, le=2100)
STUDY_METHOD_HELP = "How the figure was obtained; null: the source does not say"


class SourceFields(CleanInput):
    """A citation: title, publisher, year (required), and a URL or a DOI (at least one)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=500)
    publisher: str = Field(default="", max_length=300)
    year: int | None = Year
    url: str | None = Field(default=None, max_length=1000, pattern=URL_PATTERN)
    doi: str | None = Field(default=None, max_length=200, pattern=DOI_PATTERN)

    @model_validator(mode="after")
    def _findable(self) -> SourceFields:
        if not (self.url or self.doi):
            raise FieldValueError("url", _("a source needs a web address (URL) or a DOI"))
        if self.year is None:
            # A story or finding that states figures is weighed by when they were measured: a source
            # without its year leaves the reader unable to tell.
            raise FieldValueError(
                "year", _("“%(title)s” needs its year (when it was published)") % {"title": self.title}
            )
        return self


def sources_from_lines(text: str) -> list[dict[str, Any]]:
    """Sources typed one per line as "title | publisher | year | URL or DOI" (a form's textarea)."""
    sources: list[dict[str, Any]] = []
    for line in (text or "").splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not any(parts):  # a blank line; one without a title is kept, and refused by name
            continue
        parts += [""] * (4 - len(parts))
        link = parts[3]
        year = parts[2]
        sources.append(
            {
                "title": parts[0],
                "publisher": parts[1],
                "year": int(year) if year.isdigit() and len(year) == 4 else (year or None),
                "url": link if link.startswith("http") else None,
                "doi": link if link and not link.startswith("http") else None,
            }
        )
    return sources


def sources_as_lines(sources: list[dict[str, Any]]) -> str:
    """The inverse of ``sources_from_lines``, to fill a form."""
    return "\n".join(
        " | ".join(
            [
                str(s.get("title") or ""),
                str(s.get("publisher") or ""),
                str(s.get("year") or ""),
                str(s.get("url") or s.get("doi") or ""),
            ]
        )
        for s in sources
    )


# --- Evidence -----------------------------------------------------------------------------------------


class EvidenceFields(CleanInput):
    """One claim of the ledger with its figure and its citation (required)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    technique_code: str = Field(min_length=1, max_length=40)
    comparator: str = Field(default="", max_length=300)
    claim: str = Field(min_length=10, max_length=2000)
    source_language: Language = Field(default="en", description="The language the claim is written in")
    value: float | None = Field(default=None, ge=-1e15, le=1e15, allow_inf_nan=False)
    value_high: float | None = Field(default=None, ge=-1e15, le=1e15, allow_inf_nan=False)
    unit: str = Field(default="", max_length=120)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    price_year: int | None = Year
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    region: str | None = Field(default=None, max_length=120)
    period_start: int | None = Year
    period_end: int | None = Year
    study_method: StudyMethod | None = Field(default=None, description=STUDY_METHOD_HELP)
    citation_title: str = Field(min_length=3, max_length=500)
    citation_publisher: str = Field(default="", max_length=300)
    citation_year: int | None = Year
    citation_url: str | None = Field(default=None, max_length=1000, pattern=URL_PATTERN)
    citation_doi: str | None = Field(default=None, max_length=200, pattern=DOI_PATTERN)
    note: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _coherent(self) -> EvidenceFields:
        if not (self.citation_url or self.citation_doi):
            raise FieldValueError("citation_url", _("the citation needs a web address (URL) or a DOI"))
        if self.value_high is not None and (self.value is None or self.value_high < self.value):
            raise FieldValueError(
                "value_high", _("the high end of the range must come with a value and not be below it")
            )
        if self.value is not None and not self.unit:
            raise FieldValueError("unit", _("a figure needs its unit"))
        if self.value is not None and not self._dated():
            # A figure without its year cannot be weighed (a 1990 cost is not today's): the year goes
            # beside the citation, where most figures take it from.
            raise FieldValueError(
                "citation_year",
                _("a figure needs its year: the year of its source, or the period it measures"),
            )
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise FieldValueError("period_end", _("the period must end after it starts"))
        return self

    def _dated(self) -> bool:
        return any(year is not None for year in (self.citation_year, self.period_start, self.period_end))


class EvidenceCreate(EvidenceFields):
    key: str | None = Field(default=None, max_length=80, pattern=r"^[A-Za-z0-9_.:-]+$")


class EvidenceUpdate(EvidenceFields):
    version: int = Version


class EvidenceCheck(CleanInput):
    """A reviewer confirms the figure against its source (made from this version of the entry)."""

    version: int = Version


class EvidenceDispute(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    version: int = Version
    reason: str = Field(min_length=10, max_length=2000)


class EvidenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str | None
    technique_code: str
    comparator: str
    claim: str
    source_language: str
    value: float | None
    value_high: float | None
    unit: str
    currency: str | None
    price_year: int | None
    country_iso3: str | None
    region: str | None
    period_start: int | None
    period_end: int | None
    study_method: StudyMethod | None = Field(description=STUDY_METHOD_HELP)
    citation_title: str
    citation_publisher: str
    citation_year: int | None
    citation_url: str | None
    citation_doi: str | None
    note: str
    status: str = Field(description="reported | checked | disputed")
    checked_at: UtcDateTime | None
    checked_by_name: str | None = Field(
        default=None,
        description="who checked the entry, by name: a reviewer in PUX, or who checked it before PUX held it "
        "(null when it is not checked)",
    )
    check_source: str | None = Field(default=None, description="the copy of the source that check read")
    dispute_reason: str | None
    version: int
    updated_at: UtcDateTime


# --- Stories and myths --------------------------------------------------------------------------------


class StoryFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=5, max_length=300)
    body: str = Field(default="", max_length=20_000)
    source_language: Language = "en"
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    technique_code: str | None = Field(default=None, max_length=40)
    thematic_area_code: str | None = Field(default=None, max_length=20)
    need_id: RecordNumber | None = None
    programme_id: RecordNumber | None = None
    activity_id: RecordNumber | None = None
    sources: list[SourceFields] = Field(default_factory=list, max_length=30)
    is_illustrative: bool = False
    status: Literal["draft", "published"] = "draft"


class StoryCreate(StoryFields):
    slug: str | None = Field(default=None, min_length=3, max_length=120, pattern=SLUG_PATTERN)


class StoryUpdate(StoryFields):
    version: int = Version


class KnowledgeReview(CleanInput):
    """A reviewer who did not write a story or myth reviews it, which publishes it (made from this
    version)."""

    version: int = Version


class MythFields(CleanInput):
    model_config = ConfigDict(str_strip_whitespace=True)

    claim: str = Field(min_length=5, max_length=500)
    finding: str = Field(min_length=10, max_length=20_000)
    source_language: Language = "en"
    sources: list[SourceFields] = Field(min_length=1, max_length=30)
    technique_codes: list[str] = Field(default_factory=list, max_length=30)
    thematic_area_codes: list[str] = Field(default_factory=list, max_length=10)
    is_published: bool = False

    @field_validator("technique_codes", "thematic_area_codes")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return sorted({value.strip() for value in values if value and value.strip()})


class MythCreate(MythFields):
    slug: str | None = Field(default=None, min_length=3, max_length=120, pattern=SLUG_PATTERN)


class MythUpdate(MythFields):
    version: int = Version


class SourceRead(BaseModel):
    title: str
    publisher: str = ""
    year: int | None = None
    url: str | None = None
    doi: str | None = None


class StoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    title: str
    body: str = Field(description="Markdown, in source_language")
    source_language: str
    country_iso3: str | None
    technique_code: str | None
    thematic_area_code: str | None
    need_id: int | None
    programme_id: int | None
    activity_id: int | None
    sources: list[SourceRead]
    status: str
    is_illustrative: bool
    reviewed_at: UtcDateTime | None
    version: int


class MythRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    claim: str
    finding: str = Field(description="Markdown, in source_language")
    source_language: str
    sources: list[SourceRead]
    technique_codes: list[str]
    thematic_area_codes: list[str]
    is_published: bool
    reviewed_at: UtcDateTime | None
    version: int


# --- Techniques ---------------------------------------------------------------------------------------


class TechniqueSummaryFields(CleanInput):
    """What an editor writes on a technique page: its plain summary and the SDG targets it serves. A
    summary too long is refused beside its box (it was cut and saved without a word), and NUL or broken
    Unicode by name."""

    summary: str = Field(default="", max_length=10_000)
    sdg_target_codes: list[str] = Field(default_factory=list, max_length=169)


class CellRead(BaseModel):
    criterion: str
    technique: str | None = Field(description="null: unknown")
    alternative: str | None = Field(description="null: unknown")
    source: SourceRead | None = Field(description="null: no source known")


class AlternativeRead(BaseModel):
    code: str
    name: str
    relation: str
    cells: list[CellRead]


class PrerequisiteRead(BaseModel):
    kind: str
    text: str


class TechniqueRead(BaseModel):
    code: str
    slug: str
    name: str
    thematic_area_code: str
    summary: str
    summary_language: str = Field(
        description="The language the summary is given in (a fallback when not yours)"
    )
    sdg_target_codes: list[str]
    prerequisites: list[PrerequisiteRead]
    alternatives: list[AlternativeRead]
    reviewed_at: UtcDateTime | None


# --- Translations -------------------------------------------------------------------------------------


class TranslationFields(CleanInput):
    """A translation of one field of a record into one language (a draft until a reviewer reviews it)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    field: str = Field(min_length=1, max_length=40)
    language: Language
    text: str = Field(min_length=1, max_length=20_000)


def slug_from(text: str) -> str:
    """A readable address from a title ("Food is radioactive" -> "food-is-radioactive")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:100].strip("-") or "item"
