"""The words a suggestion shows as evidence are topical words of the text, in every language: never its
grammar (Arabic "غير", "لضمان", French "leurs"). Texts below were written for these tests."""

from __future__ import annotations

from pux.sdg_tagging.engine import DATA_DIR, get_tagger
from pux.sdg_tagging.function_words import FunctionWords

# Non-destructive testing of pipelines, bridges and welds (tagged goal 8 with "غير" and "لضمان" as evidence).
WELD_INSPECTION_AR = (
    "يستخدم الاختبار غير الإتلافي بالتصوير الإشعاعي الصناعي لفحص خطوط أنابيب النفط والجسور واللحامات في "
    "المصانع لضمان سلامتها وجودتها."
)
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
    # Chinese: listed words of two characters and more.
    assert not any(rules.is_topical(word, "zh") for word in ("我们", "以确保"))
    assert all(rules.is_topical(word, "zh") for word in ("桥梁", "疫苗"))
    # Latin script: the text's own language decides ("car" is because in French, a car in English).
    assert rules.is_topical("car", "en") and not rules.is_topical("car", "fr")
    assert not any(rules.is_topical(word, "fr") for word in ("leurs", "afin", "dans"))
    assert not any(rules.is_topical(word, "es") for word in ("sus", "para", "garantizar"))
    assert not any(rules.is_topical(word, "en") for word in ("their", "ensure", "within"))
    assert not any(rules.is_topical(word, "ru") for word in ("чтобы", "которые", "обеспечить", "на"))
    # Too short to say anything about a topic, whatever the language.
    assert not any(rules.is_topical(word) for word in ("of", "de", "по", "من"))
    assert all(rules.is_topical(word, "en") for word in ("water", "radiotherapy", "oil"))
