"""`pux serve` warms each app process before its first request: the shared results are ready, and a step
that cannot be done (a database not set up yet) leaves the process serving, slow rather than broken."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pux.config import Settings
from pux.processes import COLLECTOR_THRESHOLDS
from pux.search import repository as search_repository
from pux.web.app import create_app
from pux.web.warm import STEPS
from tests.world import World


@pytest.fixture(autouse=True)
def _collector_as_usual() -> Iterator[None]:
    """A warm-up sets the objects alive apart from the cycle collector: the rest of the test session
    collects as usual."""
    gc.unfreeze()
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _warm_app(database_url: str, tmp_path: Path) -> TestClient:
    settings = Settings(
        database_url=database_url, files_dir=tmp_path / "files", job_runner="in-process", warm_up=True
    )
    return TestClient(create_app(settings))


def test_a_warmed_process_has_its_search_vectors_before_the_first_search(
    database_url: str, world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    search_repository._VECTOR_INDEXES.clear()  # as in a process that has just started
    with caplog.at_level(logging.INFO, logger="pux.warm"), _warm_app(database_url, tmp_path) as client:
        ready = [record.getMessage() for record in caplog.records if "ready in" in record.getMessage()]
        assert [message.split(":")[1].split(" ready")[0].strip() for message in ready] == [
            n for n, _s in STEPS
        ]
        loaded = list(search_repository._VECTOR_INDEXES.values())
        assert loaded and loaded[0]._count > 0  # read at start, not by the first search
        assert client.get("/search", params={"q": "radiotherapy"}).status_code == 200


def test_a_warmed_process_sets_its_objects_apart_from_the_cycle_collector(
    database_url: str, world: World, tmp_path: Path
) -> None:
    with _warm_app(database_url, tmp_path) as client:
        # A full collection then walks only what was made after start-up, not the whole program.
        assert gc.get_freeze_count() > 10_000
        assert len(gc.get_objects()) < gc.get_freeze_count()
        assert client.get("/needs").status_code == 200


def test_a_step_that_fails_is_logged_and_the_process_still_serves(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty = f"sqlite:///{tmp_path / 'not-initialised.sqlite3'}"  # no tables: `pux init` never ran
    with caplog.at_level(logging.INFO, logger="pux.warm"), _warm_app(empty, tmp_path) as client:
        failed = [r for r in caplog.records if r.name == "pux.warm" and r.levelno == logging.ERROR]
        # Every step that reads the database (all but the chart, which needs none).
        assert [record.args[0] for record in failed] == [name for name, _s in STEPS if name != "charts"]
        assert all(record.exc_info for record in failed)
        assert client.get("/healthz").status_code == 200


def test_an_app_process_runs_the_cycle_collector_less_often_than_python_would(
    database_url: str, world: World, tmp_path: Path
) -> None:
    """A request's objects are freed with it before the collector looks at them, instead of being carried
    into the old generation that every full collection walks (a full collection every few requests at the
    mission's scale)."""
    gc.set_threshold(700, 10, 10)  # Python's defaults
    young_collections = 0

    def count(phase: str, info: dict[str, int]) -> None:
        nonlocal young_collections
        young_collections += phase == "start" and info["generation"] == 0

    with _warm_app(database_url, tmp_path) as client:
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
        gc.callbacks.append(count)
        try:
            for _ in range(10):
                assert client.get("/needs").status_code == 200
        finally:
            gc.callbacks.remove(count)
    # Ten pages of a small world make far fewer than 50,000 objects that outlive their page.
    assert young_collections <= 2
