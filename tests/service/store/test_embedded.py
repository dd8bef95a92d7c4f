"""The embedded Redis server of a data directory: its owner starts and stops it (data
saved), other processes attach without owning it, and nothing of an old server remains
in the way of a new one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis

from service.store.connection import open_target
from service.store.embedded import (
    EmbeddedRedisError,
    EmbeddedServer,
    socket_path,
)


def client_of(server: EmbeddedServer) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(server.socket), decode_responses=True)


def test_the_owner_stops_the_server_with_the_data_saved(tmp_path: Path) -> None:
    target = open_target(None, tmp_path)
    server = target.embedded
    assert server is not None and server.owner and server.pid is not None
    client_of(server).set("kept", "yes")
    target.close()
    assert not server.socket.exists()  # the server is gone
    assert not (tmp_path / "redis.pid").exists()  # it exited normally

    again = open_target(None, tmp_path)  # a new server on the same files
    try:
        assert again.embedded is not None
        assert client_of(again.embedded).get("kept") == "yes"
    finally:
        again.close()


def test_a_second_process_attaches_and_leaves_the_server_running(tmp_path: Path) -> None:
    owner = EmbeddedServer.open(tmp_path)
    try:
        attached = EmbeddedServer.open(tmp_path)
        assert not attached.owner and attached.pid is None
        client_of(attached).set("shared", "1")
        attached.stop()
        assert client_of(owner).get("shared") == "1"  # still running
    finally:
        owner.stop()


def test_an_attached_process_takes_over_when_the_owner_is_gone(tmp_path: Path) -> None:
    owner = EmbeddedServer.open(tmp_path)
    attached = EmbeddedServer.open(tmp_path)
    owner.stop()
    try:
        assert attached.take_ownership()
        attached.start()
        attached.wait_ready()
        assert client_of(attached).ping()
    finally:
        attached.stop()


def test_an_orphan_server_on_the_data_dir_is_stopped_before_a_new_one_starts(
    tmp_path: Path,
) -> None:
    # A server nobody owns any more: the owner's lock is gone, the server is not.
    orphan = EmbeddedServer.open(tmp_path)
    orphan_pid = orphan.pid
    assert orphan.process is not None and orphan._lock_fd is not None
    os.close(orphan._lock_fd)
    orphan._lock_fd = None
    client_of(orphan).set("kept", "yes")

    successor = EmbeddedServer.open(tmp_path)
    try:
        assert successor.owner and successor.pid != orphan_pid
        assert orphan.process.wait(timeout=30) == 0  # SHUTDOWN SAVE: a normal exit
        assert client_of(successor).get("kept") == "yes"
    finally:
        successor.stop()


def test_a_server_that_cannot_start_is_an_error_naming_its_log(tmp_path: Path) -> None:
    (tmp_path / "appendonly.aof").write_bytes(b"not a redis command\r\n")
    with pytest.raises(EmbeddedRedisError, match=r"exited with status 1; its log ends: .+"):
        EmbeddedServer.open(tmp_path)


def test_long_data_dirs_get_their_socket_in_the_temporary_directory(tmp_path: Path) -> None:
    short = tmp_path / "d"
    deep = tmp_path / ("x" * 120)
    assert socket_path(short) == short / "redis.sock"
    assert socket_path(deep).parent != deep and socket_path(deep) == socket_path(deep)
    assert len(str(socket_path(deep))) <= 100 and socket_path(deep) != socket_path(short)
