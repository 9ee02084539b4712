"""Walking a rendered brief: its figures with their sources and years, and the text that holds digits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# A year, a range of years, or a day (the period that current assistance is counted on).
YEAR = re.compile(r"^\d{4}(-\d{2}-\d{2})?([-–]\d{4}(-\d{2}-\d{2})?)?$")
# Where digits may stand that are not figures: names and titles as written, references, dates, the stamp,
# and the figures and their citations themselves.
TEXT_CLASSES = frozenset(
    {
        "fig",
        "src",
        "stamp",
        "ref",
        "date",
        "title",
        "name",
        "code",
        "claim",
        "summary",
        "fact",
        "citation",
        "unit",
    }
)
VOID = frozenset({"br", "meta", "link", "img", "input", "hr", "source", "col", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def ancestors(self) -> list[Element]:
        found, node = [], self
        while node is not None:
            found.append(node)
            node = node.parent  # type: ignore[assignment]
        return found

    def find_all(self, predicate) -> list[Element]:  # type: ignore[no-untyped-def]
        found = [self] if predicate(self) else []
        for child in self.children:
            if isinstance(child, Element):
                found += child.find_all(predicate)
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root
        self.texts: list[tuple[str, Element]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)
        if self.current.tag not in {"style", "script", "title"}:
            self.texts.append((data, self.current))


def parse(html: str) -> tuple[Element, list[tuple[str, Element]]]:
    builder = _Builder()
    builder.feed(html)
    return builder.root, builder.texts


def brief_root(root: Element) -> Element:
    """The brief itself (a page holds it inside its header and footer)."""
    found = root.find_all(lambda e: "brief" in e.classes)
    assert found, "no element of class 'brief'"
    return found[0]


def figures(root: Element) -> list[Element]:
    return root.find_all(lambda e: "fig" in e.classes)


ROWS = frozenset({"tr", "li", "p", "dd"})


def row_citations(figure: Element) -> list[Element]:
    """The [source, year] marks of the row (table row, list item, paragraph) a figure stands in."""
    row = next((node for node in figure.ancestors() if node.tag in ROWS), None)
    assert row is not None, f"figure {figure.text()!r} stands in no row"
    return row.find_all(lambda e: "src" in e.classes)


def unexplained_digits(root: Element, texts: list[tuple[str, Element]]) -> list[str]:
    """Text holding a digit outside any figure, citation, name, date or reference: a figure without its
    source would show up here."""
    inside = set(map(id, root.find_all(lambda e: True)))
    problems = []
    for data, element in texts:
        if id(element) not in inside or not re.search(r"\d", data):
            continue
        if not any(TEXT_CLASSES & node.classes for node in element.ancestors()):
            problems.append(data.strip())
    return problems
