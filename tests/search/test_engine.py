"""The pure part of search: terms, query plans, fusion, snippets."""

from __future__ import annotations

import numpy as np
import pytest

from pux.search import engine


def test_fusion_adds_each_ranking_s_scores_relative_to_its_best() -> None:
    words = [(1, 8.0), (2, 7.9), (3, 4.0)]
    meaning = [(2, 0.6), (4, 0.3)]
    fused = dict(engine.fuse_scores([words, meaning], weights=[1.0, 0.1]))
    assert fused[2] == pytest.approx(7.9 / 8 + 0.1)  # all but equal on words: the meaning decides
    assert fused[1] == pytest.approx(1.0)
    assert fused[4] == pytest.approx(0.05)  # found only by meaning: behind every good word match
    assert [item for item, _ in engine.fuse_scores([words, meaning], weights=[1.0, 0.1])] == [2, 1, 3, 4]
    assert engine.fuse_scores([[], [(5, 0.0)]]) == []


def test_terms_are_stemmed_per_language_and_folded() -> None:
    assert "irradi" in engine.index_terms("Irradiated", "en").split()
    assert "radiotherapie" in engine.index_terms("Radiothérapie", "fr").split()
    assert engine.index_terms("放射治疗", "zh") == "放 射 治 疗"
    assert "the" not in engine.index_terms("the water", "en").split()


def test_query_plan_covers_the_reader_language_the_query_language_and_the_bare_word() -> None:
    plan = engine.plan_query("la radiothérapie", "en")  # an English reader typing French
    (group,) = plan.groups
    assert {engine.stem("radiothérapie", "en"), "radiotherap", "radiotherapie"} == set(group)
    chinese = engine.plan_query("癌症 放射治疗", "zh")
    assert chinese.phrases == (("癌", "症"), ("放", "射", "治", "疗"))
    assert engine.fts5_match(chinese) == '"癌 症" OR "放 射 治 疗"'
    assert engine.tsquery(chinese) == "('癌' <-> '症') | ('放' <-> '射' <-> '治' <-> '疗')"


def test_query_quotes_cannot_break_out() -> None:
    plan = engine.QueryPlan(groups=(('a"b', "c'd"),))
    assert engine.fts5_match(plan) == '("a""b" OR "c\'d")'
    assert engine.tsquery(plan) == "('a\"b' | 'c''d')"


def test_snippets_escape_then_mark() -> None:
    plan = engine.plan_query("radiotherapy", "en")
    html = engine.highlight("<b onmouseover=x>Radiotherapy</b> & more", plan, "en")
    assert html == "&lt;b onmouseover=x&gt;<mark>Radiotherapy</mark>&lt;/b&gt; &amp; more"


def test_language_detection() -> None:
    assert engine.detect_language("Formation des physiciens pour la radiothérapie") == "fr"
    assert engine.detect_language("Formación de físicos para la radioterapia") == "es"
    assert engine.detect_language("العلاج الإشعاعي") == "ar"
    assert engine.detect_language("лучевая терапия") == "ru"
    assert engine.detect_language("放射治疗") == "zh"


def test_nearest_keeps_the_clear_leaders() -> None:
    matrix = np.eye(4, dtype=np.float32)
    vector = np.array([0.9, 0.4, 0.1, 0.0], dtype=np.float32)
    assert [row for row, _ in engine.nearest(matrix, vector, 3, 0.05)] == [0, 1, 2]
    assert [row for row, _ in engine.nearest(matrix, vector, 3, 0.05, relative=0.5)] == [0]
