"""A real `briefing worker --role fetch` process stuck in a hostile parse: SIGTERM stops
it without waiting for the parse (its deadline is an hour here), and no parse worker
process outlives it. A stage that fails stops the worker with its error, logged once; a
failed start of the parse processes is logged and the worker polls on."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path

import pytest
import yaml

from service.clock import utcnow
from service.config import AppConfig
from service.metrics import metrics
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from service.store.deliveries import DeliveryStore
from service.store.leases import Leases
from service.store.partitions import PartitionStore
from service.store.streams import StreamConsumer
from service.task_cancel import cancel_all_and_wait
from service.task_failures import TaskFailed
from tests.factories import BBC_WORLD, many_attributes
from tests.feedserver import FeedServer, Request, Response
from tests.support.lost_cancellation import losing_cancellations, losing_one_cancellation_each
from tests.support.net import free_port
from tests.support.processes import gone
from tests.support.redis_fixture import redis_url_of
from tests.support.redis_server import RedisServer
from tests.support.worker_processes import ROOT, worker_env
from workers import places, runtime
from workers.briefing_match import place_countries
from workers.claim_loop import FetchScheduler
from workers.fetch_stage import FetchStage
from workers.notify_stage import NotifyStage
from workers.runtime import (
    PARSE_START_FAILED,
    POLL_GRACE,
    STAGE_FAILED,
    STAGE_GRACE,
    run_workers,
    start_maintenance,
    warm_up,
)


def children(pid: int) -> list[int]:
    """Every process whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


async def fetch_worker(
    tmp_path: Path,
    feed_url: str,
    redis_target: RedisTarget,
    *,
    role: str = "fetch",
    **settings: str,
) -> asyncio.subprocess.Process:
    """``briefing worker --role fetch`` (or ``role``) of the one feed ``feed_url``, with
    ``settings`` in its environment; its output goes to tmp_path/worker.log."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nurl = "{feed_url}"\nname = "feed"\n')
    env = {**worker_env(redis_url_of(redis_target), config), **settings}
    log = (tmp_path / "worker.log").open("wb")
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service.cli", "worker", "--role", role,
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    log.close()
    return worker


async def test_sigterm_during_a_hung_parse_stops_the_worker_and_its_parse_process(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    worker = await fetch_worker(
        tmp_path,
        hostile,
        redis_target,
        BRIEFING_PARSE_TIMEOUT="3600",
        BRIEFING_FIRST_POLL_SPREAD="0",
    )
    try:
        started = time.monotonic()
        while not feed_server.requests_to("/hostile.xml") or not children(worker.pid):
            assert time.monotonic() - started < 60, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.1)
        parse_workers = children(worker.pid)
        await asyncio.sleep(2.0)  # the document is in the parse worker, which has minutes to go
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), timeout=60)  # far below the deadline
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    assert code == 0, (tmp_path / "worker.log").read_text()
    for pid in parse_workers:
        assert await gone(pid), f"process {pid} outlived the worker"


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("role", "apart"),
    [("fetch", "0"), ("all", "0"), ("all", "10")],
    ids=["fetch", "all-stages-in-one-process", "all-process-stage-in-a-child"],
)
async def test_sigterm_right_after_a_workers_start_stops_it_promptly(
    tmp_path: Path,
    feed_server: FeedServer,
    store: Store,
    redis_target: RedisTarget,
    role: str,
    apart: str,
) -> None:
    """SIGTERM at once after the launch (a supervisor restarting a crash-looping worker,
    a deploy), and as the stages start, runs after runs: each worker exits well within
    POLL_GRACE and STAGE_GRACE, 0 once it handles signals (before, the signal's default
    action ends it: nothing has started). With nothing in flight no stop may wait out a
    grace; an idle claim ceiling of a minute makes a stop held by the feed wake-ups
    listener (service/store/feed_wakes.py) wait the whole POLL_GRACE, and a process lease
    of a minute one held by a partition's task (workers/partitions.py) wait a lease.
    ``apart``: BRIEFING_WORKER_NICENESS, above 0 the process stage runs in a child."""
    url = feed_server.add("/feed.xml", BBC_WORLD)
    # Seconds after the launch; None: as soon as the stages run.
    points: list[float | None] = [0.0, 0.25, 0.5, 1.0, *[None] * 6]
    for run, after in enumerate(points):
        logs = tmp_path / f"run-{run}"
        logs.mkdir()
        worker = await fetch_worker(
            logs,
            url,
            redis_target,
            role=role,
            BRIEFING_LOG_LEVEL="INFO",
            BRIEFING_SCHEDULER_TICK="60",
            BRIEFING_PROCESS_LEASE="60",
            BRIEFING_RECLAIM_IDLE="120",
            BRIEFING_WORKER_NICENESS=apart,
        )
        try:
            if after is not None:
                await asyncio.sleep(after)
            else:
                async with asyncio.timeout(60):
                    while b"workers running" not in (logs / "worker.log").read_bytes():
                        assert worker.returncode is None, (logs / "worker.log").read_text()
                        await asyncio.sleep(0.001)
            worker.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(worker.wait(), timeout=min(POLL_GRACE, STAGE_GRACE) / 2)
        finally:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
        expected = (0, -signal.SIGTERM) if after is not None else (0,)
        assert code in expected, (logs / "worker.log").read_text()


async def test_a_fetch_worker_starts_its_parse_processes_before_they_are_needed(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    """Both parse processes run before two parses ever overlap: the one small feed (one
    parse at a time) would start only one of them on demand."""
    small = feed_server.add("/small.xml", "<rss><channel><title>t</title></channel></rss>")
    worker = await fetch_worker(tmp_path, small, redis_target, BRIEFING_PARSE_PROCESSES="2")
    try:
        started = time.monotonic()
        while len(children(worker.pid)) < 2:
            assert time.monotonic() - started < 60, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.1)
        assert len(children(worker.pid)) == 2
    finally:
        worker.send_signal(signal.SIGTERM)
        await asyncio.wait_for(worker.wait(), timeout=60)


def test_compose_waits_for_a_whole_shutdown_before_killing() -> None:
    """A stopped process may use both graces before it exits; the compose file's SIGKILL
    must wait for them and for the exit itself."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("api", "worker"):
        grace = compose["services"][name]["stop_grace_period"]
        assert grace.endswith("s") and float(grace[:-1]) >= POLL_GRACE + STAGE_GRACE + 5


async def test_maintenance_while_redis_is_away_logs_one_warning_per_run(
    server_store: Store, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = start_maintenance(Settings(), server_store)
    try:
        await redis_server.kill()
        for job_id in ("trim", "retention"):
            await scheduler.get_job(job_id).func()
    finally:
        scheduler.shutdown(wait=False)
    records = [r for r in caplog.records if r.name == "workers.runtime"]
    assert [r.getMessage().split(" (")[0] for r in records] == [
        "stream trim failed; next run in a minute",
        "retention run failed; next run in an hour",
    ]
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in records)
    assert all("(Redis unavailable: " in r.getMessage() for r in records)


def test_warm_up_loads_the_process_stages_gazetteer_only_for_that_role() -> None:
    """Loaded on first use, the tables would be parsed on the event loop at the first
    batch after a start, while the API shares it; warm_up loads them before serving."""
    places._tables.cache_clear()
    places._widths.cache_clear()
    place_countries.cache_clear()
    warm_up(["fetch", "notify"])
    assert places._tables.cache_info().currsize == 0
    assert place_countries.cache_info().currsize == 0
    warm_up(["all"])
    assert places._tables.cache_info().currsize == 1
    assert places._widths.cache_info().currsize == 1
    assert place_countries.cache_info().currsize == 1
    assert places.find_places("Shelling in Kharkiv overnight") == ("Kharkiv",)


# Modules only one role's process needs (or the API's): a process that does not run the
# role must not hold them in memory.
ROLE_MODULES = {
    "fetch": {"workers.fetch_stage", "workers.http_fetch"},
    "process": {"workers.story_stage", "workers.process_stage", "workers.dedupe"},
    "notify": {"workers.notify_stage"},
    "api": {"fastapi", "uvicorn", "service.api.app"},
}
# Modules no role's start imports: datasketch (its package imports scipy's integrator) is
# the tests' reference for workers/dedupe.py, whose values are written out.
NO_ROLE_MODULES = {"datasketch", "scipy"}
# The parser, normalizer and language identifier: a fetch stage with parse processes
# parses there (workers/parse_calls.py), and its own process never loads them.
PARSER_MODULES = {"workers.parse", "workers.normalize", "feedparser", "py3langid"}

# `briefing ARGS` that writes the names of its modules to the file given first, at exit.
MODULES_AT_EXIT = """
import atexit, json, sys
from service.cli import main
atexit.register(lambda: open(sys.argv[1], "w").write(json.dumps(sorted(sys.modules))))
raise SystemExit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(
    ("args", "runs"),
    [
        # The process-stage child's command line (service/stage_child.py).
        (["worker", "--role", "process", "--child", "process stage"], {"process"}),
        (["worker", "--role", "fetch"], {"fetch"}),
        (["worker", "--role", "notify"], {"notify"}),
        # `briefing run`'s own process: the process stage is its child's.
        (["run", "--host", "127.0.0.1"], {"fetch", "notify", "api"}),
    ],
)
async def test_a_process_imports_only_the_modules_of_the_roles_it_runs(
    args: list[str], runs: set[str], tmp_path: Path, redis_target: RedisTarget
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[briefings]]\nid = "world"\ntitle = "World"\n')
    env = worker_env(redis_url_of(redis_target), config) | {
        "BRIEFING_LOG_LEVEL": "INFO",
        "BRIEFING_WORKER_NICENESS": "10",
    }
    if args[0] == "run":
        args = [*args, "--port", str(free_port()), "--data-dir", str(tmp_path / "data")]
    else:
        args = [*args, "--heartbeat-file", str(tmp_path / "beat")]
    dump, log_path = tmp_path / "modules.json", tmp_path / "briefing.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", MODULES_AT_EXIT, str(dump), *args,
            env=env, cwd=ROOT, stdout=log, stderr=log,
        )  # fmt: skip
    try:
        async with asyncio.timeout(60):
            while "workers running" not in log_path.read_text():  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=60) == 0, log_path.read_text()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    modules = set(json.loads(dump.read_text()))
    for role, names in ROLE_MODULES.items():
        if role in runs:
            assert names <= modules, (role, names - modules)
        else:
            assert not names & modules, (role, names & modules)
    assert not PARSER_MODULES & modules  # its fetch stage, if any, has parse processes


# A fresh interpreter's modules after warm_up(ROLES...), as JSON on stdout; with settings
# of PARSE parse processes unless PARSE is "-" (no settings).
WARMED_MODULES = """
import json, sys
from service.settings import Settings
from workers.runtime import warm_up
parse, *roles = sys.argv[1:]
warm_up(roles, None if parse == "-" else Settings(parse_processes=int(parse)))
print(json.dumps(sorted(sys.modules)))
"""


async def warmed_modules(roles: list[str], parse_processes: int | None) -> set[str]:
    parse = "-" if parse_processes is None else str(parse_processes)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WARMED_MODULES, parse, *roles,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _err = await asyncio.wait_for(process.communicate(), timeout=120)
    return set(json.loads(out))


@pytest.mark.parametrize("roles", [["fetch", "notify"], ["process"]])
async def test_warm_up_imports_the_modules_of_its_roles_before_the_api_serves(
    roles: list[str],
) -> None:
    """`briefing run` warms up its roles before the API's startup freeze and serves while
    its stages start: a role's modules imported only when its stage starts would hold the
    GIL while the API serves and stay in the collector's walks."""
    modules = await warmed_modules(roles, None)
    for role, names in ROLE_MODULES.items():
        if role in roles:
            assert names <= modules, (role, names - modules)
        elif role != "api":
            assert not names & modules, (role, names & modules)
    assert not NO_ROLE_MODULES & modules


@pytest.mark.parametrize(("parse_processes", "parses_here"), [(0, True), (1, False)])
async def test_warm_up_loads_the_parser_only_where_the_fetch_stage_parses(
    parse_processes: int, parses_here: bool
) -> None:
    """Without a parse process the fetch stage parses on the event loop, so the parser
    and language model load before it serves; with one they load in the parse process."""
    modules = await warmed_modules(["fetch"], parse_processes)
    assert ROLE_MODULES["fetch"] <= modules
    assert (modules >= PARSER_MODULES) is parses_here
    assert (not PARSER_MODULES & modules) is not parses_here


def in_process_settings(tmp_path: Path) -> Settings:
    return Settings(
        allow_private_targets=True, jitter=0.0, parse_processes=1, data_dir=tmp_path / "data"
    )


def task_failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "service.task_failures"]


async def test_a_failed_start_of_the_parse_processes_is_logged_and_the_worker_polls_on(
    tmp_path: Path,
    store: Store,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def unexpected(self: FetchStage) -> None:
        raise RuntimeError("no parse processes today")

    monkeypatch.setattr(FetchStage, "start_parsers", unexpected)
    url = feed_server.add("/feed.xml", BBC_WORLD)
    await store.feeds.add(FeedConfig(url=url), first_poll=utcnow())
    stop = asyncio.Event()
    with caplog.at_level(logging.ERROR):
        worker = asyncio.create_task(
            run_workers(in_process_settings(tmp_path), store, AppConfig(), ["fetch"], stop)
        )
        started = time.monotonic()
        while (feed := await store.feeds.by_url(url)) is None or feed.state.last_success is None:
            assert time.monotonic() - started < 60 and not worker.done()
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(worker, 60)  # no error: the parse processes start on demand
    (failure,) = task_failures(caplog)
    assert failure.getMessage() == f"task parse-processes failed: {PARSE_START_FAILED}"
    assert failure.exc_info is not None
    assert str(failure.exc_info[1]) == "no parse processes today"


def tasks_named(name: str) -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if task.get_name() == name and not task.done()]


async def test_the_fetch_stage_freezes_the_per_url_memos_as_they_grow(
    tmp_path: Path, store: Store, feed_server: FeedServer
) -> None:
    """Wherever it runs: `briefing worker` and `briefing run` (one process with the API)
    both run their stages here (service/startup_heap.py, ``RefreezeOnGrowth``)."""
    url = feed_server.add("/feed.xml", BBC_WORLD)
    await store.feeds.add(FeedConfig(url=url), first_poll=utcnow())
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_workers(in_process_settings(tmp_path), store, AppConfig(), ["fetch"], stop)
    )
    async with asyncio.timeout(60):
        while (feed := await store.feeds.by_url(url)) is None or feed.state.last_success is None:
            assert not worker.done()
            await asyncio.sleep(0.05)
    assert len(tasks_named("refreeze")) == 1
    stop.set()
    await asyncio.wait_for(worker, 60)
    assert tasks_named("refreeze") == []


async def test_a_worker_without_the_fetch_stage_does_not_refreeze(
    tmp_path: Path, store: Store
) -> None:
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_workers(in_process_settings(tmp_path), store, AppConfig(), ["notify"], stop)
    )
    async with asyncio.timeout(60):
        while not tasks_named("metrics"):  # started last, as the workers run
            assert not worker.done()
            await asyncio.sleep(0.01)
    assert tasks_named("refreeze") == []
    stop.set()
    await asyncio.wait_for(worker, 60)


async def _broken_notifier(self: NotifyStage, stop: asyncio.Event) -> None:
    raise RuntimeError("the stage broke")


async def _broken_claims(self: FetchScheduler) -> None:
    raise RuntimeError("the stage broke")


@pytest.mark.parametrize(
    ("role", "owner", "broken", "task"),
    [
        ("notify", NotifyStage, _broken_notifier, "notify-stage"),
        ("fetch", FetchScheduler, _broken_claims, "fetch-claims"),
    ],
)
async def test_a_stage_that_fails_stops_the_worker_with_its_error(
    role: str,
    owner: type,
    broken: object,
    task: str,
    tmp_path: Path,
    store: Store,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(owner, "run", broken)
    stop = asyncio.Event()
    with (
        caplog.at_level(logging.ERROR),
        pytest.raises(TaskFailed, match=rf"^{task}: RuntimeError: the stage broke$"),
    ):
        await asyncio.wait_for(
            run_workers(in_process_settings(tmp_path), store, AppConfig(), [role], stop), 60
        )
    assert stop.is_set()
    (failure,) = task_failures(caplog)
    assert failure.getMessage() == f"task {task} failed: {STAGE_FAILED}"
    assert failure.exc_info is not None and str(failure.exc_info[1]) == "the stage broke"


async def test_a_worker_whose_notify_stage_cannot_start_exits_with_its_error(
    tmp_path: Path, store: Store, redis_target: RedisTarget
) -> None:
    """The webhook key's directory cannot be made (a file stands where it should be): the
    notify stage fails as it starts, and the worker exits 1 saying so, its traceback logged
    once, rather than run on without notifying anyone."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    config = tmp_path / "feeds.toml"
    config.write_text("")
    env = {
        **worker_env(redis_url_of(redis_target), config),
        "BRIEFING_DATA_DIR": str(blocker / "data"),
        "BRIEFING_LOG_FORMAT": "text",
    }
    env.pop("BRIEFING_SECRET_KEY", None)
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service.cli", "worker", "--role", "notify",
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        out, _ = await asyncio.wait_for(worker.communicate(), 60)
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    text = out.decode()
    assert worker.returncode == 1, text
    assert f"task notify-stage failed: {STAGE_FAILED}" in text
    assert "exiting: a stage failed (notify-stage: NotADirectoryError" in text
    assert text.count("Traceback") == 1, text


async def test_a_fetch_workers_parse_process_killed_while_idle_costs_no_poll(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    """kill -9 of a running fetch worker's idle parse process (the OOM killer, an
    operator): the feed's next poll parses on a fresh process and succeeds."""
    polls = 0

    def changing(request: Request) -> Response:  # a new item at every poll: each is parsed
        nonlocal polls
        polls += 1
        item = f"<item><guid>item-{polls}</guid><title>Item {polls}</title></item>"
        body = f'<rss version="2.0"><channel><title>t</title>{item}</channel></rss>'
        return Response(200, {"Content-Type": "application/rss+xml"}, body.encode())

    url = feed_server.add("/changing.xml", changing)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nurl = "{url}"\nname = "feed"\ninterval = 1\n')
    env = {
        **worker_env(redis_url_of(redis_target), config),
        "BRIEFING_PARSE_PROCESSES": "1",
        "BRIEFING_FIRST_POLL_SPREAD": "0",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service.cli", "worker", "--role", "fetch",
            env=env, cwd=ROOT, stdout=out, stderr=out,
        )  # fmt: skip
    try:
        started = time.monotonic()
        while (feed := await store.feeds.by_url(url)) is None or not feed.state.last_success:
            assert time.monotonic() - started < 60, log.read_text()
            await asyncio.sleep(0.05)
        (parse_process,) = children(worker.pid)
        killed_at = utcnow()
        os.kill(parse_process, signal.SIGKILL)
        # The first poll after the kill, as recorded (a failure backs off a second at least,
        # so sampling every 20 ms sees it before the next poll replaces it).
        while (feed := await store.feeds.by_url(url)) is None or (
            feed.state.last_attempt is None or feed.state.last_attempt <= killed_at
        ):
            assert time.monotonic() - started < 60, log.read_text()
            await asyncio.sleep(0.02)
        assert (feed.state.last_error, feed.state.consecutive_failures) == (None, 0)
    finally:
        worker.send_signal(signal.SIGTERM)
        await asyncio.wait_for(worker.wait(), timeout=60)
    # Idle at the kill as a rule (a poll a second, a parse of milliseconds); a kill that
    # lands in a parse is the other path to the same success: that call is made again.
    text = log.read_text()
    assert (
        f"parse worker {parse_process} killed by SIGKILL while idle" in text
        or "a parse worker died in a call; the call is made again on a fresh worker" in text
    ), text


@pytest.mark.timeout(120)
async def test_a_fetch_stage_stopped_right_after_its_start_leaves_no_listener(
    tmp_path: Path, store: Store
) -> None:
    """Stops at each of the first loop steps after the start, then a few milliseconds in:
    the feed wake-ups listener (service/store/feed_wakes.py) is subscribing then, and a
    cancellation redis-py dropped left it reading after the worker returned, for the
    event loop's close to wait on."""
    points = [("steps", steps) for steps in range(12)] * 5
    points += [("seconds", delay) for delay in (0.001, 0.005, 0.02, 0.05) * 3]
    left = []
    for kind, value in points:
        stop = asyncio.Event()
        worker = asyncio.create_task(
            run_workers(in_process_settings(tmp_path), store, AppConfig(), ["fetch"], stop)
        )
        if kind == "steps":
            for _ in range(int(value)):
                await asyncio.sleep(0)
        else:
            async with asyncio.timeout(60):
                while not tasks_named("metrics"):  # started last, as the workers run
                    assert not worker.done()
                    await asyncio.sleep(0.001)
            await asyncio.sleep(value)
        stop.set()
        await asyncio.wait_for(worker, 60)
        if listeners := tasks_named("feed-wakes"):
            left.append(f"{kind} {value}")
        for listener in listeners:  # ended before the next run (a read it cannot drop)
            listener.cancel()
            await asyncio.wait({listener}, timeout=30)
    assert left == []


@pytest.mark.timeout(120)
async def test_a_stage_that_loses_its_cancellation_after_the_grace_still_ends_the_stop(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage still running at the end of STAGE_GRACE is cancelled; a cancellation
    redis-py dropped (tests/support/lost_cancellation.py) left it to whatever it did next,
    and the stop waited on it for good. Here what it does next never ends alone (nor
    looks at ``stop``): the stop ends all the same, the stage cancelled."""
    monkeypatch.setattr(runtime, "STAGE_GRACE", 0.2)
    reading = asyncio.Event()

    async def flusher_losing_a_cancellation(_store: Store, _stop: asyncio.Event) -> None:
        await losing_cancellations(1, reading)

    monkeypatch.setattr(metrics, "run_flusher", flusher_losing_a_cancellation)
    stop = asyncio.Event()
    worker = asyncio.create_task(
        run_workers(in_process_settings(tmp_path), store, AppConfig(), ["notify"], stop)
    )
    await asyncio.wait_for(reading.wait(), 60)
    stop.set()
    done, _ = await asyncio.wait({worker}, timeout=30)
    assert done == {worker}, "the stop waits on a stage that lost its cancellation"
    worker.result()
    assert not tasks_named("metrics")


# The tasks a stage runs beside itself (workers/partitions.py, workers/notify_stage.py).
STAGE_PARTS = ("process-p", "notify-fan-out", "notify-deliveries")


@pytest.mark.timeout(600)
async def test_a_worker_stopped_at_any_early_step_ends_though_redis_calls_lose_the_cancellation(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process and notify stages stopped at each of their first loop steps and a few
    milliseconds in, with no grace (each stage cancelled at once) and the first
    cancellation reaching each of their Redis reads and lease calls dropped (as redis-py's
    ``asyncio.wait_for`` can on Python 3.11, tests/support/lost_cancellation.py), the
    caller then held for good: the worker ends all the same, and leaves none of its
    stages' tasks running (a partition's task, a notify loop)."""
    monkeypatch.setattr(runtime, "STAGE_GRACE", 0.0)
    methods = {
        (cls, name): getattr(cls, name)
        for cls, names in (
            (StreamConsumer, ("ensure_group", "read", "read_new", "own_pending", "reclaim")),
            (PartitionStore, ("heartbeat", "live_workers", "lease_holders", "leave")),
            (Leases, ("hold", "release")),
            (DeliveryStore, ("claim",)),
        )
        for name in names
    }
    points = [("steps", steps) for steps in range(0, 80, 2)]
    points += [("seconds", delay) for delay in (0.001, 0.005, 0.02, 0.05, 0.2, 0.5)]
    lost = []
    for kind, value in points:
        losing = losing_one_cancellation_each(monkeypatch, methods)
        stop = asyncio.Event()
        settings = in_process_settings(tmp_path)
        worker = asyncio.create_task(
            run_workers(settings, store, AppConfig(), ["process", "notify"], stop)
        )
        if kind == "steps":
            for _ in range(int(value)):
                await asyncio.sleep(0)
        else:
            await asyncio.sleep(value)
        stop.set()
        done, _ = await asyncio.wait({worker}, timeout=30)
        lost.append(any(call.lost for call in losing))
        left = [t for t in asyncio.all_tasks() if t.get_name().startswith(STAGE_PARTS)]
        await cancel_all_and_wait([*left, worker])  # ended before the next run
        assert done == {worker}, f"a stop at {kind} {value} is held"
        worker.result()
        assert left == [], f"tasks left running after a stop at {kind} {value}"
    assert any(lost)  # the stops met dropped cancellations
