"""The meaning model: a logistic model per goal over the transformer's vector of a text, learnt from
labelled snippets (texts written for these tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pux.sdg_tagging.engine import GOALS, get_tagger
from pux.sdg_tagging.meaning_model import MeaningModel, stacked_meaning_folds
from pux.sdg_tagging.word_model import STACKING_FOLDS

HEALTH, EDUCATION = GOALS.index("3"), GOALS.index("4")
LABELLED = [
    ("Nurses at the district hospital vaccinated 4,000 infants against measles this spring.", HEALTH),
    ("Waiting times for cancer treatment fell after a second radiotherapy machine was installed.", HEALTH),
    ("Deaths of mothers in childbirth halved once the clinics had trained midwives on duty.", HEALTH),
    ("Tuberculosis cases are found earlier now that every health post has a rapid test.", HEALTH),
    ("Enrolment in lower secondary school rose after fees were abolished for girls and boys.", EDUCATION),
    ("The ministry trained 2,300 primary teachers to teach reading in the mother tongue.", EDUCATION),
    ("Pupils in the pilot schools scored higher in the national mathematics examination.", EDUCATION),
    ("Technical colleges opened evening courses so that young adults can finish a diploma.", EDUCATION),
]


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    embedder = get_tagger().embedder
    assert embedder is not None
    return embedder.embed_passages([text for text, _ in LABELLED])


def labels_of(labelled: list[tuple[str, int]]) -> np.ndarray:
    return np.array([[float(goal == position) for position in range(len(GOALS))] for _, goal in labelled])


def test_a_new_text_leans_to_the_goal_whose_snippets_mean_the_same_without_sharing_words(
    vectors: np.ndarray,
) -> None:
    labels = labels_of(LABELLED)
    model = MeaningModel.fit(vectors, labels, np.ones_like(labels), l2=1e-4)
    embedder = get_tagger().embedder
    assert embedder is not None
    new = embedder.embed_passages(
        [
            "A field survey found fewer under-five deaths from diarrhoea in villages with a paediatrician.",
            "Literacy classes for adolescents who left class early are now offered in every province.",
        ]
    )
    ill, schooling = model.logits(new[0]), model.logits(new[1])
    assert ill[HEALTH] > ill[EDUCATION]
    assert schooling[EDUCATION] > schooling[HEALTH]


def test_each_text_is_held_out_of_exactly_one_stacked_model_which_is_less_sure_of_it(
    vectors: np.ndarray,
) -> None:
    labels = labels_of(LABELLED)
    weights = np.ones_like(labels)
    folds = list(stacked_meaning_folds(vectors, labels, weights))
    assert len(folds) == STACKING_FOLDS
    assert sorted(int(i) for _, held in folds for i in held) == list(range(len(LABELLED)))
    full = MeaningModel.fit(vectors, labels, weights)
    for blind, held in folds:
        for i in held:
            goal = LABELLED[i][1]
            # Fitted on the text, the model is surer of its label than a model that never saw it.
            assert full.logits(vectors[i])[goal] > blind.logits(vectors[i])[goal]


def test_the_model_reads_back_as_it_was_saved(vectors: np.ndarray, tmp_path: Path) -> None:
    labels = labels_of(LABELLED)
    model = MeaningModel.fit(vectors, labels, np.ones_like(labels))
    model.save(tmp_path)
    loaded = MeaningModel.load(tmp_path)
    assert loaded is not None
    for vector in vectors:
        assert np.allclose(loaded.logits(vector), model.logits(vector))
    assert MeaningModel.load(tmp_path / "nowhere") is None


def test_the_shipped_model_reads_every_text_the_transformer_reads() -> None:
    tagger = get_tagger()
    model = tagger.data.meaning_model
    assert model is not None and tagger.embedder is not None
    assert model.weights.shape == (tagger.embedder.dim, len(GOALS))
    text = (
        "Only 41% of births in the northern provinces were attended by a skilled health worker in 2022, "
        "against 88% in the capital, and neonatal mortality there stays above 30 per 1,000 live births."
    )
    measured = tagger.score_texts([text], transformer="always")[0]
    assert measured.meaning_logits is not None
    assert int(np.argmax(measured.meaning_logits)) == HEALTH
    # Without the transformer there is no vector to read, and nothing is made up in its place.
    assert tagger.score_texts([text], transformer="never")[0].meaning_logits is None
