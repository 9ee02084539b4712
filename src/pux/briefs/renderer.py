"""Turning a brief's printable HTML into PDF, behind a small interface (WeasyPrint is the one adapter).

The document is tagged for accessibility (PDF/UA-1: structure tree, language, title shown), and WeasyPrint
embeds a subset of every font it draws with. The fonts are Debian's Noto families (fonts-noto-core for Latin,
Cyrillic and Arabic, fonts-noto-cjk for Chinese), named in the print style sheet; nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PdfDocument:
    content: bytes
    pages: int


class PdfRenderer(Protocol):
    def render(self, html: str, *, title: str, language: str) -> PdfDocument:
        """The PDF of a complete HTML document (its style sheet inside it)."""
        ...


class WeasyPrintRenderer:
    """PDF/UA-1 documents made by WeasyPrint, with no access to anything outside the document."""

    variant = "pdf/ua-1"

    def render(self, html: str, *, title: str, language: str) -> PdfDocument:
        # Imported on first use: loading pango takes a moment that the pages do not need.
        import weasyprint  # type: ignore[import-untyped]

        document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetching).render()
        content = document.write_pdf(pdf_variant=self.variant)
        assert content is not None  # write_pdf returns bytes when no target is given
        return PdfDocument(content=content, pages=len(document.pages))


def _refuse_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """A brief embeds everything it shows; nothing is fetched (no network at run time, no local files)."""
    raise ValueError(f"briefs fetch no resources: {url[:80]}")


def default_renderer() -> PdfRenderer:
    return WeasyPrintRenderer()
