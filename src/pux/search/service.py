"""Search across every kind of record: words and meaning, fused; only what the person may see."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.blas import ONE_BLAS_THREAD
from pux.dialogues import service as dialogues_service
from pux.i18n import N_
from pux.i18n import gettext as _
from pux.pagination import PageRequest
from pux.search import engine, indexing, repository
from pux.search.repository import SearchFilter
from pux.search.sources import FACETS, SOURCES, SearchScopes

# How deep each ranking goes before fusion (all visible word matches up to this many).
MAX_WORD_HITS = 200
# Three times the meaning hits fused: enough left once the visibility filter has taken what the reader may
# not see (checking 400 cost a fifth of a query).
MAX_MEANING_CANDIDATES = 150
MAX_MEANING_HITS = 50
# Below this cosine a document is not about the query (static word vectors: related texts score 0.25-0.8
# across languages, unrelated ones below 0.1). No floor relative to the best score: across languages a
# right record can score far below the best (a floor at half the best score, tried, lost the English need
# an Arabic query must find: tests/search/test_search.py).
MIN_MEANING_SCORE = 0.2
# The meaning ranking counts for a tenth of the words in the fusion (scores relative to each ranking's
# best, engine.fuse_scores): on the judged queries it finds the right subject but not the right country
# (tests/data/search/judged_queries.csv on the demo, `pux search eval`: MRR 0.47 at weight 0.05 and
# 0.15, 0.49 at 0.1). Among records the words match alike it decides; a record only the meaning finds
# comes after the good word matches, not dropped.
MEANING_WEIGHT = 0.1
# How nearly a document's title is the query (engine.title_match, 1 when it is) counts this many times the
# best word match: bm25 favours short texts that repeat a word over a long page about it, and put the
# technique "Mutation breeding of crops" 72nd for a search for mutation breeding, behind activities and
# events that name it in passing. On the judged queries (`pux search eval tests/data/search/
# judged_queries.csv`, MRR / recall@10), on the demo: without 0.486 / 0.717, at 0.5 0.560 / 0.800, at 1 and 2
# 0.615 / 0.867, at 3 0.597 / 0.883; at the mission's scale (bench/scale.py): at 1 0.429 / 0.450, at 2
# 0.457 / 0.467, at 3 0.458 / 0.483 (without, and without the few-record kinds ranked: 0.263 / 0.267).
TITLE_WEIGHT = 2.0
MAX_QUERY_CHARS = 300
FACET_VALUES_SHOWN = 12  # the most frequent values of each facet, beside the results
# Threads for the meaning half of searches (a numpy product over the vectors); as many as the cores.
MEANING_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="pux-meaning")
MODES = ("fused", "words", "meaning")
KIND_LABELS = {
    "need": N_("Needs"),
    "programme": N_("Programmes"),
    "activity": N_("Assistance activities"),
    "event": N_("Dialogue events"),
    "country": N_("Countries"),
    "technique": N_("Techniques"),
    "evidence": N_("Evidence"),
    "story": N_("Success stories"),
    "myth": N_("Myths and facts"),
}
FACET_LABELS = {
    "kind": N_("Kind"),
    "country": N_("Country"),
    "area": N_("Thematic area"),
    "technique": N_("Technique"),
    "sdg": N_("SDG"),
}


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    language: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    hits: list[Hit]


@dataclass(frozen=True)
class SearchResults:
    query: str
    language: str
    filters: SearchFilter
    total: int
    page: PageRequest
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    capped: bool = False  # the caps on word and meaning hits left matches out of hits, counts and facets

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page.size))

    @property
    def groups(self) -> list[KindGroup]:
        """The page's hits grouped by kind, the kinds in the order of their best hit."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind, []).append(hit)
        return [KindGroup(kind, kind_label(kind), hits) for kind, hits in grouped.items()]


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def facet_label(facet: str) -> str:
    return _(FACET_LABELS[facet])


def scopes_for(session: Session, actor: Actor) -> SearchScopes:
    """What ``actor`` may see of each kind, from each kind's own scope rules."""
    return SearchScopes(
        actor=actor,
        need=permissions.need_scope(actor),
        programme=permissions.programme_scope(actor),
        activity=permissions.activity_scope(actor),
        event=dialogues_service.event_scope(session, actor),
        unpublished_knowledge=permissions.can_view_unpublished_knowledge(actor),
    )


@dataclass(frozen=True)
class Found:
    """The documents found, best first, and whether the caps on word and meaning hits left some out."""

    ids: list[int]
    capped: bool


def rank(
    session: Session,
    *,
    scopes: SearchScopes,
    query: str,
    language: str,
    filters: SearchFilter,
    mode: str = "fused",
) -> list[int]:
    """Ids of the visible documents for ``query``, best first (words, meaning, or both fused)."""
    return find(session, scopes=scopes, query=query, language=language, filters=filters, mode=mode).ids


def find(
    session: Session,
    *,
    scopes: SearchScopes,
    query: str,
    language: str,
    filters: SearchFilter,
    mode: str = "fused",
) -> Found:
    """The visible documents for ``query``, best first, and whether the caps left some out.

    The caps on word and meaning hits apply to what the reader may see, and the facets chosen only narrow
    what they kept: the hits are then the same whatever the filters, and the count beside a facet value
    (counted over the hits) is what choosing it lists. Filtered before the caps, a filter dug deeper than
    the counts had looked (a facet counted 88 and listed 92)."""
    visible = repository.visible_clause(scopes)
    # The meaning half reads only memory: it runs beside the word half's SQL (both release the GIL).
    nearby = (
        MEANING_POOL.submit(_nearest_documents, repository.vector_index(session), query)
        if mode in ("fused", "meaning")
        else None
    )
    rankings: list[list[tuple[int, float]]] = []
    weights: list[float] = []
    capped = False
    plan = engine.plan_query(query, language, indexing.han_words)  # the words, and the titles' measure
    if mode in ("fused", "words"):
        words = repository.word_ranking(session, plan, visible, MAX_WORD_HITS)
        # As many as the cap: there may be more (rarely exactly as many, and then the note is one too many).
        capped = len(words) >= MAX_WORD_HITS
        rankings.append(words)
        weights.append(1.0)
    if nearby is not None:
        meaning, meaning_capped = _visible_meaning_hits(session, nearby.result(), visible)
        capped = capped or meaning_capped
        rankings.append(meaning)
        weights.append(MEANING_WEIGHT)
    rankings = _narrowed(session, rankings, filters)
    if mode == "fused":
        found = list(dict.fromkeys(item for ranking in rankings for item, _score in ranking))
        titles = _title_ranking(session, plan, language, found)
        best = max((score for _item, score in titles), default=0.0)
        rankings.append(titles)
        weights.append(TITLE_WEIGHT * best)  # fuse_scores divides by the best: a title counts as it matches
    return Found([item for item, _score in engine.fuse_scores(rankings, weights=weights)], capped)


def _visible_meaning_hits(
    session: Session, candidates: list[tuple[int, float]], visible: ColumnElement[bool]
) -> tuple[list[tuple[int, float]], bool]:
    """The best MAX_MEANING_HITS of the nearest documents the reader may see, and whether more may be
    near (more were visible, or every candidate was taken and those beyond them were not looked at)."""
    seen = repository.visible_among(session, [i for i, _score in candidates], visible)
    hits = [(i, score) for i, score in candidates if i in seen]
    capped = len(hits) > MAX_MEANING_HITS or len(candidates) >= MAX_MEANING_CANDIDATES
    return hits[:MAX_MEANING_HITS], capped


def _narrowed(
    session: Session, rankings: list[list[tuple[int, float]]], filters: SearchFilter
) -> list[list[tuple[int, float]]]:
    """Each ranking with only the documents the facets chosen keep (their scores as they were)."""
    if filters == SearchFilter():
        return rankings
    found = list(dict.fromkeys(item for ranking in rankings for item, _score in ranking))
    kept = repository.filtered_among(session, found, filters)
    return [[(item, score) for item, score in ranking if item in kept] for ranking in rankings]


def _title_ranking(
    session: Session, plan: engine.QueryPlan, language: str, ids: Sequence[int]
) -> list[tuple[int, float]]:
    """The documents found whose title (in the reader's language where the record has one) is nearly the
    query (engine.title_match)."""
    headings = repository.headings(session, ids)
    local = _local_titles(session, list(headings.values()), language)
    scored = []
    for document_id, heading in headings.items():
        title, title_language = local.get(
            (heading.kind, heading.source_key), (heading.title, heading.language)
        )
        score = engine.title_match(title, plan, title_language)
        if score > 0:
            scored.append((document_id, score))
    return scored


def prepare(session: Session) -> None:
    """Read the search vectors into this process's memory ahead of the first search (at the mission's
    scale 446,000 of them: 11 s on PostgreSQL, which the first searches of a cold process waited for)."""
    repository.vector_index(session)


def _nearest_documents(index: repository.VectorIndex, query: str) -> list[tuple[int, float]]:
    # BLAS on one thread: its own threads would spin against the word half's SQL (fused p50 28 ms with
    # them, 17 ms without, bench/search.py at 100,000 records).
    with ONE_BLAS_THREAD:
        vector = indexing.embedder().embed_queries([query])[0]
        return index.nearest(vector, MAX_MEANING_CANDIDATES, MIN_MEANING_SCORE)


def search(
    session: Session,
    *,
    actor: Actor,
    query: str,
    language: str,
    filters: SearchFilter,
    page: PageRequest,
    mode: str = "fused",
) -> SearchResults:
    """One page of what ``actor`` may see for ``query``, with counts and facets of all of it."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return SearchResults(query, language, filters, 0, page, [])
    found = find(
        session, scopes=scopes_for(session, actor), query=query, language=language, filters=filters, mode=mode
    )
    ranked = found.ids
    shown = ranked[page.offset : page.offset + page.size]
    documents = repository.documents(session, shown)
    plan = engine.plan_query(query, language, indexing.han_words)
    local = _local_titles(session, list(documents.values()), language)
    hits = []
    for document_id in shown:
        document = documents[document_id]
        source = SOURCES.get(document.kind)
        title, title_language = local.get(
            (document.kind, document.source_key), (document.title, document.language)
        )
        hits.append(
            Hit(
                kind=document.kind,
                key=document.source_key,
                title=title,
                title_html=engine.highlight(title, plan, title_language, width=300),
                snippet_html=engine.highlight(document.body, plan, document.language),
                url=source.url(document.source_key) if source else "#",
                language=title_language,
            )
        )
    return SearchResults(
        query=query,
        language=language,
        filters=filters,
        total=len(ranked),
        page=page,
        hits=hits,
        facets=_facets(session, ranked, language),
        capped=found.capped,
    )


class _Named(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def source_key(self) -> str: ...

    @property
    def language(self) -> str: ...


def _local_titles(
    session: Session, documents: Sequence[_Named], language: str
) -> dict[tuple[str, str], tuple[str, str]]:
    """The titles the reader's language has for some of the documents (a technique's name, a story's
    reviewed or draft translation), as (kind, key) -> (title, language)."""
    keys_by_kind: dict[str, list[str]] = {}
    for document in documents:
        if document.language != language:
            keys_by_kind.setdefault(document.kind, []).append(document.source_key)
    titles: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, keys in keys_by_kind.items():
        source = SOURCES.get(kind)
        if source is None or source.local_titles is None:
            continue
        for key, title in source.local_titles(session, keys, language).items():
            titles[(kind, key)] = (title, language)
    return titles


def _facets(session: Session, ids: Sequence[int], language: str) -> dict[str, list[FacetValue]]:
    facets = {
        "kind": [
            FacetValue(kind, kind_label(kind), count)
            for kind, count in sorted(repository.kind_counts(session, ids).items(), key=lambda kv: -kv[1])
        ]
    }
    counts = repository.facet_counts(session, ids)
    for facet in FACETS:
        values = _may_be_shown(counts.get(facet, {}))
        labels = repository.facet_labels(session, facet, values, language)
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))
        facets[facet] = [
            FacetValue(value, labels.get(value, value), count)
            for value, count in ordered[:FACET_VALUES_SHOWN]
        ]
    return facets


def _may_be_shown(counts: dict[str, int]) -> dict[str, int]:
    """The values that can be among the FACET_VALUES_SHOWN most frequent: those counted at least as often
    as the last of them. Only these need their names (read in the reader's language, a hundred countries
    for a common word); a name only orders values counted as often."""
    if len(counts) <= FACET_VALUES_SHOWN:
        return counts
    least = sorted(counts.values(), reverse=True)[FACET_VALUES_SHOWN - 1]
    return {value: count for value, count in counts.items() if count >= least}


def reindex(
    session: Session, *, actor: Actor, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Rebuild the whole index from the records (for changes made outside PUX). Administrators only."""
    require(
        permissions.can_rebuild_search_index(actor), _("Only administrators can rebuild the search index.")
    )
    return indexing.rebuild(session, progress=progress)


def record_counts(session: Session) -> dict[str, int]:
    """How many records of each kind a full re-index reads (for a progress bar)."""
    return repository.record_counts(session, list(SOURCES.values()))


# --- Relevance check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgedQuery:
    language: str
    query: str
    expected: tuple[tuple[str, str], ...]  # (kind, natural key)


@dataclass(frozen=True)
class Evaluation:
    queries: int
    mean_reciprocal_rank: float
    recall_at_10: float
    per_language: dict[str, tuple[int, float, float]]
    misses: list[str]


def evaluate(session: Session, *, judged: Sequence[JudgedQuery], mode: str = "fused") -> Evaluation:
    """Mean reciprocal rank (of the first expected record) and recall@10, overall and per language; the
    queries are run with an administrator's view so that only the ranking is judged."""
    scopes = scopes_for(session, Actor.system("search-eval"))
    wanted = {pair for item in judged for pair in item.expected}
    natural: dict[tuple[str, str], tuple[str, str]] = {}
    for kind in {kind for kind, _key in wanted}:
        if kind in SOURCES:
            names = sorted(key for k, key in wanted if k == kind)
            found = repository.source_keys_by_natural_key(session, SOURCES[kind], names)
            natural.update({(kind, name): (kind, key) for name, key in found.items()})
    by_source = repository.document_ids_of(session, natural.values())
    keys = {
        pair: by_source[natural[pair]] for pair in wanted if pair in natural and natural[pair] in by_source
    }
    by_language: dict[str, list[tuple[float, float]]] = {}
    misses = []
    for item in judged:
        ranked = rank(
            session,
            scopes=scopes,
            query=item.query,
            language=item.language,
            filters=SearchFilter(),
            mode=mode,
        )
        expected_ids = [keys[pair] for pair in item.expected if pair in keys]
        positions = [ranked.index(i) + 1 for i in expected_ids if i in ranked]
        reciprocal = 1.0 / min(positions) if positions else 0.0
        recall = sum(1 for p in positions if p <= 10) / len(item.expected) if item.expected else 0.0
        if reciprocal < 1.0:
            misses.append(
                f"{item.language} {item.query!r}: first expected at {min(positions) if positions else '-'}"
            )
        by_language.setdefault(item.language, []).append((reciprocal, recall))
    every = [pair for pairs in by_language.values() for pair in pairs]

    def mean(values: Sequence[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Evaluation(
        queries=len(every),
        mean_reciprocal_rank=mean([r for r, _ in every]),
        recall_at_10=mean([c for _, c in every]),
        per_language={
            language: (len(pairs), mean([r for r, _ in pairs]), mean([c for _, c in pairs]))
            for language, pairs in by_language.items()
        },
        misses=misses,
    )
