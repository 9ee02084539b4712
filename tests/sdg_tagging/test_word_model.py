"""The word model: a logistic model per goal over a text's words, learnt from labelled snippets (texts
written for these tests)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from pux.sdg_tagging.engine import GOALS, TaggerData, get_tagger
from pux.sdg_tagging.word_model import LabelledWords, WordModel, stacked_folds

WATER, FORESTS = GOALS.index("6"), GOALS.index("15")
LABELLED = [
    ("The utility laid new pipes so that every ward has safe drinking water at the tap.", WATER),
    ("Boreholes and hand pumps bring drinking water to the villages of the dry plateau.", WATER),
    ("A chlorination plant now treats the drinking water the city draws from the river.", WATER),
    ("Latrines and drinking water points were built in every primary school of the district.", WATER),
    ("Rangers stopped illegal logging in the reserve and the hillside forest grows back.", FORESTS),
    ("Villagers replanted native trees on degraded forest land around the national park.", FORESTS),
    ("The forest service mapped the last old-growth stands and banned clear-cutting there.", FORESTS),
    ("Seed banks of native forest species help restore woodland cleared for cattle.", FORESTS),
]


@pytest.fixture(scope="module")
def data() -> TaggerData:
    return TaggerData()


def entries_of(data: TaggerData, text: str) -> list[int]:
    return data.lexicon.entries(text)


def fitted(data: TaggerData, labelled: list[tuple[str, int]]) -> tuple[WordModel, list[list[int]]]:
    entries = [entries_of(data, text) for text, _ in labelled]
    labels = np.zeros((len(labelled), len(GOALS)))
    for row, (_, goal) in enumerate(labelled):
        labels[row, goal] = 1.0
    weights = np.ones_like(labels)
    return WordModel.fit(entries, len(data.lexicon.words), labels, weights, l2=1e-3), entries


def test_a_new_text_leans_to_the_goal_whose_labelled_snippets_share_its_words(data: TaggerData) -> None:
    model, _ = fitted(data, LABELLED)
    water = model.logits(entries_of(data, "Drinking water reached the last wards of the town this year."))
    forest = model.logits(entries_of(data, "The forest lost fewer trees to logging than in any year."))
    assert water[WATER] > water[FORESTS]
    assert forest[FORESTS] > forest[WATER]


def test_the_strongest_words_are_the_texts_words_that_carry_the_goal(data: TaggerData) -> None:
    model, _ = fitted(data, LABELLED)
    entries = entries_of(data, "Next year the town will extend drinking water to the hills.")
    strongest = [data.lexicon.words[entry] for entry in model.strongest_words(entries, WATER, 2)]
    assert strongest and set(strongest) <= {"drinking", "water"}
    forests = {data.lexicon.words[entry] for entry in model.strongest_words(entries, FORESTS, 2)}
    assert not forests & {"drinking", "water"}


def test_a_stacked_logit_comes_from_a_model_that_never_saw_the_text(data: TaggerData) -> None:
    # "Aquifer" is in one labelled text only: fitted on it, the model ties the word to goal 6; the text's
    # stacked logit, from a model fitted without it, cannot know the word.
    labelled = [*LABELLED, ("The aquifer recharge study ended.", WATER)]
    model, entries = fitted(data, labelled)
    labels = np.array([[float(goal == position) for position in range(len(GOALS))] for _, goal in labelled])
    texts = LabelledWords(entries, labels, np.ones_like(labels))
    folds = list(stacked_folds(texts, len(data.lexicon.words)))
    assert sorted(i for _, held in folds for i in held) == list(range(len(labelled)))
    blind = next(fold_model for fold_model, held in folds if len(labelled) - 1 in held)
    assert model.logits(entries[-1])[WATER] > blind.logits(entries[-1])[WATER] + 0.1


def test_documents_fitted_always_are_in_every_stacked_model(data: TaggerData) -> None:
    # A goal's own description (the tool adds the SDG goal, target and indicator texts this way) teaches
    # every fold's model its words, even a word no labelled snippet of the fold has.
    entries = [entries_of(data, text) for text, _ in LABELLED]
    labels = np.array([[float(goal == position) for position in range(len(GOALS))] for _, goal in LABELLED])
    description = [entries_of(data, "Recharge of the aquifer and groundwater withdrawals.")]
    description_labels = np.zeros((1, len(GOALS)))
    description_labels[0, WATER] = 1.0
    always = LabelledWords(description, description_labels, np.ones_like(description_labels))
    texts = LabelledWords(entries, labels, np.ones_like(labels))
    aquifer = entries_of(data, "aquifer")
    for with_always, without in zip(
        stacked_folds(texts, len(data.lexicon.words), always),
        stacked_folds(texts, len(data.lexicon.words)),
        strict=True,
    ):
        assert with_always[0].logits(aquifer)[WATER] > without[0].logits(aquifer)[WATER] + 0.1


def test_the_model_reads_back_as_it_was_saved(data: TaggerData, tmp_path: Path) -> None:
    model, entries = fitted(data, LABELLED)
    model.save(tmp_path)
    loaded = WordModel.load(tmp_path)
    assert loaded is not None
    for text_entries in entries:
        assert np.allclose(loaded.logits(text_entries), model.logits(text_entries), atol=0.02)
    assert WordModel.load(tmp_path / "nowhere") is None


def test_the_shipped_model_covers_the_lexicon_and_names_words_of_the_text_as_evidence() -> None:
    tagger = get_tagger()
    model = tagger.data.word_model
    assert model is not None
    assert model.weights.shape == (len(tagger.data.lexicon.words), len(GOALS))
    # "Radiotherapy" is found in the lexicon under "radio".
    text = (
        "The second linear accelerator at the national cancer centre started treating patients in May, so "
        "that waiting times for radiotherapy fell from eleven weeks to three."
    )
    suggestion = next(s for s in tagger.suggest(text) if s.goal == "3")
    words = next(item for item in suggestion.evidence if item.startswith("words: "))
    named = words.removeprefix("words: ").split(", ")
    # Whole words as the text writes them, not the lexicon's forms they were found under.
    assert named and set(named) <= set(re.findall(r"\w+", text.lower()))


def test_a_second_topic_in_a_sentence_of_its_own_keeps_its_logit(data: TaggerData) -> None:
    model, _ = fitted(data, LABELLED)
    water = entries_of(data, "Drinking water now reaches every ward of the town.")
    others = entries_of(data, "The council also repaved the market square and opened a new library hall.")
    whole, best = model.text_and_best_sentence_logits(water + others, [water, others])
    assert np.array_equal(whole, model.logits(water + others))
    assert best[WATER] > whole[WATER]
    alone, alone_best = model.text_and_best_sentence_logits(water + others, [water + others])
    assert np.array_equal(alone_best, alone)
