"""AOF bytes per story update, by story size (story records append their members).

    .venv/bin/python bench/story_writes.py [--members 1000] [--outlets 120]

One story grows by one member per update, each written through ``StoryStore.save`` as the
story stage writes it (passing what the keys held before, where the store takes it), on a
fresh embedded Redis (``open_target``: AOF on, ``appendfsync everysec``) with automatic
AOF rewrites off, so ``aof_current_size`` only grows: its growth over one update is the
bytes that update appended. Members are wire-copy-like (URL, title, feed URL of ~60-90
characters each) from ``--outlets`` outlets in turn. Printed: the bytes of the update
that took the story to each size. Results: docs/benchmarks.md ("Smaller benchmarks").
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.models import Story, StoryMember  # noqa: E402

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def member(n: int, outlets: int) -> StoryMember:
    outlet = f"Outlet {n % outlets}"
    host = f"outlet{n % outlets}.example"
    return StoryMember(
        article_id=f"{n:016x}",
        feed_url=f"http://127.0.0.1:8765/feeds/{n % outlets}/rss.xml",
        outlet=outlet,
        url=f"https://{host}/world/2026/11/25/talks-resume-in-geneva-{n}",
        title="Talks resume in Geneva as envoys meet for a third day, officials say",
        published=T0 + timedelta(seconds=n),
        language="en",
        country="GB",
    )


async def run(args: argparse.Namespace) -> dict[int, int]:
    from service.store import Store
    from service.store.connection import open_target

    with tempfile.TemporaryDirectory(prefix="bench-story-writes-") as tmp:
        target = open_target(None, Path(tmp))
        redis = target.client()
        try:
            await redis.config_set("auto-aof-rewrite-percentage", 0)
            store = Store(redis)
            takes_stored = "stored" in inspect.signature(store.stories.save).parameters
            story = Story(
                id="st_bench",
                headline="Talks resume in Geneva",
                summary="Envoys met for a third day.",
                first_seen=T0,
                last_updated=T0,
                members=(),
                languages=("en",),
                places=("Geneva",),
                keywords=("talks", "geneva"),
                briefings=("world",),
            )
            stored: Any = None
            out: dict[int, int] = {}
            marks = {1, 10, 50, 100, 300, args.members} | set(range(0, args.members + 1, 500))
            for n in range(1, args.members + 1):
                story = replace(
                    story, members=(*story.members, member(n, args.outlets)),
                    last_updated=T0 + timedelta(seconds=n),
                )  # fmt: skip
                before = int((await redis.info("persistence"))["aof_current_size"])
                extra = {"stored": stored} if takes_stored else {}
                await store.stories.save(
                    story,
                    article_id=story.members[-1].article_id,
                    new_briefings=(),
                    events=[],
                    log_entry=None,
                    now=story.last_updated,
                    **extra,
                )
                if takes_stored:
                    from service.store.stories import Stored

                    stored = Stored.of(story)
                if n in marks:
                    after = int((await redis.info("persistence"))["aof_current_size"])
                    out[n] = after - before
            return out
        finally:
            await redis.aclose()
            target.close(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--outlets", type=int, default=120)
    args = parser.parse_args()
    for n, size in sorted(asyncio.run(run(args)).items()):
        print(f"update to {n:>5} members: {size:>9,} B appended to the AOF", flush=True)


if __name__ == "__main__":
    main()
