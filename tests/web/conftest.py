"""The app served the way `pux serve` serves it: a subprocess on a free port over the test database."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests.world import World

STARTUP_SECONDS = 120  # generous: a busy two-core CI machine loads several app processes at once


@dataclass(frozen=True)
class Served:
    base_url: str
    log_path: Path
    pid: int = 0

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve_pux(
    database_url: str, workdir: Path, *, arguments: tuple[str, ...] = (), **settings: str
) -> Iterator[Served]:
    """`pux serve` in its own process on a free port over ``database_url`` (extra PUX_ settings by name,
    extra command-line ``arguments``), stopped when the block ends."""
    pux = Path(sys.executable).parent / "pux"
    assert pux.exists(), f"the pux script is not installed next to {sys.executable}"
    port = _free_port()
    env = {
        **os.environ,
        "PUX_DATABASE_URL": database_url,
        "PUX_SECRET_KEY": secrets.token_urlsafe(48),
        "PUX_SECRET_KEY_FILE": str(workdir / "secret_key"),
        **{f"PUX_{name.upper()}": value for name, value in settings.items()},
    }
    log_path = workdir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(pux), "serve", "--host", "127.0.0.1", "--port", str(port), *arguments],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", log_path, process.pid)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"pux serve exited ({process.returncode}):\n{served.log_tail()}")
            try:
                if httpx2.get(f"{served.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"pux serve did not answer /healthz:\n{served.log_tail()}")
            time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def job_worker(database_url: str, files_dir: Path, log_path: Path) -> Iterator[None]:
    """`pux worker` beside an app served on PostgreSQL, where the app hands its jobs to the queue (on SQLite
    the app runs them itself: nothing to start)."""
    if database_url.startswith("sqlite"):
        yield
        return
    pux = Path(sys.executable).parent / "pux"
    env = {**os.environ, "PUX_DATABASE_URL": database_url, "PUX_FILES_DIR": str(files_dir)}
    with log_path.open("wb") as log:
        worker = subprocess.Popen([str(pux), "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


@pytest.fixture(scope="session")
def served_app(database_url: str, world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The base URL of `pux serve` running in its own process (the world is committed before it starts)."""
    workdir = tmp_path_factory.mktemp("served")
    with serve_pux(database_url, workdir, files_dir=str(workdir / "files")) as served:
        yield served
