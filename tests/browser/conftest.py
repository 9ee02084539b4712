"""A live server and Debian's Chromium for browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from pux.config import Settings
from pux.web.app import create_app
from tests.web.conftest import job_worker

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files folder of the live server (and of the worker beside it)."""
    return tmp_path_factory.mktemp("live-files")


@pytest.fixture(scope="session")
def live_server(database_url: str, world: object, live_files: Path) -> Iterator[str]:
    """The real app on a real port, over the test database (with the committed test world)."""
    yield from _live_server(Settings(database_url=database_url, files_dir=live_files))


@pytest.fixture(scope="package", autouse=True)
def live_server_jobs(database_url: str, live_files: Path) -> Iterator[None]:
    """On PostgreSQL a `pux worker` runs the live server's jobs (allocation rounds), as the scaled-out form
    does, for the browser tests only: other packages' tests run workers of their own and must not share
    the queue with this one."""
    with job_worker(database_url, live_files, live_files.parent / "worker.log"):
        yield


def _live_server(settings: Settings) -> Iterator[str]:
    port = _free_port()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
