"""Turning a brief's printable HTML into PDF, behind a small interface (WeasyPrint is the one adapter).

The document is tagged for accessibility (PDF/UA-1: structure tree, language, title shown), and WeasyPrint
embeds a subset of every font it draws with. The fonts are Debian's Noto families (fonts-noto-core for Latin,
Cyrillic and Arabic, fonts-noto-cjk for Chinese), named in the print style sheet; nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class PdfDocument:
    """A document laid out in pages, its PDF written when first asked for: writing is half the cost of a
    render, and a brief past its page budget is laid out several times to be printed once."""

    def __init__(
        self,
        *,
        pages: int,
        filled: tuple[float, ...] = (),
        content: bytes | None = None,
        write: Callable[[], bytes] | None = None,
    ) -> None:
        if content is None and write is None:
            raise ValueError("a document needs its content or a way to write it")
        self.pages = pages
        # How far down each page the text reached, as a share of the page's text area (0 to 1); empty when
        # the renderer cannot tell. With it a brief past its page budget knows by how much.
        self.filled = filled
        self._content = content
        self._write = write

    @property
    def content(self) -> bytes:
        if self._content is None:
            assert self._write is not None  # one of the two is given (see __init__)
            self._content, self._write = self._write(), None  # the layout is not needed any more
        return self._content

    @property
    def length(self) -> float:
        """The document's length in pages, its last page counted as far as its text reached."""
        if len(self.filled) != self.pages or not self.pages:
            return float(self.pages)
        return self.pages - 1 + self.filled[-1]


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
        filled = tuple(_filled(page._page_box) for page in document.pages)

        def write() -> bytes:
            content = document.write_pdf(pdf_variant=self.variant, finisher=_comment_after_header)
            assert content is not None  # write_pdf returns bytes when no target is given
            return bytes(content)

        return PdfDocument(pages=len(document.pages), filled=filled, write=write)


# A comment line after the PDF header, so that the file's first bytes read as a PDF's and not as markup.
# Link checkers and crawlers commonly take a body with "<" near its start for HTML and parse it: here the
# first object's "<<" would otherwise come 24 bytes in, and the compressed bytes after it can hold "<![",
# which stops Python's HTML parser with an error.
HEADER_COMMENT = b"% Peaceful Uses Exchange (PUX) brief, tagged PDF (PDF/UA-1)"


def _comment_after_header(_document: Any, pdf: Any) -> None:  # WeasyPrint's document and pydyf's PDF
    """Makes the PDF write HEADER_COMMENT right after its header lines.

    It goes through the PDF's own line writer, which counts every byte it writes: the objects' offsets in
    the cross-reference table stay exact. The header's second line is the comment of high bytes that marks
    the file as binary; ours comes after it."""
    write_line = pdf.write_line
    commented = False

    def write_line_then_comment(content: bytes, output: Any) -> None:
        nonlocal commented
        write_line(content, output)
        if not commented and content.startswith(b"%") and not content.startswith(b"%PDF-"):
            commented = True
            write_line(HEADER_COMMENT, output)

    pdf.write_line = write_line_then_comment


def _filled(page_box: Any) -> float:  # WeasyPrint's page box (the library has no types)
    """How far down the page's text area its lines and pictures reach (the footer's margin boxes aside)."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ReplacedBox  # type: ignore[import-untyped]

    top, height = float(page_box.content_box_y()), float(page_box.height)
    bottoms = [
        float(box.position_y + box.margin_height())
        for flow in page_box.children
        if not isinstance(flow, MarginBox)
        for box in flow.descendants()
        if isinstance(box, LineBox | ReplacedBox)
    ]
    if not bottoms or height <= 0:
        return 0.0
    return min(1.0, max(0.0, (max(bottoms) - top) / height))


def _refuse_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """A brief embeds everything it shows; nothing is fetched (no network at run time, no local files)."""
    raise ValueError(f"briefs fetch no resources: {url[:80]}")


def default_renderer() -> PdfRenderer:
    return WeasyPrintRenderer()
