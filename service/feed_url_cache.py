"""How many feed URLs a worker keeps parsed between polls.

A poll parses its feed's URL three times over (the claim loop's host, httpx's request
URL, aiohttp's ``yarl.URL``), each memoized per URL text with ``functools.lru_cache``.
Feeds fall due in the same order round after round, a cyclic access pattern, and an LRU
cache smaller than the cycle evicts every entry just before it is asked for again: past
the bound every lookup misses, not only the extra feeds'. So the bound is well above the
feeds one worker polls (the scale benchmark runs 20,000), at about 1.4 KB per feed for
the three caches together: about 70 MB at the bound.
"""

from __future__ import annotations

FEED_URLS_CACHED = 50_000
