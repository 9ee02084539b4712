"""Which words of a text may be shown (and weighed) as evidence for a goal: topical words, not grammar.

The tagger's topical words were the lexicon entries rarer than one log-probability threshold of the
model's multilingual vocabulary. That threshold suits English, whose function words are among the
vocabulary's commonest pieces; Arabic, Chinese and Russian pieces are rarer across the board, so their
function words passed it: an Arabic text about weld inspection was shown "غير" (non-) and "لضمان" (to
ensure) as evidence for goal 8, a Chinese one "照" and "给". Three rules, per script, settle it
(``data/function_words.json`` holds PUX's own lists):

- a word of a language's function-word list is not topical (for Arabic, also with a conjunction,
  preposition or article glued in front: "وفي", "لغير", "بهذه");
- a letter word shorter than ``MIN_LETTERS`` is not topical ("of", "de", "на", "من");
- a single Han character is not topical unless it is a word of meaning on its own (水 water, 电 power):
  most are bound morphemes cut out of a longer word the lexicon lacks (照 of 照相) or particles (给, 的).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

FUNCTION_WORDS_FILE = "function_words.json"
MIN_LETTERS = 3
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Glued in front of an Arabic word: conjunctions, prepositions and the article, longest first.
_ARABIC_CLITICS = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "وب", "ول", "وك", "و", "ف", "ب", "ل", "ك")
# Spellings of alef with hamza and of final yā that writers use interchangeably ("إلى", "الى", "الي").
_ARABIC_SPELLINGS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})
_LATIN_LANGUAGES = ("en", "fr", "es")


def _arabic_form(word: str) -> str:
    return word.translate(_ARABIC_SPELLINGS)


@dataclass(frozen=True)
class FunctionWords:
    """Per language, its function words (lower case; Arabic in ``_arabic_form``), and the single Han
    characters that are words of meaning."""

    by_language: dict[str, frozenset[str]]
    single_han_words: frozenset[str]

    @classmethod
    def load(cls, data_dir: Path) -> FunctionWords:
        payload = json.loads((data_dir / FUNCTION_WORDS_FILE).read_text(encoding="utf-8"))
        by_language = {
            language: frozenset(
                _arabic_form(word) if language == "ar" else word.lower() for word in words.split()
            )
            for language, words in payload["function_words"].items()
        }
        return cls(by_language, frozenset(payload["single_han_words"].split()))

    def is_topical(self, word: str, language: str | None = None) -> bool:
        """Whether ``word`` (a lower-cased token of a text, or a lexicon word) may count as topical
        evidence in a text of ``language`` (None: any language of the word's script)."""
        if _HAN.fullmatch(word):
            if len(word) == 1:
                return word in self.single_han_words
            return word not in self.by_language.get("zh", frozenset())
        if len(word) < MIN_LETTERS:
            return False
        if _ARABIC.match(word):
            return not self._arabic_function_word(_arabic_form(word))
        return word not in self._list_for(word, language)

    def _arabic_function_word(self, word: str) -> bool:
        listed = self.by_language.get("ar", frozenset())
        if word in listed:
            return True
        return any(
            word.startswith(clitic) and len(word) - len(clitic) >= 2 and word[len(clitic) :] in listed
            for clitic in _ARABIC_CLITICS
        )

    def _list_for(self, word: str, language: str | None) -> frozenset[str]:
        if _CYRILLIC.match(word):
            return self.by_language.get("ru", frozenset())
        # French "car" (because) is English "car": a Latin word is read in the text's own language.
        if language in _LATIN_LANGUAGES:
            return self.by_language.get(language, frozenset())
        return frozenset().union(*(self.by_language.get(code, frozenset()) for code in _LATIN_LANGUAGES))
