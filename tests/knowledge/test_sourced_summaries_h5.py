"""No technique summary or prerequisite in the shipped knowledge base states a figure: neither has a field for
a source, so a figure there would be shown without one. The mutation breeding summary said "more than 3,000
mutant varieties", the radiotherapy summary "about half of all cancer patients", and prerequisites gave
"5–10% of the equipment price", "every 5–7 years", "about 12% of its activity a year", "about two years" and
"thousands ... over a decade", in every language, with no source in the project for any of them. They now
say what they can without a number; the sourced figures are the evidence ledger's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.knowledge.seed import DATA_DIR, load_knowledge_seed

# The comparison cells' check (test_comparison_figures_have_sources.FIGURE: a digit that does not continue
# a word or a hyphenated name such as molybdenum-99), widened to Chinese: a Han character is a word
# character to \w, so "发布3000多个" passed it.
FIGURE = re.compile(r"(?<![^\W\u3400-\u9fff])(?<!-)\d")
# Digits that name something rather than count it: a standard's number, the certification levels of ISO
# 9712 and an isotope named with its mass number as French and Spanish write it (with a space).
NAMES_WITH_DIGITS = re.compile(
    r"ISO 9712\D{0,40}?1\s*(?:–|-|à|a|إلى|至)\s*3"
    r"|ISO(?:/IEC)?\s*\d+"
    r"|\b(?:cobalt|cobalto|iridium|iridio|azote|nitrógeno|carbone|carbono|césium|cesio|plomb|plomo"
    r"|technétium|tecnecio)\s\d+m?\b",
    re.IGNORECASE,
)
# A figure written in words, in the English source of every text (its translations follow it).
FIGURE_IN_WORDS = re.compile(
    r"\b(?:half|quarter|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozens?|hundreds?"
    r"|thousands?|millions?|billions?|a decade)\b",
    re.IGNORECASE,
)


def _texts() -> Iterator[tuple[str, str, str, str]]:
    """(technique, where, language, text) of every summary and prerequisite in the shipped seed."""
    for technique in json.loads((DATA_DIR / "techniques.json").read_text("utf-8")):
        for language, text in technique["summary"].items():
            yield technique["code"], "summary", language, text
        for prerequisite in technique.get("prerequisites") or []:
            for language, text in prerequisite["text"].items():
                yield technique["code"], prerequisite["kind"], language, text


def _states_a_figure(language: str, text: str) -> bool:
    if FIGURE.search(NAMES_WITH_DIGITS.sub("", text)):
        return True
    return language == "en" and FIGURE_IN_WORDS.search(text) is not None


def test_the_check_finds_figures_and_passes_names() -> None:
    for language, text in (
        ("en", "Service contracts cost 5–10% of the price."),
        ("en", "About half of all cancer patients would benefit."),
        ("zh", "全球已正式发布3000多个突变品种。"),
        ("fr", "Plus de 3 000 variétés mutantes."),
        ("ar", "يفقد نحو 12 في المائة من نشاطه سنويًا"),
    ):
        assert _states_a_figure(language, text), text
    for language, text in (
        ("en", "Personnel certified to ISO 9712 levels 1–3; cobalt-60 and technetium-99m."),
        ("fr", "Du personnel certifié selon l'ISO 9712 (niveaux 1 à 3) ; le cobalt 60 et l'azote 15."),
        ("zh", "需要按ISO 9712取得1至3级认证的人员；熟悉ISO/IEC 17025；钴-60。"),
        ("es", "Fuentes de iridio 192 y tecnecio 99m (serie ISO 11137)."),
    ):
        assert not _states_a_figure(language, text), text


def test_no_summary_or_prerequisite_states_a_figure_it_cannot_source() -> None:
    unsourced = [
        (code, where, language, text)
        for code, where, language, text in _texts()
        if _states_a_figure(language, text)
    ]
    assert unsourced == []


def test_the_pages_state_none_of_the_unsourced_figures(client: TestClient, session: Session) -> None:
    load_knowledge_seed(session, actor="test-seed", data_dir=DATA_DIR)
    mutation = client.get("/techniques/mutation-breeding")
    assert mutation.status_code == 200
    assert "3,000" not in mutation.text
    radiotherapy = client.get("/techniques/radiotherapy")
    assert radiotherapy.status_code == 200
    for figure in ("About half", "5–10%", "5–7 years"):
        assert figure not in radiotherapy.text
    assert "a cobalt unit also needs its source replaced every few years" in radiotherapy.text
