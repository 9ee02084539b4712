"""Vendor the world map that PUX draws its choropleths on.

Usage:  python tools/vendor_world_topology.py PATH/TO/world-atlas-2.0.2.tgz
        (the npm package: ``npm pack world-atlas`` downloads it; an unpacked ``package/`` folder works too)

Reads ``countries-110m.json`` (and ``countries-50m.json``, then ``-10m``, for the small states the coarse
file leaves out) of the npm ``world-atlas`` package (ISC licence; geometry from Natural Earth, public
domain), projects it once with the Equal Earth projection (equal-area, so a large country does not look
more important than it is) and writes ``src/pux/charts/data/world.json``: one SVG path per ISO3 code, a
marker point per small state, and the view box. ISO 3166 numeric ids become ISO3 codes through PUX's M49 table
(``countries.csv``), so the map knows exactly the countries PUX knows. The licence is copied beside it.

Choices that follow UN map practice where the topology allows (also stated in DATA_SOURCES.md):
- areas Natural Earth draws without an ISO code (Kosovo, Northern Cyprus, Somaliland) are drawn within the
  M49 country they belong to (Serbia, Cyprus, Somalia), Taiwan within China (M49 lists no separate area);
- Western Sahara keeps its own outline as the non-self-governing territory it is in M49;
- Antarctica is left out (no figure PUX shows concerns it, and it would take a fifth of the map);
- areas that Natural Earth draws as part of their administering state (the French overseas departments,
  Tokelau, Bonaire, Svalbard, Christmas and Cocos Islands) have no outline of their own.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES_CSV = ROOT / "src" / "pux" / "reference" / "data" / "countries.csv"
OUT_DIR = ROOT / "src" / "pux" / "charts" / "data"
WIDTH = 1000.0
# One decimal on a 1,000-unit-wide map is finer than the 1:110m source (about a tenth of a degree).
PRECISION = 1
# Natural Earth names of the areas without an ISO id, and the M49 country UN maps draw them in.
DRAWN_WITHIN = {"Kosovo": "SRB", "N. Cyprus": "CYP", "Somaliland": "SOM"}
ISO_NUMERIC_WITHIN = {"158": "CHN"}
LEFT_OUT = {"010"}  # Antarctica

# Equal Earth (Šavrič, Patterson and Jenny, 2018): polynomial coefficients of the published projection.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = 2 * math.sqrt(3) * math.pi / (3 * A1)  # x at longitude 180, latitude 0
SCALE = WIDTH / (2 * X_MAX)

Point = tuple[float, float]


def equal_earth(longitude: float, latitude: float) -> Point:
    """Projected (x, y) in map units: x from 0 (longitude -180) to WIDTH, y downwards as SVG wants it, 0 on
    the equator (the view box says where the drawn land starts and ends)."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return (x + X_MAX) * SCALE, -y * SCALE


def decode_arcs(topology: dict[str, object]) -> list[list[tuple[float, float]]]:
    """The topology's arcs as longitude/latitude lists (TopoJSON stores quantised, delta-encoded steps)."""
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    raw_arcs = topology["arcs"]
    assert isinstance(raw_arcs, list)
    for raw in raw_arcs:
        x = y = 0
        points = []
        for dx, dy in raw:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs: list[list[Point]], indexes: Sequence[int]) -> list[Point]:
    """One closed ring from its arc indexes (a negative index ~i is arc i walked backwards)."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point.
        points.extend(arc[1:] if points else arc)
    return points


def split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring that steps across longitude 180 (Russia's and Fiji's do in the 1:110m file) as one ring per
    side; drawn as it is, it would cross the whole map."""
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        unwrapped.append((lon, lat))
    low, high = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if low >= -180 and high <= 180:
        return [ring]
    edge = 180.0 if high > 180 else -180.0
    pieces = []
    for keep_below, shift in ((True, 0.0), (False, -360.0 if edge > 0 else 360.0)):
        clipped = clip_at_longitude(unwrapped, edge, keep_below=keep_below if edge > 0 else not keep_below)
        if len(clipped) >= 3:
            pieces.append([(lon + shift, lat) for lon, lat in clipped])
    return pieces


def clip_at_longitude(ring: list[Point], edge: float, *, keep_below: bool) -> list[Point]:
    """Sutherland-Hodgman clipping of a closed ring against the meridian ``edge``."""

    def inside(point: Point) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    result: list[Point] = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(current):
            result.append(current)
        if inside(current) != inside(following):
            share = (edge - current[0]) / (following[0] - current[0])
            result.append((edge, current[1] + share * (following[1] - current[1])))
    return result


def polygons_of(geometry: dict[str, object]) -> list[list[Sequence[int]]]:
    kind, arcs = geometry.get("type"), geometry.get("arcs")
    assert isinstance(arcs, list)
    if kind == "Polygon":
        return [arcs]
    if kind == "MultiPolygon":
        return list(arcs)
    return []


def path_data(rings: Iterable[list[Point]]) -> str:
    """SVG path data with relative steps between rounded points (the rounding error never accumulates)."""
    commands = []
    for ring in rings:
        projected = [equal_earth(lon, lat) for lon, lat in ring]
        rounded: list[tuple[float, float]] = []
        for x, y in projected:
            point = (round(x, PRECISION), round(y, PRECISION))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) < 3:
            continue
        first = rounded[0]
        steps = [f"M{_number(first[0])} {_number(first[1])}l"]
        previous = first
        pieces = []
        for point in rounded[1:]:
            pieces.append(_signed(point[0] - previous[0]) + _signed(point[1] - previous[1]))
            previous = point
        steps.append("".join(pieces).lstrip(" "))
        commands.append("".join(steps) + "z")
    return "".join(commands)


def _number(value: float) -> str:
    text = f"{value:.{PRECISION}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _signed(value: float) -> str:
    text = _number(round(value, PRECISION))
    # A minus sign separates numbers by itself; a positive number needs a space.
    return text if text.startswith("-") else " " + text


def ring_area(points: Sequence[Point]) -> float:
    return 0.5 * abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)))


def numeric_to_iso3() -> dict[str, str]:
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["m49"]: row["iso3"] for row in csv.DictReader(handle)}


def read_package(source: Path) -> tuple[dict[str, object], list[dict[str, object]], str, str]:
    """countries-110m, the finer files (50m, then 10m) for small states, the licence text and the version."""

    def member(name: str) -> bytes:
        if source.is_dir():
            return (source / name).read_bytes()
        with tarfile.open(source) as archive:
            extracted = archive.extractfile(f"package/{name}")
            assert extracted is not None, name
            return extracted.read()

    package = json.loads(member("package.json"))
    return (
        json.loads(member("countries-110m.json")),
        [json.loads(member("countries-50m.json")), json.loads(member("countries-10m.json"))],
        member("LICENSE").decode("utf-8"),
        str(package["version"]),
    )


def iso3_of(geometry: dict[str, object], codes: dict[str, str]) -> str | None:
    numeric = geometry.get("id")
    properties = geometry.get("properties")
    name = properties.get("name") if isinstance(properties, dict) else None
    if numeric is None:
        return DRAWN_WITHIN.get(str(name))
    if numeric in LEFT_OUT:
        return None
    return ISO_NUMERIC_WITHIN.get(str(numeric)) or codes.get(str(numeric))


def country_rings(topology: dict[str, object], codes: dict[str, str]) -> dict[str, list[list[Point]]]:
    arcs = decode_arcs(topology)
    objects = topology["objects"]
    assert isinstance(objects, dict)
    rings: dict[str, list[list[Point]]] = {}
    unknown = []
    for geometry in objects["countries"]["geometries"]:
        iso3 = iso3_of(geometry, codes)
        if iso3 is None:
            if geometry.get("id") not in LEFT_OUT:
                unknown.append(geometry.get("properties"))
            continue
        for polygon in polygons_of(geometry):
            for ring in polygon:
                rings.setdefault(iso3, []).extend(split_at_antimeridian(ring_points(arcs, ring)))
    if unknown:
        print(f"left out (no M49 country): {unknown}", file=sys.stderr)
    return rings


def bounding_box(rings: list[list[Point]]) -> list[float]:
    projected = [equal_earth(lon, lat) for ring in rings for lon, lat in ring]
    xs = [x for x, _ in projected]
    ys = [y for _, y in projected]
    return [
        round(min(xs), PRECISION),
        round(min(ys), PRECISION),
        round(max(xs), PRECISION),
        round(max(ys), PRECISION),
    ]


def marker_point(rings: list[list[Point]]) -> tuple[float, float]:
    """Where a small state's marker goes: the middle of its largest ring, projected."""
    largest = max(rings, key=lambda ring: ring_area([equal_earth(*p) for p in ring]))
    lons = [p[0] for p in largest]
    lats = [p[1] for p in largest]
    x, y = equal_earth((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    return round(x, PRECISION), round(y, PRECISION)


def build(source: Path) -> dict[str, object]:
    coarse, finer, licence, version = read_package(source)
    codes = numeric_to_iso3()
    shapes = country_rings(coarse, codes)
    small_states: dict[str, tuple[float, float]] = {}
    for fine in finer:
        for iso3, rings in country_rings(fine, codes).items():
            if iso3 not in shapes and iso3 not in small_states:
                small_states[iso3] = marker_point(rings)
    paths = {iso3: path_data(rings) for iso3, rings in sorted(shapes.items())}
    all_points = [equal_earth(lon, lat) for rings in shapes.values() for ring in rings for lon, lat in ring]
    top = min(y for _, y in all_points)
    bottom = max(y for _, y in all_points)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "world-atlas-LICENSE.txt").write_text(licence, encoding="utf-8")
    return {
        "source": f"world-atlas {version} (countries-110m; countries-50m and -10m for small states), "
        "Natural Earth; Equal Earth projection",
        "view_box": [0, math.floor(top) - 2, WIDTH, math.ceil(bottom - top) + 4],
        "shapes": paths,
        "markers": {iso3: list(point) for iso3, point in sorted(small_states.items())},
        # Each drawn country's bounding box, so that a regional map can zoom in on its countries.
        "boxes": {iso3: bounding_box(rings) for iso3, rings in sorted(shapes.items())},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    world = build(Path(argv[1]))
    target = OUT_DIR / "world.json"
    target.write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    shapes, markers = world["shapes"], world["markers"]
    assert isinstance(shapes, dict) and isinstance(markers, dict)
    print(f"{target}: {len(shapes)} countries drawn, {len(markers)} small states as markers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
