"""Benchmark of the SDG tagger: prints `name: value` lines, asserts nothing about time.

Usage:  python bench/sdg_tagging.py [--texts N] [--repeats R]

Texts of about 80 words (the size the issue sets) are made by joining two realistic held-out snippets
about the same goal and cutting at 80 words, so that they read like one document. Held-out snippets,
because the tagger keeps its tuning and development snippets as labelled neighbours: a text made of them
would find itself there, be decided at once and rarely need the transformer, which flatters the speed.
The held-out snippets as they are (30-120 words) are timed too (``snippets_per_s``).
Timings on a shared two-core machine vary by a fifth from run to run: each throughput is the median of
``--repeats`` runs. When other processes load the machine, wall-clock throughput says more about them
than about the tagger: ``cpu_ms_per_text`` (this process's CPU time per text, one at a time, all its
threads together) and ``load_average`` are printed beside it so that a run can be judged.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "data" / "sdg" / "realistic_heldout.csv"
WORDS_PER_TEXT = 80


def heldout_rows() -> list[dict[str, str]]:
    with HELDOUT.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def heldout_snippets() -> list[str]:
    return list(dict.fromkeys(row["text"] for row in heldout_rows()))


def eighty_word_texts(limit: int) -> list[str]:
    by_goal: dict[str, list[str]] = defaultdict(list)
    for row in heldout_rows():
        if row["label"] == "True" and row["text"] not in by_goal[row["sdg"]]:
            by_goal[row["sdg"]].append(row["text"])
    texts = []
    for goal_texts in by_goal.values():
        for first, second in zip(goal_texts[0::2], goal_texts[1::2], strict=False):
            texts.append(" ".join(f"{first} {second}".split()[:WORDS_PER_TEXT]))
    return texts[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    texts = eighty_word_texts(arguments.texts)

    start = time.perf_counter()
    from pux.sdg_tagging.engine import get_tagger

    tagger = get_tagger()
    model_load_s = time.perf_counter() - start

    tagger.suggest("Warm-up: clean drinking water for rural schools.")
    one_by_one_runs, batched_runs, cpu_runs = [], [], []
    for _ in range(arguments.repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for text in texts:
            tagger.suggest(text)
        one_by_one_runs.append(time.perf_counter() - start)
        cpu_runs.append(time.process_time() - cpu_start)
        start = time.perf_counter()
        tagger.suggest_many(texts)
        batched_runs.append(time.perf_counter() - start)
    one_by_one = statistics.median(one_by_one_runs)
    batched = statistics.median(batched_runs)
    snippets = heldout_snippets()
    start = time.perf_counter()
    for text in snippets:
        tagger.suggest(text)
    snippets_per_s = len(snippets) / (time.perf_counter() - start)
    snippet_scores = tagger.score_texts(snippets, transformer="never")
    snippets_routed = sum(tagger.needs_transformer(scores) for scores in snippet_scores)

    start = time.perf_counter()
    static_scores = tagger.score_texts(texts, transformer="never")
    static_only = time.perf_counter() - start
    routed = sum(tagger.needs_transformer(scores) for scores in static_scores)
    english = [scores for scores in static_scores if scores.language == "en"]
    routed_english = sum(tagger.needs_transformer(scores) for scores in english)

    print(f"texts: {len(texts)}")
    print(f"mean_words_per_text: {sum(len(text.split()) for text in texts) / len(texts):.1f}")
    print(f"model_load_s: {model_load_s:.2f}")
    print(f"texts_per_s: {len(texts) / one_by_one:.1f}")
    print(f"texts_per_s_batched: {len(texts) / batched:.1f}")
    print(f"cpu_ms_per_text: {1000 * statistics.median(cpu_runs) / len(texts):.1f}")
    print(f"static_pass_ms_per_text: {1000 * static_only / len(texts):.2f}")
    print(f"transformer_share: {routed / len(texts):.2f}")
    print(f"transformer_share_english: {routed_english / max(len(english), 1):.2f} of {len(english)}")
    print(f"snippets: {len(snippets)}")
    print(f"snippets_mean_words: {sum(len(text.split()) for text in snippets) / len(snippets):.1f}")
    print(f"snippets_per_s: {snippets_per_s:.1f}")
    print(f"snippets_transformer_share: {snippets_routed / len(snippets):.2f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(f"load_average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
