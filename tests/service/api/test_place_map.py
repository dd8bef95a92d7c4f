"""The page's map: points for the gazetteer's places, a view around the markers, marker
sizes by developments, names that do not overlap, regions when zoomed in, and the shipped
base map."""

from __future__ import annotations

from collections import Counter

import pytest

from service.api.place_map import HERE, MIN_HEIGHT, place_map, place_point


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [
        ("Kyiv", 30.5, 50.5),  # a city (GeoNames)
        ("Ukraine", 31.4, 49.0),  # a country: its label point
        ("Kharkiv Oblast", 36.3, 50.0),  # an oblast: its centre of the same name
        ("Donetsk Oblast", 37.8, 48.0),  # an oblast listed by hand
        ("Crimea", 34.1, 45.3),
        ("United States", -99.1, 39.5),
        ("Geneva", 6.1, 46.2),
    ],
)
def test_places_have_points(place: str, lon: float, lat: float) -> None:
    point = place_point(place)
    assert point is not None
    assert point == pytest.approx((lon, lat), abs=0.1)


def test_a_place_without_a_point() -> None:
    assert place_point("California") is None  # a US state: no point in GeoNames' cache
    assert place_point("Nowhere At All") is None
    assert place_map(Counter({"California": 2})) is None
    assert place_map(Counter()) is None


def view(box: str) -> tuple[float, float, float, float]:
    x, y, w, h = map(float, box.split())
    return x, y, w, h


def test_the_view_holds_every_marker_at_the_world_s_proportions() -> None:
    where = place_map(Counter({"Kyiv": 3, "Kharkiv": 1, "Ukraine": 5, "California": 1}))
    assert where is not None
    x, y, w, h = view(where.view_box)
    assert w == pytest.approx(2 * h, abs=0.02) and h >= MIN_HEIGHT
    assert [m.place for m in where.markers] == ["Ukraine", "Kyiv", "Kharkiv"]  # largest first
    for m in where.markers:
        assert x < m.x - m.r and m.x + m.r < x + w and y < m.y - m.r and m.y + m.r < y + h
    radii = [m.r for m in where.markers]
    assert radii == sorted(radii, reverse=True) and radii[0] <= 2.5 * radii[-1]
    assert [m.count for m in where.markers] == [5, 3, 1]


def test_a_view_of_far_places_stays_inside_the_world() -> None:
    where = place_map(Counter({"Iran": 3, "United States": 2, "Geneva": 1, "Australia": 1}))
    assert where is not None
    x, y, w, h = view(where.view_box)
    assert x >= -180 and x + w <= 180.01 and y >= -90 and y + h <= 90.01


def test_names_do_not_overlap() -> None:
    world = Counter({"Iran": 3, "Tehran": 3, "United States": 2, "Australia": 1})
    where = place_map(world)
    assert where is not None
    named = [label.place for label in where.labels]
    assert "United States" in named and "Australia" in named
    assert not {"Iran", "Tehran"} <= set(named)  # 3 degrees apart on a world map: one name
    near = place_map(Counter({"Iran": 3, "Tehran": 3}))  # zoomed in: room for both
    assert near is not None and {label.place for label in near.labels} == {"Iran", "Tehran"}


def test_the_base_map_ships_with_the_package() -> None:
    svg = (HERE / "static" / "world.svg").read_text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180">')
    assert "Natural Earth" in svg and len(svg) < 80_000


def test_regions_are_drawn_zoomed_in_on_a_country() -> None:
    ukraine = place_map(Counter({"Kyiv": 2, "Kharkiv Oblast": 1, "Ukraine": 3}))
    assert ukraine is not None and len(ukraine.regions) == 1
    assert ukraine.regions[0].startswith("M") and ukraine.regions[0].count("M") > 20
    world = place_map(Counter({"Kyiv": 2, "United States": 1, "Australia": 1}))
    assert world is not None and world.regions == []
