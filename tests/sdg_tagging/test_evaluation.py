"""The evaluation arithmetic, checked by hand on a file small enough to count on one's fingers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pux.sdg_tagging.evaluation import (
    EvaluationFileError,
    evaluate,
    format_report,
    normalise_goal,
    parse_evaluation_rows,
    read_evaluation_csv,
)

HAND_CHECKED = Path(__file__).with_name("hand_checked.csv")
# A fixed "tagger" so that every figure below can be worked out on paper.
PREDICTIONS = {
    "Cash transfers lift poor households above the poverty line.": {"1"},
    "Clinics in the valley now have safe water for washing hands.": {"3", "6"},
    "The town's new reservoir supplies drinking water to every home.": set(),
    "Latrines and boreholes for schools cut diarrhoea among pupils.": {"6"},
}


def test_reads_the_hand_checked_file() -> None:
    rows = read_evaluation_csv(HAND_CHECKED)
    assert len(rows) == 8
    assert rows[0].id == "a" and rows[0].sdg == "1" and rows[0].label is True
    assert rows[1].label is False


def test_figures_per_goal_match_the_hand_count() -> None:
    report = evaluate(read_evaluation_csv(HAND_CHECKED), lambda text: PREDICTIONS[text])
    figures = {goal.goal: goal for goal in report.goals}
    assert list(figures) == ["1", "3", "6", "8"]
    # Goal 1: a (true positive), c (true negative).
    assert (figures["1"].accuracy, figures["1"].precision, figures["1"].recall, figures["1"].f1) == (
        1,
        1,
        1,
        1,
    )
    # Goal 3: b (true positive), d (false negative).
    assert figures["3"].accuracy == 0.5
    assert figures["3"].precision == 1.0
    assert figures["3"].recall == 0.5
    assert figures["3"].f1 == pytest.approx(2 / 3)
    # Goal 6: b (false positive), c (false negative), d (true positive).
    assert figures["6"].accuracy == pytest.approx(1 / 3)
    assert figures["6"].precision == 0.5
    assert figures["6"].recall == 0.5
    assert figures["6"].f1 == 0.5
    # Goal 8: a (true negative) only; undefined ratios are reported as 0.
    assert (figures["8"].accuracy, figures["8"].precision, figures["8"].recall, figures["8"].f1) == (
        1,
        0,
        0,
        0,
    )
    assert report.average_accuracy == pytest.approx((1 + 0.5 + 1 / 3 + 1) / 4)
    assert report.texts == 4


def test_each_distinct_text_is_predicted_once() -> None:
    calls: list[str] = []

    def predict(text: str) -> set[str]:
        calls.append(text)
        return PREDICTIONS[text]

    evaluate(read_evaluation_csv(HAND_CHECKED), predict)
    assert sorted(calls) == sorted(PREDICTIONS)


def test_report_ends_with_the_average_accuracy_line() -> None:
    lines = format_report(evaluate(read_evaluation_csv(HAND_CHECKED), lambda text: PREDICTIONS[text]))
    assert lines[-1] == "average accuracy: 0.708"
    goal_six = next(line for line in lines if line.startswith("SDG 6 "))
    assert goal_six.split() == ["SDG", "6", "3", "0.333", "0.500", "0.500", "0.500"]


@pytest.mark.parametrize(
    ("raw", "goal"), [("3", "3"), (" 3 ", "3"), ("SDG 3", "3"), ("sdg17", "17"), ("3.0", "3")]
)
def test_goal_numbers_are_normalised(raw: str, goal: str) -> None:
    assert normalise_goal(raw) == goal


@pytest.mark.parametrize("raw", ["0", "18", "three", ""])
def test_bad_goal_numbers_are_refused(raw: str) -> None:
    with pytest.raises(EvaluationFileError):
        normalise_goal(raw)


def test_labels_accept_common_spellings_and_refuse_others() -> None:
    rows = parse_evaluation_rows(
        [
            {"id": "x", "text": "t", "sdg": "1", "label": "true"},
            {"id": "x", "text": "t", "sdg": "2", "label": "0"},
            {"id": "x", "text": "t", "sdg": "3", "label": "Yes"},
        ]
    )
    assert [row.label for row in rows] == [True, False, True]
    with pytest.raises(EvaluationFileError, match="label"):
        parse_evaluation_rows([{"id": "x", "text": "t", "sdg": "1", "label": "maybe"}])


def test_missing_columns_are_reported() -> None:
    with pytest.raises(EvaluationFileError, match="missing column"):
        parse_evaluation_rows([{"id": "x", "text": "t", "sdg": "1"}])


def test_an_empty_file_averages_to_zero() -> None:
    report = evaluate([], lambda text: set())
    assert report.average_accuracy == 0.0
    assert format_report(report)[-1] == "average accuracy: 0.000"
