"""Which live stories name a city, by language, in time order (pure and deterministic).

The linker's retrieval by place (workers/story_linking.py, ``Linker._by_place``) wants the
stories of other languages naming a report's city that are closest to it in time. A city
of a war (Kyiv, Kharkiv) is named by most live stories of a briefing, so a set of stories
per city makes each report scan all of them. Here each city holds one entry per kept
report naming it, ``(when, story id)``, in a sorted list: ``nearest`` walks outward from
the report's time, newest and oldest by distance, and the caller stops as soon as it has
what it wants. Sorted by value, the lists are the same whatever order entries arrived in,
so an index rebuilt from a snapshot is the one that was kept.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

Entry = tuple[float, str]  # (stream time of a kept report, its story's id)


@dataclass(slots=True)
class CityIndex:
    """language -> city -> ``(when, story id)`` of every kept report naming the city,
    sorted (a story keeping two reports that name it has two entries)."""

    entries: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Iterable[tuple[str, Iterable[str], float, str]]) -> CityIndex:
        """The index of ``(language, cities, when, story id)`` of each kept report, built
        whole (a restore): the lists sorted once rather than kept sorted entry by entry."""
        index = cls()
        for language, cities, when, story_id in reports:
            by_city = index.entries.setdefault(language, {})
            for city in cities:
                by_city.setdefault(city, []).append((when, story_id))
        for by_city in index.entries.values():
            for naming in by_city.values():
                naming.sort()
        return index

    def add(self, language: str, cities: Iterable[str], when: float, story_id: str) -> None:
        by_city = self.entries.setdefault(language, {})
        for city in cities:
            insort(by_city.setdefault(city, []), (when, story_id))

    def remove(self, language: str, cities: Iterable[str], when: float, story_id: str) -> None:
        """Drop one entry per city (one kept report's); a city, or a language, left with
        none is dropped too, so the index holds nothing but live stories' reports."""
        by_city = self.entries.get(language)
        if by_city is None:
            return
        entry = (when, story_id)
        for city in cities:
            naming = by_city.get(city)
            if naming is None:
                continue
            at = bisect_left(naming, entry)
            if at < len(naming) and naming[at] == entry:
                del naming[at]
            if not naming:
                del by_city[city]
        if not by_city:
            del self.entries[language]

    def stories(self, language: str) -> dict[str, set[str]]:
        """city -> the stories naming it in ``language``."""
        return {
            city: {sid for _, sid in naming}
            for city, naming in self.entries.get(language, {}).items()
        }

    def nearest(
        self, when: float, cities: Iterable[str], other_than: str, window: float
    ) -> Iterator[tuple[float, str]]:
        """``(|entry's when - when|, story id)`` of the entries naming any of ``cities`` in
        languages other than ``other_than``, at most ``window`` from ``when``, nearest
        first (ties by story id). A story appears once per entry; each step costs a
        logarithm of the number of lists, whatever their lengths."""
        heap: list[tuple[float, str, int, int, int]] = []
        lists: list[list[Entry]] = []

        def push(number: int, at: int, step: int) -> None:
            naming = lists[number]
            if 0 <= at < len(naming):
                distance = abs(naming[at][0] - when)
                if distance <= window:
                    heapq.heappush(heap, (distance, naming[at][1], number, at, step))

        for language, by_city in self.entries.items():
            if language == other_than:
                continue
            for city in cities:
                naming = by_city.get(city)
                if naming is None:
                    continue
                lists.append(naming)
                middle = bisect_left(naming, (when,))  # entries before it are earlier
                push(len(lists) - 1, middle - 1, -1)
                push(len(lists) - 1, middle, 1)
        while heap:
            distance, story_id, number, at, step = heapq.heappop(heap)
            yield distance, story_id
            push(number, at + step, step)
