"""The dialogue statistics chart speaks the reader's language: its title is in the catalogues, and in a
right-to-left language it is drawn mirrored in its own direction (its positions are fixed)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from pux.dialogues import statistics
from pux.dialogues.statistics import GroupRow, StatisticsReport
from pux.i18n import language_context


def report(*rows: tuple[str, int, int]) -> StatisticsReport:
    groups = []
    for key, women, men in rows:
        group = GroupRow(key=key, participants=women + men)
        group.by_gender.update({"female": women, "male": men})
        groups.append(group)
    return StatisticsReport(
        by="country",
        events_held=1,
        events_upcoming=0,
        rows=groups,
        totals=GroupRow(key=""),
        events_by_kind={},
    )


def test_the_charts_title_is_extracted_for_translation() -> None:
    found = {
        message for _line, message, _comments, _context in extract_from_file("python", statistics.__file__)
    }
    assert "Participants by gender" in found, Path(statistics.__file__).name


def test_the_chart_takes_the_readers_direction() -> None:
    figures = report(("KEN", 3, 2))
    with language_context("ar"):
        arabic = statistics.events_chart_svg(figures, label=lambda key: "كينيا")
    with language_context("en"):
        english = statistics.events_chart_svg(figures, label=lambda key: "Kenya")
    assert 'direction="rtl"' in arabic and 'direction="ltr"' not in arabic
    assert 'direction="ltr"' in english and 'direction="rtl"' not in english
