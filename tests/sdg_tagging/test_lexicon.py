"""Word splitting per script and lookup with fallbacks, on a tiny hand-made lexicon."""

from __future__ import annotations

import numpy as np

from pux.sdg_tagging.lexicon import WordLexicon, tokenize


def tiny_lexicon() -> WordLexicon:
    words = ["the", "water", "irrigation", "бедность", "الصحة", "饮用水", "学校"]
    vectors = np.eye(len(words), 8, dtype=np.float32)
    log_probs = np.array([-3.0, -9.0, -12.0, -12.0, -11.0, -12.0, -11.0], dtype=np.float32)
    return WordLexicon(words, vectors, log_probs)


def test_tokenize_lowercases_and_splits_on_non_letters() -> None:
    assert list(tokenize("Drinking-water, l'eau 2024!")) == ["drinking", "water", "l", "eau"]


def test_chinese_is_cut_into_the_longest_known_words() -> None:
    assert list(tokenize("农村学校饮用水", {"饮用水", "学校", "农村"})) == ["农村", "学校", "饮用水"]
    assert list(tokenize("水和", set())) == ["水", "和"]


def test_arabic_diacritics_are_removed() -> None:
    assert list(tokenize("الصِّحَّة")) == ["الصحة"]


def test_lookup_falls_back_to_prefixes_and_arabic_clitics() -> None:
    lexicon = tiny_lexicon()
    found = {
        hit.word: lexicon.words[hit.entry] for hit in lexicon.hits("Irrigated бедности والصحة 饮用水 unknown")
    }
    assert found == {"irrigated": "irrigation", "бедности": "бедность", "والصحة": "الصحة", "饮用水": "饮用水"}


def test_text_vectors_are_unit_length_or_zero() -> None:
    lexicon = tiny_lexicon()
    vector = lexicon.text_vector("water and irrigation")
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert not lexicon.text_vector("zzz qqq").any()
    assert lexicon.text_vectors([]).shape == (0, 8)


def test_content_words_drop_frequent_words_and_keep_unknown_ones() -> None:
    lexicon = tiny_lexicon()
    assert lexicon.content_words("The water of the irrigation canal", max_log_prob=-10.0, limit=10) == (
        "of irrigation canal"
    )
    assert lexicon.content_words("canal canal canal", max_log_prob=-10.0, limit=2) == "canal canal"
