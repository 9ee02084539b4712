"""Markdown written by editors, rendered as safe HTML: markdown-it-py (CommonMark, raw HTML off) then nh3
(a small allowed set of tags and attributes; links get rel="nofollow noopener"; only http, https and
mailto links survive). Two locks, so a mistake in one is caught by the other."""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h2", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html=False: tags typed in the text are shown as text, never as markup.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text`` (Markdown); safe to put in a page as it is."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """``text`` (Markdown) as plain words, for search and snippets: the rendered HTML with every tag
    removed, so that link targets and emphasis marks are not taken for words."""
    words = nh3.clean(render_markdown(text), tags=set())
    return " ".join(html.unescape(words).split())
