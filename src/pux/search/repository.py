"""All queries of search: the word index (FTS5 or tsvector), documents, facets, and the vectors."""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    column,
    delete,
    func,
    literal_column,
    or_,
    select,
    table,
    true,
    union,
)
from sqlalchemy.orm import Session

from pux.db import copy_rows, ids_for_new_rows, one_of
from pux.pagination import count_of
from pux.reference.models import Country, SdgGoal, Technique, ThematicArea
from pux.search import engine
from pux.search.models import SearchDocument, SearchFacet
from pux.search.sources import SOURCES, SearchScopes

VECTOR_DTYPE = np.float16
# The meaning search reads a projection of the vectors first (PROJECTION_DIM main directions, found
# from about PROJECTION_SAMPLE of them), then the full vectors of the COARSE_CANDIDATES best.
PROJECTION_DIM = 96
PROJECTION_SAMPLE = 5000
COARSE_CANDIDATES = 2000
# How many of the best word matches are read before the visibility filter keeps the first ``limit``.
WORD_CANDIDATES_FACTOR = 2
# Fewer matches than this with every word of a query: those with some of its words follow.
ENOUGH_WITH_EVERY_WORD = 20
# At most this many matches of a query are scored (the newest; see _word_ranking), and besides them every
# match of the kinds whose records are few (the knowledge base, countries, events): those are made once and
# age, and at the mission's scale a thousand newer needs and activities that name a technique had pushed
# the technique's own page out of the scored matches.
RANKED_MATCHES = 1000
FEW_RECORD_KINDS = ("country", "technique", "evidence", "story", "myth", "event")
# Written out as literals, not parameters: PostgreSQL then knows, also in a prepared statement's generic
# plan, that the word index of these kinds alone (migration 0019, the same list) covers the query.
_OF_FEW_RECORD_KIND = SearchDocument.kind.in_([literal_column(f"'{kind}'") for kind in FEW_RECORD_KINDS])
_TERMS: ColumnElement[Any] = literal_column("search_document.terms_tsv")  # PostgreSQL's word index column
FEW_RECORD_GAP = 64
# The best document matching only some of the query's words scores this share of the best with all.
ANY_WORD_SHARE = 0.5
_documents: Table = SearchDocument.__table__  # type: ignore[assignment]
_facets: Table = SearchFacet.__table__  # type: ignore[assignment]
_fts = table("search_fts", column("rowid"), column("terms"))


@dataclass(frozen=True)
class SearchFilter:
    kinds: tuple[str, ...] = ()
    country_iso3: str | None = None
    area_code: str | None = None
    technique_code: str | None = None
    sdg_goal: str | None = None


# The kind as an expression no index serves: compared with a constant, the kind would lead SQLite to
# walk the (kind, source_key) index for every kind instead of looking the few candidate ids up.
_KIND = SearchDocument.kind.concat("")


@functools.lru_cache(maxsize=1024)
def visible_clause(scopes: SearchScopes) -> ColumnElement[bool]:
    """The documents a person may see: for each kind, the rule of that kind's own list. Kept per scope
    (scopes are values; a clause is immutable): building it cost 8 ms of every query."""
    return or_(*(and_(_KIND == source.kind, source.visibility(scopes)) for source in SOURCES.values()))


def _with_facet(facet: str, value: str) -> ColumnElement[bool]:
    return SearchDocument.id.in_(
        select(SearchFacet.document_id).where(SearchFacet.facet == facet, SearchFacet.value == value)
    )


def filter_clause(filters: SearchFilter) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if filters.kinds:
        clauses.append(_KIND.in_(filters.kinds))
    for facet, value in (
        ("country", filters.country_iso3),
        ("area", filters.area_code),
        ("technique", filters.technique_code),
        ("sdg", filters.sdg_goal),
    ):
        if value:
            clauses.append(_with_facet(facet, value))
    return and_(true(), *clauses)


def word_ranking(
    session: Session, plan: engine.QueryPlan, where: ColumnElement[bool], limit: int
) -> list[tuple[int, float]]:
    """The visible documents matching the words, best first, with scores in (0, 1] (bm25 or ts_rank
    over the best): those with every word of the query first; when they are few, those with any of
    them, scored at most ANY_WORD_SHARE so that they stay behind."""
    if plan.is_empty:
        return []
    found = _relative(_word_ranking(session, plan, where, limit, every=plan.parts > 1), 1.0)
    if plan.parts > 1 and len(found) < ENOUGH_WITH_EVERY_WORD:
        seen = {item for item, _score in found}
        more = _relative(_word_ranking(session, plan, where, limit, every=False), ANY_WORD_SHARE)
        found += [(item, score) for item, score in more if item not in seen][: limit - len(found)]
    return found


def _relative(ranking: list[tuple[int, float]], top: float) -> list[tuple[int, float]]:
    best = max((score for _item, score in ranking), default=0.0)
    if best <= 0:
        return [(item, top) for item, _score in ranking]
    return [(item, top * score / best) for item, score in ranking]


def _word_ranking(
    session: Session, plan: engine.QueryPlan, where: ColumnElement[bool], limit: int, *, every: bool
) -> list[tuple[int, float]]:
    if session.get_bind().dialect.name == "sqlite":
        return _fts5_ranking(session, plan, where, limit, every=every)
    return _tsvector_ranking(session, plan, where, limit, every=every)


def _fts5_ranking(
    session: Session, plan: engine.QueryPlan, where: ColumnElement[bool], limit: int, *, every: bool
) -> list[tuple[int, float]]:
    """FTS5 scores (bm25) the newest RANKED_MATCHES matches, found in id order, which costs nothing, and
    those of the few-record kinds; scoring costs a few microseconds a match. They are sorted here (an ORDER
    BY rank in FTS5 took twice as long as the scoring), then the visibility and filters apply to the best of
    them."""
    fts: ColumnElement[Any] = literal_column("search_fts")
    match = fts.op("MATCH")(engine.fts5_match(plan, every=every))
    statement = select(_fts.c.rowid, func.bm25(fts)).where(match)
    # Read at once (fetchall): read a row at a time, the reading took longer than the scoring.
    newest = session.execute(statement.order_by(_fts.c.rowid.desc()).limit(RANKED_MATCHES)).all()
    few = {row[0]: -row[1] for row in _few_record_matches(session, statement)}
    scored = {row[0]: -row[1] for row in newest} | few
    best = sorted(scored.items(), key=lambda pair: (-pair[1], pair[0]))
    candidates = [pair for i, pair in enumerate(best) if i < limit * WORD_CANDIDATES_FACTOR or pair[0] in few]
    visible = visible_among(session, [item for item, _score in candidates], where)
    return _best_and_few([pair for pair in candidates if pair[0] in visible], few, limit)


def _best_and_few(
    ranked: list[tuple[int, float]], few: Container[int], limit: int
) -> list[tuple[int, float]]:
    """The ``limit`` best, and after them the few-record kinds' matches that are not among them: a long
    page about a subject (a technique's) scores low on each of its words, and would be cut here before the
    title could count (service.rank)."""
    return ranked[:limit] + [pair for pair in ranked[limit:] if pair[0] in few]


def _few_record_matches(session: Session, scoring: Select[Any]) -> list[Any]:
    """``scoring``'s rows for the matches among the few-record kinds. Asked for by ``rowid IN``, FTS5 scored
    every match of the query (40 ms for a common word at the mission's scale); asked for a range of rowids,
    only the matches in it. The few records are written in runs (a reference load, the knowledge base), so
    their ids fall in a handful of ranges; a range spans gaps of up to FEW_RECORD_GAP other documents,
    whose matches are scored too and then left out."""
    # Sorted here: asked to sort, SQLite walked every document in id order instead of the kind index.
    few = sorted(session.scalars(select(SearchDocument.id).where(_OF_FEW_RECORD_KIND)).all())
    ranges: list[list[int]] = []
    for document_id in few:
        if ranges and document_id - ranges[-1][1] <= FEW_RECORD_GAP:
            ranges[-1][1] = document_id
        else:
            ranges.append([document_id, document_id])
    wanted = set(few)
    rows: list[Any] = []
    for first, last in ranges:
        found = session.execute(scoring.where(_fts.c.rowid.between(first, last))).all()
        rows += [row for row in found if row[0] in wanted]
    return rows


def _tsvector_ranking(
    session: Session, plan: engine.QueryPlan, where: ColumnElement[bool], limit: int, *, every: bool
) -> list[tuple[int, float]]:
    """The same bounds as on SQLite: ts_rank reads each match's tsvector, so only the newest
    RANKED_MATCHES matches and those of the few-record kinds are ranked."""
    query = _tsquery(plan, every=every)
    matching = _matches(plan, every=every)
    ranked_ids = union(_newest_matches(session, matching), matching.where(_OF_FEW_RECORD_KIND)).subquery()
    score = func.ts_rank(_TERMS, query)
    statement = (
        select(SearchDocument.id, score, _OF_FEW_RECORD_KIND)
        .join(ranked_ids, ranked_ids.c.id == SearchDocument.id)
        .where(where)
        .order_by(score.desc(), SearchDocument.id)
    )
    rows = session.execute(statement).all()
    few = {document_id for document_id, _score, is_few in rows if is_few}
    return _best_and_few([(document_id, float(score)) for document_id, score, _few in rows], few, limit)


def _tsquery(plan: engine.QueryPlan, *, every: bool) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'"), engine.tsquery(plan, every=every))


def _newest_matches(session: Session, matching: Select[Any]) -> Select[Any]:
    """The newest RANKED_MATCHES of ``matching``'s documents, found the cheaper of two ways, each slow where
    the other is fast: walking the ids down (about documents / matches rows read per match: fast for a
    common word, and for words with fewer matches than wanted every document was read, 1.1 s for "mouches
    des fruits en Ouganda" at the mission's scale) or through the word index (every match read, then
    sorted: fast for rare words). The walk reads fewer rows when the matches are more than the square root
    of wanted x documents. PostgreSQL's own estimates decide (its word statistics and the table's rows): a
    count of the matches, even capped there, read thousands of rows (0.8 s)."""
    estimated = _estimated_rows(session, matching)
    walk_from = math.sqrt(RANKED_MATCHES * _estimated_rows(session, select(SearchDocument.id)))
    # "id + 0" is not the key's index: PostgreSQL then finds the matches through the word index and sorts.
    order = SearchDocument.id.desc() if estimated > walk_from else (SearchDocument.id + 0).desc()
    newest = matching.order_by(order).limit(RANKED_MATCHES).subquery()
    return select(newest.c.id)


def _estimated_rows(session: Session, statement: Select[Any]) -> float:
    compiled = statement.compile(dialect=session.get_bind().dialect)
    explained = session.connection().exec_driver_sql(
        "EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params
    )
    return float(explained.scalar_one()[0]["Plan"]["Plan Rows"])


def _matches(plan: engine.QueryPlan, *, every: bool) -> Select[Any]:
    return select(SearchDocument.id.label("id")).where(_TERMS.op("@@")(_tsquery(plan, every=every)))


def visible_among(session: Session, ids: Sequence[int], where: ColumnElement[bool]) -> set[int]:
    if not ids:
        return set()
    statement = select(SearchDocument.id).where(one_of(session, SearchDocument.id, "ids"), where)
    return set(session.scalars(statement, {"ids": list(ids)}))


def filtered_among(session: Session, ids: Sequence[int], filters: SearchFilter) -> set[int]:
    """Those of ``ids`` that have the facets ``filters`` chose."""
    return visible_among(session, ids, filter_clause(filters))


@dataclass(frozen=True)
class Heading:
    """What a document is called, without its text: to rank by titles."""

    kind: str
    source_key: str
    title: str
    language: str


def headings(session: Session, ids: Sequence[int]) -> dict[int, Heading]:
    if not ids:
        return {}
    statement = select(
        SearchDocument.id,
        SearchDocument.kind,
        SearchDocument.source_key,
        SearchDocument.title,
        SearchDocument.language,
    ).where(one_of(session, SearchDocument.id, "ids"))
    return {row[0]: Heading(*row[1:]) for row in session.execute(statement, {"ids": list(ids)})}


def documents(session: Session, ids: Sequence[int]) -> dict[int, SearchDocument]:
    if not ids:
        return {}
    statement = select(SearchDocument).where(one_of(session, SearchDocument.id, "ids"))
    return {document.id: document for document in session.scalars(statement, {"ids": list(ids)})}


def kind_counts(session: Session, ids: Sequence[int]) -> dict[str, int]:
    if not ids:
        return {}
    statement = (
        select(SearchDocument.kind, func.count())
        .where(one_of(session, SearchDocument.id, "ids"))
        .group_by(SearchDocument.kind)
    )
    return {kind: count for kind, count in session.execute(statement, {"ids": list(ids)})}


def facet_counts(session: Session, ids: Sequence[int]) -> dict[str, dict[str, int]]:
    if not ids:
        return {}
    statement = (
        select(SearchFacet.facet, SearchFacet.value, func.count())
        .where(one_of(session, SearchFacet.document_id, "ids"))
        .group_by(SearchFacet.facet, SearchFacet.value)
    )
    counts: dict[str, dict[str, int]] = {}
    for facet, value, count in session.execute(statement, {"ids": list(ids)}):
        counts.setdefault(facet, {})[value] = count
    return counts


def facet_labels(session: Session, facet: str, values: Iterable[str], language: str) -> dict[str, str]:
    """Names of facet values in ``language`` (codes stay as they are where nothing is known)."""
    codes = list(values)
    if not codes:
        return {}
    if facet == "sdg":
        goals = session.scalars(select(SdgGoal).where(SdgGoal.code.in_(codes)))
        return {goal.code: f"{goal.code}. {goal.label(language)}" for goal in goals}
    model: Any = {"country": Country, "area": ThematicArea, "technique": Technique}[facet]
    key = model.iso3 if facet == "country" else model.code
    # The names alone (SixLanguageNames.name's rule: the language's, else English), not whole records:
    # a country record brings its regions and every year of its income group.
    local = getattr(model, f"name_{language}") if language in engine.LANGUAGES else model.name_en
    rows = session.execute(select(key, model.name_en, local).where(key.in_(codes)))
    return {str(code): name or english for code, english, name in rows}


# --- Writing ------------------------------------------------------------------------------------------


def delete_documents(connection: Connection, kind: str, keys: Sequence[str]) -> None:
    for start in range(0, len(keys), 500):
        connection.execute(
            delete(_documents).where(
                _documents.c.kind == kind, _documents.c.source_key.in_(list(keys[start : start + 500]))
            )
        )


def delete_kind(connection: Connection, kind: str) -> None:
    connection.execute(delete(_documents).where(_documents.c.kind == kind))


def insert_documents(
    connection: Connection, rows: Sequence[Mapping[str, Any]], facets: Sequence[Sequence[tuple[str, str]]]
) -> None:
    """Insert documents and, for each, its (facet, value) pairs."""
    if not rows:
        return
    # Given their ids first: on SQLite an INSERT .. RETURNING in the rows' order goes in a statement a
    # row, a third of the time an import of 20,000 rows held the write lock.
    ids = ids_for_new_rows(connection, _documents, len(rows))
    copy_rows(connection, _documents, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    facet_rows = [
        {"document_id": document_id, "facet": facet, "value": value}
        for document_id, pairs in zip(ids, facets, strict=True)
        for facet, value in dict.fromkeys(pairs)
    ]
    copy_rows(connection, _facets, facet_rows)


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_documents)) or 0


# --- Vectors: kept in memory, refreshed when the index changed -----------------------------------------


def encode_vectors(vectors: npt.NDArray[np.float32]) -> list[bytes]:
    return [row.astype(VECTOR_DTYPE).tobytes() for row in vectors]


# Rows written this long before the newest one seen are looked at again at each refresh: a transaction
# that commits after rows with later stamps did (clocks of several machines, a batch of an import) is not
# missed. Only their ids and write times are read again; a row's vector only when that id and time were not
# read before. A rebuild of the whole index, which takes longer, replaces the oldest rows: a full reload.
REREAD = timedelta(seconds=60)
# Up to this many, the vectors to read are asked for by id; more (after a bulk write), the window's rows are
# read and the others left: SQLite takes a placeholder per id, and stock builds at most 32,766.
VECTORS_BY_ID = 1_000
# Rows kept in memory for documents deleted since (old versions of edited records) are dropped by a full
# reload once they pass this share of the rows in the database.
STALE_SHARE = 0.25
# The rows in the database are counted for that at most this often: counting 225,000 documents took
# PostgreSQL 15 ms, and under a workshop's edits nearly every search found a change and counted (a sixth of
# the database's time). Rows of replaced versions meanwhile cost memory and a few of a search's meaning
# candidates (every hit goes through SQL, which no longer finds them).
STALE_CHECK_SECONDS = 60.0
# Rows left free after a full reload, for the versions edits write: the first row past the end grows the
# buffers by a quarter, a copy of the whole matrix (at the mission's scale 430 MB, half a second with the
# index locked, in every process at its first edits).
ROOM_AFTER_RELOAD = 0.02
ROOM_AFTER_RELOAD_MIN = 256


class VectorIndex:
    """The documents' vectors as one matrix, per database, brought up to date before each search.

    After a change, the ids and write times of the rows written since (with a margin) are read, then the
    vectors of the rows not in memory yet: an edit writes a new version of its document, which replaces
    or joins the rows in memory, and its projection is computed for it alone. Rows stay in the order
    they arrived (concurrent writers commit ids out of order), found by id through a sorted index beside
    them; the buffers grow by a quarter when full, so an edit does not copy the matrix. Rows of deleted
    documents stay until a full reload (every hit goes through SQL, which no longer finds them); one
    happens when they are many, or when every row in memory went (a rebuild).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._count = 0
        self._ids = np.zeros(0, dtype=np.int64)
        self._rows = np.zeros((0, 0), dtype=np.float32)
        self._projected_rows: npt.NDArray[np.float32] | None = None
        self._basis: npt.NDArray[np.float32] | None = None
        self._sorted_ids = np.zeros(0, dtype=np.int64)  # the ids in memory, ascending
        self._sorted_at = np.zeros(0, dtype=np.intp)  # where each of those is in the buffers
        # The write time of each row in memory that a later refresh may read again (within REREAD of the
        # newest one seen): its vector is read again only when the time differs (SQLite hands out the ids
        # of a rolled-back write again, and a transaction may read its own rows before it rolls back).
        self._recent: dict[int, Any] = {}
        self._counted_at = -math.inf  # when the rows in the database were last counted (time.monotonic)

    @property
    def ids(self) -> npt.NDArray[np.int64]:
        return self._ids[: self._count]

    @property
    def matrix(self) -> npt.NDArray[np.float32]:
        return self._rows[: self._count]

    @property
    def _projected(self) -> npt.NDArray[np.float32] | None:
        return None if self._projected_rows is None else self._projected_rows[: self._count]

    def refresh(self, session: Session) -> None:
        # Scalar subqueries: each is one index lookup (a single SELECT of all three scans the table).
        oldest, newest, changed = session.execute(
            select(
                select(func.min(SearchDocument.id)).scalar_subquery(),
                select(func.max(SearchDocument.id)).scalar_subquery(),
                select(func.max(SearchDocument.updated_at)).scalar_subquery(),
            )
        ).one()
        stamp = (oldest, newest, changed)
        with self._lock:
            if stamp == self._stamp or self._is_older(stamp):
                return
            if (
                self._stamp is None
                or changed is None
                or self._stamp[2] is None
                or _rebuilt(self._stamp, stamp)
            ):
                self._reload(session)
            else:
                self._read_since(session, self._stamp[2])
                if self._stale_check_due() and self._count > (1 + STALE_SHARE) * (
                    self._rows_in_database(session) or 1
                ):
                    self._reload(session)
            self._stamp = stamp

    def _is_older(self, stamp: tuple[Any, ...]) -> bool:
        """Whether ``stamp`` is of a snapshot older than the one in memory (a request whose transaction
        began before another's refresh): the newer vectors serve it (its SQL sees only its own rows)."""
        if self._stamp is None or None in stamp or None in self._stamp or stamp[0] != self._stamp[0]:
            return False
        return bool(stamp[1] <= self._stamp[1] and stamp[2] < self._stamp[2])

    def _stale_check_due(self) -> bool:
        now = time.monotonic()
        if now - self._counted_at < STALE_CHECK_SECONDS:
            return False
        self._counted_at = now
        return True

    @staticmethod
    def _rows_in_database(session: Session) -> int:
        return session.scalar(select(func.count()).select_from(SearchDocument)) or 0

    def _reload(self, session: Session) -> None:
        ids: list[int] = []
        vectors: list[npt.NDArray[np.float16]] = []
        stamps: list[Any] = []
        statement = select(SearchDocument.id, SearchDocument.vector, SearchDocument.updated_at)
        for document_id, blob, written in session.execute(statement.order_by(SearchDocument.id)):
            ids.append(document_id)
            vectors.append(np.frombuffer(blob, dtype=VECTOR_DTYPE))
            stamps.append(written)
        # Room for the edits that follow: the first one past the end copies the whole matrix.
        capacity = len(ids) + max(ROOM_AFTER_RELOAD_MIN, int(len(ids) * ROOM_AFTER_RELOAD))
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._ids[: len(ids)] = ids
        self._rows = np.zeros((capacity, len(vectors[0]) if vectors else 0), dtype=np.float32)
        if vectors:
            self._rows[: len(ids)] = vectors
        self._count = len(ids)
        self._sorted_ids, self._sorted_at = self._ids[: len(ids)].copy(), np.arange(len(ids))
        self._recent = {}
        if stamps:  # the rows the next refresh looks at again: those of the window before the newest
            window_start = max(stamps) - REREAD
            self._recent = {i: at for i, at in zip(ids, stamps, strict=True) if at >= window_start}
        self._counted_at = time.monotonic()  # as good as a count: exactly the rows of the database
        self._basis = None
        self._project_all()

    def _read_since(self, session: Session, newest_seen: Any) -> None:
        """Put the rows written since ``newest_seen`` (less the margin) in place: a known id's row is
        replaced (an id handed out again after a rollback, on SQLite), a new one is added."""
        since = newest_seen - REREAD
        statement = select(SearchDocument.id, SearchDocument.updated_at).where(
            SearchDocument.updated_at >= since
        )
        written = {document_id: at for document_id, at in session.execute(statement)}
        unseen = {document_id for document_id, at in written.items() if self._recent.get(document_id) != at}
        ids, rows = self._vectors_of(session, unseen, since)
        if len(ids):
            if self._count and rows.shape[1] != self._rows.shape[1]:
                self._reload(session)
                return
            self._place(ids, rows)
        # Only now, the vectors in place (a failed read leaves them to be read at the next refresh). Rows
        # written before the window will not be read again: their times are no longer needed.
        recent = {document_id: at for document_id, at in self._recent.items() if at >= since}
        recent.update(written)
        self._recent = recent

    def _place(self, ids: npt.NDArray[np.int64], rows: npt.NDArray[np.float32]) -> None:
        """Rows of ``ids`` (ascending): a known id's row is replaced, a new one added."""
        positions = np.searchsorted(self._sorted_ids, ids)
        found = positions < len(self._sorted_ids)
        found[found] = self._sorted_ids[positions[found]] == ids[found]
        self._put(self._sorted_at[positions[found]], rows[found])
        if not found.all():
            self._append(ids[~found], rows[~found])

    @staticmethod
    def _vectors_of(
        session: Session, document_ids: set[int], since: Any
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The vectors of the documents named (those that still exist), in id order; past VECTORS_BY_ID of
        them, those of the rows written since ``since``, the others left out."""
        if not document_ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        statement = select(SearchDocument.id, SearchDocument.vector).order_by(SearchDocument.id)
        if len(document_ids) <= VECTORS_BY_ID:
            found = session.execute(
                statement.where(one_of(session, SearchDocument.id, "ids")), {"ids": sorted(document_ids)}
            ).all()
        else:
            window = session.execute(statement.where(SearchDocument.updated_at >= since)).all()
            found = [row for row in window if row[0] in document_ids]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.array([document_id for document_id, _blob in found], dtype=np.int64)
        rows = np.array([np.frombuffer(blob, dtype=VECTOR_DTYPE) for _id, blob in found], dtype=np.float32)
        return ids, rows

    def _put(self, positions: npt.NDArray[np.intp], rows: npt.NDArray[np.float32]) -> None:
        if len(positions):
            self._rows[positions] = rows
            if self._projected_rows is not None and self._basis is not None:
                self._projected_rows[positions] = rows @ self._basis

    def _append(self, ids: npt.NDArray[np.int64], rows: npt.NDArray[np.float32]) -> None:
        """Add rows of new ids (ascending) after those in memory, whatever their ids."""
        start, needed = self._count, self._count + len(ids)
        if not self._count:
            self._ids, self._rows, self._count = ids, rows, len(ids)
            self._sorted_ids, self._sorted_at = ids.copy(), np.arange(len(ids))
            self._project_all()
            return
        if needed > len(self._ids):
            capacity = max(needed, int(len(self._ids) * 1.25))
            self._ids = _grown(self._ids, capacity)
            self._rows = _grown(self._rows, capacity)
            if self._projected_rows is not None:
                self._projected_rows = _grown(self._projected_rows, capacity)
        self._ids[start:needed] = ids
        self._rows[start:needed] = rows
        if self._projected_rows is not None and self._basis is not None:
            self._projected_rows[start:needed] = rows @ self._basis
        self._count = needed
        # The sorted index takes the new ids in their places: a copy of the ids, not of the matrix.
        places = np.searchsorted(self._sorted_ids, ids)
        self._sorted_ids = np.insert(self._sorted_ids, places, ids)
        self._sorted_at = np.insert(self._sorted_at, places, np.arange(start, needed))
        if self._projected_rows is None and self._count > COARSE_CANDIDATES:
            self._project_all()

    def nearest(
        self, vector: npt.NDArray[np.float32], limit: int, min_score: float, relative: float = 0.0
    ) -> list[tuple[int, float]]:
        """The closest documents: a first pass on a projection of the vectors to their main directions
        (a quarter of the memory to read), then exact scores for the best of those."""
        with self._lock:
            ids, matrix, projection, basis = self.ids, self.matrix, self._projected, self._basis
        if matrix.shape[0] == 0 or matrix.shape[1] != vector.shape[0]:
            return []
        if basis is None or projection is None or matrix.shape[0] <= COARSE_CANDIDATES:
            rows = engine.nearest(matrix, vector, limit, min_score, relative)
            return [(int(ids[row]), score) for row, score in rows]
        candidates = engine.nearest_rows(projection, vector @ basis, COARSE_CANDIDATES)
        exact = engine.nearest(matrix[candidates], vector, limit, min_score, relative)
        return [(int(ids[candidates[row]]), score) for row, score in exact]

    def _project_all(self) -> None:
        """The main directions of the vectors (from a sample) and every vector projected on them."""
        matrix = self.matrix
        if matrix.shape[0] <= COARSE_CANDIDATES:
            self._basis = self._projected_rows = None
            return
        if self._basis is None:
            sample = matrix[:: max(1, matrix.shape[0] // PROJECTION_SAMPLE)]
            _u, _s, directions = np.linalg.svd(sample, full_matrices=False)
            self._basis = np.ascontiguousarray(directions[:PROJECTION_DIM].T, dtype=np.float32)
        projected = np.zeros((len(self._ids), self._basis.shape[1]), dtype=np.float32)
        projected[: self._count] = matrix @ self._basis
        self._projected_rows = projected


def _rebuilt(seen: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Whether every row of stamp ``seen`` went by stamp ``now`` (oldest id, newest id, newest change): the
    oldest row now came after the newest one seen, as when a rebuild writes every document again. Not
    merely a new oldest row: an edit of the oldest document writes its new version at the end, and a full
    reload for it cost each app process seconds of reading every vector, with every search waiting (on a
    database just copied, the first edits after each start)."""
    return bool(now[0] is None or seen[1] is None or now[0] > seen[1])


def _grown(array: npt.NDArray[Any], capacity: int) -> npt.NDArray[Any]:
    """``array`` in a buffer of ``capacity`` rows (the rows past its own are zero until filled)."""
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


_VECTOR_INDEXES: dict[str, VectorIndex] = {}
_INDEXES_LOCK = threading.Lock()


def vector_index(session: Session) -> VectorIndex:
    """The in-memory vectors of the database ``session`` reads, brought up to date."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _INDEXES_LOCK:
        index = _VECTOR_INDEXES.setdefault(key, VectorIndex())
    index.refresh(session)
    return index


def document_ids_of(session: Session, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Document ids by (kind, natural key)."""
    wanted = set(pairs)
    kinds = {kind for kind, _key in wanted}
    if not kinds:
        return {}
    statement = select(SearchDocument.kind, SearchDocument.source_key, SearchDocument.id).where(
        SearchDocument.kind.in_(kinds)
    )
    return {
        (kind, key): document_id
        for kind, key, document_id in session.execute(statement)
        if (kind, key) in wanted
    }


def record_counts(session: Session, sources: Sequence[Any]) -> dict[str, int]:
    return {source.kind: count_of(session, source.everything()) for source in sources}


def source_keys_by_natural_key(session: Session, source: Any, natural: Sequence[str]) -> dict[str, str]:
    """Natural keys (a need's reference, an event's title) -> the source keys of the index."""
    if not source.natural_key or not natural:
        return {value: value for value in natural}
    model = source.model
    column_ = getattr(model, source.natural_key)
    statement = select(column_, model.id).where(one_of(session, column_, "keys"))
    return {
        str(value): str(record_id) for value, record_id in session.execute(statement, {"keys": list(natural)})
    }


def reference_names(connection: Connection) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The six-language names of countries, techniques and thematic areas, by (facet, code)."""
    names: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for facet, model, key in (
        ("country", Country, Country.iso3),
        ("technique", Technique, Technique.code),
        ("area", ThematicArea, ThematicArea.code),
    ):
        columns = [getattr(model, f"name_{language}") for language in engine.LANGUAGES]
        for row in connection.execute(select(key, *columns)):
            names[(facet, str(row[0]))] = [
                (str(name), language)
                for name, language in zip(row[1:], engine.LANGUAGES, strict=True)
                if name
            ]
    return names


def get_record(session: Session, model: type[Any], key: Any) -> Any:
    """One indexed record by its primary key (the owner of a changed dependent record)."""
    return session.get(model, key)


def records(session: Session, statement: Select[Any]) -> Iterator[Any]:
    """Every record a source's query selects, one at a time (for a rebuild)."""
    return iter(session.scalars(statement).unique())
