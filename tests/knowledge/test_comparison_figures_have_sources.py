"""Every figure in a technique's comparison with its alternatives carries a source and its year. The
nuclear power page showed "10–15 years from decision to first power" beside "no source known", as a
fact, and its summary the same figure; the figures PUX could find no source for are taken out of the
seed's comparison cells (each says that no sourced figure is held yet) and of that summary."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.knowledge.seed import DATA_DIR, load_knowledge_seed

# A number stated as a figure; the digits of an isotope's name (molybdenum-99, iodine-131) are not one.
FIGURE = re.compile(r"(?<![\w-])\d")
NO_SOURCED_FIGURE = "no sourced figure yet"


def _cells() -> list[tuple[str, dict[str, Any]]]:
    techniques = json.loads((DATA_DIR / "techniques.json").read_text("utf-8"))
    return [(t["code"], cell) for t in techniques for cell in t.get("comparisons") or []]


def _texts(cell: dict[str, Any]) -> list[str]:
    return [
        text
        for side in (cell.get("technique"), cell.get("alternative_value"))
        for text in (side or {}).values()
    ]


def test_every_figure_of_a_comparison_has_a_source_with_its_year() -> None:
    unsourced = [
        (code, cell["alternative"], cell["criterion"], text)
        for code, cell in _cells()
        for text in _texts(cell)
        if FIGURE.search(text) and not (cell.get("source") or {}).get("year")
    ]
    assert unsourced == []


def test_a_source_in_the_comparisons_always_gives_its_year() -> None:
    undated = [
        (code, cell["alternative"], cell["criterion"])
        for code, cell in _cells()
        if cell.get("source") and not cell["source"].get("year")
    ]
    assert undated == []


def test_the_nuclear_power_page_states_no_unsourced_time_to_first_power(
    client: TestClient, session: Session
) -> None:
    load_knowledge_seed(session, actor="test-seed", data_dir=DATA_DIR)
    page = client.get("/techniques/nuclear-power-programme")
    assert page.status_code == 200
    assert "10–15" not in page.text  # neither in the comparison nor in the summary
    assert "Many years from decision to first power (no sourced figure yet)." in page.text


def test_the_nuclear_power_summary_states_no_unsourced_figure_in_any_language() -> None:
    techniques = json.loads((DATA_DIR / "techniques.json").read_text("utf-8"))
    summary = next(t["summary"] for t in techniques if t["code"] == "nuclear_power_programme")
    assert {language: text for language, text in summary.items() if FIGURE.search(text)} == {}
