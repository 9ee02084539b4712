"""Text drawn as outlines, for SVG that a renderer without complex text layout must still show right.

WeasyPrint draws SVG ``<text>`` one code point at a time, so Arabic letters would lose their joined forms in
a PDF. matplotlib (3.11, through libraqm) shapes and orders the text itself; its outlines are then exact in
any renderer. Browsers shape SVG text well, so pages keep real text and only print output asks for outlines.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

TextMode = Literal["text", "paths"]
# Fonts tried in turn for each character; the first ones that are installed are used.
PREFERRED_FONTS = ("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans")


@lru_cache(maxsize=1)
def installed_fonts() -> tuple[str, ...]:
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in PREFERRED_FONTS if name in installed) or ("DejaVu Sans",)


@lru_cache(maxsize=4096)
def text_outline(text: str, size: float, bold: bool = False) -> tuple[str, float]:
    """SVG path data of ``text`` set at ``size`` with its baseline at y = 0 and its start at x = 0, and its
    advance width (so the caller can anchor it at its start or its end)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    properties = FontProperties(
        family=list(installed_fonts()), size=size, weight="bold" if bold else "normal"
    )
    outline = TextPath((0, 0), text, size=size, prop=properties)
    letters = {Path.MOVETO: "M", Path.LINETO: "L", Path.CURVE3: "Q", Path.CURVE4: "C"}
    commands = []
    for vertices, code in outline.iter_segments(simplify=False, curves=True):
        if code == Path.CLOSEPOLY:
            commands.append("Z")
            continue
        points = vertices.reshape(-1, 2)
        # SVG's y axis points down.
        commands.append(letters[code] + " ".join(f"{x:.2f} {-y:.2f}" for x, y in points))
    extents = outline.get_extents()
    width = float(extents.x1) if len(outline.vertices) else 0.0
    return "".join(commands), width
