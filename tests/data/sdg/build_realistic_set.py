#!/usr/bin/env python3
"""Build the realistic SDG development set (tuning and held-out parts) from ``realistic/goalNN.txt``.

Every text in ``realistic/`` was written for PUX, in the register of snippets cut from reports, papers,
press releases, NGO pages, budget documents, news, company reports and web pages (30-120 words, figures,
footnote markers, abbreviations, clauses about neighbouring topics), about a fifth of them in French,
Spanish, Arabic, Chinese and Russian. One line per text::

    language | register | positive goals | hard-negative goals | text

A positive goal is one the text directly addresses (the goal or one of its targets), whatever the
sentiment; a hard negative is a goal close to the text's topic that it does not address. Goals not listed
are not annotated for that text. Lines starting with ``#`` are comments.

The split is fixed by position: the texts of each language are counted in file order, and texts 3, 6 and 9
of every ten (counting from 0) go to the held-out part (30 %, every language and goal block alike). The
held-out part is never used for tuning anything: thresholds, weights or model choices.

Run:  python tests/data/sdg/build_realistic_set.py
It rewrites realistic_tuning.csv and realistic_heldout.csv and exits non-zero when a check fails.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE / "realistic"
TUNING_CSV = HERE / "realistic_tuning.csv"
HELDOUT_CSV = HERE / "realistic_heldout.csv"
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
# The fifth wave added company reports and encyclopaedic or general web pages.
REGISTERS = ("un", "paper", "press", "ngo", "budget", "news", "corporate", "web")
HELDOUT_POSITIONS = frozenset({3, 6, 9})
MIN_WORDS, MAX_WORDS = 30, 120
# Arabic and Russian glue articles, prepositions and endings to their words: 24 of their words carry about
# as much as 30 English ones.
MIN_WORDS_BY_LANGUAGE = {"ar": 24, "ru": 24}
# Chinese has no spaces: about 1.6 characters make one English word of content.
CHINESE_CHARACTERS_PER_WORD = 1.6
MIN_ROWS_PER_GOAL = 100
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Entry:
    source: str
    position: int
    language_position: int
    language: str
    register: str
    positives: tuple[int, ...]
    negatives: tuple[int, ...]
    text: str

    @property
    def heldout(self) -> bool:
        return self.language_position % 10 in HELDOUT_POSITIONS


def word_count(text: str, language: str) -> float:
    if language == "zh":
        return len(_CJK.findall(text)) / CHINESE_CHARACTERS_PER_WORD + len(re.findall(r"[A-Za-z]+", text))
    return len(text.split())


def parse_goals(field: str, where: str) -> tuple[int, ...]:
    goals = tuple(int(value) for value in field.split())
    if any(not 1 <= goal <= 17 for goal in goals):
        raise ValueError(f"{where}: goal out of range in {field!r}")
    return goals


# Waves whose files each count their languages on their own (their split was fixed that way).
WAVES_SPLIT_PER_FILE = ("wave2_", "wave3_")


def split_group(path: Path) -> str:
    """The texts whose positions decide the split: the first wave's files count their languages together
    (as when the split was fixed); each file of the second and third waves counts on its own, so that a
    block written or extended later never moves a text of another block between the parts. From the
    fourth wave on, a wave (written all at once) counts its languages together again: its blocks hold
    only three texts in each language other than English, too few for a file to hold any of them out."""
    if path.name.startswith("goal"):
        return "wave1"
    if path.name.startswith(WAVES_SPLIT_PER_FILE):
        return path.stem
    return path.stem.split("_", 1)[0]


def read_entries() -> list[Entry]:
    entries = []
    seen_per_language: Counter[tuple[str, str]] = Counter()
    for path in sorted(SOURCE_DIR.glob("*.txt")):
        position = 0
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{path.name}:{line_number}"
            fields = [field.strip() for field in line.split("|", 4)]
            if len(fields) != 5:
                raise ValueError(f"{where}: expected 5 fields")
            language, register, positives, negatives, text = fields
            entries.append(
                Entry(
                    path.stem,
                    position,
                    seen_per_language[split_group(path), language],
                    language,
                    register,
                    parse_goals(positives, where),
                    parse_goals(negatives, where),
                    text,
                )
            )
            position += 1
            seen_per_language[split_group(path), language] += 1
    return entries


def check(entries: list[Entry]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for entry in entries:
        where = f"{entry.source}#{entry.position}"
        if entry.language not in LANGUAGES:
            problems.append(f"{where}: unknown language {entry.language}")
        if entry.register not in REGISTERS:
            problems.append(f"{where}: unknown register {entry.register}")
        if set(entry.positives) & set(entry.negatives):
            problems.append(f"{where}: a goal is both positive and negative")
        if not entry.positives and not entry.negatives:
            problems.append(f"{where}: no goal annotated")
        words = word_count(entry.text, entry.language)
        if not MIN_WORDS_BY_LANGUAGE.get(entry.language, MIN_WORDS) <= words <= MAX_WORDS:
            problems.append(f"{where}: {words:.0f} words")
        if entry.text in seen:
            problems.append(f"{where}: duplicate text")
        seen.add(entry.text)
    return problems


def rows_of(entries: list[Entry], prefix: str) -> list[tuple[str, str, int, bool]]:
    rows = []
    for number, entry in enumerate(entries, start=1):
        identifier = f"{prefix}{number:04d}"
        labels = [(goal, True) for goal in entry.positives] + [(goal, False) for goal in entry.negatives]
        rows.extend((identifier, entry.text, goal, label) for goal, label in sorted(labels))
    return rows


def write_csv(path: Path, rows: list[tuple[str, str, int, bool]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "sdg", "label"])
        writer.writerows(rows)


def summary(name: str, entries: list[Entry], rows: list[tuple[str, str, int, bool]]) -> list[str]:
    per_goal: dict[int, Counter[bool]] = defaultdict(Counter)
    for _, _, goal, label in rows:
        per_goal[goal][label] += 1
    languages = Counter(entry.language for entry in entries)
    registers = Counter(entry.register for entry in entries)
    lines = [f"{name}: {len(entries)} texts, {len(rows)} rows"]
    lines.append("  languages: " + ", ".join(f"{lang} {languages[lang]}" for lang in LANGUAGES))
    lines.append("  registers: " + ", ".join(f"{reg} {registers[reg]}" for reg in REGISTERS))
    lines.append(
        "  rows per goal (positives/negatives): "
        + ", ".join(f"{goal}: {per_goal[goal][True]}/{per_goal[goal][False]}" for goal in sorted(per_goal))
    )
    return lines


def main() -> int:
    entries = read_entries()
    problems = check(entries)
    tuning = [entry for entry in entries if not entry.heldout]
    heldout = [entry for entry in entries if entry.heldout]
    tuning_rows, heldout_rows = rows_of(tuning, "t"), rows_of(heldout, "r")
    all_rows = tuning_rows + heldout_rows
    per_goal = Counter(goal for _, _, goal, _ in all_rows)
    problems += [
        f"goal {goal}: {per_goal[goal]} rows (< {MIN_ROWS_PER_GOAL})"
        for goal in range(1, 18)
        if per_goal[goal] < MIN_ROWS_PER_GOAL
    ]
    write_csv(TUNING_CSV, tuning_rows)
    write_csv(HELDOUT_CSV, heldout_rows)
    print("\n".join(summary("all", entries, all_rows)))
    print("\n".join(summary("tuning", tuning, tuning_rows)))
    print("\n".join(summary("held-out", heldout, heldout_rows)))
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
