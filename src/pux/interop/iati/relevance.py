"""Which IATI activities concern the peaceful uses of nuclear techniques (rules in relevance.toml).

Plain Python on plain data: the rules file is parsed into ``RelevanceRules``; PUX's technique names
come in as a mapping, so this module needs no database.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from pux.interop.iati.codelists import DAC_5_DIGIT
from pux.interop.iati.records import COUNTRY, SECTOR, ActivityRecord, Split

SECTOR_VOCABULARIES_DAC = frozenset({"1", "2"})


class RulesFileError(ValueError):
    """The relevance rules file cannot be used; the message says where."""


@dataclass(frozen=True)
class TechniqueTerms:
    """A PUX technique: its code, thematic area and its names in the six languages."""

    code: str
    thematic_area: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str = ""
    technique_code: str | None = None
    thematic_area_code: str | None = None


@dataclass(frozen=True)
class RelevanceRules:
    relevant_sectors: frozenset[str]
    keyword_needs_prefix: tuple[str, ...]
    keywords: tuple[str, ...]
    use_technique_names: bool
    area_prefixes: tuple[tuple[str, str], ...]  # (prefix, area), longest prefix first
    technique_keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()
    techniques: tuple[TechniqueTerms, ...] = ()
    technique_vocabulary_uri: str = ""
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def with_techniques(self, techniques: Iterable[TechniqueTerms], vocabulary_uri: str) -> RelevanceRules:
        return RelevanceRules(
            relevant_sectors=self.relevant_sectors,
            keyword_needs_prefix=self.keyword_needs_prefix,
            keywords=self.keywords,
            use_technique_names=self.use_technique_names,
            area_prefixes=self.area_prefixes,
            technique_keywords=self.technique_keywords,
            techniques=tuple(techniques),
            technique_vocabulary_uri=vocabulary_uri,
        )


def fold(text: str) -> str:
    """Lower case without accents (so "Radiothérapie" and "radiotherapie" match)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def default_rules_path() -> Path:
    return Path(str(files("pux.interop.iati").joinpath("data", "relevance.toml")))


def load_rules(path: Path | None = None) -> RelevanceRules:
    """Read a rules file (the packaged one when no path is given); a broken file is refused clearly."""
    source = path or default_rules_path()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RulesFileError(f"{source}: {error}") from error
    try:
        sectors = data.get("sectors", {})
        keywords = [word for words in data.get("keywords", {}).values() for word in words]
        areas = [
            (str(prefix), str(area))
            for area, prefixes in data.get("thematic_areas", {}).items()
            for prefix in prefixes
        ]
        return RelevanceRules(
            relevant_sectors=frozenset(str(code) for code in sectors.get("relevant", [])),
            keyword_needs_prefix=tuple(str(prefix) for prefix in sectors.get("keyword_needs_prefix", [])),
            keywords=tuple(sorted({fold(str(word)) for word in keywords if str(word).strip()})),
            use_technique_names=bool(data.get("techniques", {}).get("use_technique_names", True)),
            area_prefixes=tuple(sorted(areas, key=lambda pair: -len(pair[0]))),
            technique_keywords=tuple(
                (str(code), tuple(fold(str(word)) for word in words))
                for code, words in data.get("technique_keywords", {}).items()
            ),
        )
    except (AttributeError, TypeError) as error:
        raise RulesFileError(f"{source}: {error}") from error


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for many keywords: word-start for alphabetic scripts, anywhere for Han."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word)
        parts.append(escaped if _has_han(word) else rf"(?<!\w){escaped}")
    return re.compile("|".join(parts)) if parts else None


def _dac_sectors(record: ActivityRecord) -> list[str]:
    splits: list[Split] = [*record.splits, *(s for t in record.transactions for s in t.splits)]
    return [s.code for s in splits if s.kind == SECTOR and s.vocabulary in SECTOR_VOCABULARIES_DAC]


def _technique_from_vocabulary(record: ActivityRecord, rules: RelevanceRules) -> str | None:
    known = {t.code for t in rules.techniques}
    for split in record.splits:
        if (
            split.kind == SECTOR
            and split.vocabulary == "99"
            and rules.technique_vocabulary_uri
            and (split.vocabulary_uri or "") == rules.technique_vocabulary_uri
            and split.code in known
        ):
            return split.code
    return None


def _technique_pattern(rules: RelevanceRules) -> re.Pattern[str] | None:
    """One expression for every technique's words, a named group per technique (built once)."""
    if "techniques" in rules._patterns:
        return rules._patterns["techniques"]
    extra = dict(rules.technique_keywords)
    groups = []
    for position, technique in enumerate(rules.techniques):
        words = [fold(name) for name in technique.names if name] if rules.use_technique_names else []
        pattern = _pattern([*words, *extra.get(technique.code, ())])
        if pattern is not None:
            groups.append(f"(?P<t{position}>{pattern.pattern})")
    combined = re.compile("|".join(groups)) if groups else None
    if combined is not None:
        rules._patterns["techniques"] = combined
    return combined


def _technique_by_name(text: str, rules: RelevanceRules) -> str | None:
    """The technique whose name or words come first in the text."""
    pattern = _technique_pattern(rules)
    found = pattern.search(text) if pattern is not None else None
    if found is None or found.lastgroup is None:
        return None
    return rules.techniques[int(found.lastgroup[1:])].code


def _area_for(sectors: list[str], rules: RelevanceRules) -> str | None:
    for code in sectors:
        for prefix, area in rules.area_prefixes:
            if code.startswith(prefix):
                return area
    return None


def assess(record: ActivityRecord, rules: RelevanceRules) -> Relevance:
    """Whether PUX imports the activity, why, and the technique and thematic area it points to."""
    sectors = _dac_sectors(record)
    areas_by_technique = {t.code: t.thematic_area for t in rules.techniques}
    technique = _technique_from_vocabulary(record, rules)
    if technique:
        return Relevance(True, "technique-vocabulary", technique, areas_by_technique.get(technique))
    text = fold(record.all_text())
    technique = _technique_by_name(text, rules)
    area = areas_by_technique.get(technique) if technique else _area_for(sectors, rules)
    if any(code in rules.relevant_sectors for code in sectors):
        return Relevance(True, "sector", technique, area)
    prefix_ok = (
        not rules.keyword_needs_prefix
        or not sectors
        or any(code.startswith(prefix) for code in sectors for prefix in rules.keyword_needs_prefix)
    )
    if not prefix_ok:
        return Relevance(False, "sector-outside")
    if technique:
        return Relevance(True, "technique-name", technique, area)
    keywords = rules._patterns.get("")
    if keywords is None and rules.keywords:
        keywords = _pattern(rules.keywords)
        if keywords is not None:
            rules._patterns[""] = keywords
    if keywords is not None and keywords.search(text):
        return Relevance(True, "keyword", None, area)
    return Relevance(False, "no-match")


def countries_of(record: ActivityRecord) -> list[str]:
    """The recipient countries (IATI two-letter codes), activity level first, then transaction level."""
    codes = [s.code for s in record.splits if s.kind == COUNTRY]
    codes += [s.code for t in record.transactions for s in t.splits if s.kind == COUNTRY]
    return list(dict.fromkeys(codes))


def main_country(record: ActivityRecord) -> str | None:
    """The country with the largest share (the first one named on a tie or when no shares are given)."""
    activity_level = [s for s in record.splits if s.kind == COUNTRY]
    if activity_level:
        return max(activity_level, key=lambda s: s.percentage or 0).code
    countries = countries_of(record)
    return countries[0] if countries else None


def dac_codes_any(record: ActivityRecord) -> list[str]:
    """DAC purpose codes and categories (vocabularies 1 and 2) at activity and transaction level."""
    return _dac_sectors(record)


def dac_codes(record: ActivityRecord) -> list[str]:
    """The 5-digit DAC purpose codes of the activity (for PUX's dac_sector_codes)."""
    codes = [s.code for s in record.splits if s.kind == SECTOR and s.vocabulary == DAC_5_DIGIT]
    codes += [
        s.code
        for t in record.transactions
        for s in t.splits
        if s.kind == SECTOR and s.vocabulary == DAC_5_DIGIT
    ]
    return sorted(set(codes))


def technique_terms(rows: Iterable[tuple[str, str, Mapping[str, str]]]) -> list[TechniqueTerms]:
    """TechniqueTerms from (code, thematic area, names by language) rows."""
    return [TechniqueTerms(code, area, tuple(names.values())) for code, area, names in rows]
