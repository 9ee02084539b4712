"""The import commands refuse a CSV file that is not UTF-8 (a spreadsheet's Windows "CSV" save) saying so
and where, instead of ending in a UnicodeDecodeError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pux.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "220"}
INDICATORS = (
    "Country Name,Country Code,Year,Value\nAruba,ABW,2002,14.5\nAruba,ABW,2003,7.5\nCuraçao,CUW,2010,5\n"
)
SDG = "a,b\nGoal 1. Fin de la pauvreté,x\n"
EVIDENCE = "key,technique,claim\nm1-enc-1,isotope_hydrology,Coût d'une étude isotopique\n"
COMMANDS = {
    "indicators": (["indicators", "import", "--source", "qa-enc", "--citation", "QA", "--indicator", "QA.E"],
                   INDICATORS, 4, 0xE7),
    "sdg": (["reference", "import-sdg"], SDG, 2, 0xE9),
    "evidence": (["evidence", "import"], EVIDENCE, 2, 0xFB),
}  # fmt: skip


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_in_a_windows_code_page_is_refused_naming_the_byte_and_its_line(
    command: str, tmp_path: Path
) -> None:
    arguments, text, line, byte = COMMANDS[command]
    file = tmp_path / "windows.csv"
    file.write_bytes(text.encode("cp1252"))
    result = runner.invoke(app, [*arguments[:2], str(file), *arguments[2:]], env=WIDE)
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (result.exception, output)
    assert "nothing was imported" in output and "windows.csv is not UTF-8 text" in output
    assert f"byte 0x{byte:02X} on line {line}" in output
    assert "Save it as 'CSV UTF-8'" in output


@pytest.mark.usefixtures("cli_env")
def test_a_missing_file_is_said_in_a_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reference", "import-sdg", str(tmp_path / "absent.csv")], env=WIDE)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "absent.csv cannot be read (No such file or directory)" in " ".join(result.output.split())
