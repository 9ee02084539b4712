"""Languages: catalogue headers and completeness, every plural form, placeholders, language choice."""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from pux.i18n import (
    BABEL_LOCALES,
    LANGUAGES,
    catalogue_path,
    choose_language,
    decimal_text,
    gettext,
    language_context,
    listed,
    ngettext,
)

SOURCE = Path(__file__).resolve().parents[1] / "src" / "pux"
METHOD_MAP = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# The header is the entry with an empty msgid, first in the file.
HEADER = re.compile(r'^msgid ""\nmsgstr ""\n((?:".*"\n)+)', re.MULTILINE)
PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
# Counts on which two plural rules must agree: every residue that CLDR rules look at, and large round numbers.
SAMPLE_COUNTS = [*range(0, 250), 1000, 1001, 10_000, 100_000, 1_000_000, 1_000_001, 2_000_000, 10**9]


def _messages_in_source() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(SOURCE), METHOD_MAP, options_map=OPTIONS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    messages = _messages_in_source()
    assert len(messages) > 50
    return messages


@cache
def _catalogue(language: str) -> Catalog:
    # abort_invalid: a plural message with more forms than the header's nplurals is an error, not a warning.
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, abort_invalid=True)


def _header_fields(language: str) -> dict[str, str]:
    text = catalogue_path(language).read_text(encoding="utf-8")
    match = HEADER.search(text)
    assert match and match.start() == text.index("msgid "), f"{language}: the catalogue has no header entry"
    body = "".join(ast.literal_eval(line) for line in match.group(1).splitlines())
    fields = {}
    for line in body.splitlines():
        name, separator, value = line.partition(":")
        if separator:
            fields[name.strip()] = value.strip()
    return fields


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def _placeholders(*texts: str) -> set[str]:
    return {placeholder for text in texts for placeholder in PLACEHOLDER.findall(text)}


def _plural_messages(language: str) -> list[Message]:
    return [message for message in _catalogue(language) if message.id and message.pluralizable]


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_states_language_encoding_and_babels_plural_rule(language: str) -> None:
    fields = _header_fields(language)
    assert fields.get("Language") == language
    assert fields.get("Content-Type", "").replace(" ", "").lower() == "text/plain;charset=utf-8"
    match = PLURAL_FORMS.fullmatch(fields.get("Plural-Forms", ""))
    assert match, f"{language}: Plural-Forms header missing or malformed: {fields.get('Plural-Forms')!r}"
    babel_rule = get_plural(language)
    assert int(match.group(1)) == babel_rule.num_plurals, (language, match.group(1), str(babel_rule))
    header_index = stdlib_gettext.c2py(match.group(2))
    babel_index = stdlib_gettext.c2py(babel_rule.plural_expr)
    disagreements = [n for n in SAMPLE_COUNTS if header_index(n) != babel_index(n)]
    assert not disagreements, (
        f"{language}: header and Babel ({babel_rule}) differ at n = {disagreements[:10]}"
    )
    assert _catalogue(language).num_plurals == babel_rule.num_plurals


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_string_of_the_source(language: str, source_messages: set[str]) -> None:
    translated = set()
    untranslated = []
    for message in _catalogue(language):
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if not message.fuzzy and all(_forms(message)):
            translated.add(key)
        else:
            untranslated.append(key)
    assert not untranslated, f"{language}: {len(untranslated)} empty or fuzzy, e.g. {untranslated[:5]}"
    missing = sorted(source_messages - translated)
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]} (run make messages)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_message_has_every_form_of_the_language(language: str) -> None:
    nplurals = get_plural(language).num_plurals
    plural_messages = _plural_messages(language)
    assert plural_messages, f"{language}: no plural message in the catalogue"
    for message in plural_messages:
        forms = _forms(message)
        assert len(forms) == nplurals, (language, message.id, forms)
        assert all(form.strip() for form in forms), (language, message.id, forms)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_source(language: str) -> None:
    for message in _catalogue(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = _placeholders(*ids)
        for form in _forms(message):
            assert _placeholders(form) == expected, (language, ids[0], form)


# Gettext numbers the forms in CLDR's category order, keeping the categories the language has.
CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")


def _form_index(language: str, category: str) -> int:
    categories = set(Locale.parse(language).plural_form.tags) | {"other"}
    return [tag for tag in CATEGORY_ORDER if tag in categories].index(category)


class _Values(dict[str, object]):
    """The count, and a stand-in for any other value a plural message names (a currency, a name)."""

    def __missing__(self, key: str) -> str:
        return f"<{key}>"


@pytest.mark.parametrize(
    ("language", "count", "category"),
    [
        ("fr", 1, "one"),
        ("fr", 2, "other"),
        ("fr", 1_000_000, "many"),
        ("fr", 0, "one"),
        ("es", 1, "one"),
        ("es", 2, "other"),
        ("es", 1_000_000, "many"),
        ("es", 0, "other"),
        ("ar", 0, "zero"),
        ("ar", 1, "one"),
        ("ar", 2, "two"),
        ("ar", 3, "few"),
        ("ar", 11, "many"),
        ("ar", 100, "other"),
        ("ru", 21, "one"),
        ("ru", 3, "few"),
        ("ru", 11, "many"),
        ("zh", 7, "other"),
        ("en", 1, "one"),
        ("en", 1_000_000, "other"),
    ],
)
def test_ngettext_renders_the_catalogue_form_of_the_count(language: str, count: int, category: str) -> None:
    assert Locale.parse(language).plural_form(count) == category
    index = _form_index(language, category)
    values = _Values(num=count)
    for message in _plural_messages(language):
        singular, plural = str(message.id[0]), str(message.id[1])
        with language_context(language):
            rendered = ngettext(singular, plural, count) % values
        assert rendered == _forms(message)[index] % values, (language, count, rendered)
        assert str(count) in rendered


@pytest.mark.parametrize("language", ["fr", "es"])
def test_french_and_spanish_use_three_distinct_forms(language: str) -> None:
    for message in _plural_messages(language):
        assert len(set(_forms(message))) == 3, (language, message.id, _forms(message))


def test_translations_are_used_per_active_language() -> None:
    with language_context("fr"):
        french = gettext("Countries and areas")
    with language_context("ar"):
        arabic = gettext("Countries and areas")
    assert french != "Countries and areas" and arabic != french
    assert gettext("Countries and areas") == "Countries and areas"  # outside any context: English


def test_plural_forms_follow_the_language_rules() -> None:
    with language_context("ru"):
        forms = {ngettext("%(num)d country or area", "%(num)d countries and areas", n) for n in (1, 3, 5)}
    assert len(forms) == 3  # Russian has three plural forms


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        ("ar", "fr-FR,fr;q=0.9", "ar"),
        (None, "de-DE,de;q=0.9,es;q=0.8,en;q=0.5", "es"),
        (None, "en;q=0.2, zh-Hans-CN;q=0.9", "zh"),
        (None, "de", "en"),
        ("xx", None, "en"),
        (None, None, "en"),
        (None, "ru;q=0", "en"),
    ],
)
def test_language_choice_order(cookie: str | None, header: str | None, expected: str) -> None:
    assert choose_language(cookie, header) == expected


NOTATIONS = {  # 12,345.5 and a quarter as readers of each language write them
    "en": ("12,345.5", "0.25"),
    "fr": ("12\u202f345,5", "0,25"),
    "es": ("12.345,5", "0,25"),
    "ar": ("12,345.5", "0.25"),
    "zh": ("12,345.5", "0.25"),
    "ru": ("12\xa0345,5", "0,25"),
}


def test_figures_are_written_in_the_notation_of_the_active_language() -> None:
    # Each language twice, interleaved: the kept locales and patterns must not carry one reader's
    # notation into another's page.
    for language in [*NOTATIONS, *reversed(NOTATIONS)]:
        with language_context(language):
            assert (decimal_text(12345.5, "#,##0.#"), decimal_text(0.25, "#,##0.##")) == NOTATIONS[language]
        assert decimal_text(12345, "#,##0", language) == NOTATIONS[language][0][:-2]


# Figures of every type a page writes, and equal values of one type written differently (a cost read
# from the database as 1250.00, a typed 1250.5): the kept texts must be babel's for each of them.
WRITTEN_FIGURES = (
    0, 7, 1250, -3, 1250.5, 0.01275, -0.5, 1e9, 2.5e-7,
    Decimal("1250.00"), Decimal("1250"), Decimal("1250.5"), Decimal("1250.50"), Decimal("-0.010"),
    1250.0, 0.0,
)  # fmt: skip
WRITTEN_PATTERNS = ("#,##0", "#,##0.##", "#,##0.00", "#,##0.######", "#,##0.0##")


def test_kept_figure_texts_are_babels_for_every_type_pattern_and_language() -> None:
    for _ in range(2):  # the second time from what was kept
        for language in NOTATIONS:
            locale = Locale.parse(BABEL_LOCALES[language])
            for pattern in WRITTEN_PATTERNS:
                for value in WRITTEN_FIGURES:
                    expected = format_decimal(value, format=pattern, locale=locale)
                    assert decimal_text(value, pattern, language) == expected, (value, pattern, language)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Kenya, Uganda"),
        ("fr", "Kenya, Uganda"),
        ("ar", "Kenya\u060c Uganda"),
        ("zh", "Kenya\u3001Uganda"),
    ],
)
def test_lists_of_names_are_written_with_the_languages_own_comma(language: str, expected: str) -> None:
    assert listed(["Kenya", "Uganda"], language) == expected
    with language_context(language):
        assert listed(["Kenya", "Uganda"]) == expected
    assert listed([], language) == ""
