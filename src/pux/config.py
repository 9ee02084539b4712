"""Validated settings, read from the environment (prefix ``PUX_``)."""

from __future__ import annotations

import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SQLITE_PATH = Path("var") / "pux.sqlite3"
DEFAULT_SECRET_KEY_FILE = Path("var") / "secret_key"
# Kept so that a configuration still carrying the old public development key is refused everywhere.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"
MINIMUM_SECRET_LENGTH = 32
# An IATI organisation identifier as PUX accepts one for itself: its registration agency's prefix and the
# organisation's number there, letters and digits joined by single hyphens ("XI-PUX", "XM-DAC-41301").
# No spaces or other signs: the identifier begins every activity identifier PUX mints ("XI-PUX-PUX-5").
IATI_ORGANISATION_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")
# The reporting organisation's identifier is stored in a 150-character column, and the activity
# identifiers it begins must stay within IATI's 200.
MAXIMUM_REPORTING_REF_LENGTH = 100
# The least each bound may be: below them PUX refuses its own work (a sign-in form, a spreadsheet import) or
# takes jobs from runners that are still running them.
# The database addresses PUX works with: a SQLite file's and PostgreSQL's through psycopg 3.
POSTGRESQL_DRIVER = "postgresql+psycopg"
DATABASE_URL_EXAMPLES = "sqlite:///var/pux.sqlite3 (a file) or postgresql+psycopg://user@host/pux"
MINIMUM_BODY_BYTES = 64 * 1024
MINIMUM_UPLOAD_BYTES = 1024 * 1024
MINIMUM_STALLED_SECONDS = 3.0
MINIMUM_RETRY_SECONDS = 1.0


class Settings(BaseSettings):
    """Everything PUX reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="PUX_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # Signs the session cookies. Unset, a random key is made on first use and kept in secret_key_file
    # (owner-only), so that no two installations share a key. Production needs it set explicitly.
    secret_key: str = ""
    secret_key_file: Path = DEFAULT_SECRET_KEY_FILE
    # The language of a visitor whose browser asks for none PUX has (nor chose one in the header).
    default_language: Literal["en", "fr", "es", "ar", "zh", "ru"] = "en"
    # The address people reach this PUX at: links sent to people (invitations) are built from it, never
    # from the Host header of a request.
    base_url: str = "http://127.0.0.1:8000"
    # Request bodies: forms and JSON up to max_body_bytes; file uploads up to max_upload_bytes (an IATI
    # file may be as large as the IATI registry accepts, 60 MB, and a form carries it). Below the minimums
    # PUX's own forms and imports are refused (a limit of 0 or -1 started, and refused everything).
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=MINIMUM_BODY_BYTES)
    max_upload_bytes: int = Field(default=64 * 1024 * 1024, ge=MINIMUM_UPLOAD_BYTES)
    # Threads that run page and API work in each app process; the database pool is at least as large (see
    # pux.web.app). Few, because Python runs one of them at a time: SQLite hands the interpreter back on every
    # row it reads, and each thread waiting for it lengthened every other request. Measured with
    # bench/load.py at the mission's scale on two cores: one SQLite process served 17 requests/s with 24
    # threads, 23.1 with 6, 24.7 with 4; at 20 requests/s the median answer took 6.6 s with 24, 66 ms with 4.
    # Slow work that must not hold them runs as jobs (rounds, imports, every country's brief).
    worker_threads: int = Field(default=4, ge=1, le=256)
    # JSON log lines on standard error at this level (set by `pux serve` for every app process); unset,
    # the app leaves logging as it finds it (tests, embedding).
    log_level: Literal["debug", "info", "warning", "error"] | None = None
    # Who runs long work (rounds, briefs for every country, IATI imports, re-indexing): "in-process", a
    # thread of each app process (the embedded default); "workers", `pux worker` processes taking jobs from
    # procrastinate's queue (PostgreSQL only). Unset: in-process on SQLite, workers on PostgreSQL.
    job_runner: Literal["in-process", "workers"] | None = None
    # Files that outlive a request: uploads waiting for their job, what jobs make (the ZIP of every
    # country's brief). Scaled out over several machines, a folder they all share.
    files_dir: Path = Path("var") / "files"
    # A running job whose runner has not said it still runs for this long is taken up again by another.
    # Runners say so every third of it: much shorter, a busy database that delays one beat has a job
    # taken from a runner that is still at it (0 or less took every job from its runner at once).
    job_stalled_seconds: float = Field(default=30.0, ge=MINIMUM_STALLED_SECONDS, allow_inf_nan=False)
    # A job that failed in a way that may pass is tried again after this long, then four times longer.
    job_retry_seconds: float = Field(default=10.0, ge=MINIMUM_RETRY_SECONDS, allow_inf_nan=False)
    # Before it takes its first request, each app process reads what many requests share (the search
    # vectors, every matchable need's side of the recommendations, the priority inputs). `pux serve` turns
    # it on; off, a cold process computes them for its first readers (tests, embedding).
    warm_up: bool = False
    # Malloc arenas each app process may keep (glibc; 0 leaves its default, eight per core): with the
    # default, memory freed by one request thread sat in arenas others never reuse (pux.processes).
    malloc_arenas: int = Field(default=2, ge=0, le=64)
    # Who reports, in IATI exports, the activities whose provider has no IATI identifier, and the prefix of
    # the identifiers PUX mints for them ("<ref>-PUX-<number>"). Each installation needs its own: two
    # reporting under the same one publish clashing identifiers. The default is what every PUX used before.
    iati_reporting_ref: str = "XI-PUX"
    iati_reporting_name: str = Field(default="PUX - Peaceful Uses Exchange", max_length=300)

    @field_validator("database_url")
    @classmethod
    def _database_pux_speaks_to(cls, value: str) -> str:
        # Checked here, so that a wrong address is said in a line before anything connects: SQLAlchemy
        # met it only when it made the engine, and the command ended in a 94-line traceback.
        problem = database_url_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute_web_address(cls, value: str) -> str:
        # Links sent to people are this address followed by a path: without a scheme and a host a reset
        # link read "pux.example.org/password-reset/...", which no mail program or browser opens.
        if not _is_web_address(value.strip()):
            raise ValueError(
                f"{value!r} is not a web address: write it whole, with http:// or https:// and the host "
                'people reach PUX at (such as "https://pux.example.org")'
            )
        return value.strip().rstrip("/")

    @field_validator("iati_reporting_ref")
    @classmethod
    def _iati_organisation_identifier(cls, value: str) -> str:
        if len(value) > MAXIMUM_REPORTING_REF_LENGTH or not IATI_ORGANISATION_IDENTIFIER.fullmatch(value):
            raise ValueError(
                f"{value!r} is not an IATI organisation identifier: the registration agency's prefix and "
                "the organisation's number there, letters and digits joined by hyphens, no spaces or other "
                f'signs, at most {MAXIMUM_REPORTING_REF_LENGTH} characters (such as "XI-PUX" or '
                '"XM-DAC-41301")'
            )
        return value

    @field_validator("iati_reporting_name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name of the reporting organisation may not be blank")
        return value.strip()

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.secret_key == DEVELOPMENT_SECRET_KEY:
            raise ValueError("PUX_SECRET_KEY is the public development key: set a random value")
        if self.job_runner == "workers" and self.is_sqlite:
            raise ValueError("PUX_JOB_RUNNER=workers needs PostgreSQL (the queue lives there)")
        if self.mode == "production" and len(self.secret_key) < MINIMUM_SECRET_LENGTH:
            raise ValueError("PUX_SECRET_KEY must be set to a random value of 32+ characters in production")
        return self

    def session_secret(self) -> str:
        """The key that signs session cookies: the configured one, else this installation's own."""
        return self.secret_key or installation_secret(self.secret_key_file)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def jobs_in_process(self) -> bool:
        """Whether the app processes run jobs themselves (else `pux worker` processes do)."""
        if self.job_runner is None:
            return self.is_sqlite
        return self.job_runner == "in-process" or self.is_sqlite


def database_url_problem(value: str) -> str | None:
    """What is wrong with ``value`` as PUX's database address (None when PUX can use it). The address is
    never repeated with its password."""
    try:
        address = make_url(value)
    except ArgumentError:
        return f"this is not a database address: write {DATABASE_URL_EXAMPLES}"
    if address.drivername.split("+")[0] == "sqlite":
        return _sqlite_url_problem(value, address)
    if address.drivername == POSTGRESQL_DRIVER:
        return None
    if address.drivername.split("+")[0] in ("postgres", "postgresql"):
        # postgres:// (Heroku's and libpq's spelling) and postgresql:// (SQLAlchemy's psycopg2) name a
        # driver PUX does not install; the same server is reached through psycopg 3.
        wanted = address.set(drivername=POSTGRESQL_DRIVER).render_as_string(hide_password=True)
        return f"PUX reaches PostgreSQL through psycopg 3: write {wanted}"
    return f"PUX works with SQLite or PostgreSQL, not {address.drivername!r}: write {DATABASE_URL_EXAMPLES}"


def _sqlite_url_problem(value: str, address: URL) -> str | None:
    # PUX keeps SQLite's data in a file that every process opens (an in-memory database is a new empty one
    # for each connection), named the plain way: the file's folder is made from the address's own text.
    if not address.database or address.database == ":memory:" or "mode=memory" in value:
        return "PUX keeps its data in a file: write sqlite:///var/pux.sqlite3 (or another path to a file)"
    if address.drivername != "sqlite":
        wanted = address.set(drivername="sqlite").render_as_string(hide_password=True)
        return f"write the SQLite address without its driver's name: {wanted}"
    return None


def _is_web_address(value: str) -> bool:
    """Whether ``value`` is an http or https address with a host (and, if it names one, a valid port)."""
    try:
        address = urlsplit(value)
        address.port  # noqa: B018 - reading it is the check: a port that is not a number raises
    except ValueError:
        return False
    return address.scheme in ("http", "https") and bool(address.hostname)


def installation_secret(path: Path) -> str:
    """A random key kept in ``path`` (made on first use, readable by its owner only)."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= MINIMUM_SECRET_LENGTH:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    os.chmod(path, 0o600)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache when they change the environment)."""
    return Settings()
