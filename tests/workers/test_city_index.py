from __future__ import annotations

import random

from workers.city_index import CityIndex

HOUR = 3600.0


def test_nearest_walks_outward_from_the_time_in_other_languages_within_the_window() -> None:
    index = CityIndex()
    for when, sid in ((0.0, "st_a"), (5 * HOUR, "st_b"), (9 * HOUR, "st_c"), (60 * HOUR, "st_far")):
        index.add("en", ["Kyiv"], when, sid)
    index.add("ru", ["Kyiv", "Kharkiv"], 7 * HOUR, "st_ru")
    index.add("uk", ["Kyiv"], 6 * HOUR, "st_own")  # the report's own language
    index.add("en", ["Odesa"], 6 * HOUR, "st_odesa")  # another city
    nearest = list(index.nearest(6 * HOUR, ["Kyiv", "Kharkiv"], "uk", 48 * HOUR))
    assert nearest == [(HOUR, "st_b"), (HOUR, "st_ru"), (HOUR, "st_ru"), (3 * HOUR, "st_c"),
                       (6 * HOUR, "st_a")]  # fmt: skip


def test_ties_come_by_story_id_and_an_entry_at_the_time_itself_first() -> None:
    index = CityIndex()
    for when, sid in ((2 * HOUR, "st_b"), (0.0, "st_c"), (HOUR, "st_now"), (2 * HOUR, "st_a")):
        index.add("en", ["Kyiv"], when, sid)
    assert [sid for _, sid in index.nearest(HOUR, ["Kyiv"], "uk", 48 * HOUR)] == [
        "st_now", "st_a", "st_b", "st_c"
    ]  # fmt: skip


def test_removing_every_entry_leaves_an_empty_index() -> None:
    index = CityIndex()
    index.add("en", ["Kyiv", "Odesa"], 0.0, "st_a")
    index.add("en", ["Kyiv"], 0.0, "st_a")  # a second kept report of the story at that time
    index.remove("en", ["Kyiv", "Odesa"], 0.0, "st_a")
    assert index.stories("en") == {"Kyiv": {"st_a"}}
    index.remove("en", ["Kyiv"], 0.0, "st_a")
    index.remove("ru", ["Kyiv"], 0.0, "st_a")  # nothing there: nothing to do
    assert index == CityIndex()


def test_the_index_is_the_same_whatever_order_its_entries_came_in() -> None:
    """What restores a linker from a snapshot: the same entries in another order, added
    one by one or built whole, make an equal index, so retrieval after a restart reads
    the same lists."""
    rng = random.Random(13)
    entries = [
        (rng.choice(["en", "ru"]), rng.sample(["Kyiv", "Kharkiv", "Odesa"], 2),
         float(rng.randrange(48)) * HOUR, f"st_{rng.randrange(20)}")
        for _ in range(200)
    ]  # fmt: skip
    kept, rebuilt = CityIndex(), CityIndex()
    for entry in entries:
        kept.add(*entry)
    for entry in reversed(entries):
        rebuilt.add(*entry)
    assert kept == rebuilt == CityIndex.of(reversed(entries))
    for entry in entries[::2]:
        kept.remove(*entry)
    fresh = CityIndex()
    for entry in entries[1::2]:
        fresh.add(*entry)
    assert kept == fresh
