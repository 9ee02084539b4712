"""The tagger on snippets like those cut from real reports: several sentences, figures, footnote markers,
clauses about neighbouring topics, and more than one goal per text. Texts below were written for these
tests (they are not in the development, tuning or held-out sets)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from pux.sdg_tagging.engine import (
    DATA_DIR,
    GOAL_HEAD_FILE,
    GOALS,
    SdgTagger,
    TaggerData,
    evaluate_file,
    get_tagger,
    load_calibration,
    load_goal_head,
    split_sentences,
    static_goal_features,
    transformer_goal_features,
)
from pux.sdg_tagging.evaluation import read_evaluation_csv
from pux.sdg_tagging.neighbours import SAME_TEXT, excerpt, tf_idf_row

SDG_DATA = Path(__file__).resolve().parents[1] / "data" / "sdg"

# Energy in the first sentence, fisheries in the second: both are addressed.
ENERGY_AND_FISHERIES = (
    "The island's utility commissioned a 12 MW solar farm with battery storage in March, cutting diesel "
    "imports for power generation by 40% and lowering household electricity tariffs.[4] Meanwhile the "
    "fisheries department closed the lagoon to net fishing for six months so that depleted reef fish "
    "stocks can recover, and patrols will check catches landed by the industrial fleet."
)
# Gender equality in the first sentence, decent work in the second.
WOMEN_AND_LABOUR_RIGHTS = (
    "The new family code gives married women the same rights as their husbands to own land, open bank "
    "accounts and inherit property, ending rules that women's groups had fought for two decades. A "
    "separate decree obliges employers to give plantation workers written contracts, pay overtime and "
    "provide protective equipment, and the labour inspectorate will hire 200 more inspectors."
)
# Radiotherapy in the first sentence, fisheries in the second: the health text's words fill most of it.
RADIOTHERAPY_AND_FISHERIES = (
    "The second linear accelerator at the national cancer centre started treating patients in May, so "
    "that waiting times for radiotherapy fell from eleven weeks to three. Meanwhile the fisheries "
    "department closed the lagoon to net fishing for six months so that depleted reef fish stocks can "
    "recover."
)
# About hospital radiotherapy; "poor households" is only a brushing clause.
RADIOTHERAPY_BRUSHING_POVERTY = (
    "The second linear accelerator at the national cancer centre started treating patients in May, so "
    "that waiting times for radiotherapy fell from eleven weeks to three (see Table 2). Medical physicists "
    "trained under the fellowship programme now plan 90 treatments a day; travel grants are offered to "
    "patients from poor households who live far from the capital."
)
# Spanish: forests and drinking water for a city, both addressed.
FORESTS_AND_WATER_ES = (
    "El programa de restauración reforestó 9.000 hectáreas de bosque nativo en la cuenca alta y frenó la "
    "tala ilegal con patrullas comunitarias. Gracias a ello, la empresa municipal garantiza agua potable "
    "de mejor calidad a 400.000 habitantes de la ciudad y redujo los costos de tratamiento un 18 %."
)


def goals_of(text: str) -> set[str]:
    return {suggestion.goal for suggestion in get_tagger().suggest(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENERGY_AND_FISHERIES, {"7", "14"}),
        (RADIOTHERAPY_AND_FISHERIES, {"3", "14"}),
        (WOMEN_AND_LABOUR_RIGHTS, {"5", "8"}),
        (FORESTS_AND_WATER_ES, {"6", "15"}),
    ],
)
def test_a_snippet_gets_every_goal_it_addresses(text: str, expected: set[str]) -> None:
    assert expected <= goals_of(text)


def test_a_goal_the_snippet_only_brushes_is_not_suggested() -> None:
    goals = goals_of(RADIOTHERAPY_BRUSHING_POVERTY)
    assert "3" in goals
    assert "1" not in goals


def test_the_second_goal_names_the_sentence_and_words_that_carry_it() -> None:
    fisheries = next(s for s in get_tagger().suggest(ENERGY_AND_FISHERIES) if s.goal == "14")
    sentences = [
        item.removeprefix("sentence: ") for item in fisheries.evidence if item.startswith("sentence: ")
    ]
    assert sentences and "fisheries department" in sentences[0]
    words = next(item for item in fisheries.evidence if item.startswith("words: "))
    assert words.removeprefix("words: ").split(", ")


def test_without_the_head_the_second_goal_is_missed() -> None:
    # What the head fixes: the calibrated decision alone keeps only the top goal of these snippets.
    tagger = get_tagger()
    without_head = SdgTagger(tagger.data, tagger.calibration, tagger.embedder, None)
    missed = [
        text
        for text, expected in ((ENERGY_AND_FISHERIES, {"7", "14"}), (WOMEN_AND_LABOUR_RIGHTS, {"5", "8"}))
        if not expected <= {suggestion.goal for suggestion in without_head.suggest(text)}
    ]
    assert missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The ministers approved the revised budget on Monday. Inflation fell to 3.2% in May, the "
            "lowest in years.[7] The statistics office had expected a 5.8% rise in food prices.",
            [
                "The ministers approved the revised budget on Monday.",
                "Inflation fell to 3.2% in May, the lowest in years.",
                "The statistics office had expected a 5.8% rise in food prices.",
            ],
        ),
        (
            "该项目修建了新的供水管道，惠及十二万农村居民。同时培训了三百名水管员负责日常维护工作。",
            ["该项目修建了新的供水管道，惠及十二万农村居民。", "同时培训了三百名水管员负责日常维护工作。"],
        ),
        # Fragments this short (headings, figures) are read only as part of the whole text.
        ("Water. Sanitation for all schools in the district by 2027.", None),
        ("One sentence about drinking water for the villages of the valley.", None),
    ],
)
def test_sentences_are_split_at_their_ends_not_at_decimals_or_footnotes(
    text: str, expected: list[str] | None
) -> None:
    assert split_sentences(text) == (expected or [text])


def test_the_shipped_head_covers_every_goal_and_reads_every_feature_the_tagger_measures() -> None:
    head = load_goal_head()
    tagger = get_tagger()
    dim = tagger.data.lexicon.dim
    assert head is not None and (DATA_DIR / GOAL_HEAD_FILE).stat().st_size < 200_000
    assert head.transformer is not None and 0.0 < head.gate_low < head.threshold < head.gate_high < 1.0
    scores = tagger.score_texts([ENERGY_AND_FISHERIES], transformer="always")[0]
    measured = (static_goal_features(tagger, scores), transformer_goal_features(tagger, scores))
    for part, features in zip((head.static, head.transformer), (m.shape[1] for m in measured), strict=True):
        assert part.word_weights.shape == (len(GOALS), dim)
        assert part.scalar_weights.shape == (len(GOALS), features)
        assert np.isfinite(part.word_weights).all() and np.isfinite(part.scalar_weights).all()


def test_the_labelled_neighbours_are_the_tuning_snippets_and_never_the_held_out_ones() -> None:
    memory = TaggerData().snippets
    assert memory is not None and memory.meaning_vectors is not None
    tuning = {row.text for row in read_evaluation_csv(SDG_DATA / "realistic_tuning.csv")}
    heldout = {row.text for row in read_evaluation_csv(SDG_DATA / "realistic_heldout.csv")}
    dev = {row.text for row in read_evaluation_csv(SDG_DATA / "dev.csv")}
    assert len(memory.excerpts) == len(tuning | dev) == memory.labels.shape[0]
    assert memory.meaning_vectors.shape == (len(memory.excerpts), 384)
    known_openings = {excerpt(text) for text in tuning | dev}
    assert set(memory.excerpts) <= known_openings
    # No held-out text is in the memory: none meets a snippet with its very words (a text in the memory
    # would meet itself at a cosine of 1).
    data = TaggerData()
    for text in heldout:
        row = tf_idf_row(data.content_entry_list(text), memory.idf)
        assert (memory.word_matrix @ row.T).toarray().max() < SAME_TEXT, text


def builder() -> ModuleType:
    name = "build_realistic_set"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SDG_DATA / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_the_realistic_set_follows_its_rules_and_its_csv_files_match_the_source() -> None:
    build = builder()
    entries = build.read_entries()
    assert build.check(entries) == []
    tuning = [entry for entry in entries if not entry.heldout]
    heldout = [entry for entry in entries if entry.heldout]
    for path, part, prefix in ((build.TUNING_CSV, tuning, "t"), (build.HELDOUT_CSV, heldout, "r")):
        rows = [(row.id, row.text, int(row.sdg), row.label) for row in read_evaluation_csv(path)]
        assert rows == build.rows_of(part, prefix)
    assert not {entry.text for entry in tuning} & {entry.text for entry in heldout}
    languages = {entry.language for entry in heldout}
    assert languages == {"en", "fr", "es", "ar", "zh", "ru"}
    assert 0.25 <= len(heldout) / len(entries) <= 0.32


def test_held_out_accuracy_beats_the_calibrated_decision_and_reaches_the_floor() -> None:
    # Neither figure is written here: both come from the shipped data and the evaluation code. The head
    # must do better than the decision it replaced on the realistic held-out part, and not fall far below
    # it on the older, shorter held-out rows.
    tagger = get_tagger()
    without_head = SdgTagger(TaggerData(), load_calibration(), tagger.embedder, None)
    realistic = SDG_DATA / "realistic_heldout.csv"
    older = SDG_DATA / "holdout.csv"
    with_head_realistic = evaluate_file(realistic, tagger).average_accuracy
    assert with_head_realistic >= evaluate_file(realistic, without_head).average_accuracy + 0.01
    # The held-out part holds four waves; the later ones, by writers who never saw the tagger, are harder
    # (the tagger before the labelled neighbours and the two-part decision scored 0.83 on the whole part).
    assert with_head_realistic >= 0.86
    assert (
        evaluate_file(older, tagger).average_accuracy
        >= evaluate_file(older, without_head).average_accuracy - 0.03
    )
