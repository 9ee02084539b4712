"""What every browser walk does the same way: sign in, switch language through the header, and run a story
as steps that each run once and in order."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

import pytest
from playwright.sync_api import expect

from tests.world import PASSWORD


class Story(Protocol):
    done: dict[str, Any]
    started: set[str]


S = TypeVar("S", bound=Story)
T = TypeVar("T")


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def switch_language(page: Any, autonym: str) -> None:
    """The header's language link, as a person would use it (kept in a cookie)."""
    link = page.locator("nav.languages").get_by_role("link", name=autonym, exact=True)
    code = link.get_attribute("lang")
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def step(method: Callable[[S], T]) -> Callable[[S], T]:
    """A step runs once per module; a later step that needs it runs it first (or fails if it failed)."""

    @wraps(method)
    def run(self: S) -> T:
        name = method.__name__
        if name in self.done:
            return self.done[name]  # type: ignore[no-any-return]
        if name in self.started:
            pytest.fail(f"an earlier step of the story failed: {name}")
        self.started.add(name)
        result = method(self)
        self.done[name] = result
        return result

    return run
