"""A text whose words the tagger's lexicon mostly does not know is read by the transformer: the static part
alone judged such a text by the few words it knew. Texts below were written for these tests."""

from __future__ import annotations

from pux.sdg_tagging.engine import get_tagger

# Non-destructive testing of oil pipelines, bridges and welds: the lexicon knows "oil" and "industrial", not
# testing, radiography, pipes, bridges or welds. It was tagged goal 8 (economic growth) for its oil.
WELD_INSPECTION_AR = (
    "يستخدم الاختبار غير الإتلافي بالتصوير الإشعاعي الصناعي لفحص خطوط أنابيب النفط والجسور واللحامات في "
    "المصانع لضمان سلامتها وجودتها."
)
WELD_INSPECTION_EN = (
    "Non-destructive testing with industrial radiography is used to inspect oil pipelines, bridges and welds "
    "in factories to ensure their safety and quality."
)


def test_an_arabic_text_the_lexicon_mostly_cannot_read_is_not_tagged_by_its_one_known_topic() -> None:
    tagger = get_tagger()
    assert "8" not in {suggestion.goal for suggestion in tagger.suggest(WELD_INSPECTION_AR)}
    static = tagger.score_texts([WELD_INSPECTION_AR], transformer="never")[0]
    assert tagger.needs_transformer(static)


def test_a_text_the_lexicon_reads_keeps_its_static_decision() -> None:
    tagger = get_tagger()
    static = tagger.score_texts([WELD_INSPECTION_EN], transformer="never")[0]
    assert not tagger.needs_transformer(static)
    assert [suggestion.goal for suggestion in tagger.suggest(WELD_INSPECTION_EN)] == ["9"]
