"""The words a suggestion shows as evidence are topical words of the text, in every language: never its
grammar (Arabic "غير", "لضمان", French "leurs") nor a lone Han character cut out of a longer word ("照" of
照相). Texts below were written for these tests."""

from __future__ import annotations

import pytest

from pux.sdg_tagging.engine import DATA_DIR, get_tagger
from pux.sdg_tagging.function_words import FunctionWords

# Non-destructive testing of pipelines, bridges and welds (tagged goal 8 with "غير" and "لضمان" as evidence).
WELD_INSPECTION_AR = (
    "يستخدم الاختبار غير الإتلافي بالتصوير الإشعاعي الصناعي لفحص خطوط أنابيب النفط والجسور واللحامات في "
    "المصانع لضمان سلامتها وجودتها."
)
# The same in Chinese, then vaccines for clinics and boats for fishers: "照", "诊", "渔" were their evidence.
WELD_INSPECTION_ZH = "工业射线照相无损检测用于检查输油管道、桥梁和工厂焊缝，以确保其安全和质量。"
CLINIC_VACCINES_ZH = "卫生部给偏远地区的诊所配备了新的疫苗冷藏设备，儿童麻疹疫苗接种率明显提高。"
FISHERS_ZH = "这个项目给沿海渔民提供了新的渔船和冷库，减少了捕捞后的损失。"
DROUGHT_SEEDS_FR = (
    "Les agriculteurs de la région ont reçu des semences résistantes à la sécheresse afin de protéger leurs "
    "récoltes et nourrir leurs familles."
)
# Grammar a reader would see as nonsense evidence: non-, to ensure, in, from, on, to, this, which.
ARABIC_FUNCTION_WORDS = {"غير", "لضمان", "ضمان", "في", "من", "على", "إلى", "هذه", "التي"}


def _evidence_words(text: str) -> list[str]:
    return [
        word
        for suggestion in get_tagger().suggest(text)
        for item in suggestion.evidence
        if item.startswith("words: ")
        for word in item.removeprefix("words: ").split(", ")
    ]


def test_arabic_function_words_and_their_prefixed_forms_are_not_topical_words() -> None:
    data = get_tagger().data
    topical = {data.lexicon.words[entry] for entry in data.content_entries(WELD_INSPECTION_AR)}
    assert not topical & ARABIC_FUNCTION_WORDS  # "ضمان" was read from "لضمان", to ensure
    assert {"النفط", "الصناعي"} <= topical  # oil, industrial
    assert not set(_evidence_words(WELD_INSPECTION_AR)) & ARABIC_FUNCTION_WORDS


@pytest.mark.parametrize(
    ("text", "goal", "cut_out"),
    [
        (WELD_INSPECTION_ZH, "9", {"照", "给"}),
        (CLINIC_VACCINES_ZH, "3", {"诊", "给"}),
        (FISHERS_ZH, "14", {"渔", "捕", "给"}),
    ],
)
def test_a_lone_han_character_is_evidence_only_when_it_is_a_word_of_meaning(
    text: str, goal: str, cut_out: set[str]
) -> None:
    assert goal in {suggestion.goal for suggestion in get_tagger().suggest(text)}
    words = _evidence_words(text)
    assert words and not set(words) & cut_out
    meaningful = FunctionWords.load(DATA_DIR).single_han_words
    assert all(word in meaningful for word in words if len(word) == 1)


def test_a_french_possessive_is_not_evidence() -> None:
    assert "2" in {suggestion.goal for suggestion in get_tagger().suggest(DROUGHT_SEEDS_FR)}
    words = _evidence_words(DROUGHT_SEEDS_FR)
    assert "agriculteurs" in words and "leurs" not in words


def test_the_rules_per_script() -> None:
    rules = FunctionWords.load(DATA_DIR)
    # Arabic: listed words, with a conjunction or preposition glued on, in either spelling of alef.
    for word in ("غير", "وغير", "لغير", "لضمان", "ولضمان", "في", "وفي", "إلى", "الى", "بهذه", "عليها"):
        assert not rules.is_topical(word, "ar"), word
    for word in ("الضمان", "النفط", "الصناعي", "المياه", "بسرطان"):
        assert rules.is_topical(word, "ar"), word
    # Chinese: a lone character only when it is a word of meaning; listed words of two characters.
    assert not any(rules.is_topical(word, "zh") for word in ("照", "给", "的", "诊", "我们", "以确保"))
    assert all(rules.is_topical(word, "zh") for word in ("水", "电", "鱼", "桥梁", "疫苗"))
    # Latin script: the text's own language decides ("car" is because in French, a car in English).
    assert rules.is_topical("car", "en") and not rules.is_topical("car", "fr")
    assert not any(rules.is_topical(word, "fr") for word in ("leurs", "afin", "dans"))
    assert not any(rules.is_topical(word, "es") for word in ("sus", "para", "garantizar"))
    assert not any(rules.is_topical(word, "en") for word in ("their", "ensure", "within"))
    assert not any(rules.is_topical(word, "ru") for word in ("чтобы", "которые", "обеспечить", "на"))
    # Too short to say anything about a topic, whatever the language.
    assert not any(rules.is_topical(word) for word in ("of", "de", "по", "من"))
    assert all(rules.is_topical(word, "en") for word in ("water", "radiotherapy", "oil"))
