"""SSE fan-out latency with story events by reference: XADD -> last client.

Run by hand: ``flock /tmp/lb-bench.lock .venv/bin/python bench/sse_refs.py
[--sse-clients 1000] [--events 50] [--interval 0.2]``.

The same measurement as ``bench/api.py --only sse`` (its API child process, clients and
data, imported from it), except how each event is written: ``bench/api.py`` XADDs an
entry with the payload inline (what the release before references wrote), while this
bench writes the story and its event as the story stage does, through
``StoryStore.save`` (one MULTI: the story record and a reference XADD). So the API's hub
must load the story (one MGET per XREAD batch) and build the frame from it. The time runs
from just before the MULTI is sent to the moment the last client has read the event's
``id:`` line; p50/p99/max over the events.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import api  # noqa: E402  (bench/api.py: the API child, the clients, the stories)

from service.store import Store  # noqa: E402
from service.store.connection import open_target  # noqa: E402
from service.store.stories import Event  # noqa: E402


async def emit_reference(store: Store, n: int) -> str:
    """The story and its event written as the story stage writes them: one MULTI."""
    story = api.make_story(20_000_000 + n)
    [event_id] = await store.stories.save(
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings,
        events=[Event("story.created")],
        log_entry=None,
        now=story.last_updated,
    )
    return event_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000, help="stories filled first")
    parser.add_argument("--sse-clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between events")
    args = parser.parse_args()
    api.raise_nofile_limit()  # a thousand client sockets
    with tempfile.TemporaryDirectory() as tmp:
        target = open_target(None, Path(tmp))
        redis_url = f"unix://{target.unix_socket}"
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, load average {load}"
        )
        asyncio.run(api.fill(redis_url, args.stories))
        result = asyncio.run(api.bench_sse(redis_url, args, emit=emit_reference))
        print(
            f"sse (events by reference): {result['clients']} clients, {result['events']} "
            f"events: MULTI (story + XADD) -> last client p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms "
            "(target p99 < 1000 ms)"
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        target.close()


if __name__ == "__main__":
    main()
