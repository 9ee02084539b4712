"""Engine, sessions and the SQLite pragmas PUX relies on."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ARRAY,
    JSON,
    Column,
    Date,
    ForeignKey,
    MetaData,
    Select,
    String,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, QueryableAttribute, Session, sessionmaker
from sqlalchemy.sql import ColumnElement, FromClause
from sqlalchemy.sql.elements import TextClause

log = logging.getLogger(__name__)

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every PUX table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def link_table(name: str, owner: str, column: str, references: str) -> Table:
    """A many-to-many table: ``{owner}_id`` (rows go with their owner) and ``column``, a code in
    ``references`` ("technique.code"); the pair is the primary key."""
    return Table(
        name,
        Base.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(references), primary_key=True),
    )


# How long a writer waits for another writer's transaction before giving up (SQLite).
SQLITE_BUSY_TIMEOUT_MS = 20_000
# Bytes of the database file that SQLite reads through a memory map instead of copying each page into every
# connection's own small cache (2 MB by default): a page read by one connection, or one app process, is then
# there for all. At the mission's scale a deep list page's query took half the time (30 -> 16 ms). SQLite
# caps it at its own build's limit (2 GB on Linux); the map is address space, the pages are the system's
# file cache.
SQLITE_MMAP_BYTES = 1 << 31
# The execution option that makes a SQLite transaction take the write lock when it begins.
WRITE_TRANSACTION = "pux_write_transaction"


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # PUX emits BEGIN itself (see _begin_sqlite): the driver's own implicit transactions would start
    # a read transaction that fails at once, without waiting, when it later tries to write.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    """Writers take SQLite's write lock when their transaction begins (waiting their turn for up to the
    busy timeout), so two concurrent edits queue instead of one failing with "database is locked"."""
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return  # each statement commits itself (ANALYZE, PRAGMA optimize): a BEGIN here would never end
    connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_TRANSACTION, False) else "BEGIN")


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int] | None:
    """``count`` new values of ``table``'s serial ``id`` on PostgreSQL, for rows written without RETURNING
    (by COPY, or an executemany: an INSERT .. RETURNING of many rows is one statement with a placeholder
    per value, and psycopg spent a quarter of a second rewriting each one of an import's). None elsewhere:
    SQLite hands out ids as rows are inserted."""
    if connection.dialect.name != "postgresql" or count <= 0:
        return None
    statement = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")
    return [
        int(value) for value in connection.execute(statement, {"table": table.name, "count": count}).scalars()
    ]


def new_ids(session: Session, table: Table, count: int) -> list[int]:
    """The ids ``count`` new rows of ``table`` will have, given to them before they are written, so that
    they go in by one executemany: a row without one goes in by a statement of its own, which hands its id
    back (SQLite cannot say in which order a multi-row insert numbered its rows). See ids_for_new_rows."""
    return ids_for_new_rows(session.connection(), table, count)


def insert_new_records(session: Session, records: Sequence[Any]) -> None:
    """New records of one mapped class, their ids given (new_ids), written by one INSERT beside the
    session's unit of work: what its flush would write, without its bookkeeping for each object, a fifth of
    the time an import's thousands of new records held SQLite's write lock. A column left unset gets its
    Python-side default, on the record too, as a flush gives it. The records stay outside the session (as
    they were built, their attributes as set); the caller writes their many-to-many links."""
    if not records:
        return
    table: Table = type(records[0]).__table__
    session.execute(insert(table), [_new_row(table, record) for record in records])


def _new_row(table: Table, record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in table.columns:
        value = getattr(record, column.key)
        default = column.default
        if value is None and default is not None and (default.is_scalar or default.is_callable):
            value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
            setattr(record, column.key, value)
        row[column.key] = value
    return row


def ids_for_new_rows(connection: Connection, table: Table, count: int) -> list[int]:
    """new_ids on a connection. On PostgreSQL from the table's sequence (reserve_ids); on SQLite the next
    ones after the highest, as SQLite itself numbers a table without AUTOINCREMENT. For a write transaction
    only (one that has written already, or began with BEGIN IMMEDIATE): on SQLite it then holds the
    database's one write lock, so no other writer takes them meanwhile."""
    reserved = reserve_ids(connection, table, count)
    if reserved is not None:
        return reserved
    highest = connection.scalar(select(func.max(table.c.id))) or 0
    if table.dialect_options["sqlite"].get("autoincrement"):
        # Never an id given before, as SQLite's AUTOINCREMENT keeps it (the search index's ids only grow:
        # its vectors in memory follow new rows by them); an id written past it moves it on.
        given = text("SELECT seq FROM sqlite_sequence WHERE name = :name")
        highest = max(highest, connection.scalar(given, {"name": table.name}) or 0)
    return list(range(highest + 1, highest + 1 + count))


def copy_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Many rows of ``table`` at once, every row with the same keys and every value given (no column
    default applies) as plain values (text, numbers, bytes, booleans, dates; no JSON). On PostgreSQL by
    COPY: an executemany there is one pipelined statement a row, and a batch has thousands. Elsewhere one
    Core executemany."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def one_of(
    session: Session, column: ColumnElement[Any] | QueryableAttribute[Any], name: str
) -> ColumnElement[bool]:
    """``column`` is one of the list given as the parameter ``name`` when the statement runs.

    PostgreSQL gets the list as one array parameter: the statement's text is then the same whatever the
    list's length, so SQLAlchemy compiles it once and psycopg prepares it on each connection once it
    repeats. As an IN with a placeholder per value (a search asks about its 250 matches five times),
    rendering and parsing the text again cost a search a fifth of its time in the app. Elsewhere an
    expanding IN."""
    if session.get_bind().dialect.name == "postgresql":
        # Text unsized: a cast to varchar(n)[] would cut a longer value short and match the wrong row.
        element = String() if isinstance(column.type, String) else column.type
        return column == any_(bindparam(name, type_=ARRAY(element)))
    return column.in_(bindparam(name, expanding=True))


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored moment as an aware UTC datetime: SQLite hands back naive ones (PUX stores UTC)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def make_engine(database_url: str, *, pool_size: int = 5) -> Engine:
    """An engine for ``database_url``; SQLite gets WAL, foreign keys, a busy timeout and write
    transactions that queue. ``pool_size`` should be at least the number of threads that use it."""
    if database_url.startswith("sqlite"):
        _ensure_sqlite_folder(database_url)
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size)


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) for sessions that will write: on SQLite their transactions begin
    with the write lock; elsewhere nothing changes."""
    return engine.execution_options(**{WRITE_TRANSACTION: True})


def write_from_here(session: Session) -> None:
    """End the session's transaction (committing what it holds) and begin the next one as a writer's: on
    SQLite it takes the write lock now, waiting its turn as a writer does. For work that reads at length
    and then writes briefly (an import's checking, then its saving): the reading need not hold the lock,
    and nobody else's save waits for it."""
    session.commit()
    session.connection(execution_options={WRITE_TRANSACTION: True})


def read_in_one_snapshot(session: Session) -> None:
    """Make the session's transaction read the database as it was at its first statement, whatever
    commits meanwhile: for a check that reads in several queries and compares what they said (the audit
    chain's head, then its events). SQLite's read transactions already are one snapshot; PostgreSQL's
    default lets each statement see the commits made before it. A session already in a transaction keeps
    its own (its isolation can no longer change), and so does one its caller bound to a connection."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and isinstance(bind, Engine) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _ensure_sqlite_folder(database_url: str) -> None:
    path = database_url.removeprefix("sqlite:///")
    if path and path != ":memory:" and not database_url.startswith("sqlite:///:memory:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def committed_when_done(session: Session) -> Iterator[Session]:
    """Yields ``session``, then commits it if the work succeeded or rolls it back if it raised, and closes
    it: the one shape of every unit of work (a block here, a request's dependency in pux.web.deps)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, write: bool = False) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises; ``write`` takes
    SQLite's write lock at the start (for short writes that must not fail half-way on a busy database)."""
    yield from committed_when_done(factory(bind=writer(factory.kw["bind"])) if write else factory())


def refresh_statistics(engine: Engine) -> None:
    """Let the query planner see the tables as they are after a bulk load (demo data, imports): without
    statistics SQLite and PostgreSQL guess, and pick a scan where an index would serve."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


def optimize_on_close(engine: Engine) -> None:
    """SQLite's own upkeep of its statistics, cheap, as its documentation advises before closing; skipped
    when another process holds the write lock (a shutdown does not wait for it: the next one does it)."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=500")
            try:
                connection.exec_driver_sql("PRAGMA optimize")
            except OperationalError:
                log.info("statistics upkeep skipped: the database is busy")
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


# Records per query when a whole table is exported: one chunk's rows and codes are in memory at a time.
EXPORT_CHUNK = 1000
# A list of codes read from a link table for a chunk of owner ids (ascending): (owner id, code) rows in list
# order; it may include owners not asked for.
LinkQuery = Callable[[Sequence[int]], Select[Any]]


def linked_codes(link: Table, reference: Any = None) -> LinkQuery:
    """The LinkQuery of a link_table: (owner id, code) for a chunk of owners, in the relationship's order,
    which is the ``position`` of the ``reference`` model (techniques, targets, areas) or else the code."""
    owner, code = link.columns

    def query(wanted: Sequence[int]) -> Select[Any]:
        # A chunk of an export is a run of ids with few gaps: a range is cheaper to send than a thousand
        # ids (the codes of owners in its gaps are read too, and not used).
        dense = len(wanted) > 1 and wanted[-1] - wanted[0] < 2 * len(wanted)
        statement = select(owner, code).where(
            owner.between(wanted[0], wanted[-1]) if dense else owner.in_(wanted)
        )
        if reference is None:
            return statement.order_by(owner, code)
        return statement.join(reference, reference.code == code).order_by(owner, reference.position)

    return query


class ChunkedRows:
    """Rows read a chunk at a time (``rows_in_chunks``): iterated, a tuple per row; ``chunks()`` gives each
    chunk as its columns instead (a list of values per column asked for), for work done a column at a time
    (a CSV export turns a whole column into cells at once)."""

    def __init__(self, chunks: Callable[[], Iterator[list[Sequence[Any]]]]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for columns in self.chunks():
            yield from zip(*columns, strict=True)


def rows_in_chunks(
    session: Session,
    matching: Select[Any],
    table: FromClause,
    columns: Sequence[str],
    links: Mapping[str, LinkQuery] | None = None,
    chunk: int = EXPORT_CHUNK,
) -> ChunkedRows:
    """The rows of ``table`` that ``matching`` (a select of the table's ids with its filters) finds, in id
    order, each the values of ``columns`` (None for a column the table does not have), with the code lists of
    ``links`` that ``columns`` names. Plain values, no ORM objects; a date may come as its ISO text.

    Read a chunk at a time by id: each chunk starts after the last id of the one before (the primary key
    index serves it), so no list of every id is held and no query carries a thousand ids. A chunk is handled
    a column at a time: per-row work in Python was most of an export's time."""
    links = links or {}
    id_column = table.c.id
    stored = [name for name in columns if name in table.c and name != "id"]
    postgres = session.get_bind().dialect.name == "postgresql"

    def read_as(column: Any) -> Any:
        # JSON columns are read as their text and decoded here, once per distinct text (code lists repeat:
        # decoding every row's copy was a third of an export's time); PostgreSQL's driver would decode each
        # row's copy itself. Dates come as SQLite stores them, ISO text (what an export writes; PostgreSQL's
        # driver gives dates).
        if isinstance(column.type, JSON) and postgres:
            return cast(column, Text)
        if isinstance(column.type, JSON | Date):
            return type_coerce(column, Text)
        return column

    selected = matching.with_only_columns(id_column, *(read_as(table.c[name]) for name in stored))
    selected = selected.order_by(None)
    is_json = {name: isinstance(table.c[name].type, JSON) for name in stored}

    def chunks() -> Iterator[list[Sequence[Any]]]:
        decode = _JsonTexts()
        # Core rows straight from the connection: the session's ORM result layer costs a third of the time.
        connection = session.connection()
        last_id: Any = None
        while True:
            statement = selected if last_id is None else selected.where(id_column > last_id)
            found = connection.execute(statement.order_by(id_column).limit(chunk)).all()
            if not found:
                return
            last_id = found[-1][0]
            ids, *values = zip(*found, strict=True)
            by_name: dict[str, Sequence[Any]] = {"id": ids}
            for name, column in zip(stored, values, strict=True):
                by_name[name] = list(map(decode.value, column)) if is_json[name] else column
            for name in (name for name in columns if name in links):
                codes = _codes_by_owner(connection, links[name](ids))
                by_name[name] = [codes.get(owner, []) for owner in ids]
            absent = (None,) * len(ids)
            yield [by_name.get(name, absent) for name in columns]
            if len(found) < chunk:
                return

    return ChunkedRows(chunks)


class _JsonTexts:
    """JSON texts decoded once each (up to ``LIMIT`` distinct texts, then every time); the values are
    shared between rows, to be read, not changed."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self._seen: dict[str, Any] = {}

    def value(self, text: Any) -> Any:
        if not isinstance(text, str):  # None, or a driver that decodes JSON itself (psycopg)
            return text
        found = self._seen.get(text)
        if found is None:
            found = json.loads(text)
            if len(self._seen) < self.LIMIT:
                self._seen[text] = found
        return found


def _codes_by_owner(connection: Connection, statement: Select[Any]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for owner, code in connection.execute(statement).all():
        codes.setdefault(owner, []).append(code)
    return codes


_ONCE = "pux_once_per_transaction"
Remembered = TypeVar("Remembered")


def once_per_transaction(session: Session, key: str, compute: Callable[[], Remembered]) -> Remembered:
    """``compute()`` once per transaction of ``session`` until its next flush: for the stamps that say
    whether kept results are current, which one page reads several times (each a few index lookups that
    cost a PostgreSQL round trip). A write (flush) or a new transaction reads them again."""
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()  # as a query would: the write is then seen, and what was remembered forgotten
    remembered: dict[str, Any] = session.info.setdefault(_ONCE, {})
    if key not in remembered:
        remembered[key] = compute()
    value: Remembered = remembered[key]
    return value


@event.listens_for(Session, "after_flush")
def _forget_after_a_write(session: Session, _flush_context: Any) -> None:
    session.info.pop(_ONCE, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_the_transaction(session: Session, _transaction: Any) -> None:
    session.info.pop(_ONCE, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_at_a_statement_write(state: ORMExecuteState) -> None:
    """An insert, update or delete statement run through the session writes without a flush (a textual
    statement may be one too)."""
    if state.is_insert or state.is_update or state.is_delete or isinstance(state.statement, TextClause):
        forget_remembered(state.session)


def forget_remembered(session: Session) -> None:
    """For writes made on the session's connection, around the session (a COPY, an executemany)."""
    session.info.pop(_ONCE, None)
