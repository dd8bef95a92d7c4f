"""How many event streams one API process holds open: in all, and per client address.

Each open stream holds a socket, so streams without a cap end in ``Too many open files``:
then Redis connections, /healthz and the background stages of the same process fail with
them. So streams take a slot; past the cap a request gets 503 with ``Retry-After``
(RFC 9110 §15.6.4, §10.2.3) before anything is streamed, and the process keeps a reserve
of descriptors below its open-file limit for everything else (Redis, health checks,
ordinary requests, feed fetches and webhook deliveries in ``briefing run``).

A per-address cap keeps one client (or one misbehaving script) from taking every slot.
Behind a reverse proxy the address is the one uvicorn reports: the proxy's own, unless
its forwarded headers are trusted (``FORWARDED_ALLOW_IPS``, docs/operations.md).
"""

from __future__ import annotations

import contextlib
import resource
from collections import Counter
from dataclasses import dataclass

# Descriptors kept free for everything that is not an event stream. The fetcher's
# connection pool (``max_connections``) comes on top, as it shares the process in
# ``briefing run``.
FD_RESERVE = 256


def raise_open_file_limit() -> int:
    """Raise the soft open-file limit to the hard one, as any process may (systemd's
    default soft limit is 1,024 under a hard limit of 524,288); returns the soft limit
    in force afterwards. Where the raise is refused, the limit stays and so does the cap
    derived from it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # An unlimited hard limit still stops at the kernel's nr_open (1,048,576 by default).
    target = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft == resource.RLIM_INFINITY or soft >= target:
        return open_file_limit()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return open_file_limit()


def open_file_limit() -> int:
    """This process's soft open-file limit (RLIMIT_NOFILE)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def stream_capacity(configured: int, max_connections: int, file_limit: int) -> int:
    """The global stream cap: what is configured, but never into the reserve."""
    return max(0, min(configured, file_limit - FD_RESERVE - max_connections))


@dataclass(slots=True)
class StreamSlot:
    """One held slot; ``release`` frees it (once, however often it is called)."""

    slots: StreamSlots
    address: str
    held: bool = True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.slots._free(self.address)


class StreamSlots:
    def __init__(self, total: int, per_client: int) -> None:
        self.total = total
        self.per_client = per_client
        self.open = 0
        self._by_address: Counter[str] = Counter()

    def acquire(self, address: str) -> StreamSlot | None:
        """A slot for a stream to ``address``, or None when either cap is reached."""
        if self.open >= self.total or self._by_address[address] >= self.per_client:
            return None
        self.open += 1
        self._by_address[address] += 1
        return StreamSlot(self, address)

    def per_address(self, address: str) -> int:
        return self._by_address[address]

    def _free(self, address: str) -> None:
        self.open -= 1
        self._by_address[address] -= 1
        if self._by_address[address] <= 0:
            del self._by_address[address]
