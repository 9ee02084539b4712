"""What the tagger ships may come only from PUX's own texts (the data licence rules forbid shipping official
SDG wording): six-language labels, English topic phrases written for PUX, and Aurora query terms."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from pux.sdg_tagging.engine import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
LABELS_CSV = ROOT / "src" / "pux" / "reference" / "data" / "sdg_labels.csv"
TOPICS_CSV = ROOT / "tools" / "sdg_target_topics.csv"
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def build_tool() -> ModuleType:
    name = "build_sdg_tagger_data"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_every_description_is_a_pux_label_or_a_pux_topic_phrase() -> None:
    with LABELS_CSV.open(encoding="utf-8", newline="") as handle:
        labels = {
            (row[f"label_{language}"], language) for row in csv.DictReader(handle) for language in LANGUAGES
        }
    with TOPICS_CSV.open(encoding="utf-8", newline="") as handle:
        topics = {
            (phrase.strip(), "en") for row in csv.DictReader(handle) for phrase in row["topics_en"].split(";")
        }
    items = json.loads((DATA_DIR / "descriptions.json").read_text(encoding="utf-8"))
    assert {item["kind"] for item in items} == {"goal", "target", "indicator", "topic"}
    for item in items:
        allowed = topics if item["kind"] == "topic" else labels
        assert (item["text"], item["language"]) in allowed, item


def test_topic_phrases_are_short_terms_not_sentences() -> None:
    with TOPICS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for phrase in row["topics_en"].split(";"):
                assert 1 <= len(phrase.split()) <= 8, (row["code"], phrase)


def test_the_build_guard_finds_official_wording_and_spares_pux_labels(tmp_path: Path) -> None:
    tool = build_tool()
    official = "Protect and restore the rivers lakes and wetlands of every country by 2030"
    titles = [("framework 6.6", official)]
    (tmp_path / "descriptions.json").write_text(
        json.dumps([{"text": "rivers and lakes"}, {"text": official.upper() + "!"}]), encoding="utf-8"
    )
    (tmp_path / "words.txt").write_text("rivers\nlakes\n", encoding="utf-8")
    problems = tool.check_no_official_wording(tmp_path, titles, set())
    assert len(problems) == 1 and "framework 6.6" in problems[0]
    assert tool.check_no_official_wording(tmp_path, titles, {official.upper() + "!"}) == []


def test_a_query_phrase_with_official_wording_is_cut_to_a_clean_tail() -> None:
    tool = build_tool()
    windows = tool.official_windows(
        [("framework 14.c", "as set out in the united nations convention on the law of the sea, which")]
    )
    tree = ["or", [["phrase", "unclos"], ["phrase", "united nations convention on the law of the sea"]]]
    assert tool.shorten_official_phrases(tree, windows) == [
        "or",
        [["phrase", "unclos"], ["phrase", "convention on the law of the sea"]],
    ]
