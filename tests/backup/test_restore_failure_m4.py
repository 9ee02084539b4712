"""A restore that fails changes nothing: a backup cut off part-way (a copy interrupted, a full disk) or
a file that is not a backup at all is refused in one line, and every table of the database keeps its
rows (PostgreSQL's restore used to drop and empty the tables before it met the end of the file, and
nobody could sign in; SQLite's ended in a traceback)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from pux.accounts.permissions import Actor
from pux.backup import repository
from pux.backup import service as backups
from pux.cli import app
from pux.config import get_settings
from pux.db import make_engine
from tests.conftest import empty_database
from tests.world import World

ADMIN = Actor.system("test-restore-failure")


@pytest.fixture
def good_backup(database_url: str, world: World, tmp_path: Path) -> Path:
    engine = make_engine(database_url)
    try:
        backups.backup(engine, tmp_path / "good.backup", actor=ADMIN)
    finally:
        engine.dispose()
    return tmp_path / "good.backup"


@pytest.fixture
def restored_target(tmp_path: Path, good_backup: Path) -> Iterator[Engine]:
    """A database of this run's kind holding what the good backup holds."""
    with empty_database(tmp_path, "m4_restore_failure") as url:
        engine = make_engine(url)
        try:
            assert backups.restore(engine, good_backup, actor=ADMIN).consistent
            yield engine
        finally:
            engine.dispose()


def _damaged_copy(good_backup: Path, name: str, content: bytes) -> Path:
    damaged = good_backup.with_name(name)
    damaged.write_bytes(content)
    shutil.copyfile(backups.manifest_path(good_backup), backups.manifest_path(damaged))
    return damaged


def _cut_off(good_backup: Path) -> Path:
    content = good_backup.read_bytes()
    return _damaged_copy(good_backup, "cut-off.backup", content[: len(content) * 2 // 3])


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return repository.table_counts(connection)


def test_a_cut_off_backup_is_refused_and_every_table_keeps_its_rows(
    restored_target: Engine, good_backup: Path
) -> None:
    before = _counts(restored_target)
    assert before["user_account"] > 0 and before["audit_event"] > 0
    with pytest.raises(backups.BackupFailed) as refused:
        backups.restore(restored_target, _cut_off(good_backup), actor=ADMIN)
    assert _counts(restored_target) == before
    assert "\n" not in str(refused.value).strip()
    assert "left as it was" in str(refused.value)


def test_a_backup_damaged_part_way_is_refused_and_changes_nothing(
    restored_target: Engine, good_backup: Path
) -> None:
    before = _counts(restored_target)
    content = good_backup.read_bytes()
    kept = len(content) * 2 // 3  # its beginning (SQLite's header, pg_dump's table of contents) as it was
    noise = (b"\x07 not a backup " * (len(content) // 16 + 1))[: len(content) - kept]
    damaged = _damaged_copy(good_backup, "damaged.backup", content[:kept] + noise)
    with pytest.raises(backups.BackupFailed):
        backups.restore(restored_target, damaged, actor=ADMIN)
    assert _counts(restored_target) == before


def test_the_restore_command_refuses_a_cut_off_backup_in_one_line(
    restored_target: Engine, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _counts(restored_target)
    monkeypatch.setenv("PUX_DATABASE_URL", restored_target.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["restore", str(_cut_off(good_backup))], env={"COLUMNS": "300"})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # refused, not crashed
    assert _counts(restored_target) == before
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "left as it was" in result.output
