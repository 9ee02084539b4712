"""The labelled-snippet memory: which goals a text's nearest labelled snippets address (texts written for
these tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pux.sdg_tagging.engine import GOALS, TaggerData, get_tagger
from pux.sdg_tagging.neighbours import SnippetMemory

WATER = (
    "The utility extended piped drinking water to 40,000 households in the peri-urban wards and "
    "rebuilt the chlorination plant, so that faecal contamination at taps fell below the national limit."
)
FORESTS = (
    "Community patrols cut illegal logging in the reserve by half, and 2,300 hectares of degraded "
    "hillside forest were replanted with native species to protect the last chimpanzee population."
)
SCHOOLS = (
    "The ministry hired 1,200 primary teachers for the northern districts and distributed reading "
    "books in local languages, raising the share of pupils who can read a short paragraph."
)


@pytest.fixture(scope="module")
def data() -> TaggerData:
    return TaggerData()


def memory_of(data: TaggerData, texts_and_goals: list[tuple[str, set[str]]]) -> SnippetMemory:
    texts = [text for text, _ in texts_and_goals]
    labels = np.array([[goal in goals for goal in GOALS] for _, goals in texts_and_goals])
    meaning = np.eye(len(texts), 384, dtype=np.float32)
    entries = [data.content_entry_list(text) for text in texts]
    return SnippetMemory.build(entries, len(data.lexicon.words), labels, meaning, texts)


def test_a_text_gets_the_goals_of_the_snippets_that_share_its_topical_words(data: TaggerData) -> None:
    memory = memory_of(data, [(WATER, {"6"}), (FORESTS, {"15"}), (SCHOOLS, {"4"})])
    query = "A new chlorination unit now supplies safe drinking water to the households of two wards."
    votes = memory.word_votes(data.content_entry_list(query))
    assert int(np.argmax(votes.votes)) == GOALS.index("6")
    assert votes.votes[GOALS.index("6")] > 0.5 > votes.votes[GOALS.index("15")]
    assert memory.excerpts[int(votes.example[GOALS.index("6")])].startswith("The utility extended piped")
    assert votes.example[GOALS.index("1")] == -1  # no neighbour addresses goal 1


def test_a_snippet_never_votes_for_itself(data: TaggerData) -> None:
    memory = memory_of(data, [(WATER, {"6"}), (FORESTS, {"15"}), (SCHOOLS, {"4"})])
    votes = memory.word_votes(data.content_entry_list(WATER))
    assert votes.votes[GOALS.index("6")] == 0.0
    meaning = memory.meaning_votes(np.eye(3, 384, dtype=np.float32)[0])
    assert meaning is not None and meaning.votes[GOALS.index("6")] == 0.0


def test_a_text_without_topical_words_gets_no_vote(data: TaggerData) -> None:
    memory = memory_of(data, [(WATER, {"6"}), (FORESTS, {"15"})])
    votes = memory.word_votes(data.content_entry_list("and the of it was"))
    assert not votes.votes.any() and (votes.example == -1).all()


def test_the_memory_reads_back_as_it_was_saved(data: TaggerData, tmp_path: Path) -> None:
    memory = memory_of(data, [(WATER, {"6"}), (FORESTS, {"15", "13"}), (SCHOOLS, {"4"})])
    memory.save(tmp_path)
    loaded = SnippetMemory.load(tmp_path)
    assert loaded is not None and loaded.excerpts == memory.excerpts
    query = data.content_entry_list("Replanting degraded forest in the reserve with native species.")
    np.testing.assert_allclose(loaded.word_votes(query).votes, memory.word_votes(query).votes, atol=2e-3)
    assert SnippetMemory.load(tmp_path / "missing") is None


def test_a_suggestion_names_a_labelled_example_that_addresses_the_goal() -> None:
    suggestions = get_tagger().suggest(WATER)
    water = next(suggestion for suggestion in suggestions if suggestion.goal == "6")
    examples = [item for item in water.evidence if item.startswith("example: ")]
    assert examples and len(examples[0]) > len("example: ")
