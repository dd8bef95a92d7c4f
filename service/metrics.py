"""Prometheus metrics shared by every process through Redis: the counting half.

Workers have no HTTP port and there may be many of them, so each process counts in
memory and flushes increments into one Redis hash every few seconds (HINCRBYFLOAT is
atomic): prometheus_client's registry is per process, which is exactly what the sums
must not depend on. The API's ``GET /metrics`` renders that hash through
prometheus_client (service/metrics_exposition.py). A hash field is the sample's name
and labels as in the text format (``briefing_polls_total{outcome="error"}``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import defaultdict
from collections.abc import Iterable

from service.store import Store

log = logging.getLogger(__name__)

FETCH_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)


def _field(name: str, labels: dict[str, str]) -> str:
    if not labels:
        return name
    return _labelled(name, tuple(sorted(labels.items())))


# A worker counts thousands of samples a second under a handful of label sets: the
# field strings are built once per set.
@functools.lru_cache(maxsize=1024)
def _labelled(name: str, labels: tuple[tuple[str, str], ...]) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels)
    return f"{name}{{{inner}}}"


@functools.lru_cache(maxsize=256)
def _histogram_fields(
    name: str, buckets: tuple[float, ...], labels: tuple[tuple[str, str], ...]
) -> tuple[tuple[tuple[float, str], ...], str, str, str]:
    """A histogram's fields: (bound, bucket field) per bound, then +Inf, sum and count."""
    plain = dict(labels)
    bounded = tuple(
        (bound, _field(f"{name}_bucket", {**plain, "le": f"{bound:g}"})) for bound in buckets
    )
    return (
        bounded,
        _field(f"{name}_bucket", {**plain, "le": "+Inf"}),
        _field(f"{name}_sum", plain),
        _field(f"{name}_count", plain),
    )


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    """In-process increments waiting to be flushed to Redis."""

    def __init__(self) -> None:
        self._pending: dict[str, float] = defaultdict(float)

    def inc(self, name: str, by: float = 1.0, **labels: str) -> None:
        self._pending[_field(name, labels)] += by

    def observe(
        self,
        name: str,
        value: float,
        buckets: Iterable[float] = FETCH_SECONDS_BUCKETS,
        **labels: str,
    ) -> None:
        # Every bound gets a field (adding 0 where the value does not fit), so the first
        # scrape already shows the histogram's whole bucket layout.
        bounded, infinite, total, count = _histogram_fields(
            name, tuple(buckets), tuple(sorted(labels.items()))
        )
        pending = self._pending
        for bound, bucket in bounded:
            pending[bucket] += 1 if value <= bound else 0
        pending[infinite] += 1
        pending[total] += value
        pending[count] += 1

    async def flush(self, store: Store) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, defaultdict(float)
        try:
            await store.counters.add(pending)
        except Exception:
            # Redis away: keep the counts for the next flush rather than lose them.
            for field, value in pending.items():
                self._pending[field] += value
            raise

    async def run_flusher(self, store: Store, stop: asyncio.Event, every: float = 5.0) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            try:
                await self.flush(store)
            except Exception as exc:
                log.warning("metrics flush failed: %s", exc)


# One per process, like prometheus_client's default registry: every stage counts here.
metrics = Metrics()

# Every family counted anywhere, with its type and help text; /metrics renders only these.
HELP = {
    "briefing_polls_total": ("counter", "Feed polls by outcome."),
    "briefing_fetch_seconds": ("histogram", "Time to fetch one feed."),
    "briefing_entries_total": (
        "counter",
        "Entries ingested by outcome (new/new_source/duplicate).",
    ),
    "briefing_processed_total": ("counter", "Entries handled by the process stage."),
    "briefing_story_events_total": ("counter", "Story events emitted by type."),
    "briefing_near_duplicates_total": ("counter", "Articles folded as near-duplicate copies."),
    "briefing_link_checks_total": (
        "counter",
        "Cross-language link checks answered, by outcome (linked=True: two stories merged).",
    ),
    "briefing_link_checks_dropped_total": (
        "counter",
        "Cross-language link checks dropped unanswered by a full queue (the oldest first).",
    ),
    "briefing_link_check_failures_total": (
        "counter",
        "Failed scorings of link checks (the child died, overran, could not start, or the "
        "scoring raised).",
    ),
    "briefing_link_checks_given_up_total": (
        "counter",
        "Link checks answered 'not linked' after three failed scorings.",
    ),
    "briefing_deliveries_total": ("counter", "Webhook delivery attempts by outcome."),
    "briefing_events_skipped_total": (
        "counter",
        "Events the notifier did not deliver, by reason (story_missing: pruned story).",
    ),
    "briefing_backpressure_ticks_total": (
        "counter",
        "Claim ticks that deferred due feeds because the process stage lagged.",
    ),
    "briefing_stream_near_cap_total": (
        "counter",
        "Trim runs that found a stream past 80 % of its ceiling.",
    ),
    "briefing_stream_trimmed_total": (
        "counter",
        "Entries removed by the consumer-aware stream trim.",
    ),
}
