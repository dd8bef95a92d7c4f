"""MinHash LSH banding over stored signatures (pure): the keys that agree with a signature
on every value of at least one band.

The banding of datasketch's ``MinHashLSH`` (band ``i`` is values ``i * rows`` to
``(i + 1) * rows``; values past ``bands * rows`` are in no band), read straight from the
signature's bytes: a band's key is its slice of them. Any encoding that is one-to-one
per band finds the same keys, so a query answers what ``MinHashLSH.query`` answers, for
one slice and one dict look-up per band, with no MinHash object built per query or
insert and no byte swap per band.
"""

from __future__ import annotations


class BandIndex:
    """Keys by the bands of their signatures (``value_bytes`` bytes per value)."""

    def __init__(self, bands: int, rows: int, value_bytes: int = 4) -> None:
        width = rows * value_bytes
        self._cuts = [slice(i * width, (i + 1) * width) for i in range(bands)]
        self._tables: list[dict[bytes, set[str]]] = [{} for _ in range(bands)]

    def insert(self, key: str, signature: bytes) -> None:
        for table, cut in zip(self._tables, self._cuts, strict=True):
            table.setdefault(signature[cut], set()).add(key)

    def remove(self, key: str, signature: bytes) -> None:
        """Forget ``key``, inserted with this ``signature``."""
        for table, cut in zip(self._tables, self._cuts, strict=True):
            band = signature[cut]
            keys = table[band]
            keys.discard(key)
            if not keys:
                del table[band]

    def query(self, signature: bytes) -> set[str]:
        """Every key sharing at least one whole band with ``signature``."""
        found: set[str] = set()
        for table, cut in zip(self._tables, self._cuts, strict=True):
            keys = table.get(signature[cut])
            if keys:
                found.update(keys)
        return found

    def __len__(self) -> int:
        """How many band entries are held (every key holds one per band)."""
        return sum(len(keys) for table in self._tables for keys in table.values())
