"""Choices offered by list filters (the SDG goals and targets, labelled in the reader's language)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pux.i18n import LANGUAGES, get_language
from pux.kept import KeptResults
from pux.reference import repository
from pux.reference.repository import CountryFilter

# The options in each language lately asked, by the stamp of the framework they were read from.
_SDG_OPTIONS: KeptResults[tuple[tuple[str, str], ...]] = KeptResults(len(LANGUAGES) * 2)


def sdg_filter_options(session: Session) -> tuple[tuple[str, str], ...]:
    """Each goal, then its targets: ("3", "3 - Good health..."), ("3.4", "3.4 - ..."). Kept until the
    framework is loaded again: every needs page offers them, and reading 186 records each time was a
    fifth of the list's time."""
    language = get_language()

    def read() -> tuple[tuple[str, str], ...]:
        options: list[tuple[str, str]] = []
        for goal in repository.list_goals(session):
            options.append((goal.code, f"{goal.code} – {goal.label()}"))
            options.extend(
                (target.code, f"\u2003{target.code} – {target.label()}") for target in goal.targets
            )
        return tuple(options)

    return _SDG_OPTIONS.get((repository.reference_stamp(session), language), read)


class ReferenceLabels:
    """Names of countries, thematic areas and techniques by code, in the reader's language (for tables
    that carry codes, such as the overlaps between providers)."""

    def __init__(self, session: Session) -> None:
        self._countries = {
            country.iso3: country for country in repository.list_countries(session, CountryFilter())
        }
        self._areas = {area.code: area for area in repository.list_thematic_areas(session)}
        self._techniques = {technique.code: technique for technique in repository.list_techniques(session)}

    def country(self, code: str | None) -> str:
        found = self._countries.get(code or "")
        return found.name() if found else (code or "—")

    def area(self, code: str | None) -> str:
        found = self._areas.get(code or "")
        return found.name() if found else (code or "—")

    def technique(self, code: str | None) -> str:
        found = self._techniques.get(code or "")
        return found.name() if found else (code or "—")


def reference_labels(session: Session) -> ReferenceLabels:
    return ReferenceLabels(session)
