"""Languages, the active-language context and gettext lookups.

The active language lives in a ContextVar set per request (or per CLI command), so concurrent
requests never share a translation. Catalogues are the committed ``.po`` files, parsed once.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, format_decimal, parse_pattern

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
# Each language named in itself, for the language switcher.
LANGUAGE_AUTONYMS = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_active_language: ContextVar[str] = ContextVar("pux_language", default=DEFAULT_LANGUAGE)


class CatalogueTranslations(stdlib_gettext.NullTranslations):
    """Translations read straight from a ``.po`` file (no compiled ``.mo`` to keep in step)."""

    def __init__(
        self, messages: dict[str, str], plurals: dict[str, tuple[str, ...]], plural_rule: str
    ) -> None:
        super().__init__()
        self._messages = messages
        self._plurals = plurals
        self._plural_index = stdlib_gettext.c2py(plural_rule)

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        if not forms:
            return msgid1 if n == 1 else msgid2
        index = min(self._plural_index(n), len(forms) - 1)
        return forms[index] or (msgid1 if n == 1 else msgid2)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations_for(language: str) -> CatalogueTranslations:
    """The parsed catalogue of ``language`` (cached for the life of the process)."""
    path = catalogue_path(language)
    if not path.exists():
        return CatalogueTranslations({}, {}, "n != 1")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple) and isinstance(message.string, tuple | list):
            plurals[str(message.id[0])] = tuple(str(form) for form in message.string)
        elif isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            messages[message.id] = message.string
    plural_rule = catalog.plural_expr or "n != 1"
    return CatalogueTranslations(messages, plurals, plural_rule)


def normalise_language(code: str | None) -> str | None:
    """``'fr-CA'`` -> ``'fr'``; ``'zh-Hans-CN'`` -> ``'zh'``; unknown -> None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def language_from_accept_header(header: str | None) -> str | None:
    """The best supported language in an Accept-Language header, honouring q-values."""
    if not header:
        return None
    candidates: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = normalise_language(pieces[0])
        if language and quality > 0:
            candidates.append((-quality, position, language))
    return min(candidates)[2] if candidates else None


def choose_language(explicit: str | None, accept_header: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """The user's explicit choice, else the browser's preference, else ``fallback`` (the installation's
    default language)."""
    return normalise_language(explicit) or language_from_accept_header(accept_header) or fallback


def get_language() -> str:
    return _active_language.get()


def text_direction(language: str | None = None) -> str:
    return "rtl" if (language or get_language()) in RIGHT_TO_LEFT else "ltr"


@contextmanager
def language_context(language: str) -> Iterator[None]:
    """Run a block with ``language`` active (used by middleware, CLI and tests)."""
    token = _active_language.set(normalise_language(language) or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _active_language.reset(token)


def gettext(message: str) -> str:
    return translations_for(get_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations_for(get_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for the catalogues without translating it now (it is stored, and translated
    when shown, in the reader's language)."""
    return message


# What stands between the items of a list of names in each language: Arabic writes its own comma, Chinese the
# enumeration comma (a Latin comma in either reads as a mistake).
LIST_SEPARATORS = {"ar": "\u060c ", "zh": "\u3001"}


def listed(items: Iterable[object], language: str | None = None) -> str:
    """The items written as a list in ``language`` (the active language's by default), without "and"."""
    separator = LIST_SEPARATORS.get(language or get_language(), ", ")
    return separator.join(str(item) for item in items)


def number_text(value: float | int | None, digits: int = 1) -> str:
    """A figure in the active language's notation; None stays visibly missing. Large figures are written
    whole unless two or more decimals are asked for (amounts of money: a fare of 1,250.50 was shown 1,250
    while the record held the cents). A figure between -1 and 1 keeps two significant digits, so that no
    figure other than 0 is written 0 (Madagascar's research spending, 0.01275 % of GDP, read "0 %")."""
    if value is None:
        return "—"
    if float(value).is_integer():
        pattern = "#,##0"
    elif abs(value) < 1:
        pattern = _small_number_pattern(float(value), digits)
    elif digits >= 2:
        pattern = f"#,##0.{'0' * digits}"
    elif abs(value) >= 1000:
        pattern = "#,##0"
    else:
        pattern = f"#,##0.{'#' * digits}"
    return decimal_text(value, pattern)


def _small_number_pattern(value: float, digits: int) -> str:
    """The pattern of a figure between -1 and 1 (not 0): ``digits`` decimals, or more when needed for two
    significant digits (0.01275 -> 0.013); amounts (two or more digits) keep their fixed decimals."""
    significant = 1 - math.floor(math.log10(abs(value)))  # the decimals that hold two significant digits
    fixed = digits if digits >= 2 else 0
    return f"#,##0.{'0' * fixed}{'#' * max(significant - fixed, digits - fixed, 0)}"


# Babel's names of the languages' locales (Chinese is written in simplified characters here).
BABEL_LOCALES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "zh": "zh_Hans", "ru": "ru"}


def decimal_text(value: float, pattern: str, language: str | None = None) -> str:
    """``value`` written with a CLDR number ``pattern`` (such as "#,##0.##") in ``language``'s notation
    (the active language's by default)."""
    return format_decimal(
        value, format=_number_pattern(pattern), locale=_babel_locale(language or get_language())
    )


# Babel parses a locale and a pattern again on each call: on a page of 200 figures that was a tenth of
# its time. Both are immutable, and there are six languages and a handful of patterns.
@lru_cache(maxsize=len(LANGUAGES))
def _babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


@lru_cache(maxsize=32)
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


_ = gettext
