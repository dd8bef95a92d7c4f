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
    """Keys by the bands of their signatures (``value_bytes`` bytes per value).

    A band value held by one key (most are) maps to the key itself, by several to a set
    of them: one small set per band per signature would be most of the index's memory
    and of the garbage collector's work."""

    def __init__(self, bands: int, rows: int, value_bytes: int = 4) -> None:
        width = rows * value_bytes
        self._cuts = [slice(i * width, (i + 1) * width) for i in range(bands)]
        self._tables: list[dict[bytes, str | set[str]]] = [{} for _ in range(bands)]

    def insert(self, key: str, signature: bytes) -> None:
        for table, cut in zip(self._tables, self._cuts, strict=True):
            band = signature[cut]
            held = table.get(band)
            if held is None:
                table[band] = key
            elif isinstance(held, str):
                table[band] = {held, key}
            else:
                held.add(key)

    def remove(self, key: str, signature: bytes) -> None:
        """Forget ``key``, inserted with this ``signature``."""
        for table, cut in zip(self._tables, self._cuts, strict=True):
            band = signature[cut]
            held = table[band]
            if isinstance(held, str):
                if held == key:
                    del table[band]
                continue
            held.discard(key)
            if len(held) == 1:
                table[band] = next(iter(held))

    def query(self, signature: bytes) -> set[str]:
        """Every key sharing at least one whole band with ``signature``."""
        found: set[str] = set()
        for table, cut in zip(self._tables, self._cuts, strict=True):
            held = table.get(signature[cut])
            if held is None:
                continue
            if isinstance(held, str):
                found.add(held)
            else:
                found.update(held)
        return found

    def __len__(self) -> int:
        """How many band entries are held (every key holds one per band)."""
        return sum(1 if isinstance(held, str) else len(held)
                   for table in self._tables for held in table.values())  # fmt: skip
