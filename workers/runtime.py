"""Running the background half: which stages a process runs, until told to stop."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Iterable

from service.config import AppConfig
from service.settings import Settings
from service.store import Store
from workers.fetch import Fetcher
from workers.pipeline import FetchStage, ProcessStage
from workers.scheduler import FetchScheduler
from workers.story_stage import StoryStage

log = logging.getLogger(__name__)

ROLES = ("fetch", "process", "notify")


def consumer_name(role: str) -> str:
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


def expand_roles(roles: Iterable[str]) -> list[str]:
    chosen: set[str] = set()
    for role in roles:
        chosen.update(ROLES if role == "all" else (role,))
    return [r for r in ROLES if r in chosen]


async def run_workers(
    settings: Settings,
    store: Store,
    config: AppConfig,
    roles: Iterable[str],
    stop: asyncio.Event,
) -> None:
    """Run the chosen stages until ``stop`` is set, then shut down gracefully."""
    roles = expand_roles(roles)
    tasks: list[asyncio.Task[None]] = []
    scheduler: FetchScheduler | None = None
    async with Fetcher(settings) as fetcher:
        if "fetch" in roles:
            scheduler = FetchScheduler(settings, store, FetchStage(settings, store, fetcher))
            scheduler.start()
        if "process" in roles:
            stories = StoryStage(store, config.briefings)
            process = ProcessStage(store, consumer_name("process"), stories=stories)
            tasks.append(asyncio.create_task(process.run(stop), name="process-stage"))
        if "notify" in roles:
            tasks.extend(_notify_tasks(settings, store, stop))
        log.info("workers running: %s", ", ".join(roles))
        await stop.wait()
        log.info("stopping workers")
        if scheduler is not None:
            await scheduler.stop(grace=10.0)
        _done, pending = await asyncio.wait(tasks, timeout=10.0) if tasks else (set(), set())
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _notify_tasks(
    settings: Settings, store: Store, stop: asyncio.Event
) -> list[asyncio.Task[None]]:
    try:
        from workers.notify_stage import run_notifier
    except ImportError:  # the webhook stage is optional until it lands
        log.warning("notify role requested but webhook delivery is not available")
        return []
    return [
        asyncio.create_task(
            run_notifier(settings, store, consumer_name=consumer_name("notify"), stop=stop),
            name="notify-stage",
        )
    ]
