"""The PDF of a country brief in each of the six languages, made by the real WeasyPrint: it opens, names the
country in the reader's language, embeds every font it uses, is tagged (PDF/UA-1), carries its data version,
and Arabic reads right to left. Page one of each goes to test-artifacts/briefs/ for a person to look at."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pytest
from sqlalchemy.orm import Session

from pux.briefs import service
from pux.briefs.views import printable_html
from pux.i18n import LANGUAGES, language_context
from pux.reference import repository as reference_repository
from tests.world import World

TODAY = date(2026, 12, 1)


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font the pages use, and whether its program is embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def _title_start(reader: pypdf.PdfReader, title: str) -> float:
    """Where (points from the page's left edge) the line holding the country's name starts."""
    starts: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if title in text:
            starts.append(tm[4] * cm[0] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    assert starts, f"{title!r} is not drawn on page one"
    return starts[0]


def _kenya_brief(session: Session, world: World) -> service.RenderedPdf:
    """Kenya's brief for the public, in the active language."""
    return service.pdf_brief(
        session,
        actor=world.actors["public"],
        kind="country",
        key="KEN",
        printable=printable_html,
        today=TODAY,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_brief_in_each_language(
    session: Session, world: World, artifacts_dir: Path, language: str
) -> None:
    kenya = reference_repository.get_country(session, "KEN")
    assert kenya is not None
    with language_context(language):
        rendered = _kenya_brief(session, world)
    assert rendered.content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages and 2 <= rendered.pages <= 4
    text = "\n".join(page.extract_text() for page in reader.pages)
    name = kenya.name(language)
    assert name in text, f"the {language} brief does not name {name!r}"
    assert rendered.stamp.data_version in text
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), f"fonts not embedded: {[f for f, ok in fonts.items() if not ok]}"
    expected_family = {"ar": "Arabic", "zh": "CJK"}.get(language, "Noto-Sans")
    assert any(expected_family in font for font in fonts), fonts
    catalogue: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalogue and catalogue["/MarkInfo"]["/Marked"]
    assert str(catalogue["/Lang"]).startswith(language)
    width = float(reader.pages[0].mediabox.width)
    start = _title_start(reader, name)
    if language == "ar":
        assert start > width / 2, "the Arabic title should stand at the right of the page"
    else:
        assert start < width / 3, "the title should stand at the left of the page"
    folder = artifacts_dir / "briefs"
    folder.mkdir(exist_ok=True)
    page = pypdfium2.PdfDocument(rendered.content)[0]
    page.render(scale=1.5).to_pil().save(folder / f"country-KEN-{language}-page1.png")
    (folder / f"country-KEN-{language}.pdf").write_bytes(rendered.content)


def test_the_pdf_starts_as_a_pdf_and_its_offsets_stay_exact(session: Session, world: World) -> None:
    """Tools that guess a body's kind from its first bytes (link checkers, crawlers) take one with "<" near
    its start for HTML; a brief's first bytes are its header and a comment, and the comment written after
    the header leaves every object where the cross-reference table says it is."""
    rendered = _kenya_brief(session, world)
    head = rendered.content[:500]
    assert head.startswith(b"%PDF-1.7\n%"), head[:20]
    assert b"<" not in head[:64] and b"html" not in head.lower(), head
    reader = pypdf.PdfReader(io.BytesIO(rendered.content), strict=True)
    placed = [(number, offset) for numbers in reader.xref.values() for number, offset in numbers.items()]
    assert placed, "the PDF places no object outside object streams"
    for number, offset in placed:
        assert rendered.content[offset:].startswith(f"{number} 0 obj".encode()), (number, offset)
    assert len(reader.pages) == rendered.pages
