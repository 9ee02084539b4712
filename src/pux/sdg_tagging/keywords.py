"""Keyword evidence: boolean proximity queries in the Scopus syntax of the Aurora SDG queries.

The Aurora Universities Network publishes one query per SDG target (CC BY 4.0). The build script parses
them once into small JSON trees; at run time a tree is matched against the words of a text and reports
the phrases that made it match, which become human-readable evidence for a suggestion.

Grammar (Scopus precedence, tightest first): ``OR``, ``W/n``, ``AND``, ``AND NOT``. Terms are quoted
phrases; ``*`` at the end of a word is a prefix wildcard.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

QueryTree = list[Any]
"""A parsed query: ``["phrase", "drinking water"]``, ``["or", [child...]]``, ``["and", [child...]]``,
``["near", n, [child...]]`` or ``["not", included, excluded]``. Plain lists so that it round-trips
through JSON."""

_TOKEN_PATTERN = re.compile(r'"([^"]*)"|(\()|(\))|(W/\d+)|(AND\s+NOT)|(AND)|(OR)', re.IGNORECASE)
_WORD_PATTERN = re.compile(r"[a-z0-9]+\*?")
_TEXT_WORD_PATTERN = re.compile(r"[a-z0-9]+")


class QuerySyntaxError(ValueError):
    """A query string does not follow the supported Scopus subset."""


def parse_query(query: str) -> QueryTree:
    """Parse one Scopus query line into a JSON-friendly tree."""
    tokens = _tokenize_query(query)
    parser = _Parser(tokens)
    tree = parser.parse_not()
    if parser.position != len(tokens):
        raise QuerySyntaxError(f"unexpected {tokens[parser.position]!r} in {query!r}")
    return tree


def _tokenize_query(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _TOKEN_PATTERN.finditer(query):
        if query[position : match.start()].strip():
            raise QuerySyntaxError(f"unquoted text {query[position : match.start()]!r} in {query!r}")
        position = match.end()
        phrase, opening, closing, near, and_not, and_, or_ = match.groups()
        if phrase is not None:
            tokens.append(("phrase", " ".join(phrase.lower().split())))
        elif opening:
            tokens.append(("(", opening))
        elif closing:
            tokens.append((")", closing))
        elif near:
            tokens.append(("near", near.upper()[2:]))
        elif and_not:
            tokens.append(("andnot", "AND NOT"))
        elif and_:
            tokens.append(("and", "AND"))
        elif or_:
            tokens.append(("or", "OR"))
    if query[position:].strip():
        raise QuerySyntaxError(f"unquoted text {query[position:]!r} in {query!r}")
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse_not(self) -> QueryTree:
        tree = self.parse_and()
        while self._peek() == "andnot":
            self._take()
            tree = ["not", tree, self.parse_and()]
        return tree

    def parse_and(self) -> QueryTree:
        children = [self.parse_near()]
        while self._peek() == "and":
            self._take()
            children.append(self.parse_near())
        return children[0] if len(children) == 1 else ["and", children]

    def parse_near(self) -> QueryTree:
        tree = self.parse_or()
        while self._peek() == "near":
            distance = int(self._take()[1])
            tree = ["near", distance, [tree, self.parse_or()]]
        return tree

    def parse_or(self) -> QueryTree:
        children = [self.parse_atom()]
        while self._peek() == "or":
            self._take()
            children.append(self.parse_atom())
        return children[0] if len(children) == 1 else ["or", children]

    def parse_atom(self) -> QueryTree:
        kind = self._peek()
        if kind == "phrase":
            return ["phrase", self._take()[1]]
        if kind == "(":
            self._take()
            tree = self.parse_not()
            if self._peek() != ")":
                raise QuerySyntaxError("missing closing parenthesis")
            self._take()
            return tree
        raise QuerySyntaxError(f"expected a phrase or '(' but found {kind!r}")


@dataclass(frozen=True)
class PhraseHit:
    """Where a phrase matched: word positions ``start..end`` (inclusive) and the words of the text."""

    start: int
    end: int
    surface: str


def text_words(text: str) -> list[str]:
    """Lower-case ASCII-alphanumeric words, the unit the English queries are written in."""
    return _TEXT_WORD_PATTERN.findall(text.lower())


class TextIndex:
    """The words of one text, indexed so that hundreds of queries can be matched in a few milliseconds."""

    def __init__(self, text: str) -> None:
        self.words = text_words(text)
        self._positions: dict[str, list[int]] = {}
        for position, word in enumerate(self.words):
            self._positions.setdefault(word, []).append(position)
        self._sorted_words = sorted(self._positions)
        self._term_cache: dict[str, frozenset[int]] = {}

    @property
    def distinct_words(self) -> list[str]:
        return self._sorted_words

    def term_positions(self, term: str) -> frozenset[int]:
        """Positions of the words a query term matches (``*`` is a prefix wildcard)."""
        cached = self._term_cache.get(term)
        if cached is None:
            cached = frozenset(self._find_term(term))
            self._term_cache[term] = cached
        return cached

    def _find_term(self, term: str) -> list[int]:
        if term.endswith("*"):
            prefix = term[:-1]
            first = bisect.bisect_left(self._sorted_words, prefix)
            found: list[int] = []
            for word in self._sorted_words[first:]:
                if not word.startswith(prefix):
                    break
                found.extend(self._positions[word])
            return found
        # Scopus matches quoted words loosely, plurals included.
        return [p for form in (term, term + "s", term + "es") for p in self._positions.get(form, ())]


class KeywordQuery:
    """A compiled query tree that can be matched against many texts."""

    def __init__(self, tree: QueryTree) -> None:
        self.tree = tree

    def match(self, index: TextIndex) -> list[PhraseHit]:
        """The phrase hits that satisfy the query, or an empty list when it does not match."""
        return _evaluate(self.tree, index)


def _evaluate(tree: QueryTree, index: TextIndex) -> list[PhraseHit]:
    kind = tree[0]
    if kind == "phrase":
        return _phrase_hits(tree[1], index)
    if kind == "or":
        return [hit for child in tree[1] for hit in _evaluate(child, index)]
    if kind == "and":
        hits: list[PhraseHit] = []
        for child in tree[1]:
            child_hits = _evaluate(child, index)
            if not child_hits:
                return []
            hits.extend(child_hits)
        return hits
    if kind == "near":
        return _near_hits(int(tree[1]), [_evaluate(child, index) for child in tree[2]])
    if kind == "not":
        included = _evaluate(tree[1], index)
        return [] if not included or _evaluate(tree[2], index) else included
    raise QuerySyntaxError(f"unknown node {kind!r}")


def _near_hits(distance: int, operands: list[list[PhraseHit]]) -> list[PhraseHit]:
    """Hits of a left-associative ``a W/n b W/n c`` chain: each step keeps the hits that have a partner
    at most ``distance`` words away."""
    current = operands[0]
    for following in operands[1:]:
        kept_left = [a for a in current if any(_gap(a, b) <= distance for b in following)]
        kept_right = [b for b in following if any(_gap(a, b) <= distance for a in current)]
        if not kept_left:
            return []
        current = kept_left + kept_right
    return current


def _gap(first: PhraseHit, second: PhraseHit) -> int:
    if first.end < second.start:
        return second.start - first.end
    if second.end < first.start:
        return first.start - second.end
    return 0


def _phrase_hits(phrase: str, index: TextIndex) -> list[PhraseHit]:
    terms = _WORD_PATTERN.findall(phrase)
    if not terms:
        return []
    later_terms = [index.term_positions(term) for term in terms[1:]]
    hits = []
    for start in sorted(index.term_positions(terms[0])):
        if all(start + offset + 1 in positions for offset, positions in enumerate(later_terms)):
            end = start + len(terms) - 1
            hits.append(PhraseHit(start, end, " ".join(index.words[start : end + 1])))
    return hits


def required_terms(tree: QueryTree) -> frozenset[str]:
    """Terms of which at least one must occur for ``tree`` to match: a cheap filter before evaluation."""
    kind = tree[0]
    if kind == "phrase":
        terms = _WORD_PATTERN.findall(tree[1])
        return frozenset(terms[:1] and [max(terms, key=lambda term: len(term.rstrip("*")))])
    if kind == "or":
        return frozenset().union(*(required_terms(child) for child in tree[1]))
    if kind in ("and", "near"):
        children = tree[1] if kind == "and" else tree[2]
        return min((required_terms(child) for child in children), key=len)
    if kind == "not":
        return required_terms(tree[1])
    raise QuerySyntaxError(f"unknown node {kind!r}")


class KeywordMatcher:
    """Many queries at once; only the queries whose required terms occur in a text are evaluated."""

    def __init__(self, trees: Sequence[QueryTree]) -> None:
        self.queries = [KeywordQuery(tree) for tree in trees]
        self._exact: dict[str, set[int]] = {}
        self._prefix: dict[str, set[int]] = {}
        for position, tree in enumerate(trees):
            for term in required_terms(tree):
                if term.endswith("*"):
                    self._prefix.setdefault(term[:-1], set()).add(position)
                else:
                    for form in (term, term + "s", term + "es"):
                        self._exact.setdefault(form, set()).add(position)
        self._longest_prefix = max((len(prefix) for prefix in self._prefix), default=0)

    def match(self, text: str) -> list[tuple[int, list[PhraseHit]]]:
        """(query position, hits) for every query that matches ``text``, in query order."""
        index = TextIndex(text)
        matched = []
        for position in sorted(self._candidates(index)):
            hits = self.queries[position].match(index)
            if hits:
                matched.append((position, hits))
        return matched

    def _candidates(self, index: TextIndex) -> set[int]:
        candidates: set[int] = set()
        for word in index.distinct_words:
            candidates.update(self._exact.get(word, ()))
            for length in range(1, min(len(word), self._longest_prefix) + 1):
                candidates.update(self._prefix.get(word[:length], ()))
        return candidates
