"""Backups and restores of the whole database, consistent while the app runs.

SQLite: the online backup API copies the database in one read transaction (a consistent snapshot even
while others write). PostgreSQL: pg_dump's custom format (one snapshot) and pg_restore. Beside each
backup a manifest records when it was made, from which kind of database, and every table's row count,
which a restore is checked against, together with the audit trail's hash chain."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pux.accounts import permissions
from pux.accounts.permissions import Actor, require
from pux.audit import service as audit
from pux.audit.chain import ChainReport
from pux.backup import repository
from pux.errors import DomainError
from pux.i18n import gettext as _

MANIFEST_SUFFIX = ".manifest.json"


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
    manifest_path(output).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return manifest


def _sqlite_backup(engine: Engine, output: Path) -> dict[str, int]:
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
            _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={output}",
                  _libpq_url(engine)])  # fmt: skip
    return counts


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
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url(engine)}",
              str(backup_file)])  # fmt: skip
    with engine.connect() as connection:
        tables = repository.table_counts(connection)
    with Session(engine) as session:
        chain = audit.verify(session, actor=actor)
    return RestoreReport(manifest, tables, chain)


def _sqlite_restore(engine: Engine, backup_file: Path) -> None:
    engine.dispose()  # no pooled connection may hold the old file open
    source = sqlite3.connect(backup_file)
    target = sqlite3.connect(_sqlite_file(engine))
    try:
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


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


def _libpq_url(engine: Engine) -> str:
    """The database's address as PostgreSQL's own tools read it (no SQLAlchemy driver name)."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupFailed(
            _("%(tool)s is not installed (Debian package postgresql-client).") % {"tool": command[0]}
        )
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupFailed(
            _("%(tool)s failed: %(message)s")
            % {"tool": command[0], "message": finished.stderr.strip()[-500:]}
        )
