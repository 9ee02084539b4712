"""A wrong value in a page's address is named as the page's form names it, in the reader's language, never
by the parameter's name ("page", "start", "indicator")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pux.config import Settings
from pux.web.app import create_app
from pux.web.field_labels import field_label

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("language", "address", "named", "parameter"),
    [
        ("ar", "/needs?page=abc", "الصفحة", "page"),
        ("ar", "/gaps?start=2026-99-99", "من", "start"),
        ("zh", "/gaps?start=2026-99-99", "自", "start"),
        ("ar", "/map?indicator=zzz", "المؤشر", "indicator"),
        ("zh", "/map?indicator=zzz", "指标", "indicator"),
        ("fr", "/unfunded?sort=zzz", "Ordre", "sort"),
    ],
)
def test_a_wrong_value_in_the_address_names_its_field(
    live_server: str, browser: Any, language: str, address: str, named: str, parameter: str
) -> None:
    context = browser.new_context(locale=language)
    context.add_cookies([{"name": "pux_lang", "value": language, "url": live_server}])
    page = context.new_page()
    answer = page.goto(f"{live_server}{address}")
    text = page.locator("main").inner_text()
    context.close()
    assert answer is not None and answer.status == 422
    # The sentence about the address ends with the field's name ("…: المؤشر.", "…：自。").
    assert any(line.strip().rstrip(".。").endswith(named) for line in text.splitlines()), text
    assert parameter not in text, text


def _query_parameters(dependant: Any) -> Iterator[str]:
    for parameter in dependant.query_params:
        yield parameter.alias or parameter.name
    for dependency in dependant.dependencies:
        yield from _query_parameters(dependency)


def test_every_query_parameter_has_a_label(settings: Settings) -> None:
    app = create_app(settings)
    unlabelled: dict[str, str] = {}
    for included in app.routes:
        router = getattr(included, "original_router", included)
        for route in getattr(router, "routes", [included]):
            if getattr(route, "dependant", None) is None:
                continue
            for name in _query_parameters(route.dependant):
                if field_label(name) == name:
                    unlabelled.setdefault(name, route.path)
    app.state.engine.dispose()
    assert unlabelled == {}, unlabelled
