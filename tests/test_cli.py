"""The command line, run against the test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pux.cli import app
from pux.config import get_settings
from pux.reference.models import DataSource, Indicator, IndicatorObservation
from tests.conftest import empty_database

runner = CliRunner()


@pytest.mark.usefixtures("cli_env")
def test_countries_show_prints_groups_income_and_sourced_indicators() -> None:
    result = runner.invoke(app, ["countries", "show", "KEN"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Kenya" in result.output and "Eastern Africa" in result.output
    assert "Income group FY2026" in result.output
    assert "SH.DYN.MORT" in result.output and "World Bank" in result.output


@pytest.mark.usefixtures("cli_env")
def test_countries_show_in_arabic_and_unknown_code() -> None:
    result = runner.invoke(app, ["countries", "show", "KEN", "--lang", "ar"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "كينيا" in result.output
    missing = runner.invoke(app, ["countries", "show", "XXX"])
    assert missing.exit_code == 2 and "No country" in missing.output


@pytest.mark.usefixtures("cli_env")
def test_countries_list_by_region_name_and_ldc() -> None:
    result = runner.invoke(
        app, ["countries", "list", "--region", "Eastern Africa", "--ldc"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "ETH" in result.output and "UGA" in result.output and "KEN" not in result.output
    assert result.output.strip().endswith("countries and areas")
    unknown = runner.invoke(app, ["countries", "list", "--region", "Atlantis"])
    assert unknown.exit_code == 2


@pytest.fixture
def cleanup_cli_import(engine: Engine) -> Iterator[None]:
    """The CLI commits for real: remove what the import test added."""
    yield
    with Session(engine) as session, session.begin():
        session.execute(
            delete(IndicatorObservation).where(IndicatorObservation.indicator_code == "TEST.CLI.RT")
        )
        session.execute(delete(Indicator).where(Indicator.code == "TEST.CLI.RT"))
        session.execute(delete(DataSource).where(DataSource.code == "test-cli"))


@pytest.mark.usefixtures("cli_env", "cleanup_cli_import")
def test_indicators_import_refuses_a_bad_file_then_applies_a_good_one(tmp_path: Path, engine: Engine) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Country Code,Year,Value\nKEN,2023,1.5\nKEN,year,2\n", encoding="utf-8")
    refused = runner.invoke(
        app,
        [
            "indicators",
            "import",
            str(bad),
            "--source",
            "test-cli",
            "--citation",
            "Test",
            "--indicator",
            "TEST.CLI.RT",
        ],
        env={"COLUMNS": "200"},
    )
    assert refused.exit_code == 1
    assert "row 3, field Year" in refused.output and "nothing was imported" in refused.output
    with Session(engine) as session:
        assert (
            session.scalars(
                select(IndicatorObservation).where(IndicatorObservation.indicator_code == "TEST.CLI.RT")
            ).all()
            == []
        )
    good = tmp_path / "good.csv"
    good.write_text("Country Code,Year,Value\nKEN,2023,1.5\nUGA,2023,0.4\nWLD,2023,9\n", encoding="utf-8")
    applied = runner.invoke(
        app,
        [
            "indicators",
            "import",
            str(good),
            "--source",
            "test-cli",
            "--citation",
            "Test",
            "--indicator",
            "TEST.CLI.RT",
            "--role",
            "capacity",
            "--unit",
            "per million people",
        ],
        env={"COLUMNS": "200"},
    )
    assert applied.exit_code == 0, applied.output
    assert "2 new" in applied.output and "1 aggregate rows skipped" in applied.output
    with Session(engine) as session:
        values = session.scalars(
            select(IndicatorObservation.value).where(IndicatorObservation.indicator_code == "TEST.CLI.RT")
        ).all()
        assert sorted(values) == [0.4, 1.5]


def test_sdg_tag_prints_each_goal_of_a_multi_topic_snippet_with_its_evidence() -> None:
    # Written for this test: energy in the first sentence, fisheries in the second.
    text = (
        "The island's utility commissioned a 12 MW solar farm with battery storage in March, cutting diesel "
        "imports for power generation by 40% and lowering household electricity tariffs. Meanwhile the "
        "fisheries department closed the lagoon to net fishing for six months so that depleted reef fish "
        "stocks can recover, and patrols will check catches landed by the industrial fleet."
    )
    result = runner.invoke(app, ["sdg", "tag", text], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert "SDG 7 " in result.output and "SDG 14 " in result.output
    assert "evidence: sentence: Meanwhile the fisheries department" in result.output


def test_sdg_eval_prints_per_goal_figures_and_the_average(tmp_path: Path) -> None:
    csv_file = tmp_path / "snippets.csv"
    csv_file.write_text(
        "id,text,sdg,label\n"
        'a,"Cash transfers now reach 1.2 million households below the national poverty line, and '
        'extreme poverty in the northern districts fell from 31% to 24% in three years.",1,True\n'
        'a,"Cash transfers now reach 1.2 million households below the national poverty line, and '
        'extreme poverty in the northern districts fell from 31% to 24% in three years.",14,False\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["sdg", "eval", str(csv_file)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "average accuracy: 1.000"
    assert any(line.startswith("SDG 14 ") for line in lines)
    missing = runner.invoke(app, ["sdg", "eval", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2


@pytest.mark.parametrize(
    "command",
    [
        ["demo"],
        ["matching", "round", "--cap", "5"],
        ["countries", "list"],
        ["worker"],
        ["backup", "{tmp}/b.db"],
    ],
)
def test_a_command_on_a_database_never_set_up_says_to_run_init(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with empty_database(tmp_path, "pux_never_set_up") as url:
        monkeypatch.setenv("PUX_DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            asked = [part.replace("{tmp}", str(tmp_path)) for part in command]
            result = runner.invoke(app, asked, env={"COLUMNS": "200"})
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert "run 'pux init' first" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback


@pytest.mark.parametrize("module", ["pux", "pux.cli"])
def test_the_command_line_runs_as_a_python_module(module: str) -> None:
    """``python -m pux.cli serve`` exited 0 without starting anything (no entry point ran)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout and "Usage" in done.stdout


def test_a_wrong_setting_is_said_in_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """It printed a 76-line traceback with the reason at its bottom."""
    monkeypatch.setenv("PUX_MODE", "prod")
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["jobs", "list"], env={"COLUMNS": "200"})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Wrong setting: PUX_MODE: Input should be 'development' or 'production'" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") <= 2


def test_the_log_level_setting_is_used_unless_the_option_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`pux serve` and `pux worker` overwrote PUX_LOG_LEVEL with their option's default (info)."""
    from pux.cli import _log_level

    monkeypatch.setenv("PUX_LOG_LEVEL", "error")
    get_settings.cache_clear()
    try:
        assert _log_level(None) == "error"
        assert _log_level("DEBUG") == "debug"
    finally:
        get_settings.cache_clear()
    monkeypatch.delenv("PUX_LOG_LEVEL")
    get_settings.cache_clear()
    assert _log_level(None) == "info"
    get_settings.cache_clear()
