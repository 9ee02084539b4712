"""Keeping the index up to date: in the same transaction as every write, and all over again on demand.

Session events collect the records of every registered kind that a flush inserts, changes or deletes
(and the owners of dependent records, such as an event's outcome); once the flush is done, their
documents are replaced or removed through the same connection, so the index commits or rolls back with
the write itself. Writes that bypass the ORM (bulk SQL, another program) are caught up by
``pux search reindex``. A session with ``session.info["search_index"] = False`` is left out (bulk
loads that re-index at the end).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pux.audit.models import utcnow
from pux.sdg_tagging.embedder import Embedder
from pux.search import engine, repository
from pux.search.sources import DEPENDENTS, SOURCES, Source, SourceDocument, source_for

PENDING = "search_pending"
ENABLED = "search_index"
# A document's text for the meaning vector: enough words to say what it is about.
VECTOR_TEXT_CHARS = 1500
BODY_CHARS = 4000
TITLE_WEIGHT = 2.0
NAMED_FACETS = ("country", "technique", "area")
# A programme open to forty countries is not about each of them: only a few linked names are words.
MAX_NAMED_VALUES = 3
# A changed part reaches its indexed record in at most this many links (translation, part, profile).
MAX_OWNER_STEPS = 4

_embedder: Embedder | None = None
_embedder_lock = threading.Lock()


def embedder() -> Embedder:
    """The multilingual static word-vector embedder the SDG tagger ships (fast enough to index on
    every write: about 0.1 ms a record)."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            from pux.matching.text import shipped_embedder

            _embedder = shipped_embedder()
        return _embedder


def han_words(run: str) -> list[str]:
    """A run of Han characters as the words the multilingual lexicon knows (longest first)."""
    from pux.sdg_tagging.engine import get_tagger

    return [hit.word for hit in get_tagger().data.lexicon.hits(run)]


@dataclass
class _Pending:
    records: dict[tuple[str, str], Any] = field(default_factory=dict)
    deleted: set[tuple[str, str]] = field(default_factory=set)
    owners: set[tuple[type[Any], Any]] = field(default_factory=set)


def _owner_of(record: object) -> tuple[type[Any], Any] | None:
    for dependent in DEPENDENTS:
        if isinstance(record, dependent.model):
            return dependent.owner(record)
    return None


def _collect(session: Session, _context: Any) -> None:
    if session.info.get(ENABLED) is False:
        return
    pending: _Pending = session.info.setdefault(PENDING, _Pending())
    for record in [*session.new, *session.dirty]:
        source = source_for(record)
        if source is not None:
            pending.records[(source.kind, source.key_of(record))] = record
        elif (owner := _owner_of(record)) is not None:
            pending.owners.add(owner)
    for record in session.deleted:
        source = source_for(record)
        if source is not None:
            pending.deleted.add((source.kind, source.key_of(record)))
        elif (owner := _owner_of(record)) is not None:
            pending.owners.add(owner)


def _apply(session: Session, _context: Any) -> None:
    pending: _Pending | None = session.info.pop(PENDING, None)
    if pending is None:
        return
    with session.no_autoflush:
        records = dict(pending.records)
        for model, key in pending.owners:
            owner = _indexed_owner(session, model, key)
            source = source_for(owner) if owner is not None else None
            if source is not None:
                records[(source.kind, source.key_of(owner))] = owner
        for gone in pending.deleted:
            records.pop(gone, None)
        live = [record for record in records.values() if inspect(record).persistent]
        write(session.connection(), live, deleted=pending.deleted)


def _indexed_owner(session: Session, model: type[Any], key: Any) -> Any:
    """The indexed record a changed part belongs to, following parts of parts (a translation of a
    technique page's prerequisite belongs to the prerequisite, its profile, then its technique)."""
    record = repository.get_record(session, model, key)
    for _step in range(MAX_OWNER_STEPS):
        if record is None or source_for(record) is not None:
            return record
        link = _owner_of(record)
        record = repository.get_record(session, *link) if link is not None else None
    return record


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Listen to every session (idempotent)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "after_flush_postexec", _apply)
        event.listen(Session, "after_soft_rollback", _forget)


@dataclass(frozen=True)
class Prepared:
    rows: list[dict[str, Any]]
    facets: list[list[tuple[str, str]]]


@dataclass(frozen=True)
class Content:
    """What a document's text comes to in the index: its language, terms and meaning vector (the costly
    part of its row: stemming and embedding)."""

    language: str
    terms: str
    vector: bytes


# A document's text, as far as its Content depends on it (not its key, identifier, owner or status).
ContentKey = tuple[Any, ...]
# Contents worked out ahead, by ContentKey (see prepare_ahead).
Ahead = dict[ContentKey, Content]


def _content_key(document: SourceDocument) -> ContentKey:
    named = tuple((facet, tuple(document.facets.get(facet, ()))) for facet in NAMED_FACETS)
    return (
        document.title,
        document.body,
        document.language,
        tuple(document.names),
        tuple(document.translations),
        document.by_meaning,
        named,
    )


def prepare(
    pairs: Sequence[tuple[str, SourceDocument]],
    vectors_of: Embedder | None = None,
    names: dict[tuple[str, str], list[tuple[str, str]]] | None = None,
    ahead: Ahead | None = None,
) -> Prepared:
    """Rows of the index for documents given as (kind, document): terms, language, vector, facets.
    ``names`` (six-language names of linked countries, techniques, areas) are indexed as words too, so
    that "كينيا" finds a need of Kenya written in English. Contents found in ``ahead`` are not worked out
    again."""
    contents = dict(ahead or {})
    missing = {key: document for _kind, document in pairs if (key := _content_key(document)) not in contents}
    if missing:
        contents.update(_contents(list(missing.values()), names or {}, vectors_of))
    now = utcnow()
    rows: list[dict[str, Any]] = []
    facets: list[list[tuple[str, str]]] = []
    for kind, document in pairs:
        content = contents[_content_key(document)]
        terms = content.terms
        if document.identifier:
            terms = f"{engine.index_terms(document.identifier, content.language)} {terms}"
        body = f"{document.identifier} · {document.body}" if document.identifier else document.body
        rows.append(
            {
                "kind": kind,
                "source_key": document.key,
                "language": content.language,
                "title": document.title[:300],
                "body": body[:BODY_CHARS],
                "terms": terms,
                "vector": content.vector,
                "owner_country_iso3": document.owner_country_iso3,
                "owner_organisation_id": document.owner_organisation_id,
                "status": document.status,
                "visibility": document.visibility,
                "is_public": document.is_public,
                "event_id": document.event_id,
                "updated_at": now,
            }
        )
        facets.append(
            [(facet, value) for facet, values in document.facets.items() for value in values if value]
        )
    return Prepared(rows, facets)


def _contents(
    documents: Sequence[SourceDocument],
    names: dict[tuple[str, str], list[tuple[str, str]]],
    vectors_of: Embedder | None,
) -> Ahead:
    """The Content of each document, by its ContentKey (the vectors embedded together)."""
    languages: list[str] = []
    terms_of: list[str] = []
    titles: list[str] = []
    texts: list[str] = []
    for document in documents:
        text = f"{document.title}\n{document.body}"
        language = document.language or engine.detect_language(text)
        terms = [engine.index_terms(text, language)]
        terms += [_name_terms(name, name_language) for name, name_language in document.names]
        terms += [engine.index_terms(words, in_language) for words, in_language in document.translations]
        if not document.names:
            for facet, values in document.facets.items():
                if facet not in NAMED_FACETS or len(values) > MAX_NAMED_VALUES:
                    continue
                for value in values:
                    terms += [_name_terms(n, lang) for n, lang in names.get((facet, value), ())]
        languages.append(language)
        terms_of.append(" ".join(terms))
        # Names in six languages are for words; the meaning comes from the English name alone (text in
        # a script pulls a static vector towards everything else written in that script).
        titles.append(document.title if document.by_meaning else "")
        texts.append("" if document.names or not document.by_meaning else document.body[:VECTOR_TEXT_CHARS])
    vectors = _document_vectors(vectors_of or embedder(), titles, texts)
    blobs = repository.encode_vectors(vectors)
    return {
        _content_key(document): Content(language, terms, blob)
        for document, language, terms, blob in zip(documents, languages, terms_of, blobs, strict=True)
    }


@functools.lru_cache(maxsize=50_000)
def _name_terms(name: str, language: str) -> str:
    """The terms of a name: the same country, technique and area names come with thousands of records
    (an import of 2,000 activities stemmed them 30,000 times, a quarter of its indexing time)."""
    return engine.index_terms(name, language)


def _document_vectors(model: Embedder, titles: list[str], bodies: list[str]) -> npt.NDArray[np.float32]:
    """Title and body embedded apart, the title counting twice: averaged word vectors of a long body
    drift towards the common words, while the title says what the record is about."""
    mixed = TITLE_WEIGHT * model.embed_passages(titles) + model.embed_passages(bodies)
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.asarray(mixed / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def write(
    connection: Connection,
    records: Iterable[Any],
    *,
    deleted: Iterable[tuple[str, str]] = (),
    ahead: Ahead | None = None,
) -> int:
    """Replace the documents of ``records`` and remove those of ``deleted`` keys; returns how many
    documents were written. ``ahead``: contents worked out before (prepare_ahead)."""
    by_kind: dict[str, list[str]] = {}
    for kind, key in deleted:
        by_kind.setdefault(kind, []).append(key)
    written = list(records)
    for record in written:
        source = source_for(record)
        if source is not None:
            by_kind.setdefault(source.kind, []).append(source.key_of(record))
    pairs = _documents(written)
    for kind, keys in by_kind.items():
        repository.delete_documents(connection, kind, sorted(set(keys)))
    if pairs:
        prepared = prepare(pairs, names=_reference_names(connection, pairs), ahead=ahead)
        repository.insert_documents(connection, prepared.rows, prepared.facets)
    return len(pairs)


def prepare_ahead(connection: Connection, records: Iterable[Any]) -> Ahead:
    """The contents of the documents of records not saved yet (without their ids or references), for
    ``write`` to use once they are: an import works them out before it takes SQLite's write lock, which
    every other save of the site waits for (stemming and embedding 20,000 needs took a sixth of the time
    it was held). A record whose text changes before it is written simply finds no content here. The
    word vectors are loaded too, even when there is nothing to prepare (seconds, once a process)."""
    embedder()
    pairs = _documents(records)
    if not pairs:
        return {}
    return _contents([document for _kind, document in pairs], _reference_names(connection, pairs), None)


def _documents(records: Iterable[Any]) -> list[tuple[str, SourceDocument]]:
    pairs: list[tuple[str, SourceDocument]] = []
    for record in records:
        source = source_for(record)
        if source is None:
            continue
        document = source.to_document(record)
        if document is not None:
            pairs.append((source.kind, document))
    return pairs


_names: dict[tuple[str, str], list[tuple[str, str]]] = {}
_names_lock = threading.Lock()


def _reference_names(
    connection: Connection, pairs: Sequence[tuple[str, SourceDocument]]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Names of the countries, techniques and areas the documents are linked to (read again when one
    is not known yet: reference data changes rarely)."""
    global _names
    wanted = {
        (facet, value)
        for _kind, document in pairs
        for facet, values in document.facets.items()
        if facet in NAMED_FACETS
        for value in values
    }
    with _names_lock:
        if wanted - _names.keys():
            _names = repository.reference_names(connection)
        return _names


def rebuild(
    session: Session, *, batch: int = 500, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Every document again, from the records as they are now (one transaction: the caller commits)."""
    counts: dict[str, int] = {}
    previous = session.info.get(ENABLED)
    session.info[ENABLED] = False
    try:
        for source in SOURCES.values():
            counts[source.kind] = _rebuild_kind(session, source, batch, progress)
    finally:
        session.info[ENABLED] = previous
    return counts


def _rebuild_kind(
    session: Session, source: Source, batch: int, progress: Callable[[str, int], None] | None
) -> int:
    connection = session.connection()
    repository.delete_kind(connection, source.kind)
    written = 0
    chunk: list[Any] = []
    for record in repository.records(session, source.everything()):
        chunk.append(record)
        if len(chunk) >= batch:
            written += write(connection, chunk)
            if progress:
                progress(source.kind, len(chunk))
            chunk = []
    if chunk:
        written += write(connection, chunk)
        if progress:
            progress(source.kind, len(chunk))
    return written


install()
