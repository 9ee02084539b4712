"""Backups: taken while others write, a backup restores into an empty database with every table's row
count as the manifest says and an intact audit chain (SQLite's online backup, PostgreSQL's pg_dump)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from pux.accounts.permissions import Actor, PermissionDenied
from pux.audit import service as audit
from pux.backup import service as backups
from pux.cli import app
from pux.config import get_settings
from pux.db import make_engine, make_session_factory
from tests.conftest import empty_database
from tests.world import World

ADMIN = Actor.system("test-backup")


@pytest.fixture
def empty_target_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of this run's kind to restore into."""
    with empty_database(tmp_path, "pux_restore_check") as url:
        yield url


def _keep_writing(database_url: str, stop: threading.Event, written: list[int]) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        while not stop.is_set():
            with factory() as session:
                for number in range(5):
                    audit.record(
                        session,
                        actor="test:backup-writer",
                        action="test.write",
                        entity_type="test_record",
                        entity_id=str(number),
                        after={"n": number},
                    )
                session.commit()
            written.append(5)
    finally:
        engine.dispose()


def test_a_backup_taken_while_writing_restores_consistently(
    database_url: str, world: World, tmp_path: Path, empty_target_url: str
) -> None:
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(database_url, stop, written))
    writer.start()
    try:
        while not written:  # the writer is committing before the backup starts
            time.sleep(0.05)
        engine = make_engine(database_url)
        manifest = backups.backup(engine, tmp_path / "pux.backup", actor=ADMIN)
        engine.dispose()
        time.sleep(0.2)  # and goes on committing after it
    finally:
        stop.set()
        writer.join()
    assert len(written) >= 2
    assert manifest.tables["audit_event"] > 0 and manifest.tables["need"] > 0
    target = make_engine(empty_target_url)
    report = backups.restore(target, tmp_path / "pux.backup", actor=ADMIN)
    target.dispose()
    assert report.differing_tables == {}
    assert report.tables == manifest.tables
    assert report.chain.intact and report.chain.checked == manifest.tables["audit_event"]
    assert report.consistent


def test_a_restore_refuses_a_missing_or_unreadable_backup(tmp_path: Path, empty_target_url: str) -> None:
    target = make_engine(empty_target_url)
    with pytest.raises(backups.BackupFailed):
        backups.restore(target, tmp_path / "nothing.backup", actor=ADMIN)
    (tmp_path / "bad.backup").write_bytes(b"not a database")
    backups.manifest_path(tmp_path / "bad.backup").write_text("{not json", encoding="utf-8")
    with pytest.raises(backups.BackupFailed):
        backups.restore(target, tmp_path / "bad.backup", actor=ADMIN)
    target.dispose()


def test_only_administrators_back_up(database_url: str, world: World, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    with pytest.raises(PermissionDenied):
        backups.backup(engine, tmp_path / "x.backup", actor=world.actors["facilitator"])
    engine.dispose()


def test_the_commands_back_up_and_restore(
    cli_env: None, world: World, tmp_path: Path, empty_target_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    made = runner.invoke(app, ["backup", str(tmp_path / "cli.backup")], env={"COLUMNS": "200"})
    assert made.exit_code == 0, made.output
    assert backups.manifest_path(tmp_path / "cli.backup").is_file()
    monkeypatch.setenv("PUX_DATABASE_URL", empty_target_url)
    get_settings.cache_clear()
    restored = runner.invoke(app, ["restore", str(tmp_path / "cli.backup")], env={"COLUMNS": "200"})
    assert restored.exit_code == 0, restored.output
    assert "row count matches" in restored.output and "audit chain intact" in restored.output


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The umask most machines have (files readable by everyone unless made otherwise)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _readable_by_others(path: Path) -> bool:
    return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)


def test_a_backup_and_its_manifest_are_readable_by_their_owner_only(
    database_url: str, tmp_path: Path, permissive_umask: None
) -> None:
    output = tmp_path / "owner-only.backup"
    engine = make_engine(database_url)
    try:
        backups.backup(engine, output, actor=ADMIN)
        assert stat.S_IMODE(output.stat().st_mode) == 0o600
        assert stat.S_IMODE(backups.manifest_path(output).stat().st_mode) == 0o600
        # A backup written over an older one readable by everyone leaves both files owner-only.
        output.chmod(0o644)
        backups.manifest_path(output).chmod(0o644)
        backups.backup(engine, output, actor=ADMIN)
    finally:
        engine.dispose()
    assert not _readable_by_others(output) and not _readable_by_others(backups.manifest_path(output))
    assert [path.name for path in tmp_path.iterdir() if _readable_by_others(path)] == []


PASSWORD = "SEKRET-pw@1"
ADDRESS = "postgresql+psycopg://pux:SEKRET-pw%401@127.0.0.1:1/pux"


def test_pg_dump_gets_the_password_in_its_environment_not_on_its_command_line(tmp_path: Path) -> None:
    command, environment = backups.pg_dump_call(make_url(ADDRESS), tmp_path / "x.backup", snapshot="00-1")
    assert not any("SEKRET" in argument for argument in command), command
    assert command[-1] == "postgresql://pux@127.0.0.1:1/pux"
    assert environment == {"PGPASSWORD": PASSWORD}
    in_query = make_url("postgresql+psycopg://pux@db/pux?password=SEKRET&sslmode=require")
    command, environment = backups.pg_dump_call(in_query, tmp_path / "x.backup", snapshot="00-1")
    assert not any("SEKRET" in argument for argument in command) and "sslmode=require" in command[-1]
    assert environment == {"PGPASSWORD": "SEKRET"}
    command, environment = backups.pg_dump_call(
        make_url("postgresql+psycopg://pux@db/pux"), tmp_path, snapshot="s"
    )
    assert environment == {}


def test_pg_restore_gets_the_password_in_its_environment_not_on_its_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `pux restore` runs, as ps would show it: the subprocess is recorded, not run."""
    backup_file = tmp_path / "pg.backup"
    backup_file.write_bytes(b"PGDMP")
    backups.manifest_path(backup_file).write_text(
        json.dumps({"made_at": "2025-01-01T00:00:00+00:00", "database": "postgresql", "tables": {}}),
        encoding="utf-8",
    )
    ran: list[dict[str, Any]] = []

    def record(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        ran.append({"command": command, **options})
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(backups.subprocess, "run", record)
    engine = create_engine(ADDRESS)  # nothing answers there: the restore stops once pg_restore has run
    with pytest.raises(OperationalError):
        backups.restore(engine, backup_file, actor=ADMIN)
    engine.dispose()
    assert len(ran) == 1 and ran[0]["command"][0] == "pg_restore"
    assert not any("SEKRET" in argument for argument in ran[0]["command"]), ran[0]["command"]
    assert ran[0]["env"]["PGPASSWORD"] == PASSWORD
