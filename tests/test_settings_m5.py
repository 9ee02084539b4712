"""Settings that cannot work stop PUX at start-up, said in one line; operator commands refuse what cannot
work.

A base URL without its scheme (PUX_BASE_URL=pux.example.org) started, and every password reset link read
"pux.example.org/password-reset/...", which no browser or mail program opens as a link; a job stall time of
0 or less, a negative retry wait and request limits of 0 or -1 started too, taking jobs from runners still
running them or refusing every form. `pux users create-admin not-an-email` made an administrator who
signed in as "not-an-email".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner, Result

from pux import migrate
from pux.accounts.models import User
from pux.cli import app
from pux.config import Settings, get_settings
from pux.db import make_engine
from tests.conftest import empty_database

runner = CliRunner()


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _command(*arguments: str) -> Result:
    return runner.invoke(app, list(arguments), env={"COLUMNS": "200"})


@pytest.mark.parametrize(
    "address",
    ["pux.example.org", "pux.example.org/pux", "ftp://pux.example.org", "https://", "http://h:port"],
)
def test_a_base_url_without_scheme_and_host_stops_every_command(
    address: str, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("PUX_BASE_URL", address)
    result = _command("users", "reset-password", "someone@example.org")
    assert result.exit_code == 2, result.output
    assert f"Wrong setting: PUX_BASE_URL: {address!r} is not a web address" in result.output
    assert "https://" in result.output  # it says what to write
    assert "/password-reset/" not in result.output


@pytest.mark.parametrize(
    "address", ["https://pux.example.org", "http://127.0.0.1:8000", "https://example.org/pux/"]
)
def test_a_whole_web_address_is_taken_and_links_join_it_with_one_slash(address: str) -> None:
    base_url = Settings(base_url=address).base_url
    assert base_url == address.rstrip("/")
    assert f"{base_url}/password-reset/x".count("//") == 1


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PUX_JOB_STALLED_SECONDS", "-5"),
        ("PUX_JOB_STALLED_SECONDS", "0"),
        ("PUX_JOB_STALLED_SECONDS", "1"),
        ("PUX_JOB_STALLED_SECONDS", "nan"),
        ("PUX_JOB_RETRY_SECONDS", "-1"),
        ("PUX_JOB_RETRY_SECONDS", "0"),
        ("PUX_JOB_RETRY_SECONDS", "inf"),
        ("PUX_MAX_BODY_BYTES", "-1"),
        ("PUX_MAX_BODY_BYTES", "0"),
        ("PUX_MAX_BODY_BYTES", "1000"),
        ("PUX_MAX_UPLOAD_BYTES", "0"),
        ("PUX_MAX_UPLOAD_BYTES", "-1"),
    ],
)
def test_bounds_that_cannot_work_are_refused(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()
    result = _command("jobs", "list")
    assert result.exit_code == 2, result.output
    assert f"Wrong setting: {variable}: " in result.output


LEAST_BOUNDS = {
    "PUX_JOB_STALLED_SECONDS": "3",
    "PUX_JOB_RETRY_SECONDS": "1",
    "PUX_MAX_BODY_BYTES": str(64 * 1024),
    "PUX_MAX_UPLOAD_BYTES": str(1024 * 1024),
}


def test_the_least_bounds_the_readme_gives_are_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable, value in LEAST_BOUNDS.items():
        monkeypatch.setenv(variable, value)
    taken = Settings()
    assert (taken.job_stalled_seconds, taken.job_retry_seconds) == (3, 1)
    assert (taken.max_body_bytes, taken.max_upload_bytes) == (64 * 1024, 1024 * 1024)


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("nonsense", "this is not a database address: write sqlite:///"),
        ("postgres://pux:s3cret@db.example.org/pux", "write postgresql+psycopg://pux:***@db.example.org/pux"),
        ("postgresql://pux@db.example.org/pux", "write postgresql+psycopg://pux@db.example.org/pux"),
        ("postgresql+psycopg2://pux@db.example.org/pux", "write postgresql+psycopg://pux@db.example.org/pux"),
        ("mysql://x/y", "PUX works with SQLite or PostgreSQL, not 'mysql'"),
        ("sqlite://", "PUX keeps its data in a file"),
        ("sqlite+pysqlite:///var/pux.sqlite3", "write the SQLite address without its driver's name"),
    ],
)
def test_a_database_address_pux_cannot_use_is_said_in_a_line(
    address: str, said: str, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    """`PUX_DATABASE_URL=nonsense pux jobs list` ended in a 94-line traceback (ArgumentError; postgres://
    NoSuchModuleError; mysql:// ModuleNotFoundError MySQLdb)."""
    monkeypatch.setenv("PUX_DATABASE_URL", address)
    result = _command("jobs", "list")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Wrong setting: PUX_DATABASE_URL: ")
    assert said in result.output
    assert "s3cret" not in result.output  # the password is never repeated
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


@pytest.mark.parametrize(
    "address",
    ["sqlite:///var/pux.sqlite3", "sqlite:////srv/pux/pux.sqlite3", "postgresql+psycopg://pux@db/pux"],
)
def test_the_addresses_the_readme_gives_are_taken(address: str) -> None:
    assert Settings(database_url=address).database_url == address


PASSWORD_TWICE = "a long enough password\n" * 2


def test_create_admin_refuses_what_is_not_an_email_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    with empty_database(tmp_path, "pux_create_admin_m5") as url:
        migrate.upgrade(url)
        monkeypatch.setenv("PUX_DATABASE_URL", url)
        refused = runner.invoke(app, ["users", "create-admin", "not-an-email"], input=PASSWORD_TWICE)
        created = runner.invoke(app, ["users", "create-admin", " Admin@Example.org "], input=PASSWORD_TWICE)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                emails = connection.execute(select(User.email)).scalars().all()
        finally:
            engine.dispose()
    assert refused.exit_code == 1, refused.output
    assert "Refused: email: this is not an email address" in refused.output
    assert created.exit_code == 0, created.output
    assert emails == ["admin@example.org"]
