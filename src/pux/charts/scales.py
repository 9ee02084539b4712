"""Colour scales that people with the common colour-vision deficiencies can read.

The palettes are matplotlib's viridis and cividis (perceptually uniform, readable in greyscale and with
red-green deficiencies), sampled at nine points and interpolated; low values are light, high values dark.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# Nine evenly spaced samples of each palette, dark to light (matplotlib's colormaps, BSD-style licence).
PALETTES: dict[str, tuple[str, ...]] = {
    "viridis": (
        "#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725",
    ),
    "cividis": (
        "#00224e", "#1a386f", "#434e6c", "#61656f", "#7d7c78", "#9b9476", "#bcae6c", "#dec958", "#fee838",
    ),
}  # fmt: skip
# Categorical colours for series (Okabe and Ito's palette, chosen to be told apart with colour blindness).
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
NO_DATA_FILL = "#e6e6e6"
NO_DATA_HATCH = "#8c8c8c"


@dataclass(frozen=True)
class ColourClass:
    """Values above the previous class's ``upper`` and up to this ``upper`` (the first class: from
    ``lower``)."""

    lower: float
    upper: float
    colour: str


@dataclass(frozen=True)
class ColourScale:
    classes: tuple[ColourClass, ...]

    def colour_of(self, value: float) -> str:
        for colour_class in self.classes:
            if value <= colour_class.upper:
                return colour_class.colour
        return self.classes[-1].colour


def palette_colours(name: str, count: int) -> list[str]:
    """``count`` colours from light (low values) to dark (high values)."""
    anchors = [_rgb(colour) for colour in reversed(PALETTES[name])]
    if count == 1:
        return [_hex(anchors[len(anchors) // 2])]
    colours = []
    for index in range(count):
        position = index / (count - 1) * (len(anchors) - 1)
        below = min(int(position), len(anchors) - 2)
        share = position - below
        mixed = tuple(a + (b - a) * share for a, b in zip(anchors[below], anchors[below + 1], strict=True))
        colours.append(_hex(mixed))
    return colours


def quantile_scale(
    values: Iterable[float], *, steps: int = 5, palette: str = "viridis"
) -> ColourScale | None:
    """Classes holding about equal numbers of countries, their limits rounded to three significant digits;
    None when there is no value at all."""
    ordered = sorted(value for value in values if not math.isnan(value))
    if not ordered:
        return None
    distinct = sorted(set(ordered))
    if len(distinct) <= steps:
        uppers = distinct
    else:
        uppers = []
        for step in range(1, steps):
            limit = _round_significant(ordered[min(len(ordered) - 1, step * len(ordered) // steps)])
            if (not uppers or limit > uppers[-1]) and limit < ordered[-1]:
                uppers.append(limit)
        uppers.append(ordered[-1])
    colours = palette_colours(palette, len(uppers))
    lowers = [ordered[0], *uppers[:-1]]
    return ColourScale(
        tuple(
            ColourClass(lower, upper, colour)
            for lower, upper, colour in zip(lowers, uppers, colours, strict=True)
        )
    )


def _round_significant(value: float, digits: int = 3) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def _rgb(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)
