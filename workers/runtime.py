"""Running the background half: which stages a process runs, until told to stop.

A role's modules are imported when this process runs the role, not with this module: the
process-stage child (service/stage_child.py) runs the process stage alone, and
``briefing run`` runs every role but that one, so neither holds the other's modules in
memory (the fetch loop's HTTP clients and parsers, the notifier's webhooks; the process
stage's clustering, near-duplicate index and maintenance scheduler).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import socket
from collections.abc import Callable, Coroutine, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from service.clock import utcnow
from service.config import AppConfig
from service.feed_url_cache import derived_total
from service.metrics import metrics
from service.settings import Settings
from service.startup import StartupWait
from service.startup_heap import RefreezeOnGrowth
from service.store import Store
from service.store.retention import prune
from service.store.trim import NEAR_CEILING, trim_streams
from service.task_cancel import cancel_all_and_wait
from service.task_failures import TaskFailed, watch
from workers.partitions import ensure_partitions, linked_placements, parse_languages
from workers.retrying import log_retry

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from workers.claim_loop import FetchScheduler

log = logging.getLogger(__name__)

ROLES = ("fetch", "process", "notify")

# At shutdown, in-flight polls get POLL_GRACE seconds to finish (then they are cut short
# and polled again later), then the other stages STAGE_GRACE seconds to end their batch
# and webhook attempts (then they are cancelled; leases and pending messages hand the
# work over). A container runtime must allow the sum and more before its SIGKILL:
# docker-compose.yml sets stop_grace_period (Docker's default of 10 s is less).
POLL_GRACE = 10.0
STAGE_GRACE = 10.0

# What a failed task means, in the log line of its failure (service/task_failures.py).
STAGE_FAILED = "the worker stops and exits with an error (a process manager restarts it)"
PARSE_START_FAILED = (
    "the parse processes were not started ahead of the first polls; the worker goes on, "
    "and each parse starts one as it needs it"
)


def consumer_name(role: str) -> str:
    return f"{role}-{socket.gethostname()}-{os.getpid()}"


def expand_roles(roles: Iterable[str]) -> list[str]:
    chosen: set[str] = set()
    for role in roles:
        chosen.update(ROLES if role == "all" else (role,))
    return [r for r in ROLES if r in chosen]


def parse_processes_for(settings: Settings, roles: list[str], *, cpus: int | None = None) -> int:
    """Parse in a pool process wherever feeds are fetched, unless told otherwise.

    In the pool every parse has a deadline (a hostile document costs its own feed a
    failed poll, never the other feeds' parses; workers/parse_pool.py), and in a fetch +
    process worker (``--role all``, ``briefing run``) the parse does not hold the loop
    the process stage shares (docs/design.md, "Parse off the event loop"). A worker that
    fetches without the process stage spends nearly all its CPU in the parse processes
    (its own loop waits on sockets), so on a host with ``cpus`` >= 2 it parses in two: a
    first poll of many feeds then uses two cores instead of one. Two at most, because
    each holds its own parser and language model in memory. Beside the process stage it
    keeps one, so parses do not take the core stories need. A pool starts its second
    process only when two parses overlap."""
    if settings.parse_processes is not None:
        return settings.parse_processes
    if "fetch" not in roles:
        return 0
    if "process" not in roles:
        return max(1, min(2, cpus if cpus is not None else available_cpus()))
    return 1


def process_stage_apart(settings: Settings, roles: Iterable[str]) -> bool:
    """Whether the process stage runs in a child of its own (service/stage_child.py): when
    it would share this process with another role and priorities are on
    (``BRIEFING_WORKER_NICENESS`` > 0)."""
    chosen = expand_roles(roles)
    return "process" in chosen and len(chosen) > 1 and settings.worker_niceness > 0


def beside_process_child(settings: Settings, roles: Iterable[str]) -> tuple[Settings, list[str]]:
    """The settings and roles left to a process whose process stage runs in a child
    (service/stage_child.py): the other roles, with the parse processes counted as beside
    the process stage, since the child takes a core on the same host."""
    chosen = expand_roles(roles)
    parse = parse_processes_for(settings, chosen)
    return settings.model_copy(update={"parse_processes": parse}), [
        role for role in chosen if role != "process"
    ]


async def prepare_partitions(settings: Settings, store: Store, config: AppConfig) -> int:
    """Set the process partitions unless set (workers/partitions.py); before the first
    fetch, wherever the process stage runs: an article's partition is fixed when it is
    stored."""
    return await ensure_partitions(store, settings.process_partitions, placements(settings, config))


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def placements(settings: Settings, config: AppConfig) -> dict[str, int]:
    """Language placements: the languages a briefing follows together share a partition
    (so their reports of one development can link); configured ones win."""
    linked = linked_placements(b.languages for b in config.briefings)
    return linked | parse_languages(settings.process_partition_languages)


# The modules each role's stages import (in run_workers), imported by warm_up.
ROLE_MODULES = {
    "fetch": ("workers.claim_loop", "workers.fetch_stage", "workers.http_fetch"),
    "process": ("workers.story_stage", "workers.process_stage", "apscheduler.schedulers.asyncio"),
    "notify": ("workers.notify_stage",),
}


def warm_up(roles: Iterable[str], settings: Settings | None = None) -> None:
    """Load now what the chosen stages would load on first use, before the process serves
    or works: their modules (``ROLE_MODULES``), and the process stage's gazetteer tables
    (workers/places.py, workers/briefing_match.py), which come from one JSON document
    parsed whole: a single C call that holds the GIL, so on the first batch after a start
    it would stall the event loop (and the API sharing it) whether it ran there or in a
    thread. Imports hold the GIL too, and `briefing run` starts its stages while the API
    serves. Loaded before the API's startup freeze (service/api/app.py), modules and
    tables are out of the collector's walks too.

    With ``settings`` that give the fetch stage no parse process (``parse_processes_for``),
    it parses on this process's event loop: the parser and the language model load here
    too. With parse processes they load there (workers/parse_calls.py)."""
    chosen = expand_roles(roles)
    for role in chosen:
        for module in ROLE_MODULES[role]:
            importlib.import_module(module)
    if settings is not None and "fetch" in chosen and not parse_processes_for(settings, chosen):
        from workers.parse_calls import load_parsers

        load_parsers()
    if "process" in chosen:
        from workers import places
        from workers.briefing_match import place_countries

        places.warm()
        place_countries()


async def run_workers(
    settings: Settings,
    store: Store,
    config: AppConfig,
    roles: Iterable[str],
    stop: asyncio.Event,
    *,
    startup: StartupWait | None = None,
) -> None:
    """Run the chosen stages until ``stop`` is set, then shut down gracefully. ``startup``
    (service/startup.py) waits out an unreachable Redis while the partitions are set.

    A stage ends only at a stop: one that ends with an error is logged with its traceback
    as it ends (service/task_failures.py) and sets ``stop``, and once the others have
    stopped this raises TaskFailed, so the worker exits with an error for its process
    manager to restart rather than look alive without that stage. The parse processes'
    start failing is logged and the worker goes on: each parse starts a process as it
    needs one (workers/parse_pool.py, ``fill``)."""
    roles = expand_roles(roles)
    settings = settings.model_copy(update={"parse_processes": parse_processes_for(settings, roles)})
    tasks: list[asyncio.Task[None]] = []
    failures: list[str] = []

    def stop_worker(name: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            failures.append(f"{name}: {type(error).__name__}: {error}")
            stop.set()

        return failed

    def start_stage(work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        tasks.append(watch(task, STAGE_FAILED, on_failure=stop_worker(name)))

    scheduler: FetchScheduler | None = None
    startup = startup if startup is not None else StartupWait(0)
    async with contextlib.AsyncExitStack() as resources:
        if "process" in roles:
            # Before the first fetch: an article's partition is fixed when it is stored.
            partitions = await startup.written(
                "setting the process partitions",
                lambda: prepare_partitions(settings, store, config),
            )
        if "fetch" in roles:
            from workers.claim_loop import FetchScheduler
            from workers.fetch_stage import FetchStage
            from workers.http_fetch import Fetcher

            fetcher = await resources.enter_async_context(Fetcher(settings))
            stage = FetchStage(settings, store, fetcher)
            # The parse processes warm up beside the first claims and fetches, not inside
            # the first parses of the first round.
            starting = asyncio.create_task(stage.start_parsers(), name="parse-processes")
            tasks.append(watch(starting, PARSE_START_FAILED))
            scheduler = FetchScheduler(settings, store, stage)
            watch(scheduler.start(), STAGE_FAILED, on_failure=stop_worker("fetch-claims"))
            # The per-URL memos' entries live as long as the process: frozen as they grow,
            # out of every full collection's walk (service/startup_heap.py), in `briefing
            # worker` and `briefing run` alike.
            refreezing = asyncio.create_task(RefreezeOnGrowth(derived_total).run(), name="refreeze")
            watch(refreezing, "the memos' entries stay in the collector's walks; polling goes on")
            resources.callback(refreezing.cancel)
        if "process" in roles:
            from workers.partitions import PartitionedProcess
            from workers.story_stage import StoryStage

            process = PartitionedProcess(
                store,
                consumer_name("process"),
                lambda: StoryStage(store, config.briefings),
                partitions=partitions,
                lease_ms=int(settings.process_lease * 1000),
                reclaim_idle_ms=int(settings.reclaim_idle * 1000),
                max_attempts=settings.max_attempts,
                linger=settings.process_linger,
            )
            start_stage(process.run(stop), "process-stage")
        maintenance = start_maintenance(settings, store) if "process" in roles else None
        if "notify" in roles:
            from workers.notify_stage import run_notifier

            notifier = run_notifier(
                settings, store, consumer_name=consumer_name("notify"), stop=stop
            )
            start_stage(notifier, "notify-stage")
        start_stage(metrics.run_flusher(store, stop), "metrics")
        log.info("workers running: %s", ", ".join(roles))
        await stop.wait()
        log.info("stopping workers")
        if scheduler is not None:
            # Parses in progress end now (their polls are not recorded; the feeds are
            # polled again), so a hostile document cannot hold the shutdown for its
            # deadline; scheduler.stop, before it first yields, marks those polls as cut
            # short by shutdown.
            scheduler.stage.close()
            await scheduler.stop(grace=POLL_GRACE)
        if maintenance is not None:
            maintenance.shutdown(wait=False)
        _done, pending = await asyncio.wait(tasks, timeout=STAGE_GRACE) if tasks else (set(), set())
        # Cancelled until each has ended: a cancellation lost in a Redis command
        # (service/task_cancel.py) would leave a stage to finish what it is doing first.
        await cancel_all_and_wait(pending)
        await asyncio.gather(*tasks, return_exceptions=True)  # each failure logged (watch)
    if failures:
        raise TaskFailed("; ".join(failures))


def start_maintenance(settings: Settings, store: Store) -> AsyncIOScheduler:
    """Hourly retention and stream trimming every minute (both idempotent, so any
    number of processes may run them)."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    retention = timedelta(days=settings.retention_days)

    async def prune_job() -> None:
        try:
            report = await prune(store, now=utcnow(), retention=retention)
        except Exception:
            log_retry(log, "retention run failed; next run in an hour")
            return
        log.info("retention: pruned %d articles, %d stories", report.articles, report.stories)

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        prune_job,
        "interval",
        hours=1,
        jitter=300,  # spread processes out (miniflux #3130: no herd after restarts)
        next_run_time=utcnow() + timedelta(minutes=1),
        max_instances=1,
        coalesce=True,
        id="retention",
    )
    events_retention = timedelta(seconds=settings.events_retention)

    async def trim_job() -> None:
        # Every minute: what stays in a stream is what a consumer group still needs (plus
        # the SSE window for events), so trimming often keeps memory near that.
        try:
            reports = await trim_streams(
                store,
                now=utcnow(),
                events_retention=events_retention,
                ceiling=settings.stream_maxlen,
            )
        except Exception:
            log_retry(log, "stream trim failed; next run in a minute")
            return
        for report in reports:
            if report.trimmed:
                metrics.inc("briefing_stream_trimmed_total", report.trimmed, stream=report.stream)
            if report.length >= NEAR_CEILING * settings.stream_maxlen:
                # trim_streams logs a warning too
                metrics.inc("briefing_stream_near_cap_total", stream=report.stream)

    scheduler.add_job(
        trim_job,
        "interval",
        minutes=1,
        jitter=10,
        next_run_time=utcnow() + timedelta(seconds=30),
        max_instances=1,
        coalesce=True,
        id="trim",
    )
    scheduler.start()
    return scheduler
