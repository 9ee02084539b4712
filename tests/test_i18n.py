"""Languages: catalogue completeness, placeholders, language choice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pux.i18n import LANGUAGES, choose_language, gettext, language_context, ngettext

SOURCE = Path(__file__).resolve().parents[1] / "src" / "pux"
METHOD_MAP = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_string_of_the_source(language: str, source_messages: set[str]) -> None:
    path = SOURCE / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated[key] = strings
    missing = sorted(source_messages - translated.keys())
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]} (run make messages)"
    for key, strings in translated.items():
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(key)) | {"num"}, (
                language,
                key,
            )


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
