"""The ``briefing`` command: the one composition root that wires service + workers.

briefing run      API + scheduler + all stages (embedded Redis by default; the process
                  stage in a supervised child process)
briefing api      the HTTP API only
briefing worker   background stages only (--role fetch|process|notify|all, repeatable)
briefing feeds    list | add URL | remove FEED | poll FEED  (FEED: id, URL or name)
briefing check    configuration and Redis connectivity, as a readable report
briefing migrate  bring the stored data to this release's data format
briefing cluster-eval FILE --out PRED.jsonl   (story clustering on a labeled file)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import logging
import math
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from service.clock import utcnow
from service.config import AppConfig, ConfigError, load_config
from service.cpu_priority import lower_priority
from service.feed_checks import CONCURRENCY
from service.feed_url_cache import derived_total
from service.heartbeat import DEFAULT_FILE as DEFAULT_HEARTBEAT_FILE
from service.liveness import Liveness
from service.logs import configure_logging
from service.models import FeedConfig
from service.settings import Settings, load_settings
from service.startup import StartupWait
from service.startup_heap import RefreezeOnGrowth, freeze_startup_heap
from service.store import Store
from service.store.connection import REFUSED, UNAVAILABLE, open_target, write_refusal
from service.store.embedded import EmbeddedRedisError
from service.store.embedded_supervisor import EmbeddedSupervisor, restart_delays
from service.store.migrations import DataFormatError, check_data_format
from service.task_failures import TaskFailed, watch
from service.url_secrets import redact_url
from service.validation_text import problem_text

log = logging.getLogger("briefing")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):  # `briefing`, `briefing feeds`: a command is missing
        getattr(args, "help_of", parser).print_help()
        return 2
    overrides = {
        name: getattr(args, name)
        for name in ("host", "port", "data_dir")
        if getattr(args, name, None) is not None
    }
    try:
        if args.needs_config:
            settings = load_settings(**overrides)
            config = load_config(settings.config_file, default_interval=settings.default_interval)
        else:  # no config file read: only the environment (log level and format)
            settings, config = Settings(**overrides), AppConfig()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a setting from the environment or the [settings] table
        for line in settings_problems(exc):
            print(f"configuration error: {line}", file=sys.stderr)
        return 2
    level = settings.log_level
    if args.one_shot and "log_level" not in settings.model_fields_set:
        # A command whose output is what it prints (`feeds list`, `check`) logs warnings
        # and errors only, unless told otherwise: the INFO lines of connecting to Redis
        # would be noise around that output.
        level = "WARNING"
    configure_logging(level, settings.log_format, child=getattr(args, "child", None))
    try:
        result: int = run_async(args.handler(args, settings, config))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Whoever read the output stopped (`briefing feeds list | head`): end quietly, as
        # a command killed by SIGPIPE would. stdout goes to devnull so that the flush at
        # exit does not raise again (Python's signal docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except EmbeddedRedisError as exc:
        log.error("embedded redis could not be started: %s", exc)
        return 1
    except DataFormatError as exc:
        print(f"data format: {exc}", file=sys.stderr)
        return 1
    except UNAVAILABLE as exc:
        log.error("exiting: Redis unreachable (%s)", exc)
        return 1
    except TaskFailed as exc:  # its traceback was logged when it failed
        log.error("exiting: a stage failed (%s)", exc)
        return 1
    return result


def settings_problems(exc: ValidationError) -> list[str]:
    """One line per bad setting, naming its environment variable and the value given
    (pydantic's own text adds error types and a documentation link per field)."""
    lines = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"])
        variable = "REDIS_URL" if field == "REDIS_URL" else f"BRIEFING_{field.upper()}"
        given = f" (got {error['input']!r})" if error["type"] != "missing" else ""
        lines.append(f"{variable} / [settings] {field.lower()}: {problem_text(error)}{given}")
    return lines


def run_async(main_coroutine: Coroutine[Any, Any, int]) -> int:
    """Run on uvloop where it is installed (uvicorn[standard] brings it on Linux): its
    event loop, written in C, costs less CPU per poll and per request than asyncio's.

    uvloop's getaddrinfo runs on libuv's thread pool, 4 threads unless
    ``UV_THREADPOOL_SIZE`` says otherwise (read once, when the pool starts): every host
    name lookup of the process (the fetcher's and webhooks' resolver, an OPML import's)
    would queue for those 4. An import keeps ``feed_checks.CONCURRENCY`` lookups in
    flight, so the pool gets as many threads unless the environment sets its own."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main_coroutine)
    os.environ.setdefault("UV_THREADPOOL_SIZE", str(CONCURRENCY))
    return uvloop.run(main_coroutine)


FEED_REF_HELP = (
    "the feed's id, URL (as added, or as `feeds list` shows it with credentials masked) or name"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing", description="Live Briefing: news feeds in, a live timeline out."
    )
    # Every command reads the config file unless it says it does not (needs_config=False).
    parser.set_defaults(needs_config=True, one_shot=False)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(group: Any, name: str, text: str) -> argparse.ArgumentParser:
        # The line the command list shows is the command's own --help description too.
        made: argparse.ArgumentParser = group.add_parser(name, help=text, description=text)
        return made

    def add_location(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data-dir", type=Path, help="embedded Redis files (BRIEFING_DATA_DIR, default data)"
        )

    def add_http(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", help="bind address (BRIEFING_HOST, default 127.0.0.1)")
        p.add_argument("--port", type=int, help="port (BRIEFING_PORT, default 8080)")

    run = command(sub, "run", "API + scheduler + all stages (the process stage in a child)")
    add_http(run)
    add_location(run)
    run.set_defaults(handler=cmd_run)

    api = command(sub, "api", "serve the HTTP API only")
    add_http(api)
    add_location(api)
    api.set_defaults(handler=cmd_api)

    worker = command(sub, "worker", "run background stages only")
    worker.add_argument(
        "--role",
        action="append",
        choices=["fetch", "process", "notify", "all"],
        help="stage(s) to run; repeatable (default: all)",
    )
    worker.add_argument(
        "--heartbeat-file",
        type=Path,
        default=DEFAULT_HEARTBEAT_FILE,
        help=f"touched while the worker is live (default {DEFAULT_HEARTBEAT_FILE})",
    )
    worker.add_argument(
        "--check",
        action="store_true",
        help="healthcheck: exit 0 if the worker's heartbeat file is fresh, else 1",
    )
    worker.add_argument(
        "--child",
        metavar="NAME",
        help="run as the child NAME of the `briefing` process that starts this worker "
        "(service/stage_child.py): every log line gets the field child=NAME, and the "
        "feeds are left to the parent, which seeded them",
    )
    add_location(worker)
    worker.set_defaults(handler=cmd_worker)

    feeds = command(sub, "feeds", "list, add, remove or poll feeds")
    feeds.set_defaults(help_of=feeds, one_shot=True)
    feeds_sub = feeds.add_subparsers(title="feeds commands", metavar="ACTION")
    f_list = command(feeds_sub, "list", "list feeds with their health")
    add_location(f_list)
    f_list.set_defaults(handler=cmd_feeds_list)
    f_add = command(feeds_sub, "add", "add a feed (or update its settings)")
    f_add.add_argument("url", metavar="URL", help="the feed's http(s) URL")
    f_add.add_argument(
        "--interval",
        type=int,
        default=None,
        help="seconds between polls, 10 to 604800 (default BRIEFING_DEFAULT_INTERVAL)",
    )
    f_add.add_argument("--name", default="", help="outlet name")
    f_add.add_argument("--country", default="", help="ISO 3166-1 alpha-2 of the outlet (GB)")
    f_add.add_argument("--language", default="", help="ISO 639 code of the feed (en, uk, ...)")
    add_location(f_add)
    f_add.set_defaults(handler=cmd_feeds_add)
    f_remove = command(feeds_sub, "remove", "remove a feed (its articles stay)")
    f_remove.add_argument("feed", metavar="FEED", help=FEED_REF_HELP)
    add_location(f_remove)
    f_remove.set_defaults(handler=cmd_feeds_remove)
    f_poll = command(feeds_sub, "poll", "poll one feed now and print the outcome")
    f_poll.add_argument("feed", metavar="FEED", help=FEED_REF_HELP)
    add_location(f_poll)
    f_poll.set_defaults(handler=cmd_feeds_poll)

    check = command(sub, "check", "check configuration and Redis connectivity")
    add_location(check)
    check.set_defaults(handler=cmd_check, one_shot=True)

    migrate = command(
        sub, "migrate", "bring the stored data to this release's format (others stopped)"
    )
    add_location(migrate)
    migrate.set_defaults(handler=cmd_migrate, one_shot=True)

    keys = command(sub, "keys", "admin API keys")
    keys.set_defaults(help_of=keys, one_shot=True)
    keys_sub = keys.add_subparsers(title="keys commands", metavar="ACTION")
    k_create = command(keys_sub, "create", "create an admin API key (printed once)")
    k_create.add_argument("--name", default="", help="a label to recognize the key by")
    add_location(k_create)
    k_create.set_defaults(handler=cmd_keys_create)
    k_list = command(keys_sub, "list", "list admin API keys (id, name, created)")
    add_location(k_list)
    k_list.set_defaults(handler=cmd_keys_list)
    k_revoke = command(keys_sub, "revoke", "revoke an admin API key at once")
    k_revoke.add_argument(
        "key_id", metavar="ID", help="the id `keys list` shows (or a longer prefix of it)"
    )
    add_location(k_revoke)
    k_revoke.set_defaults(handler=cmd_keys_revoke)

    backfill = command(sub, "backfill", "load archived feed documents from disk")
    backfill.add_argument("--from", dest="source", type=Path, required=True, help="FILE or DIR")
    add_location(backfill)
    backfill.set_defaults(handler=cmd_backfill, one_shot=True)

    evaluate = command(sub, "cluster-eval", "cluster a JSONL(.gz) file of documents")
    evaluate.add_argument(
        "file", metavar="FILE", type=Path, help="documents, one JSON object a line"
    )
    evaluate.add_argument("--out", type=Path, required=True, help="predictions JSONL")
    # Clusters a file of documents in memory: no feeds, briefings or Redis involved.
    evaluate.set_defaults(handler=cmd_cluster_eval, needs_config=False)
    return parser


@contextlib.asynccontextmanager
async def open_store(settings: Settings, *, check_format: bool = True) -> AsyncIterator[Store]:
    """The store of a one-off command; refused (``DataFormatError``) when its data format
    is not this release's, unless ``check_format`` is False (``briefing migrate``)."""
    target = open_target(settings.redis_url, settings.data_dir)
    client = target.client()
    try:
        store = Store(client, prefix=settings.key_prefix, stream_maxlen=settings.stream_maxlen)
        if check_format:
            await check_data_format(store.redis, store.keys)
        yield store
    finally:
        await client.aclose()
        target.close()


@dataclasses.dataclass
class Running:
    """What a long-running command (run, api, worker) holds while it runs."""

    store: Store
    liveness: Liveness
    supervisor: EmbeddedSupervisor | None
    startup: StartupWait  # start-up I/O waits for Redis (service/startup.py)
    socket: str | None  # the embedded server's unix socket, if that is the Redis
    # Supervised child processes started (start_process_stage): each ends at ``stop``.
    children: list[asyncio.Task[None]] = dataclasses.field(default_factory=list)

    def exit_code(self) -> int:
        """Non-zero when the embedded Redis could not be restarted: the process manager
        (Docker, systemd) is to restart the whole service."""
        return 1 if self.supervisor is not None and self.supervisor.failure else 0

    async def seed_feeds(self, config: AppConfig, *, spread_seconds: int) -> int:
        """``seed_feeds``, waiting for Redis at start-up, and while it refuses writes. The
        first write of a process that writes (``run``, ``worker``): the data format of a
        new store opened while Redis refused writes (``open_running``) is recorded first."""
        await self.startup.written(
            "recording the data format",
            lambda: check_data_format(self.store.redis, self.store.keys, unrecorded=False),
        )
        return await self.startup.written(
            "seeding feeds", lambda: seed_feeds(self.store, config, spread_seconds=spread_seconds)
        )

    async def seed_briefings(self, config: AppConfig) -> AppConfig:
        """``seed_briefings``, waiting for Redis at start-up."""
        return await self.startup.run(
            "seeding briefings", lambda: seed_briefings(self.store, config)
        )

    async def start_process_stage(
        self, settings: Settings, config: AppConfig, stop: asyncio.Event
    ) -> None:
        """Start the process stage as a supervised child (service/stage_child.py) on this
        process's Redis, until ``stop``; the partitions are set first, before this
        process's first fetch."""
        from service.stage_child import (
            StageChild,
            child_heartbeat_file,
            process_stage_argv,
            process_stage_env,
        )
        from workers.runtime import prepare_partitions

        await self.startup.written(
            "setting the process partitions",
            lambda: prepare_partitions(settings, self.store, config),
        )
        env = process_stage_env({**os.environ, "BRIEFING_DATA_DIR": str(settings.data_dir)})
        if settings.redis_url is None:  # the embedded server: the child attaches to it
            env["REDIS_URL"] = f"unix://{self.socket}"
        beats = child_heartbeat_file()
        child = StageChild(process_stage_argv(beats), env, beats, "process stage")
        self.liveness.add(child.problem)

        async def supervise() -> None:
            # The supervision failing leaves no process stage: stop, and exit 1 with it.
            try:
                await child.run(stop)
            except Exception as exc:
                stop.set()
                raise TaskFailed(f"process-stage-child: {type(exc).__name__}: {exc}") from exc

        task = asyncio.create_task(supervise(), name="process-stage-child")
        self.children.append(watch(task, "the process stage is not run; the service stops"))


@contextlib.asynccontextmanager
async def open_running(
    settings: Settings,
    stop: asyncio.Event,
    *,
    liveness: Liveness | None = None,
    startup_wait: float | None = None,
) -> AsyncIterator[Running]:
    """The store of a long-running command, refused (``DataFormatError``) when its data
    format is not this release's. In embedded mode this process supervises the data dir's
    Redis server while it runs (service/store/embedded_supervisor.py); when it cannot be
    restarted, ``stop`` is set and ``exit_code()`` is 1. Start-up steps wait for an
    unreachable Redis ``startup_wait`` seconds (default ``BRIEFING_STARTUP_WAIT``);
    ``liveness`` takes this process's checks when given (a heartbeat already reads it)."""
    target = open_target(settings.redis_url, settings.data_dir)
    client = target.client()
    liveness = Liveness() if liveness is None else liveness
    supervisor = None
    supervision: asyncio.Task[None] | None = None
    if target.embedded is not None:
        delays = restart_delays(settings.embedded_restarts)
        supervisor = EmbeddedSupervisor(target.embedded, delays=delays)
        liveness.add(supervisor.problem)

        async def supervise(supervisor: EmbeddedSupervisor) -> None:
            try:
                await supervisor.run()  # returns only when it gave up
            except Exception as exc:
                # Nothing would restart the server now: stop, and exit 1, as after giving up.
                supervisor.failure = f"embedded redis supervision failed: {exc!r}"
                raise
            finally:
                stop.set()

        supervision = watch(
            asyncio.create_task(supervise(supervisor), name="embedded-redis"),
            "the embedded Redis is no longer watched or restarted; the service stops",
        )
    try:
        store = Store(client, prefix=settings.key_prefix, stream_maxlen=settings.stream_maxlen)
        wait = settings.startup_wait if startup_wait is None else startup_wait
        startup = StartupWait(wait, stop=stop)
        await startup.run(
            "checking the data format", lambda: check_data_format(store.redis, store.keys)
        )
        yield Running(store, liveness, supervisor, startup, target.unix_socket)
    finally:
        # The server is needed until the stages have stopped: supervision ends last.
        if supervision is not None:
            supervision.cancel()
            await asyncio.gather(supervision, return_exceptions=True)
        await client.aclose()
        target.close()


async def seed_feeds(store: Store, config: AppConfig, *, spread_seconds: int) -> int:
    """Add the configured feeds (idempotent: existing feeds keep their poll state).

    New feeds' first polls are spread over a few minutes, each at a stable offset, so
    thousands of feeds do not all fall due in the same second (miniflux #3130)."""
    from workers.poll_schedule import jitter_unit

    now = utcnow()
    first_polls = [
        (feed, now + timedelta(seconds=min(feed.interval, spread_seconds) * jitter_unit(feed.url)))
        for feed in config.feeds
    ]
    return sum(created for _id, created in await store.feeds.add_many(first_polls))


async def seed_briefings(store: Store, config: AppConfig) -> AppConfig:
    """Seed Redis with the config file's briefings if it never was; return the config
    with the briefings Redis holds (admin API edits survive restarts: the file seeds,
    the API edits after).

    A seed Redis refuses (full at ``maxmemory``, unable to save, a read-only replica)
    leaves the store unseeded and the config file's briefings standing: the API serves
    them and seeds on a later check (``BriefingCache``), and starting goes on."""
    try:
        seeded = await store.briefings.seed(config.briefings)
    except REFUSED as exc:
        refusal = write_refusal(exc)
        if refusal is None:
            raise
        log.warning(
            "briefings not seeded: Redis refuses writes (%s); the config file's %d serve "
            "until a seed goes through",
            refusal,
            len(config.briefings),
        )
        return config
    stored = await store.briefings.all()
    if seeded:
        log.info("%d briefings seeded from the config file", len(stored))
    elif stored != config.briefings:
        log.warning(
            "%d briefings from Redis (edited through the API); the config file's %d only "
            "seed an empty store",
            len(stored),
            len(config.briefings),
        )
    return dataclasses.replace(config, briefings=stored)


async def all_ended(*tasks: asyncio.Future[None]) -> None:
    """Wait until every task has ended, then raise the first one's error, if any. A plain
    ``gather`` raises at the first error and leaves the others running: the process-stage
    child would then outlive the Redis that ``open_running`` stops next."""
    for result in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(result, BaseException):
            raise result


def stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def serve_api(
    settings: Settings,
    store: Store,
    config: AppConfig,
    stop: asyncio.Event,
    liveness: Liveness,
) -> None:
    """Serve the API until ``stop`` is set (our signal handlers set it)."""
    import uvicorn

    from service.api.app import create_app
    from service.api.http_protocol import ProblemHttpToolsProtocol
    from service.api.routes.stream import close_streams
    from service.api.server import AcceptAllServer
    from service.api.stream_slots import raise_open_file_limit

    # Before the app sizes its event-stream cap from the limit (service/api/stream_slots.py).
    log.info("open-file limit: %d", raise_open_file_limit())

    # AcceptAllServer: every waiting connection accepted per loop iteration, not libuv's
    # one, so a burst of new connections at saturation is not served one per iteration
    # (service/api/server.py says why; docs/design.md, "Accept every waiting connection").
    class Server(AcceptAllServer):
        # uvicorn re-raises SIGTERM after its own shutdown, which would kill the process
        # before the workers finish; signals are ours to handle (stop_on_signals).
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

        # Event streams never end on their own: end them first, so that their connections
        # close now rather than at timeout_graceful_shutdown, cancelled mid-response.
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            close_streams(app)
            await super().shutdown(sockets)

    app = create_app(settings, store, config, liveness)
    server = Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.lower(),
            # No handlers of uvicorn's own: its records reach the root handler, which
            # writes them as JSON like every other line (service/logs.py).
            log_config=None,
            lifespan="on",
            # httptools with a bounded request head and problem documents for the requests
            # the parser refuses (service/api/http_protocol.py says why).
            http=ProblemHttpToolsProtocol,
            # A bound on waiting for open requests at shutdown (event streams are ended
            # first, see Server.shutdown; this covers any other slow response).
            timeout_graceful_shutdown=5,
        )
    )

    async def stop_when_told() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.create_task(stop_when_told())
    freeze_startup_heap()  # no full-GC stalls over the startup heap (see its docstring)
    try:
        await server.serve()
    finally:
        watcher.cancel()
        stop.set()


async def cmd_run(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from workers.runtime import beside_process_child, process_stage_apart, run_workers, warm_up

    # The process stage runs in a child below the API's priority (service/stage_child.py);
    # this process serves the API, polls and notifies. BRIEFING_WORKER_NICENESS=0: one
    # process at one priority, as `briefing worker` does with it.
    roles = ["all"]
    split = process_stage_apart(settings, roles)
    if split:
        settings, roles = beside_process_child(settings, roles)
    # Before the API serves: what the stages would load on first use would stall it.
    warm_up(roles, settings)

    async def stages(running: Running, config: AppConfig, stop: asyncio.Event) -> None:
        # The API serves meanwhile: a never-written store beside a Redis that refuses
        # writes has its feeds seeded, and its stages started, once Redis takes writes.
        try:
            created = await running.seed_feeds(config, spread_seconds=settings.first_poll_spread)
        except REFUSED:
            if stop.is_set():  # stopped while Redis refused writes
                return
            raise
        log.info("%d feeds configured (%d new)", len(config.feeds), created)
        if split:
            await running.start_process_stage(settings, config, stop)
        await run_workers(settings, running.store, config, roles, stop, startup=running.startup)

    return await serve(settings, config, stages)


async def cmd_api(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    return await serve(settings, config)


Background = Callable[[Running, AppConfig, asyncio.Event], Coroutine[Any, Any, None]]


async def serve(settings: Settings, config: AppConfig, background: Background | None = None) -> int:
    """Serve the API (``briefing api``; ``briefing run`` with its stages as ``background``)
    until a signal stops it. The start needs Redis to answer, not to take writes: briefings
    Redis refuses to seed are served from the config file and seeded later."""
    stop = stop_on_signals()
    async with open_running(settings, stop) as running:
        config = await running.seed_briefings(config)
        tasks: list[asyncio.Future[None]] = []
        if background is not None:
            work = asyncio.create_task(background(running, config, stop), name="background")
            # The stages end only at a stop: ending first (a start-up step that failed, a
            # stage that crashed) stops the process with their error, which ``all_ended``
            # raises below. An API serving on without them would look alive and do nothing.
            work.add_done_callback(lambda _work: stop.set())
            tasks.append(work)
        try:
            await serve_api(settings, running.store, config, stop, running.liveness)
        finally:
            stop.set()
            if tasks:  # the children it started, too, are in running.children after it
                await asyncio.wait(tasks)
            await all_ended(*tasks, *running.children)
    return running.exit_code()


async def cmd_worker(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service import heartbeat
    from workers.runtime import (
        beside_process_child,
        expand_roles,
        process_stage_apart,
        run_workers,
        warm_up,
    )

    if args.check:
        problem = heartbeat.check(args.heartbeat_file)
        print(f"worker: {problem or 'alive'}", file=sys.stderr if problem else sys.stdout)
        return 1 if problem else 0
    roles = expand_roles(args.role or ["all"])
    # The process stage below the other roles' priority: in a child of its own when it
    # shares this process with them (service/stage_child.py), else this whole process.
    split = process_stage_apart(settings, roles)
    if split:
        settings, roles = beside_process_child(settings, roles)
    warm_up(roles, settings)
    stop = stop_on_signals()
    # The heartbeat beats from the start: waiting for Redis is no liveness problem.
    liveness = Liveness()
    beats = asyncio.create_task(heartbeat.beat(args.heartbeat_file, liveness, stop))
    # A child waits for an unreachable Redis as long as it takes: its parent's /readyz
    # reports the outage, and an exit would count towards its parent's /healthz.
    wait = math.inf if args.child is not None else None
    try:
        async with open_running(settings, stop, liveness=liveness, startup_wait=wait) as running:
            if roles == ["process"] and running.supervisor is None:
                lowered = lower_priority(settings.worker_niceness)
                if lowered:
                    log.info("CPU priority lowered below the API's: %s", ", ".join(lowered))
            elif roles == ["process"]:  # the Redis server it starts or restarts inherits it
                log.info("embedded Redis: the worker keeps its CPU priority")
            try:
                # A child leaves the feeds to its parent: seeding again at each restart
                # would add back a configured feed removed since the parent started.
                if args.child is None:
                    await running.seed_feeds(config, spread_seconds=settings.first_poll_spread)
                config = await running.seed_briefings(config)
                if split:
                    await running.start_process_stage(settings, config, stop)
                # The configuration (one FeedConfig per feed), modules and clients live as
                # long as the worker: out of every full collection's walk; so do the per-URL
                # memos' entries, frozen again as they grow (service/startup_heap.py).
                freeze_startup_heap()
                refreezing = watch(
                    asyncio.create_task(RefreezeOnGrowth(derived_total).run(), name="refreeze"),
                    "the memos' entries stay in the collector's walks; polling goes on",
                )
                try:
                    await run_workers(
                        settings, running.store, config, roles, stop, startup=running.startup
                    )
                finally:
                    refreezing.cancel()
            finally:
                stop.set()
                await all_ended(*running.children)
    finally:
        stop.set()
        await all_ended(beats)
    return running.exit_code()


async def cmd_feeds_list(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.feed_refs import shown_name, shown_url

    async with open_store(settings) as store:
        cursor = None
        while True:
            feeds, cursor = await store.feeds.page(after=cursor, limit=500)
            for feed in feeds:
                s = feed.state
                if s.last_error is not None:
                    health = f"failing x{s.consecutive_failures}"
                else:
                    health = "ok" if s.last_attempt is not None else "not polled yet"
                if s.gone:
                    health = "gone (410)"
                if feed.config.paused:
                    health = f"paused ({health})"
                # Shown as the API shows it: credentials in the URL masked (url_secrets).
                # Each of id, URL and name identifies the feed to `feeds poll|remove`.
                name = shown_name(feed) or "-"
                print(f"{feed.id}\t{shown_url(feed)}\t{name}\t{health}\t{s.last_error or ''}")
            if cursor is None:
                return 0


# What `feeds add` says instead of the API's regular expression for these options.
FEED_CODES = {
    "country": "an ISO 3166-1 alpha-2 code such as GB",
    "language": "an ISO 639 code such as en",
}


async def cmd_feeds_add(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.api.routes.feeds_admin import FeedIn
    from service.feed_checks import form_refusal, refusal

    # POST /v1/feeds's checks in its order: the URL's form and the options (a country
    # code, a language code, an interval in range, after the case the API asks for)
    # first, the SSRF guard's DNS lookup only once they hold. A URL refused by its form
    # is told the guard's words ("only http and https ..."), not pydantic's.
    fields = {
        "url": args.url,
        "name": args.name,
        "country": args.country.upper(),
        "language": args.language.lower(),
        "interval": args.interval,
    }
    form = form_refusal(args.url)
    problems = [] if form is None else [f"{redact_url(args.url)}: {form}"]
    try:
        FeedIn.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field = str(error["loc"][0])
            if field == "url" and form is not None:
                continue
            where = redact_url(args.url) if field == "url" else f"--{field} {fields[field]}"
            expected = FEED_CODES.get(field) if error["type"] == "string_pattern_mismatch" else None
            problem = f"must be {expected}" if expected else problem_text(error)
            problems.append(f"{where}: {problem}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    refused = await refusal(args.url, allow_private=settings.allow_private_targets)
    if refused is not None:
        hint = ""
        if (
            not settings.allow_private_targets
            and await refusal(args.url, allow_private=True) is None
        ):
            # Refused only because the address is not public: say how to allow it.
            hint = " (BRIEFING_ALLOW_PRIVATE_TARGETS=1 allows loopback and private addresses)"
        print(f"{redact_url(args.url)}: {refused}{hint}", file=sys.stderr)
        return 2
    feed = FeedConfig(
        url=args.url,
        name=args.name,
        country=fields["country"],
        language=fields["language"],
        interval=args.interval or settings.default_interval,
    )
    async with open_store(settings) as store:
        feed_id, created = await store.feeds.add(feed, first_poll=utcnow())
    print(f"{'added' if created else 'updated'} {redact_url(args.url)} (id {feed_id})")
    return 0


async def cmd_feeds_remove(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.feed_refs import FeedRefError, find_feed, shown_url

    async with open_store(settings) as store:
        try:
            feed = await find_feed(store, args.feed)
        except FeedRefError as exc:
            print(exc, file=sys.stderr)
            return 1
        await store.feeds.remove_feed(feed)
    print(f"removed {shown_url(feed)} (id {feed.id})")
    return 0


async def cmd_feeds_poll(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.feed_refs import FeedRefError, find_feed
    from workers.fetch_stage import FetchStage
    from workers.http_fetch import Fetcher
    from workers.runtime import parse_processes_for

    # Parsed as a fetch worker parses: in a parse process, within BRIEFING_PARSE_TIMEOUT.
    processes = parse_processes_for(settings, ["fetch"])
    settings = settings.model_copy(update={"parse_processes": processes})
    async with open_store(settings) as store:
        try:
            feed = await find_feed(store, args.feed)
        except FeedRefError as exc:
            # Polling must not subscribe: an unknown URL is added only by `feeds add`.
            hint = ""
            if "://" in args.feed:
                hint = "; to poll a new URL, add it first: briefing feeds add URL"
            print(f"{exc}{hint}", file=sys.stderr)
            return 1
        async with Fetcher(settings) as fetcher:
            stage = FetchStage(settings, store, fetcher)
            try:
                report = await stage.poll(feed, now=utcnow())
            finally:
                stage.close()
    # A poll that got no response (DNS, refused, timeout, the SSRF guard) has no status.
    answer = "no HTTP response" if report.status is None else f"HTTP {report.status}"
    print(
        f"{report.url}: {report.outcome} ({answer}); entries {report.entries}, "
        f"new {report.new}, new sources {report.new_sources}, duplicates {report.duplicates}"
    )
    if report.error:
        print(f"error: {report.error}")
    return 1 if report.error else 0


async def cmd_check(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    print(
        f"config file: {settings.config_file} ({len(config.feeds)} feeds, "
        f"{len(config.briefings)} briefings): ok"
    )
    # Printed, so without the password (check output ends up in tickets and CI logs).
    where = (
        redact_url(settings.redis_url)
        if settings.redis_url
        else f"embedded (data dir {settings.data_dir.resolve()})"
    )
    try:
        async with open_store(settings, check_format=False) as store:
            info = await store.server_info()
            data_format = await check_data_format(store.redis, store.keys)
            await store.ping()
            feeds = len(await store.feeds.ids())
            seeded = await store.briefings.version() > 0
            stored = await store.briefings.all()
    except DataFormatError as exc:
        print(f"redis: {where}: FAILED: data format: {exc}")
        return 1
    except Exception as exc:
        print(f"redis: {where}: FAILED: {exc}")
        return 1
    print(
        f"redis: {where}: ok (Redis {info.get('redis_version')}, data format {data_format}), "
        f"{feeds} feeds stored"
    )
    if seeded and stored != config.briefings:
        # Not an error: the file seeds an empty store, the admin API edits after.
        ids = ", ".join(b.id for b in stored) or "none"
        print(f"briefings: Redis holds {len(stored)} ({ids}), edited since the config seeded it")
    return 0


async def cmd_migrate(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.store.migrations import migrate

    async with open_store(settings, check_format=False) as store:
        for line in await migrate(store.redis, store.keys):
            print(line)
    return 0


async def cmd_keys_create(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.store.apikeys import create_api_key

    async with open_store(settings) as store:
        key = await create_api_key(store, args.name, now=utcnow())
    print(key)
    print("Store it now: only its hash is kept, it cannot be shown again.", file=sys.stderr)
    return 0


# A key's id is the start of its SHA-256 digest: enough to tell keys apart, and useless
# for authenticating (only the key itself is, and it is never stored).
KEY_ID_CHARS = 12


async def cmd_keys_list(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.store.apikeys import ApiKeyStore
    from service.store.codec import iso

    async with open_store(settings) as store:
        keys = await ApiKeyStore(store.redis, store.keys).list()
    for key in keys:
        created = iso(key.created_at) or "-"  # as the API writes times (RFC 3339, "Z")
        print(f"{key.digest[:KEY_ID_CHARS]}\t{key.name or '-'}\t{created}")
    if not keys:
        print("no admin keys stored (BRIEFING_ADMIN_KEY, if set, is not listed)", file=sys.stderr)
    return 0


async def cmd_keys_revoke(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from service.store.apikeys import ApiKeyStore

    wanted = args.key_id.strip().lower()
    async with open_store(settings) as store:
        keys = ApiKeyStore(store.redis, store.keys)
        matches = [k for k in await keys.list() if k.digest.startswith(wanted)]
        if len(wanted) < KEY_ID_CHARS or len(matches) != 1:
            print(
                f"no single key with id {args.key_id!r} (see briefing keys list)", file=sys.stderr
            )
            return 1
        await keys.revoke(matches[0].digest)
    print(f"revoked {matches[0].digest[:KEY_ID_CHARS]} ({matches[0].name or 'no name'})")
    return 0


async def cmd_backfill(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from workers.backfill import backfill, feed_files

    if not args.source.exists():
        print(f"{args.source}: no such file or directory", file=sys.stderr)
        return 1
    files = feed_files(args.source)
    if not files:
        print(f"no files under {args.source}", file=sys.stderr)
        return 1
    done = 0

    def progress(report: Any) -> None:
        nonlocal done
        done += 1
        width = 30
        bar = "#" * (width * done // len(files))
        status = report.error or f"{report.entries} entries, {report.new} new"
        print(
            f"\r[{bar:<{width}}] {done}/{len(files)} {report.path.name[:40]}: {status[:60]}",
            end="\n" if report.error or done == len(files) else "",
            file=sys.stderr,
            flush=True,
        )

    now = utcnow()
    async with open_store(settings) as store:
        reports = await backfill(
            store,
            files,
            now=now,
            text_max_chars=settings.text_max_chars,
            progress=progress,
            retained_since=now - timedelta(days=settings.retention_days),
        )
    new = sum(r.new for r in reports)
    failed = sum(1 for r in reports if r.error)
    print(f"{len(reports)} files, {new} new articles, {failed} files with errors")
    expiring = sum(r.expiring for r in reports)
    if expiring:
        print(
            f"warning: {expiring} of the new articles were published more than "
            f"{settings.retention_days} days ago (BRIEFING_RETENTION_DAYS): the hourly "
            "retention job removes them; raise BRIEFING_RETENTION_DAYS to keep them",
            file=sys.stderr,
        )
    return 1 if failed else 0


async def cmd_cluster_eval(args: argparse.Namespace, settings: Settings, config: AppConfig) -> int:
    from workers.cluster_eval import DocumentError, run_eval

    try:
        stats = run_eval(args.file, args.out)
    except DocumentError as exc:
        print(f"cluster-eval: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the input missing or unreadable, the output not writable
        where = exc.filename if exc.filename is not None else args.file
        print(f"cluster-eval: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"{stats['documents']} documents -> {stats['stories']} stories in "
        f"{stats['seconds']:.1f} s ({stats['docs_per_second']:.0f} documents/s); "
        f"predictions in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
