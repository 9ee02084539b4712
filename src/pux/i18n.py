"""Languages, the active-language context and gettext lookups.

The active language lives in a ContextVar set per request (or per CLI command), so concurrent
requests never share a translation. Catalogues are the committed ``.po`` files, parsed once.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import (
    NumberFormatError,
    NumberPattern,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
    parse_pattern,
)

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
    return _written(value, pattern, language or get_language())


# Babel writes a figure in 20-40 microseconds: on a gap page of a few hundred figures, a third of its
# rendering. The same figures are shown again and again (every reader of a page sees the same ones until
# the data change), and the text depends only on the value, its type, the pattern and the language.
@lru_cache(maxsize=16_384, typed=True)
def _written(value: float, pattern: str, language: str) -> str:
    return format_decimal(value, format=_number_pattern(pattern), locale=_babel_locale(language))


# Babel parses a locale and a pattern again on each call: on a page of 200 figures that was a tenth of
# its time. Both are immutable, and there are six languages and a handful of patterns.
@lru_cache(maxsize=len(LANGUAGES))
def _babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


@lru_cache(maxsize=32)
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


# Spaces people and pages put between groups of digits: plain, no-break (Russian), narrow no-break (French)
# and thin. None of them is ever a decimal mark, so each may stand for the page's own group separator.
DIGIT_GROUP_SPACES = " \u00a0\u202f\u2009"
# Marks other scripts write in numbers: the minus sign, and the full-width point and comma a Chinese
# keyboard types (the Arabic decimal and group marks stand for the page's own, see read_number).
_OTHER_MARKS = {ord("\u2212"): "-", ord("\uff0e"): ".", ord("\uff0c"): ","}
# A number whose one mark could separate thousands in one language and decimals in another ("1,250",
# "1.250"): one to three figures, the mark, three figures.
_THOUSANDS_OR_DECIMALS = r"[-+]?[1-9]\d{{0,2}}\{mark}\d{{3}}"
# A number as the app itself writes one into a form's field (a stored amount shown again for editing:
# "1250000.50"), which no language's grouping could have written.
_PLAIN_DECIMAL = re.compile(r"[-+]?\d+\.\d+|[-+]?\d+")


class NumberRefused(ValueError):
    """A number as typed that cannot be read, or could be read two ways, in the page's language."""

    def __init__(self, text: str, *, ambiguous: bool = False) -> None:
        super().__init__(text)
        self.ambiguous = ambiguous


def read_number(text: str, language: str | None = None, *, amount: bool = False) -> Decimal:
    """``text`` read as a number written in ``language`` (the page's, by default): in any script's digits,
    with its decimal mark, and its group separator or any space between groups of three digits
    ("1 500 000,50" in French, "1,500,000.50" in English); or plainly as the app writes a stored figure
    into a form ("1500000.50"). Refused (NumberRefused) rather than guessed: a mark the language uses for
    neither decimals nor groups followed by exactly three digits ("1.500" on a French page: 1.5 or 1500?),
    or anything else that is not a number written the language's way ("1500000,50" on an English page).

    An ``amount`` (money, a rate) is also refused when its decimal mark is followed by exactly three
    digits after one to three others ("1,250" on a French page, "1.250" on an English one): that is how
    another language writes 1250, reading it as 1.25 would be a thousandfold error, and amounts are shown
    with two decimals, so refusing costs a person one retyping. The page's own group separator in the same
    place ("1,250" on an English page) is read as thousands: that is how the page itself writes 1250."""
    language = language or get_language()
    locale = _babel_locale(language)
    decimal_mark, group = get_decimal_symbol(locale), get_group_symbol(locale)
    typed = text
    text = _western_figures(text.strip()).replace("\u066b", decimal_mark).replace("\u066c", group)
    for space in DIGIT_GROUP_SPACES:
        text = text.replace(space, group)
    if _could_be_thousands(text, decimal_mark, group, amount=amount):
        raise NumberRefused(typed, ambiguous=True)
    try:
        number = parse_decimal(text, locale=locale, strict=True)
    except (NumberFormatError, ValueError, ArithmeticError):
        number = _plain_decimal(text, typed)
    if not number.is_finite():
        raise NumberRefused(typed)
    return number


def ascii_digits(text: str) -> str:
    """``text`` with every script's digits as ASCII ones (Arabic-Indic, Persian, full-width...)."""
    return "".join(
        str(digit) if (digit := unicodedata.decimal(character, None)) is not None else character
        for character in text
    )


def _western_figures(text: str) -> str:
    return ascii_digits(text.translate(_OTHER_MARKS))


def _could_be_thousands(text: str, decimal_mark: str, group: str, *, amount: bool) -> bool:
    for mark in ".,":
        # A mark this language uses for neither decimals nor groups: a decimal mark as written elsewhere,
        # or a group separator as written elsewhere. For an amount, the language's own decimal mark too.
        doubtful = mark not in (decimal_mark, group) or (amount and mark == decimal_mark)
        if doubtful and re.fullmatch(_THOUSANDS_OR_DECIMALS.format(mark=mark), text):
            return True
    return False


def _plain_decimal(text: str, typed: str) -> Decimal:
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise NumberRefused(typed)
    return Decimal(text)


_ = gettext
