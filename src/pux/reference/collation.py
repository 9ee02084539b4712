"""Names sorted the way readers of each UN language expect, not by code point or by English name.

PUX sorts with the Unicode Collation Algorithm and its default table (DUCET, via the pure-Python
``pyuca`` package). That default already sorts accented Latin letters with their base letter (French
"Égypte" among the E names, not after "Z"), Cyrillic in Russian alphabetical order and Arabic in its
alphabetical order; Chinese names follow the UCA default (radical and stroke order of the
characters), as the brief for PUX allows. Ties are broken by the code, so the order is total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Protocol, TypeVar

import pyuca  # type: ignore[import-untyped]

from pux.i18n import get_language


class Named(Protocol):
    @property
    def iso3(self) -> str: ...

    def name(self, language: str | None = None) -> str: ...


T = TypeVar("T")
N = TypeVar("N", bound=Named)


@lru_cache(maxsize=1)
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


# Country, technique and area names in six languages, and the people's names on a page: a few thousand
# texts whose keys every form and list sorts by again on each request.
@lru_cache(maxsize=16_384)
def sort_key(text: str) -> tuple[int, ...]:
    """The UCA sort key of a text (comparable across calls)."""
    return tuple(_collator().sort_key(text))


def collated(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """``items`` sorted by the UCA order of the text ``key`` gives for each."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def sorted_countries(countries: Iterable[N], language: str | None = None) -> list[N]:
    """Countries by their name in ``language`` (default: the reader's), in that language's collation."""
    chosen = language or get_language()
    return sorted(countries, key=lambda country: (sort_key(country.name(chosen)), country.iso3))
