"""A static word-vector lexicon distilled from the multilingual-e5-small model.

Running the transformer on every text is too slow for the throughput PUX needs (about ten 80-word texts
a second on two cores), so the build script embeds each word of the model's own vocabulary once, alone,
and ships those vectors. A text vector is then the weighted sum of the vectors of its words: a bag of
words, but one whose words already live in the multilingual semantic space of the model, so that
"pauvreté", "бедность" and "poverty" land close together.

Words are split per script: letters for Latin, Cyrillic and Arabic; the longest known words for Chinese,
which has no spaces. An unknown word falls back to a known word sharing its first letters, which covers
most inflections ("irrigated" -> "irrigation", "бедности" -> "бедность").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# Clitics glued to Arabic words (conjunction, prepositions, article), longest first.
_ARABIC_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل")
_PREFIX_FALLBACK_LENGTHS = (8, 7, 6, 5)
_LONGEST_CJK_WORD = 4


@dataclass(frozen=True)
class LexiconHit:
    """One word of a text found in the lexicon (possibly through a fallback form)."""

    word: str
    entry: int


class WordLexicon:
    """Word -> weighted vector table; turns a text into one vector in the model's space."""

    def __init__(
        self,
        words: Sequence[str],
        vectors: FloatArray,
        log_probs: npt.NDArray[np.floating[Any]] | None = None,
        centre: FloatArray | None = None,
    ) -> None:
        if len(words) != vectors.shape[0]:
            raise ValueError("one vector per word is required")
        self.words = list(words)
        self.vectors = vectors
        self.log_probs = (
            np.asarray(log_probs, dtype=np.float32)
            if log_probs is not None
            else np.zeros(len(words), np.float32)
        )
        # Static text vectors share a large common direction; comparing what is left after removing it is
        # what makes them discriminate (the centre is the mean raw vector of typical texts).
        self.centre = centre if centre is not None else np.zeros(vectors.shape[1], dtype=np.float32)
        self._index = {word: entry for entry, word in enumerate(self.words)}
        self._cjk_words = {word for word in self.words if _CJK_RUN.fullmatch(word)}
        # Words are stored most frequent first, so the first word with a prefix is the likeliest reading.
        self._by_prefix: dict[int, dict[str, int]] = {length: {} for length in _PREFIX_FALLBACK_LENGTHS}
        for entry, word in enumerate(self.words):
            for length in _PREFIX_FALLBACK_LENGTHS:
                if len(word) >= length:
                    self._by_prefix[length].setdefault(word[:length], entry)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def hits(self, text: str) -> list[LexiconHit]:
        """The lexicon entries of the words of ``text``, in reading order."""
        found = []
        for token in tokenize(text, self._cjk_words):
            entry = self._lookup(token)
            if entry is not None:
                found.append(LexiconHit(token, entry))
        return found

    def word_count(self, text: str) -> int:
        """How many words ``text`` has, known to the lexicon or not (as ``hits`` reads them)."""
        return sum(1 for _ in tokenize(text, self._cjk_words))

    def entries(self, text: str) -> list[int]:
        """The lexicon entries of the words of ``text``, in reading order with repeats."""
        return [hit.entry for hit in self.hits(text)]

    def raw_vector(self, hits: Sequence[LexiconHit]) -> FloatArray:
        """The mean weighted word vector, before centring (zeros when no word is known)."""
        if not hits:
            return np.zeros(self.dim, dtype=np.float32)
        return np.asarray(self.vectors[[hit.entry for hit in hits]].mean(axis=0), dtype=np.float32)

    def text_vector(
        self, text: str, hits: Sequence[LexiconHit] | None = None, centre: FloatArray | None = None
    ) -> FloatArray:
        """The unit-length, centred vector of ``text`` (zeros when no word is known); ``hits``, when
        given, are ``self.hits(text)`` already looked up; ``centre`` replaces ``self.centre``."""
        hits = self.hits(text) if hits is None else hits
        if not hits:
            return np.zeros(self.dim, dtype=np.float32)
        return _unit(self.raw_vector(hits) - (self.centre if centre is None else centre))

    def content_words(self, text: str, max_log_prob: float, limit: int) -> str:
        """The first ``limit`` words of ``text`` that are rarer than ``max_log_prob``, in their order.

        Function words carry little topic; dropping them lets the transformer read a text in about half
        the tokens (it costs about a millisecond per token here) with no loss of accuracy on the dev set.
        Chinese runs are kept whole (their characters are not separated by spaces)."""
        kept: list[str] = []
        for run in _LETTER_RUN.findall(unicodedata.normalize("NFC", text)):
            if len(kept) >= limit:
                break
            entry = self._index.get(_ARABIC_MARKS.sub("", run).lower())
            if _CJK_RUN.search(run) or entry is None or self.log_probs[entry] < max_log_prob:
                kept.append(run)
        return " ".join(kept)

    def text_vectors(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.text_vector(text) for text in texts])

    def _lookup(self, token: str) -> int | None:
        entry = self._index.get(token)
        if entry is not None:
            return entry
        if _ARABIC_LETTER.match(token):
            entry = self._lookup_arabic(token)
            if entry is not None:
                return entry
        for length in _PREFIX_FALLBACK_LENGTHS:
            if len(token) > length:
                entry = self._by_prefix[length].get(token[:length])
                if entry is not None:
                    return entry
        return None

    def _lookup_arabic(self, token: str) -> int | None:
        for prefix in _ARABIC_PREFIXES:
            stem = token[len(prefix) :]
            if token.startswith(prefix) and len(stem) >= 2:
                entry = self._index.get(stem) or self._index.get("ال" + stem)
                if entry is not None:
                    return entry
        return None


def word_key(word: str) -> str:
    """A word as compared across texts: an Arabic word without its glued clitics ("للسرطان", "والسرطان"
    and "السرطان" are one word, cancer, and the lexicon holds each form as an entry of its own); a stem of
    fewer than three letters keeps its first letter, which is then part of the word (بحث, research)."""
    if _ARABIC_LETTER.match(word):
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                return word[len(prefix) :]
    return word


def tokenize(text: str, cjk_words: set[str] | frozenset[str] = frozenset()) -> Iterator[str]:
    """Lower-case words of ``text``; Chinese runs are cut into the longest words of ``cjk_words``."""
    normalised = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)).lower()
    for run in _LETTER_RUN.findall(normalised):
        if not _CJK_RUN.search(run):
            yield run
            continue
        position = 0
        for cjk in _CJK_RUN.finditer(run):
            if cjk.start() > position:
                yield run[position : cjk.start()]
            yield from _segment_chinese(cjk.group(), cjk_words)
            position = cjk.end()
        if position < len(run):
            yield run[position:]


def _segment_chinese(run: str, cjk_words: set[str] | frozenset[str]) -> Iterator[str]:
    """Greedy longest-match segmentation: good enough to find topic words, and needs no dictionary
    beyond the lexicon itself."""
    position = 0
    while position < len(run):
        for length in range(min(_LONGEST_CJK_WORD, len(run) - position), 0, -1):
            candidate = run[position : position + length]
            if length == 1 or candidate in cjk_words:
                yield candidate
                position += length
                break


def _unit(vector: FloatArray) -> FloatArray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)
