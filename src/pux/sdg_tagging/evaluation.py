"""Scoring a tagger against labelled ``id,text,sdg,label`` rows.

Each row says whether one text addresses one goal. The tagger predicts each distinct text once; a row is
correct when (``sdg`` is among the predicted goals) equals ``label``. Figures are computed per goal over
that goal's rows, and the average accuracy is the plain mean of the per-goal accuracies, so that a goal
with few rows weighs as much as a goal with many.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REQUIRED_COLUMNS = ("id", "text", "sdg", "label")
_TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
_FALSE_WORDS = frozenset({"false", "0", "no", "n", "f"})


class EvaluationFileError(ValueError):
    """The CSV file does not have the expected columns or values."""


@dataclass(frozen=True)
class EvaluationRow:
    id: str
    text: str
    sdg: str
    label: bool


@dataclass(frozen=True)
class GoalFigures:
    """Confusion counts of one goal; ratios with an empty denominator are reported as 0."""

    goal: str
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int

    @property
    def rows(self) -> int:
        return self.true_positives + self.false_positives + self.true_negatives + self.false_negatives

    @property
    def accuracy(self) -> float:
        return _ratio(self.true_positives + self.true_negatives, self.rows)

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        return _ratio(
            2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives
        )


@dataclass(frozen=True)
class EvaluationReport:
    goals: tuple[GoalFigures, ...]
    texts: int

    @property
    def average_accuracy(self) -> float:
        """Mean of the per-goal accuracies over the goals present in the file."""
        return _ratio(sum(figures.accuracy for figures in self.goals), len(self.goals))


def read_evaluation_csv(path: Path | str) -> list[EvaluationRow]:
    """Read an ``id,text,sdg,label`` file (UTF-8, header first)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return parse_evaluation_rows(csv.DictReader(handle))


def parse_evaluation_rows(records: Iterable[dict[str, str]]) -> list[EvaluationRow]:
    rows = []
    for line_number, record in enumerate(records, start=2):
        missing = [column for column in REQUIRED_COLUMNS if record.get(column) is None]
        if missing:
            raise EvaluationFileError(f"line {line_number}: missing column(s) {', '.join(missing)}")
        rows.append(
            EvaluationRow(
                id=record["id"].strip(),
                text=record["text"],
                sdg=normalise_goal(record["sdg"], line_number),
                label=_parse_label(record["label"], line_number),
            )
        )
    return rows


def normalise_goal(value: str, line_number: int = 0) -> str:
    """ "3", " 3 ", "SDG 3" and "3.0" all mean goal "3"."""
    cleaned = value.strip().upper().removeprefix("SDG").strip().removesuffix(".0")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 17:
        raise EvaluationFileError(f"line {line_number}: {value!r} is not an SDG goal number")
    return str(int(cleaned))


def _parse_label(value: str, line_number: int) -> bool:
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise EvaluationFileError(f"line {line_number}: label {value!r} is neither True nor False")


def evaluate(rows: Sequence[EvaluationRow], predict: Callable[[str], Collection[str]]) -> EvaluationReport:
    """Predict each distinct text once and count every row as right or wrong."""
    predictions: dict[str, frozenset[str]] = {}
    for row in rows:
        if row.text not in predictions:
            predictions[row.text] = frozenset(predict(row.text))
    counts: dict[str, list[int]] = {}
    for row in rows:
        predicted = row.sdg in predictions[row.text]
        # Order: true positives, false positives, true negatives, false negatives.
        slot = (0 if row.label else 1) if predicted else (3 if row.label else 2)
        counts.setdefault(row.sdg, [0, 0, 0, 0])[slot] += 1
    goals = tuple(GoalFigures(goal, *counts[goal]) for goal in sorted(counts, key=int))
    return EvaluationReport(goals=goals, texts=len(predictions))


def format_report(report: EvaluationReport) -> list[str]:
    """The lines ``pux sdg eval`` prints; the last one is ``average accuracy: 0.874``."""
    lines = [f"{'goal':<6} {'rows':>5} {'accuracy':>9} {'precision':>9} {'recall':>7} {'f1':>6}"]
    for figures in report.goals:
        name = f"SDG {figures.goal}"
        lines.append(
            f"{name:<6} {figures.rows:>5} {figures.accuracy:>9.3f} {figures.precision:>9.3f} "
            f"{figures.recall:>7.3f} {figures.f1:>6.3f}"
        )
    lines.append(f"texts: {report.texts}")
    lines.append(f"average accuracy: {report.average_accuracy:.3f}")
    return lines


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0
