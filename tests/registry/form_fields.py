"""What an edit form page would send if its person pressed Save again: each field's shown value, read the
way a browser reads the form (typed text, chosen options, ticked boxes), to check a form shown again
kept what was typed."""

from __future__ import annotations

from lxml import html


def sent_again(text: str) -> dict[str, list[str]]:
    """The values of the page's main form (class="form"), as a browser would post them."""
    forms = html.fromstring(text).xpath("//form[contains(concat(' ', @class, ' '), ' form ')]")
    assert forms, "no edit form on the page"
    values: dict[str, list[str]] = {}
    for name, value in forms[0].form_values():
        values.setdefault(name, []).append(value)
    return values


def field_error(text: str, field: str) -> str:
    """The problem shown beside ``field`` (empty when none)."""
    found = html.fromstring(text).xpath(f"//*[@id='error-{field}']")
    return found[0].text_content().strip() if found else ""


def form_problem(text: str) -> str:
    """The problems summary at the top of the page, as one text."""
    found = html.fromstring(text).xpath("//*[contains(concat(' ', @class, ' '), ' problems ')]")
    return " ".join(found[0].text_content().split()) if found else ""
