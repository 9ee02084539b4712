"""Search, the pure part: words per language (folding, stemming, Han characters), the query plan for
either database, reciprocal rank fusion and highlighted snippets. Plain Python on plain data: no ORM, no
web framework.

Words are stemmed here, in Python, before they reach the database (SQLite FTS5 or a PostgreSQL
'simple' tsvector), so that both databases index and match exactly the same terms. A document is
stemmed in its own language and keeps its surface forms too; a query is stemmed in the reader's
language and in the language it appears to be written in, and is also matched unstemmed. Chinese has
no spaces: each Han character is a term, and a run of them is searched as a phrase.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import snowballstemmer  # type: ignore[import-untyped]

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
STEM_CACHE_SIZE = 200_000
TITLE_CACHE_SIZE = 8_000  # titles whose words' forms are kept: about 2.6 KB each, 21 MB a process at most
_STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic", "ru": "russian"}
_TOKEN = re.compile(r"[^\W_]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None})
# Words too common to tell documents apart; dropped from queries and from the index alike.
STOPWORDS = frozenset(
    """
    a an and are as at be by for from has have in is it its of on or that the this to was were with
    au aux avec ce ces dans de des du elle en et il la le les leur lui mais ne nous ou par pas pour qu que
    qui sa se ses son sur un une vos votre
    al con como del el en es la las lo los para por que se sin su sus un una y o e
    в и на с по для из к о от до за не что как это или а у
    في من على إلى الى عن مع أو او و ان أن التي الذي هذا هذه
    """.split()
)
_LATIN_HINTS = {
    "fr": frozenset("le la les des du et pour dans avec une sur au aux est sont cette ces".split()),
    "es": frozenset("el la los las del y para en con una por sobre es son este esta".split()),
    "en": frozenset("the and for in with of on to is are this that".split()),
}


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def fold(word: str) -> str:
    """Lower case, without accents or Arabic vowel marks, with the alef forms made one."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).translate(_ALEF)


_local = threading.local()


def _stemmer(language: str) -> object | None:
    # Snowball stemmers keep state between calls: one per thread.
    stemmers: dict[str, object] = _local.__dict__.setdefault("stemmers", {})
    name = _STEMMERS.get(language)
    if name is None:
        return None
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(name)
    return stemmers[language]


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str, language: str) -> str:
    """``word`` (lower case) stemmed in ``language`` and folded; folded only where there is no stemmer.
    Kept for the next time: words repeat, and the Snowball stemmers are pure Python."""
    stemmer = _stemmer(language)
    if stemmer is None:
        return fold(word)
    return fold(str(stemmer.stemWord(word)))  # type: ignore[attr-defined]


def detect_language(text: str, default: str = "en") -> str:
    """The language a text is most likely written in, by script, then by common Latin words."""
    if _HAN.search(text):
        return "zh"
    if _ARABIC.search(text):
        return "ar"
    if _CYRILLIC.search(text):
        return "ru"
    words = [word.lower() for word in _TOKEN.findall(text)]
    scores = {language: sum(word in hints for word in words) for language, hints in _LATIN_HINTS.items()}
    best = max(scores, key=lambda language: scores[language])
    if scores[best] == 0:
        return default if default in ("en", "fr", "es") else "en"
    return best


@dataclass(frozen=True)
class Token:
    """One word (or one Han character) of a text, where it stands in the text."""

    text: str
    start: int
    end: int
    is_han: bool


def tokens(text: str) -> list[Token]:
    """The words of ``text``; a run of Han characters gives one token per character."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        run, offset = match.group(), match.start()
        if not _HAN.search(run):
            found.append(Token(run, offset, match.end(), False))
            continue
        position = 0
        for han in _HAN_RUN.finditer(run):
            if han.start() > position:
                found.append(
                    Token(run[position : han.start()], offset + position, offset + han.start(), False)
                )
            for i, char in enumerate(han.group()):
                found.append(Token(char, offset + han.start() + i, offset + han.start() + i + 1, True))
            position = han.end()
        if position < len(run):
            found.append(Token(run[position:], offset + position, match.end(), False))
    return found


def index_terms(text: str, language: str) -> str:
    """The terms of a document, space separated, as both databases index them."""
    terms: list[str] = []
    for token in tokens(text):
        if token.is_han:
            terms.append(token.text)
            continue
        lower = token.text.lower()
        if lower in STOPWORDS:
            continue
        stemmed = stem(lower, language)
        terms.append(stemmed)
        surface = fold(lower)
        if surface != stemmed:
            terms.append(surface)
    return " ".join(terms)


@dataclass(frozen=True)
class QueryPlan:
    """What to look for: each group matches when any of its variants does; a phrase is Han characters
    in a row. Documents are ranked by how many groups and phrases they match, and how well."""

    groups: tuple[tuple[str, ...], ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    variants: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.phrases

    @property
    def parts(self) -> int:
        return len(self.groups) + len(self.phrases)


def plan_query(
    query: str, reader_language: str, segment: Callable[[str], Sequence[str]] | None = None
) -> QueryPlan:
    """The plan of a query typed by a reader of ``reader_language``. ``segment`` splits a run of Han
    characters into words ("秘鲁地下水" -> "秘鲁", "地下水"), each then searched as a phrase; without it
    the whole run is one phrase."""
    written_in = detect_language(query, default=reader_language)
    languages = list(dict.fromkeys([reader_language, written_in]))
    groups: list[tuple[str, ...]] = []
    phrases: list[tuple[str, ...]] = []
    han_run: list[str] = []
    previous_end = -1
    for token in [*tokens(query), None]:
        if token is not None and token.is_han and (not han_run or token.start == previous_end):
            han_run.append(token.text)
            previous_end = token.end
            continue
        if han_run:
            phrases += _han_phrases("".join(han_run), segment)
            han_run = []
        if token is None:
            break
        if token.is_han:  # a new run of Han characters after a gap
            han_run, previous_end = [token.text], token.end
            continue
        lower = token.text.lower()
        if lower in STOPWORDS or (len(lower) < 2 and not lower.isdigit()):
            continue
        variants = tuple(dict.fromkeys([*(stem(lower, language) for language in languages), fold(lower)]))
        if variants not in groups:
            groups.append(variants)
    every = {term for group in groups for term in group} | {char for phrase in phrases for char in phrase}
    return QueryPlan(groups=tuple(groups), phrases=tuple(phrases), variants=frozenset(every))


def _han_phrases(run: str, segment: Callable[[str], Sequence[str]] | None) -> list[tuple[str, ...]]:
    """A run as phrases: the segmenter's words in order, a lone character kept with the word before it
    (or after it), so that "地下水" stays "地下水" when only "地下" is a known word."""
    words = [word for word in (segment(run) if segment else ()) if word and word in run]
    if not words or "".join(words) != run:
        return [tuple(run)]
    phrases: list[str] = []
    for word in words:
        if phrases and (len(word) == 1 or len(phrases[-1]) == 1):
            phrases[-1] += word
        else:
            phrases.append(word)
    return list(dict.fromkeys(tuple(phrase) for phrase in phrases))


def _fts5_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_match(plan: QueryPlan, *, every: bool = False) -> str:
    """The plan as an FTS5 MATCH expression: documents with any group or phrase (bm25 ranks those
    matching more first), or with ``every`` one of them."""
    parts = ["(" + " OR ".join(_fts5_string(term) for term in group) + ")" for group in plan.groups]
    parts += [_fts5_string(" ".join(phrase)) for phrase in plan.phrases]
    return (" AND " if every else " OR ").join(parts)


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(plan: QueryPlan, *, every: bool = False) -> str:
    """The plan as PostgreSQL ``to_tsquery('simple', ...)`` text (any part, or ``every`` part)."""
    parts = ["(" + " | ".join(_lexeme(term) for term in group) + ")" for group in plan.groups]
    parts += ["(" + " <-> ".join(_lexeme(char) for char in phrase) + ")" for phrase in plan.phrases]
    return (" & " if every else " | ").join(parts)


def fuse_scores(
    rankings: Sequence[Sequence[tuple[int, float]]], weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """One ranking from several scored ones, best first: each item scores the sum, over the rankings it
    is in, of weight x its score / the best score of that ranking (weights 1 unless given); ties keep the
    order of first appearance. Scores and not ranks are fused because a registry holds many records that
    match the words almost equally (every radiotherapy need carries the technique's name): their word
    ranks differ by noise, and only the scores let the meaning decide between them (on the judged
    queries, MRR 0.41 with reciprocal rank fusion, 0.49 with this)."""
    fused: dict[int, float] = {}
    for number, ranking in enumerate(rankings):
        weight = weights[number] if weights is not None else 1.0
        best = max((score for _item, score in ranking), default=0.0)
        if best <= 0:
            continue
        for item, score in ranking:
            fused[item] = fused.get(item, 0.0) + weight * max(score, 0.0) / best
    return sorted(fused.items(), key=lambda pair: -pair[1])


def title_match(title: str, plan: QueryPlan, language: str) -> float:
    """How nearly ``title`` is the query, in [0, 1]: the share of the query's parts the title holds times the
    share of the title's words that are the query's (1: the title is the query, as "Mutation breeding" is
    for a search for mutation breeding; a long title that mentions it in passing scores little)."""
    if plan.is_empty:
        return 0.0
    forms = _title_word_forms(title, language)
    matched = [found for found in forms if found & plan.variants]
    if not matched:
        return 0.0
    title_forms = set().union(*matched)
    held = sum(1 for group in plan.groups if title_forms.intersection(group))
    held += sum(1 for phrase in plan.phrases if "".join(phrase) in title)
    return (held / plan.parts) * (len(matched) / len(forms))


@functools.lru_cache(maxsize=TITLE_CACHE_SIZE)
def _title_word_forms(title: str, language: str) -> tuple[frozenset[str], ...]:
    """The forms of each word of a title but the stopwords: kept, since every search measures the titles of
    all it found (about 250) and the same titles come back (splitting and stemming them was a third of a
    search's time in the app)."""
    words = [token for token in tokens(title) if token.is_han or token.text.lower() not in STOPWORDS]
    return tuple(frozenset(_forms(token, language)) for token in words)


def _forms(token: Token, language: str) -> set[str]:
    """The forms of a word a query's variants are compared with (a Han character is its own form)."""
    if token.is_han:
        return {token.text}
    lower = token.text.lower()
    return {fold(lower), stem(lower, language)}


def _matches(token: Token, plan: QueryPlan, language: str) -> bool:
    return bool(_forms(token, language) & plan.variants)


def highlight(text: str, plan: QueryPlan, language: str, *, width: int = 220) -> str:
    """An HTML snippet of ``text``: escaped first, then the matching words wrapped in <mark>; about
    ``width`` characters around the first match (the start of the text when nothing matches)."""
    found = [token for token in tokens(text) if _matches(token, plan, language)]
    start = 0
    if found:
        start = max(0, found[0].start - width // 3)
        while start > 0 and not text[start - 1].isspace() and found[0].start - start < width // 2:
            start -= 1
    end = min(len(text), start + width)
    pieces: list[str] = ["… " if start > 0 else ""]
    cursor = start
    for token in found:
        if token.start < start or token.end > end:
            continue
        pieces.append(html.escape(text[cursor : token.start]))
        pieces.append("<mark>" + html.escape(text[token.start : token.end]) + "</mark>")
        cursor = token.end
    pieces.append(html.escape(text[cursor:end]))
    if end < len(text):
        pieces.append(" …")
    return "".join(pieces)


def nearest(
    matrix: npt.NDArray[np.float32],
    vector: npt.NDArray[np.float32],
    limit: int,
    min_score: float,
    relative: float = 0.0,
) -> list[tuple[int, float]]:
    """Rows of ``matrix`` (unit vectors) closest to ``vector``, best first, as (row, cosine), at most
    ``limit``, none below ``min_score`` nor below ``relative`` times the best score (short queries in
    some languages score high with everything: only the clear leaders are kept)."""
    if matrix.shape[0] == 0 or not np.any(vector):
        return []
    scores = matrix @ vector
    ordered = _best_rows(scores, limit)
    ordered = ordered[np.argsort(-scores[ordered], kind="stable")]
    floor = max(min_score, relative * float(scores[ordered[0]]))
    kept = ordered[scores[ordered] >= floor]
    return list(zip(kept.tolist(), scores[kept].astype(float).tolist(), strict=True))


def nearest_rows(
    matrix: npt.NDArray[np.float32], vector: npt.NDArray[np.float32], limit: int
) -> npt.NDArray[np.int64]:
    """The rows of ``matrix`` closest to ``vector``, at most ``limit``, in no particular order (a first
    pass, whose order the exact scores decide)."""
    if matrix.shape[0] == 0 or not np.any(vector):
        return np.zeros(0, dtype=np.int64)
    return _best_rows(matrix @ vector, limit)


def _best_rows(scores: npt.NDArray[np.float32], limit: int) -> npt.NDArray[np.int64]:
    limit = min(limit, scores.shape[0])
    return np.argpartition(-scores, limit - 1)[:limit].astype(np.int64)
