"""The tagger end to end, on the shipped data and the bundled model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pux.sdg_tagging.embedder import Embedder, FloatArray, HashingEmbedder
from pux.sdg_tagging.engine import (
    DATA_DIR,
    GOALS,
    HEAD_TRANSFORMER_WORD_LIMIT,
    ONE_BLAS_THREAD,
    SdgSuggestion,
    SdgTagger,
    TaggerData,
    detect_language,
    evaluate_file,
    get_tagger,
    load_calibration,
    load_goal_head,
    suggest,
)
from pux.sdg_tagging.evaluation import format_report
from pux.sdg_tagging.lexicon import word_key

# Texts written for these tests (not taken from the development or holdout sets).
CLEAR_TEXTS = {
    "en": (
        "The district hospital has opened a radiotherapy unit, so cancer patients no longer travel three "
        "hundred kilometres for treatment. Oncologists and medical physicists were trained to plan doses "
        "safely, and waiting times for a first treatment fell from four months to three weeks.",
        "3",
    ),
    "fr": (
        "Le programme distribue des repas scolaires et des semences améliorées aux familles rurales touchées "
        "par la sécheresse, afin que les enfants ne souffrent plus de la faim ni de la malnutrition.",
        "2",
    ),
    "es": (
        "La nueva planta solar y los aerogeneradores llevan electricidad limpia y asequible a cuarenta "
        "comunidades rurales que antes dependían de generadores diésel.",
        "7",
    ),
    "ar": (
        "يهدف المشروع إلى توفير مياه الشرب المأمونة وبناء مرافق الصرف الصحي في القرى الريفية، "
        "وتدريب المجتمعات المحلية على صيانة الآبار.",
        "6",
    ),
    "zh": (
        "该项目为偏远山区的女童提供奖学金和免费教科书，并培训合格教师，使更多儿童能够完成小学和初中教育。",
        "4",
    ),
    "ru": (
        "Проект помогает восстановить леса и защитить исчезающие виды животных в горных районах, "
        "а также бороться с опустыниванием и деградацией земель.",
        "15",
    ),
}
FOOTBALL_REPORT = (
    "Rovers came back from a goal down to beat City 3-1 on Saturday afternoon. The winger curled in a free "
    "kick just before half-time, the captain headed the second from a corner, and a late counter-attack "
    "sealed the points in front of a sold-out crowd."
)


@pytest.mark.parametrize("language", sorted(CLEAR_TEXTS))
def test_each_language_gets_its_goal_first(language: str) -> None:
    text, goal = CLEAR_TEXTS[language]
    suggestions = get_tagger().suggest(text)
    assert suggestions, f"no goal for the {language} text"
    assert suggestions[0].goal == goal
    # Evidence names target labels in the language of the text.
    labels = [item for item in suggestions[0].evidence if re.match(rf"^{goal}\.\w+ ", item)]
    assert labels


def test_a_football_report_gets_no_goal() -> None:
    assert get_tagger().suggest(FOOTBALL_REPORT) == []


def test_empty_and_blank_texts_get_no_goal() -> None:
    assert get_tagger().suggest("") == []
    assert get_tagger().suggest("   \n ") == []


def test_suggestions_are_well_formed() -> None:
    text, goal = CLEAR_TEXTS["en"]
    suggestions = get_tagger().suggest(text, language="en")
    confidences = [suggestion.confidence for suggestion in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    for suggestion in suggestions:
        assert isinstance(suggestion, SdgSuggestion)
        assert suggestion.goal in GOALS
        assert 0.0 <= suggestion.confidence <= 1.0
        assert all(target.split(".")[0] == suggestion.goal for target in suggestion.targets)
        assert len(suggestion.targets) <= 3
        assert suggestion.evidence
    assert suggestions[0].targets[0] in {"3.4", "3.8", "3.c", "3.b"}
    with pytest.raises(AttributeError):
        suggestions[0].goal = "1"  # type: ignore[misc]


def test_an_arabic_text_on_cancer_treatment_is_tied_to_the_target_on_non_communicable_diseases() -> None:
    # "للسرطان" (for cancer) in the text, "والسرطان" (and cancer) in target 3.4's indicator: one word
    # once the glued clitics are set aside, whereas "علاج" (treatment), shared with target 3.5's
    # indicator on substance-use disorders, used to put 3.5 first.
    text = (
        "بدأ المسرّع الخطي الثاني في المركز الوطني للسرطان علاج المرضى في مايو، فانخفضت مدة انتظار العلاج "
        "الإشعاعي من أحد عشر أسبوعاً إلى ثلاثة أسابيع. وأغلقت إدارة مصايد الأسماك البحيرة أمام الصيد بالشباك "
        "ستة أشهر لتتعافى الأرصدة السمكية المستنزفة في الشعاب."
    )
    health = next(suggestion for suggestion in get_tagger().suggest(text) if suggestion.goal == "3")
    assert health.targets[0] == "3.4"


@pytest.mark.parametrize(
    ("word", "key"),
    [("للسرطان", "سرطان"), ("والسرطان", "سرطان"), ("السرطان", "سرطان"), ("بحث", "بحث"), ("cancer", "cancer")],
)
def test_arabic_words_are_compared_without_their_clitics(word: str, key: str) -> None:
    assert word_key(word) == key


def test_english_keywords_appear_as_evidence() -> None:
    suggestions = get_tagger().suggest(
        "The programme halves the number of people living in extreme poverty by expanding social protection "
        "floors and cash transfers to the poorest households."
    )
    assert suggestions[0].goal == "1"
    assert any("poverty" in item for item in suggestions[0].evidence)


def test_suggestions_are_deterministic() -> None:
    texts = [text for text, _ in CLEAR_TEXTS.values()] + [FOOTBALL_REPORT]
    first = [get_tagger().suggest(text) for text in texts]
    fresh = SdgTagger(TaggerData(), load_calibration(), get_tagger().embedder, load_goal_head())
    assert [fresh.suggest(text) for text in texts] == first
    assert get_tagger().suggest_many(texts) == first
    assert [suggest(text) for text in texts] == first


@pytest.mark.parametrize("language", sorted(CLEAR_TEXTS))
def test_the_static_pass_alone_reads_every_language(language: str) -> None:
    # The word vectors of each language are centred on their own, so without the model a clear text of
    # any language already puts its goal first (the static part may still leave it in the gate band for the
    # transformer to confirm, as it does the French one).
    text, goal = CLEAR_TEXTS[language]
    static_only = SdgTagger(TaggerData(), load_calibration(), None, load_goal_head())
    probabilities = static_only.probabilities(static_only.score_texts([text])[0])
    assert GOALS[int(np.argmax(probabilities))] == goal
    assert probabilities.max() > 0.4
    suggestions = static_only.suggest(text)
    assert not suggestions or suggestions[0].goal == goal


# One sentence written for this test and its translations (not among the labels the shifts come from).
PARALLEL = {
    "en": "Farmers in the dry north lose much of their harvest to fruit flies, and the ministry wants to "
    "protect their crops without spraying more pesticide.",
    "fr": "Dans le nord aride, les agriculteurs perdent une grande partie de leur récolte à cause des "
    "mouches des fruits, et le ministère veut protéger leurs cultures sans épandre davantage de pesticides.",
    "es": "En el norte árido, los agricultores pierden gran parte de su cosecha por la mosca de la fruta, y "
    "el ministerio quiere proteger sus cultivos sin rociar más plaguicidas.",
    "ar": "يفقد المزارعون في الشمال الجاف جزءًا كبيرًا من محصولهم بسبب ذباب الفاكهة، وتريد الوزارة حماية "
    "محاصيلهم دون رش المزيد من المبيدات.",
    "zh": "在干旱的北方，农民的大量收成被果蝇毁掉，农业部希望在不多喷洒农药的情况下保护他们的作物。",
    "ru": "На засушливом севере фермеры теряют большую часть урожая из-за плодовых мух, и министерство хочет "
    "защитить их посевы, не распыляя больше пестицидов.",
}


@pytest.mark.parametrize("language", ["fr", "es", "ar", "zh", "ru"])
def test_centring_each_language_brings_a_translation_closer_to_the_english_text(language: str) -> None:
    # The shift of each language is measured once from PUX's labels; a text written for this test and
    # its translation must end up closer after centring with the shift than with the English centre alone.
    data = TaggerData()
    lexicon = data.lexicon
    lexicon.centre = load_calibration().static_centre
    english = lexicon.text_vector(PARALLEL["en"])
    plain = lexicon.text_vector(PARALLEL[language])
    shifted = lexicon.text_vector(PARALLEL[language], centre=lexicon.centre + data.language_shift[language])
    assert float(english @ shifted) > float(english @ plain) + 0.05


BLAS_LIMIT_SCRIPT = """
import json
import numpy  # the BLAS the guard limits, loaded as in a served process
from threadpoolctl import threadpool_info
from pux.blas import OneBlasThread

def blas_threads():
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]

guard = OneBlasThread()
seen = {"before": blas_threads()}
guard.__enter__()  # request A
guard.__enter__()  # request B, at the same time
guard.__exit__(None, None, None)  # A ends while B still runs: the limit stays
seen["while_b_runs"] = blas_threads()
guard.__exit__(None, None, None)  # the last one lifts it
seen["after"] = blas_threads()
import scipy.linalg  # scipy's own BLAS, loaded after the guard first looked
guard.__enter__()
seen["pools_with_scipy"] = len(blas_threads())
seen["with_scipy"] = blas_threads()
guard.__exit__(None, None, None)
print(json.dumps(seen))
"""


def test_the_blas_limit_holds_while_any_call_runs_and_is_lifted_after_the_last() -> None:
    # In a process of its own, as a served app's process is: this long test process has loaded libraries
    # (plotting, PDF, browser drivers) after which the BLAS limit no longer shows (seen in CI; not found
    # yet which one), and that must not decide this test.
    finished = subprocess.run(
        [sys.executable, "-c", BLAS_LIMIT_SCRIPT], capture_output=True, text=True, check=True, timeout=300
    )
    seen = json.loads(finished.stdout.strip().splitlines()[-1])
    assert seen["while_b_runs"] and all(count == 1 for count in seen["while_b_runs"])
    assert seen["after"] == seen["before"]
    # The guard looks the pools up once, and again after an import: a BLAS loaded later is limited too.
    assert seen["pools_with_scipy"] > len(seen["before"])
    assert all(count == 1 for count in seen["with_scipy"])


def test_every_tagger_shares_the_process_wide_blas_guard() -> None:
    # Two guards would lift each other's limit: taggers built side by side must share one.
    assert get_tagger()._one_blas_thread is ONE_BLAS_THREAD


def test_get_tagger_is_loaded_once() -> None:
    assert get_tagger() is get_tagger()


class RecordingEmbedder:
    """Any embedder, with a record of the passages it was asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.passages: list[list[str]] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> FloatArray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> FloatArray:
        self.passages.append(list(texts))
        return self.inner.embed_passages(texts)


# Vague: a plan for a river basin and its towns could be about water, climate or cities; the static pass
# cannot tell. Which of these sits inside the gate's band moves a little with each retraining; the test
# needs one that does.
VAGUE_TEXTS = (
    "The committee discussed the plan for the river basin and the towns along it.",
    "Delegates discussed the plan for the river basin and the towns along it.",
    "The committee discussed the plan for the river basin, its farms and the towns along it.",
    "Delegates exchanged views on the plan for the river basin and the towns along it.",
)


def test_the_embedder_is_used_for_unsure_texts_only() -> None:
    data, calibration = TaggerData(), load_calibration()
    static_only = SdgTagger(data, calibration, None, load_goal_head())
    clear = CLEAR_TEXTS["en"][0]
    assert not static_only.needs_transformer(static_only.score_texts([clear])[0])
    unsure = next(
        (text for text in VAGUE_TEXTS if static_only.needs_transformer(static_only.score_texts([text])[0])),
        None,
    )
    assert unsure is not None
    recorder = RecordingEmbedder(HashingEmbedder())
    tagger = SdgTagger(data, calibration, recorder, load_goal_head())
    clear_scores = tagger.score_texts([clear])[0]
    assert recorder.passages == [] and clear_scores.transformer_similarity is None
    assert tagger.suggest(clear) == static_only.suggest(clear)  # a clear text never waits for the model
    unsure_scores = tagger.score_texts([unsure])[0]
    assert len(recorder.passages) == 1 and len(recorder.passages[0]) == 1
    assert unsure_scores.transformer_similarity is not None
    # In a batch, only the unsure text goes to the model.
    recorder.passages.clear()
    tagger.score_texts([clear, unsure, clear])
    assert [len(batch) for batch in recorder.passages] == [1]
    assert tagger.score_texts([unsure], transformer="never")[0].transformer_similarity is None
    assert static_only.suggest(clear)[0].goal == "3"


def test_the_model_reads_an_english_texts_topical_words_and_other_languages_whole() -> None:
    recorder = RecordingEmbedder(HashingEmbedder())
    tagger = SdgTagger(TaggerData(), load_calibration(), recorder, load_goal_head())
    english = "The ministry and the district councils of the region will rehabilitate the irrigation canals."
    french = CLEAR_TEXTS["fr"][0]
    tagger.score_texts([english, french], transformer="always")
    [(english_input, french_input)] = recorder.passages
    english_words = english_input.split()
    # Frequent words go (they cost the model time and say nothing of the topic), topical ones stay in order.
    assert "the" not in english_words and "and" not in english_words
    assert english_words.index("irrigation") < english_words.index("canals")
    assert french_input == french
    # Every text's reading is bounded: a pasted report costs at most a fixed number of words.
    long_text = " ".join(["irrigation canals rehabilitated"] * 200)
    assert len(tagger.transformer_input(long_text).split()) == HEAD_TRANSFORMER_WORD_LIMIT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The ministry of health and the schools of the region", "en"),
        ("Le ministère de la santé et les écoles de la région", "fr"),
        ("El ministerio de salud y las escuelas de la región", "es"),
        ("وزارة الصحة والمدارس في المنطقة", "ar"),
        ("卫生部和该地区的学校", "zh"),
        ("Министерство здравоохранения и школы региона", "ru"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_shipped_data_is_complete_and_self_contained() -> None:
    data = TaggerData()
    assert {description.goal for description in data.descriptions} == set(GOALS)
    assert len(data.targets) == 169
    assert {description.language for description in data.descriptions} == {"en", "fr", "es", "ar", "zh", "ru"}
    assert len(data.keyword_targets) > 300
    assert (DATA_DIR / "calibration.json").exists()
    package = Path(DATA_DIR).parent
    for source in package.glob("*.py"):
        assert "/work/shared" not in source.read_text(encoding="utf-8")
        assert "shared/data" not in source.read_text(encoding="utf-8")


def test_evaluate_file_scores_the_tagger_on_a_labelled_file(tmp_path: Path) -> None:
    csv_file = tmp_path / "tiny.csv"
    rows = ["id,text,sdg,label"]
    for position, (text, goal) in enumerate(CLEAR_TEXTS.values()):
        rows.append(f'{position},"{text}",{goal},True')
    rows.append(f'f,"{FOOTBALL_REPORT}",3,False')
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = evaluate_file(csv_file)
    assert report.texts == 7
    assert format_report(report)[-1] == "average accuracy: 1.000"
