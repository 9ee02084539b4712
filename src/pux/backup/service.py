"""Backups and restores of the whole database, consistent while the app runs.

SQLite: the online backup API copies the database in one read transaction (a consistent snapshot even
while others write). PostgreSQL: pg_dump's custom format (one snapshot) and pg_restore, in one
transaction: a restore that fails (a cut-off or damaged backup) leaves the database as it was. Beside each
backup a manifest records when it was made, from which kind of database, and every table's row count,
which a restore is checked against, together with the audit trail's hash chain.

A backup and its manifest hold everything (password hashes included): both are readable by their owner
only. PostgreSQL's tools get the password in their environment, never on their command line (which every
user of the machine can read with ps)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.audit.chain import ChainReport
from pux.backup import repository
from pux.errors import DomainError
from pux.i18n import gettext as _

MANIFEST_SUFFIX = ".manifest.json"
OWNER_ONLY = 0o600


class BackupFailed(DomainError):
    """A backup or restore that could not be made (the tool's own message is kept)."""


@dataclass(frozen=True)
class Manifest:
    made_at: str
    database: str  # "sqlite" or "postgresql"
    tables: dict[str, int]


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    tables: dict[str, int]
    chain: ChainReport

    @property
    def differing_tables(self) -> dict[str, tuple[int | None, int | None]]:
        names = set(self.manifest.tables) | set(self.tables)
        return {
            name: (self.manifest.tables.get(name), self.tables.get(name))
            for name in sorted(names)
            if self.manifest.tables.get(name) != self.tables.get(name)
        }

    @property
    def consistent(self) -> bool:
        return not self.differing_tables and self.chain.intact


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + MANIFEST_SUFFIX)


def backup(engine: Engine, output: Path, *, actor: Actor) -> Manifest:
    """Write a consistent copy of the database to ``output`` and its manifest beside it."""
    require(permissions.can_back_up(actor), _("Only administrators make backups."))
    output.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        tables = _sqlite_backup(engine, output)
    else:
        tables = _postgres_backup(engine, output)
    manifest = Manifest(datetime.now(UTC).isoformat(timespec="seconds"), engine.dialect.name, tables)
    descriptor = _open_owner_only(manifest_path(output), os.O_TRUNC)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(manifest), indent=2))
    return manifest


def _open_owner_only(path: Path, flags: int = 0) -> int:
    """A descriptor for writing ``path``, made (or, already there, turned) readable by its owner only
    before anything is written into it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | flags, OWNER_ONLY)
    os.fchmod(descriptor, OWNER_ONLY)
    return descriptor


def _sqlite_backup(engine: Engine, output: Path) -> dict[str, int]:
    # SQLite opens the file it is given as it is and makes its journal with the same mode.
    os.close(_open_owner_only(output))
    source = sqlite3.connect(_sqlite_file(engine))
    target = sqlite3.connect(output)
    try:
        # One step (pages=-1): the whole copy is made inside one read transaction, so it is one moment.
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()
    copy = _sqlite_engine(output)
    try:
        with copy.connect() as connection:
            return repository.table_counts(connection)
    finally:
        copy.dispose()


def _postgres_backup(engine: Engine, output: Path) -> dict[str, int]:
    # The counts and pg_dump read the same snapshot (exported from a repeatable-read transaction kept
    # open while pg_dump runs), so writes made meanwhile are in neither.
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = repository.table_counts(connection)
            command, environment = pg_dump_call(engine.url, output, snapshot=snapshot)
            _require_tool(command[0])
            os.close(_open_owner_only(output))  # pg_dump writes into it keeping its mode
            _run(command, environment)
    return counts


def pg_dump_call(url: URL, output: Path, *, snapshot: str) -> tuple[list[str], dict[str, str]]:
    """pg_dump's command line and the environment variables it adds (the password)."""
    address, environment = _libpq_address(url)
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--snapshot={snapshot}",
        f"--file={output}",
        address,
    ]
    return command, environment


def pg_restore_call(url: URL, backup_file: Path) -> tuple[list[str], dict[str, str]]:
    """pg_restore's command line and the environment variables it adds (the password)."""
    address, environment = _libpq_address(url)
    # One transaction, given up at the first error: --clean drops every table before the backup's rows are
    # read, and a backup cut off half-way left them dropped or empty (nobody could sign in).
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={address}",
        str(backup_file),
    ]
    return command, environment


def restore(engine: Engine, backup_file: Path, *, actor: Actor) -> RestoreReport:
    """Replace the database's content with the backup's, then check every table's row count against the
    manifest and the audit chain. The app should be stopped while a restore runs."""
    require(permissions.can_back_up(actor), _("Only administrators restore backups."))
    manifest = _read_manifest(backup_file)
    if manifest.database != engine.dialect.name:
        raise BackupFailed(
            _("This backup is of a %(kind)s database; this one is %(this)s.")
            % {"kind": manifest.database, "this": engine.dialect.name}
        )
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, backup_file)
    else:
        command, environment = pg_restore_call(engine.url, backup_file)
        _require_tool(command[0])
        _run(command, environment, failure=_("%(tool)s failed; the database was left as it was: %(message)s"))
    with engine.connect() as connection:
        tables = repository.table_counts(connection)
    with Session(engine) as session:
        chain = audit.verify(session, actor=actor)
    return RestoreReport(manifest, tables, chain)


def _sqlite_restore(engine: Engine, backup_file: Path) -> None:
    engine.dispose()  # no pooled connection may hold the old file open
    # Read-only: a restore never writes to the backup (nor makes a journal beside it).
    source = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_sqlite_backup(source, backup_file)
        target = sqlite3.connect(_sqlite_file(engine))
        try:
            source.backup(target, pages=-1)
        except sqlite3.DatabaseError as error:
            # SQLite rolls the copy back when a step fails (a full disk): the database is as it was.
            raise BackupFailed(
                _("The restore failed (%(error)s); the database was left as it was.") % {"error": error}
            ) from error
        finally:
            target.close()
    finally:
        source.close()


def _check_sqlite_backup(source: sqlite3.Connection, backup_file: Path) -> None:
    """Refuse a damaged backup before the database is touched: a cut-off or corrupted file may open
    without complaint and fail only on the pages it lacks."""
    try:
        problems = [str(row[0]) for row in source.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:  # "file is not a database", "disk image is malformed"
        problems = [str(error)]
    if problems != ["ok"]:
        raise BackupFailed(
            _("%(path)s is not a readable SQLite backup (%(error)s); the database was left as it was.")
            % {"path": backup_file, "error": "; ".join(problems[:3])}
        )


def _read_manifest(backup_file: Path) -> Manifest:
    path = manifest_path(backup_file)
    if not backup_file.is_file() or not path.is_file():
        raise BackupFailed(_("No backup at %(path)s (a backup is a file and its .manifest.json).") % {
            "path": backup_file})  # fmt: skip
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(
            str(data["made_at"]), str(data["database"]), {str(k): int(v) for k, v in data["tables"].items()}
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupFailed(_("The backup's manifest cannot be read: %(error)s") % {"error": error}) from error


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupFailed(_("An in-memory database has nothing to back up."))
    return database


def _sqlite_engine(path: Path) -> Engine:
    from pux.db import make_engine

    return make_engine(f"sqlite:///{path}")


def _libpq_address(url: URL) -> tuple[str, dict[str, str]]:
    """The database's address as PostgreSQL's own tools read it (no SQLAlchemy driver name, no password),
    and the environment that gives them the password (PGPASSWORD: only the same user can read a process's
    environment, while its command line is everyone's)."""
    query = dict(url.query)
    in_query = query.pop("password", None)  # libpq also takes it as a parameter of the address
    password = url.password if url.password is not None else in_query
    if isinstance(password, tuple):
        password = password[-1]
    # URL.set cannot take a password away (None there means "keep it").
    address = URL.create("postgresql", url.username, None, url.host, url.port, url.database, query)
    environment = {} if password is None else {"PGPASSWORD": str(password)}
    return address.render_as_string(hide_password=False), environment


def _require_tool(tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupFailed(
            _("%(tool)s is not installed (Debian package postgresql-client).") % {"tool": tool}
        )


def _run(command: list[str], environment: dict[str, str], *, failure: str | None = None) -> None:
    """Run one of PostgreSQL's tools; ``failure`` is the message when it fails (with the tool's name and
    the end of what it said)."""
    finished = subprocess.run(
        command, env={**os.environ, **environment}, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise BackupFailed(
            (failure or _("%(tool)s failed: %(message)s"))
            % {"tool": command[0], "message": finished.stderr.strip()[-500:]}
        )
