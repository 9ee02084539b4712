"""Values put into the templates' sentences are set apart from them in right-to-left pages (Unicode first
strong isolate ... pop isolate): a Latin name ending in figures or punctuation inside an Arabic sentence
otherwise carried the sentence's own punctuation to the wrong side."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pux.i18n import language_context
from pux.web.middleware import LANGUAGE_COOKIE
from pux.web.templating import ISOLATE_END, ISOLATE_START, build_templates

SENTENCE = '{{ _("Search: %(query)s", query=q) }}|{{ _("100%% of %(n)s", n=count) }}'


def _rendered(language: str, query: str) -> str:
    template = build_templates().env.from_string(SENTENCE)
    with language_context(language):
        return template.render(q=query, count=3)


def test_texts_are_isolated_in_arabic_and_left_alone_in_english() -> None:
    arabic = _rendered("ar", "Programme B (2026)")
    assert f"{ISOLATE_START}Programme B (2026){ISOLATE_END}" in arabic
    assert "100% of 3" in arabic.split("|")[1]  # figures are not isolated; %% still writes one %
    english = _rendered("en", "Programme B (2026)")
    assert ISOLATE_START not in english and "Search: Programme B (2026)" in english


def test_an_isolated_value_is_still_escaped() -> None:
    assert f"{ISOLATE_START}&lt;b&gt;x&lt;/b&gt;{ISOLATE_END}" in _rendered("ar", "<b>x</b>")


def test_the_arabic_search_page_sets_the_query_apart_in_its_title(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "ar")
    try:
        page = client.get("/search", params={"q": "Programme B (2026)"})
    finally:
        client.cookies.delete(LANGUAGE_COOKIE)
    assert page.status_code == 200
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert f"{ISOLATE_START}Programme B (2026){ISOLATE_END}" in title
