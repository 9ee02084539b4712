"""Operations, against `pux serve` as it runs: several app processes on one database, and one JSON log
line per request with its id, user, route, status and duration."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx2

from tests.web.conftest import serve_pux
from tests.web_helpers import bearer
from tests.world import World


def _lines(log_path: Path) -> list[dict[str, Any]]:
    lines = []
    for raw in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


def _started(lines: list[dict[str, Any]]) -> set[int]:
    return {line["pid"] for line in lines if line["message"].startswith("Started server process")}


def test_two_app_processes_serve_and_log_each_request_as_a_json_line(
    database_url: str, world: World, tmp_path: Path
) -> None:
    with serve_pux(database_url, tmp_path, arguments=("--workers", "2")) as served:
        token = world.tokens["focal_ken"]
        answer = httpx2.get(
            f"{served.base_url}/api/v1/needs",
            headers={**bearer(token), "X-Request-ID": "test-request-42"},
            timeout=30,
        )
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "test-request-42"
        public = httpx2.get(f"{served.base_url}/needs/999999", timeout=30)
        assert public.status_code == 404 and len(public.headers["x-request-id"]) == 32
        unsafe = httpx2.get(f"{served.base_url}/healthz", headers={"X-Request-ID": "a b\\c"}, timeout=30)
        assert unsafe.headers["x-request-id"] != "a b\\c"  # not echoed into logs and headers as sent
        assert "server" not in answer.headers  # "server: uvicorn" told every visitor what answers them
        deadline = time.monotonic() + 120  # the second process may still be loading: wait for it
        while len(_started(lines := _lines(served.log_path))) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
    assert len(_started(lines)) == 2, lines[:10]
    by_id = {line.get("request_id"): line for line in lines if line.get("logger") == "pux.request"}
    mine = by_id["test-request-42"]
    assert mine["route"] == "/api/v1/needs" and mine["status"] == 200 and mine["method"] == "GET"
    assert mine["user_id"] == world.user_ids["focal_ken"] and isinstance(mine["duration_ms"], float)
    missing = by_id[public.headers["x-request-id"]]
    assert missing["route"] == "/needs/{need_id}" and missing["status"] == 404 and missing["user_id"] is None


def test_an_unknown_log_level_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pux.cli import app

    result = CliRunner().invoke(app, ["serve", "--log-level", "loud"])
    assert result.exit_code != 0 and "--log-level" in result.output


def test_the_default_language_setting_is_the_language_of_a_visitor_who_asks_for_none(
    database_url: str,
) -> None:
    """PUX_DEFAULT_LANGUAGE was documented and read, and used nowhere: such visitors got English."""
    from fastapi.testclient import TestClient

    from pux.config import Settings
    from pux.web.app import create_app

    app = create_app(Settings(database_url=database_url, default_language="fr"))
    french = TestClient(app)
    try:
        assert '<html lang="fr"' in french.get("/sign-in", headers={"Accept-Language": ""}).text
        assert '<html lang="fr"' in french.get("/sign-in", headers={"Accept-Language": "de-DE"}).text
        assert '<html lang="es"' in french.get("/sign-in", headers={"Accept-Language": "es"}).text
    finally:
        app.state.engine.dispose()  # no lifespan ran: the app's engine is closed here
