"""The `briefing` command as users run it: real processes, embedded Redis, local feeds."""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from service import cli
from service.config import AppConfig
from service.feed_checks import CONCURRENCY
from service.models import FeedConfig
from service.settings import Settings
from service.stage_child import StageChild
from service.store import Store
from service.store.connection import RedisTarget, open_target
from service.store.embedded_supervisor import EmbeddedSupervisor
from service.store.keys import Keys
from service.store.migrations import DATA_FORMAT
from service.task_failures import TaskFailed
from tests.factories import BBC_WORLD
from tests.feedserver import FeedServer
from tests.support.net import free_port
from tests.support.newsroom import CONFIG as NEWSROOM
from tests.support.processes import (
    alive,
    briefing,
    briefing_run,
    embedded_service_env,
    stage_children,
    wait_for,
)
from tests.support.redis_fixture import redis_url_of
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
BBC = BBC_WORLD
# Seconds to wait for the process-stage child to end once its parent is killed: it runs
# niced in a session of its own, and a killed process ends only once it gets a CPU, which
# on a host busy with other work comes to it last (as tests/support/processes.py's gone).
NICED_EXIT = 30.0


@pytest.fixture
def env(tmp_path: Path, feed_server: FeedServer) -> dict[str, str]:
    url = feed_server.add("/bbc.xml", BBC)
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nurl = "{url}"\nname = "BBC"\ncountry = "GB"\nlanguage = "en"\n\n'
        '[[briefings]]\nid = "world"\ntitle = "World"\n'
    )
    return embedded_service_env(tmp_path / "data", config)


@pytest.fixture
def running(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    with briefing_run(env, tmp_path) as run:
        yield run.base
        code, _seconds = run.stop()
        assert code == 0, run.output()[-3000:]


@pytest.mark.slow
def test_run_ingests_default_config_and_cli_shares_its_redis(
    running: str, env: dict[str, str], feed_server: FeedServer
) -> None:
    wait_for(lambda: len(httpx.get(f"{running}/v1/articles?limit=100").json()["items"]) >= 30)
    items = httpx.get(f"{running}/v1/articles?limit=100").json()["items"]
    assert {"id", "url", "title", "published", "feed_url", "sources"} <= items[0].keys()
    assert len({i["id"] for i in items}) == len(items)
    # The briefings from the config file are served: stories on the timeline and the page.
    timeline = f"{running}/v1/briefings/world/timeline"
    wait_for(lambda: httpx.get(timeline).json()["items"])
    story = httpx.get(timeline).json()["items"][0]
    assert story["headline"] and story["sources"]
    page = httpx.get(f"{running}/briefings/world")
    assert page.status_code == 200 and story["headline"][:20] in html.unescape(page.text)

    # `feeds add` and `feeds poll` reach the same embedded Redis as the running service.
    extra = feed_server.add("/extra.xml", BBC.replace(b"bbc.co.uk", b"extra.example"))
    added = briefing("feeds", "add", extra, "--interval", "600", "--name", "Extra", env=env)
    assert added.returncode == 0 and "added" in added.stdout
    polled = briefing("feeds", "poll", extra, env=env)
    assert polled.returncode == 0, polled.stdout + polled.stderr
    # The running scheduler may have polled the new feed first: then the body is unchanged.
    assert polled.stdout.startswith(f"{extra}: ")
    assert "new_entries" in polled.stdout or "unchanged" in polled.stdout
    wait_for(lambda: httpx.get(f"{running}/v1/articles", params={"feed": extra}).json()["items"])
    feeds = httpx.get(f"{running}/v1/feeds").json()["items"]
    assert extra in {f["url"] for f in feeds}
    listed = briefing("feeds", "list", env=env)
    assert extra in listed.stdout
    check = briefing("check", env=env)
    assert check.returncode == 0 and "redis" in check.stdout and "ok" in check.stdout


# --- stopping: every line JSON, prompt with event streams open ------------------------------


def json_lines(output: str) -> list[dict[str, Any]]:
    """Every line of ``output`` parsed as JSON; fails on the first line that is not."""
    entries = []
    for line in output.splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r} in\n{output[-3000:]}") from None
    return entries


def errors_in(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["level"] in ("error", "critical")]


@pytest.mark.slow
def test_every_line_is_json_and_a_normal_stop_logs_no_failure(
    env: dict[str, str], tmp_path: Path
) -> None:
    with briefing_run({**env, "BRIEFING_LOG_LEVEL": "INFO"}, tmp_path) as run:
        assert httpx.get(f"{run.base}/v1/articles").status_code == 200
        code, _seconds = run.stop()
    output = run.output()
    assert code == 0, output[-3000:]
    entries = json_lines(output)
    # uvicorn's lines too; its access line carries the request as fields.
    (access,) = [
        e for e in entries if e["logger"] == "uvicorn.access" and e["path"] == "/v1/articles"
    ]
    assert (access["method"], access["status"]) == ("GET", 200)
    assert any(e["logger"] == "uvicorn.error" and e["message"] == "Shutting down" for e in entries)
    # Stopping the embedded Redis is part of every stop, not a failure.
    assert not [e for e in entries if "shutdown failed" in e["message"].lower()], output
    assert not errors_in(entries), output


@pytest.mark.slow
def test_sigterm_ends_open_event_streams_and_exits_promptly(
    env: dict[str, str], tmp_path: Path
) -> None:
    with briefing_run({**env, "BRIEFING_LOG_LEVEL": "INFO"}, tmp_path) as run:
        url = f"{run.base}/v1/briefings/world/stream"
        with httpx.Client(timeout=10) as client, client.stream("GET", url) as response:
            lines = response.iter_lines()
            assert [next(lines), next(lines)] == ["retry: 3000", ": connected"]
            time.sleep(0.5)  # the preamble goes out before the hub subscription: let it settle
            code, _seconds = run.stop()
            assert code == 0, run.output()[-3000:]
            # The server ended the response (a complete chunked body, else httpx raises
            # while reading), not cut it off. The feed's first poll may land after the
            # subscription: its story events are whole SSE fields before the end.
            rest = [line for line in lines if line]
            assert all(line.startswith(("id: ", "event: ", "data: ", ":")) for line in rest)
    entries = json_lines(run.output())
    # Streams were closed by us, not cancelled when uvicorn's graceful timeout ran out
    # (uvicorn logs that as an error).
    assert "timeout graceful shutdown exceeded" not in run.output()
    assert not errors_in(entries), run.output()
    assert "CancelledError" not in run.output()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["api", "run"])
def test_sigterm_as_an_event_stream_connects_exits_before_the_graceful_timeout(
    env: dict[str, str], tmp_path: Path, command: str
) -> None:
    """SIGTERM as a client's event stream starts (the hub's reader positioning itself in
    Redis, its first read), runs after runs: the stream is ended, not left holding the
    shutdown until uvicorn's graceful timeout (5 s, service/cli.py) cancels it, and the
    process exits 0 without reaching it."""
    for run_number, after in enumerate([0.0, 0.0, 0.01, 0.05, 0.2]):
        logs = tmp_path / f"run-{run_number}"
        logs.mkdir()
        settings = {**env, "BRIEFING_LOG_LEVEL": "INFO", "BRIEFING_SCHEDULER_TICK": "60"}
        with briefing_run(settings, logs, command) as run:
            url = f"{run.base}/v1/briefings/world/stream"
            with httpx.Client(timeout=10) as client, client.stream("GET", url) as response:
                lines = response.iter_lines()
                assert [next(lines), next(lines)] == ["retry: 3000", ": connected"]
                time.sleep(after)
                code, _seconds = run.stop()
                assert code == 0, run.output()[-3000:]
        # Exiting before the graceful timeout is what uvicorn logs when it is exceeded;
        # the elapsed seconds are not asserted (tests assert behaviour, not speed).
        assert "timeout graceful shutdown exceeded" not in run.output(), f"run {run_number}"


def test_bad_config_stops_with_file_line_and_key(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feeds]]\nurl = "https://a.example/rss"\ninterval = "soon"\n')
    result = briefing("check", env={**env, "BRIEFING_CONFIG": str(bad)})
    assert result.returncode == 2
    assert f"{bad}:3: feeds[0].interval" in result.stderr


@pytest.mark.parametrize("command", [[], ["run"], ["feeds"], ["feeds", "add"], ["worker"]])
def test_help_for_every_command(command: list[str], env: dict[str, str]) -> None:
    result = briefing(*command, "--help", env=env)
    assert result.returncode == 0
    assert "usage: briefing" in result.stdout


def every_command(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str, argparse.ArgumentParser]]:
    """(the command's words, the line the list of commands shows for it, its parser)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for listed in action._choices_actions:
                command = action.choices[listed.dest]
                yield (*words, listed.dest), str(listed.help), command
                yield from every_command(command, (*words, listed.dest))


def test_each_commands_help_says_what_it_does() -> None:
    """`briefing feeds add --help` opens with what `briefing feeds --help` lists it for."""
    commands = list(every_command(cli.build_parser()))
    assert len(commands) == 16
    for words, line, command in commands:
        assert f"\n\n{line}\n" in command.format_help(), words


@pytest.mark.parametrize("group", ["feeds", "keys"])
def test_a_command_group_without_its_action_shows_its_own_help(
    group: str, env: dict[str, str]
) -> None:
    result = briefing(group, env=env)
    assert result.returncode == 2
    assert result.stdout.startswith(f"usage: briefing {group} [-h] ACTION ...")
    assert f"{group} commands:" in result.stdout


def test_output_into_a_pipe_closed_early_ends_quietly(env: dict[str, str]) -> None:
    """`briefing feeds list | head -1`: the reader goes away; no traceback, the exit
    status of a command ended by SIGPIPE."""
    assert briefing("feeds", "add", "https://a.example/rss", env=env).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "feeds", "list"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # before the command has printed anything
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert process.returncode == 128 + signal.SIGPIPE


def test_commands_that_print_their_answer_log_no_info_lines_unless_told(
    env: dict[str, str], tmp_path: Path
) -> None:
    default = {k: v for k, v in env.items() if k != "BRIEFING_LOG_LEVEL"}
    archive = tmp_path / "bbc.xml"
    archive.write_bytes(BBC)
    backfill = ["backfill", "--from", str(archive)]
    for command in (["feeds", "list"], ["check"], ["keys", "list"], backfill):
        quiet = briefing(*command, env=default)
        assert quiet.returncode == 0, quiet.stderr
        assert '"level": "info"' not in quiet.stderr, command
    told = briefing("feeds", "list", env={**default, "BRIEFING_LOG_LEVEL": "INFO"})
    assert '"message": "embedded redis ready"' in told.stderr


def test_feeds_add_of_a_loopback_url_says_which_setting_allows_it(env: dict[str, str]) -> None:
    strict = {**env, "BRIEFING_ALLOW_PRIVATE_TARGETS": "0"}
    refused = briefing("feeds", "add", "http://127.0.0.1:9/rss", env=strict)
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1] == (
        "http://127.0.0.1:9/rss: refused: 127.0.0.1 is a loopback address "
        "(BRIEFING_ALLOW_PRIVATE_TARGETS=1 allows loopback and private addresses)"
    )
    # A cloud metadata address is refused whatever the setting: no such hint.
    metadata = briefing("feeds", "add", "http://169.254.169.254/rss", env=strict)
    assert metadata.returncode == 2 and "BRIEFING_ALLOW_PRIVATE_TARGETS" not in metadata.stderr


def test_backfill_loads_a_directory_once(env: dict[str, str], tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "bbc.xml").write_bytes(BBC)
    (archive / "broken.xml").write_bytes(b"<html><body>not a feed</body></html>")
    first = briefing("backfill", "--from", str(archive), env=env)
    assert first.returncode == 1, first.stderr  # a file failed: scripts must see it
    assert "2 files, 33 new articles, 1 files with errors" in first.stdout
    assert "2/2" in first.stderr  # the progress bar reached the end
    second = briefing("backfill", "--from", str(archive), env=env)
    assert "2 files, 0 new articles" in second.stdout


def test_backfill_of_a_path_that_does_not_exist_says_so(
    env: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "archive"
    result = briefing("backfill", "--from", str(missing), env=env)
    assert (result.returncode, result.stderr) == (1, f"{missing}: no such file or directory\n")


def test_backfill_warns_about_articles_retention_will_prune(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Retention judges by published time: an archive older than the window is pruned by
    the next hourly run, so the backfill says so (and exits 0: every file loaded)."""
    archive = tmp_path / "bbc.xml"
    archive.write_bytes(BBC)
    long_window = {"BRIEFING_RETENTION_DAYS": "36500", "BRIEFING_DATA_DIR": str(tmp_path / "a")}
    kept = briefing("backfill", "--from", str(archive), env={**env, **long_window})
    assert kept.returncode == 0, kept.stderr
    assert "warning" not in kept.stderr
    short_window = {"BRIEFING_RETENTION_DAYS": "1", "BRIEFING_DATA_DIR": str(tmp_path / "b")}
    short = briefing("backfill", "--from", str(archive), env={**env, **short_window})
    assert short.returncode == 0, short.stderr
    assert "warning: 33 of the new articles were published more than 1 days ago" in short.stderr


def listed_row(env: dict[str, str], text: str) -> list[str]:
    """The one `feeds list` row that contains ``text``, split into its columns."""
    listed = briefing("feeds", "list", env=env)
    (line,) = [row for row in listed.stdout.splitlines() if text in row]
    return line.split("\t")


def test_feeds_poll_refuses_an_unknown_url_and_list_says_never_polled(
    env: dict[str, str], tmp_path: Path, feed_server: FeedServer
) -> None:
    url = feed_server.add("/other.xml", BBC)
    unknown = briefing("feeds", "poll", url, env=env)
    assert unknown.returncode == 1
    assert unknown.stderr == (
        f"no such feed: {url} (briefing feeds list shows each feed's id, URL and name); "
        "to poll a new URL, add it first: briefing feeds add URL\n"
    )
    added = briefing("feeds", "add", url, env=env)
    assert added.returncode == 0
    feed_id, shown, name, health, _error = listed_row(env, url)
    assert (f"added {shown} (id {feed_id})\n", name, health) == (
        added.stdout,
        "-",
        "not polled yet",
    )
    polled = briefing("feeds", "poll", url, env=env)
    assert polled.returncode == 0, polled.stdout + polled.stderr
    # Added without --name: the feed's own title once polled.
    assert listed_row(env, url)[2:4] == ["BBC News", "ok"]


def test_feeds_list_masks_credentials_in_a_feed_url(
    env: dict[str, str], feed_server: FeedServer
) -> None:
    url = feed_server.add("/private.xml", BBC).replace("http://", "http://reader:hunter2@")
    assert briefing("feeds", "add", url, "--name", "Private", env=env).returncode == 0
    listed = briefing("feeds", "list", env=env)
    assert "hunter2" not in listed.stdout
    assert listed_row(env, "private.xml")[1:4] == [
        url.replace("reader:hunter2", "***"),
        "Private",
        "not polled yet",
    ]


def test_feeds_poll_and_remove_take_the_id_masked_url_or_name_that_list_shows(
    env: dict[str, str], feed_server: FeedServer
) -> None:
    """A private feed's URL is listed masked: what the list shows must be enough to poll
    or remove it, and a masked URL two feeds share names neither."""
    url = feed_server.add("/private.xml", BBC).replace("://", "://desk:hunter2@")
    assert briefing("feeds", "add", url, "--name", "Wire Desk", env=env).returncode == 0
    feed_id, masked, _name, _health, _error = listed_row(env, "Wire Desk")
    assert "hunter2" not in masked
    for ref in (masked, "Wire Desk", feed_id):
        polled = briefing("feeds", "poll", ref, env=env)
        assert polled.returncode == 0, polled.stdout + polled.stderr
        assert polled.stdout.startswith(f"{masked}: ")
    other = url.replace("desk:hunter2", "agency:s3cret")
    assert briefing("feeds", "add", other, "--name", "Agency", env=env).returncode == 0
    ambiguous = briefing("feeds", "remove", masked, env=env)
    assert ambiguous.returncode == 1
    assert ambiguous.stderr.startswith(f"{masked} names 2 feeds (ids ")
    assert feed_id in ambiguous.stderr and "s3cret" not in ambiguous.stderr
    removed = briefing("feeds", "remove", feed_id, env=env)
    assert removed.stdout == f"removed {masked} (id {feed_id})\n"
    gone = briefing("feeds", "poll", "Wire Desk", env=env)
    assert gone.returncode == 1
    assert (
        gone.stderr
        == "no such feed: Wire Desk (briefing feeds list shows each feed's id, URL and name)\n"
    )
    assert listed_row(env, "Agency")[2] == "Agency"  # the other one stays


async def test_feeds_list_says_a_paused_feed_is_paused(
    store: Store, redis_target: RedisTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = FeedConfig(url="https://a.example/rss", name="A")
    feed_id, _ = await store.feeds.add(feed, first_poll=datetime(2026, 12, 4, tzinfo=UTC))
    await store.feeds.set_paused(feed_id, True)
    settings = Settings(redis_url=redis_url_of(redis_target))
    assert await cli.cmd_feeds_list(argparse.Namespace(), settings, AppConfig()) == 0
    assert capsys.readouterr().out.split("\t")[:4] == [
        feed_id,
        "https://a.example/rss",
        "A",
        "paused (not polled yet)",
    ]


def test_a_bad_setting_is_one_readable_line(env: dict[str, str]) -> None:
    result = briefing("check", env={**env, "BRIEFING_PORT": "abc"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: BRIEFING_PORT / [settings] port: Input should be a valid "
        "integer, unable to parse string as an integer (got 'abc')"
    ]


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("REDIS_URL", "garbage", "must be a redis://, rediss:// or unix:// URL"),
        (
            "BRIEFING_PROCESS_PARTITION_LANGUAGES",
            "en=0,xx",
            'must be language=partition items separated by commas, e.g. "en=0,ru=1"',
        ),
    ],
)
def test_a_setting_read_only_at_start_up_is_checked_first(
    env: dict[str, str], variable: str, value: str, problem: str
) -> None:
    # Both are otherwise read only once start-up is under way (redis-py at its first
    # connection, the process stage once its workers start).
    result = briefing("check", env={**env, variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"configuration error: {variable} / [settings] {variable.lower().removeprefix('briefing_')}"
        f": {problem} (got {value!r})"
    ]


def test_check_never_prints_the_redis_password(env: dict[str, str]) -> None:
    url = "redis://default:hunter2@127.0.0.1:1/0"  # nothing listens on port 1
    result = briefing("check", env={**env, "REDIS_URL": url})
    assert result.returncode == 1
    assert "hunter2" not in result.stdout + result.stderr
    assert "redis: redis://***@127.0.0.1:1/0: FAILED: " in result.stdout


def test_feeds_commands_never_print_a_feed_urls_credentials(
    env: dict[str, str], feed_server: FeedServer
) -> None:
    url = feed_server.add("/private.xml", BBC).replace("://", "://desk:hunter2@") + "?token=t0k3n"
    shown = url.replace("desk:hunter2", "***").replace("t0k3n", "***")
    outputs = [briefing("feeds", "add", url, env=env), briefing("feeds", "list", env=env)]
    outputs += [briefing("feeds", "remove", url, env=env), briefing("feeds", "poll", url, env=env)]
    printed = "".join(result.stdout + result.stderr for result in outputs)
    assert "hunter2" not in printed and "t0k3n" not in printed
    assert f"added {shown} (id " in outputs[0].stdout
    assert f"\t{shown}\t-\tnot polled yet\t" in outputs[1].stdout
    assert outputs[2].stdout.startswith(f"removed {shown} (id ")
    assert outputs[3].stderr.startswith(f"no such feed: {shown} ")


def test_a_user_agent_with_a_line_break_is_one_readable_line(env: dict[str, str]) -> None:
    result = briefing("check", env={**env, "BRIEFING_USER_AGENT": "Bot\r\nX-Injected: 1"})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        "configuration error: BRIEFING_USER_AGENT / [settings] user_agent: must be printable ASCII"
    )


def test_a_setting_that_is_not_json_is_one_readable_line(env: dict[str, str]) -> None:
    """A list setting from the environment is JSON; `docker run --env-file` keeps the shell
    quotes of a line copied from config/example.env, which is not JSON."""
    quoted = "'[\"https://newsroom.example\"]'"
    result = briefing("check", env={**env, "BRIEFING_CORS_ORIGINS": quoted})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: BRIEFING_CORS_ORIGINS / [settings] cors_origins: must "
        f'be a JSON list, e.g. ["https://newsroom.example"] (got {quoted!r})'
    ]


def test_libuv_gets_a_resolver_thread_per_import_lookup_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UV_THREADPOOL_SIZE", "0")  # restored after the test, whatever happens
    monkeypatch.delenv("UV_THREADPOOL_SIZE")

    async def pool_size() -> int:
        return int(os.environ["UV_THREADPOOL_SIZE"])

    assert cli.run_async(pool_size()) == CONCURRENCY == 32
    monkeypatch.setenv("UV_THREADPOOL_SIZE", "8")
    assert cli.run_async(pool_size()) == 8


@pytest.mark.slow
def test_self_links_behind_a_reverse_proxy_at_another_address(
    env: dict[str, str], tmp_path: Path
) -> None:
    """A TLS-terminating proxy at 127.0.0.2 forwards Host and X-Forwarded-Proto: with
    FORWARDED_ALLOW_IPS naming it, feeds' self links are https on the public host; the same
    headers from an address not listed (127.0.0.3) are not believed."""
    headers = {"Host": "news.example.org", "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "203.0.113.9"}  # fmt: skip
    path = "/v1/briefings/world/timeline.json?limit=1"
    with briefing_run({**env, "FORWARDED_ALLOW_IPS": "127.0.0.2"}, tmp_path) as run:

        def via(address: str) -> dict[str, Any]:
            transport = httpx.HTTPTransport(local_address=address)
            with httpx.Client(transport=transport, timeout=10) as client:
                response = client.get(run.base + path, headers=headers)
                assert response.status_code == 200, response.text
                feed: dict[str, Any] = response.json()
                return feed

        proxied = via("127.0.0.2")
        assert proxied["feed_url"] == "https://news.example.org" + path
        assert proxied["home_page_url"] == "https://news.example.org/briefings/world"
        wait_for(lambda: "next_url" in via("127.0.0.2"))  # once stories are in
        assert via("127.0.0.2")["next_url"].startswith("https://news.example.org/v1/")
        untrusted = via("127.0.0.3")
        assert untrusted["feed_url"] == "http://news.example.org" + path


@pytest.mark.slow
def test_worker_check_is_the_compose_healthcheck_and_follows_the_worker(
    env: dict[str, str], tmp_path: Path
) -> None:
    """docker-compose.yml's worker healthcheck runs `briefing worker --check`: 1 before the
    worker runs, 0 while it runs, 1 after it stopped."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert test[:4] == ["CMD", "briefing", "worker", "--check"]
    heartbeat = ["--heartbeat-file", str(tmp_path / "heartbeat")]
    assert briefing(*test[2:], *heartbeat, env=env).returncode == 1
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", *heartbeat],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: briefing(*test[2:], *heartbeat, env=env).returncode == 0)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        stopped = briefing(*test[2:], *heartbeat, env=env)
        assert stopped.returncode == 1 and "no heartbeat file" in stopped.stderr
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
        open_target(None, tmp_path / "data").close(force=True)


@pytest.mark.slow
def test_the_process_stage_runs_below_the_apis_priority_and_the_fetch_loop_keeps_its_own(
    env: dict[str, str], tmp_path: Path, redis_target: RedisTarget
) -> None:
    """BRIEFING_WORKER_NICENESS (default 10) lowers the process stage: a `--role process`
    worker on a Redis of its own (REDIS_URL), and the child in a session of its own that a
    worker running it beside the fetch loop starts, which dies with its parent. The fetch
    loop keeps its priority, and so does a process worker running the embedded Redis,
    which the Redis server it starts or restarts would inherit."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    lowered = min(19, own + 10)
    external = {**env, "REDIS_URL": redis_url_of(redis_target)}
    cases = [
        (external, ["process"], lowered, None),
        (env, ["process"], own, None),
        (external, ["fetch", "process"], own, lowered),
    ]
    for index, (environment, roles, expected, child_expected) in enumerate(cases):
        heartbeat = ["--heartbeat-file", str(tmp_path / f"heartbeat-{index}")]
        role_args = [a for role in roles for a in ("--role", role)]
        worker = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker", *role_args, *heartbeat],
            env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            check = ["worker", "--check", *heartbeat]
            wait_for(lambda: briefing(*check, env=environment).returncode == 0)  # noqa: B023
            assert os.getpriority(os.PRIO_PROCESS, worker.pid) == expected
            if child_expected is None:
                assert stage_children(worker.pid) == []
                worker.send_signal(signal.SIGTERM)
                assert worker.wait(timeout=30) == 0
                continue
            wait_for(lambda: stage_children(worker.pid))  # noqa: B023
            (child,) = stage_children(worker.pid)
            wait_for(lambda: os.getpriority(os.PRIO_PROCESS, child) == child_expected)  # noqa: B023
            assert os.getsid(child) == child  # its own session: its own autogroup
            worker.kill()  # kill -9 of the worker: the stage goes with it
            worker.wait()
            wait_for(lambda: not alive(child), timeout=NICED_EXIT)  # noqa: B023
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    open_target(None, tmp_path / "data").close(force=True)


@pytest.mark.slow
def test_run_restarts_its_process_stage_and_never_leaves_it_behind(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`briefing run` runs the process stage in a child below its priority: started
    again when it dies, its work done (stories on the timeline), and killed with the
    service's process. The child's log lines, in the same output, say they are its."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    with briefing_run({**env, "BRIEFING_LOG_LEVEL": "INFO"}, tmp_path) as run:
        wait_for(lambda: stage_children(run.process.pid))
        (first,) = stage_children(run.process.pid)
        # It lowers its priority once started (service/cpu_priority.py).
        lowered = min(19, own + 10)
        wait_for(lambda: os.getpriority(os.PRIO_PROCESS, first) == lowered)
        timeline = f"{run.base}/v1/briefings/world/timeline"
        wait_for(lambda: httpx.get(timeline).json()["items"])
        # A configured feed removed while the service runs stays removed when the child
        # starts again: the child leaves the feeds to its parent.
        (feed,) = httpx.get(f"{run.base}/v1/feeds").json()["items"]
        assert briefing("feeds", "remove", feed["url"], env=env).returncode == 0
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: stage_children(run.process.pid) not in ([], [first]))
        (second,) = stage_children(run.process.pid)
        started = "workers running: process"
        wait_for(lambda: [e["message"] for e in json_lines(run.output())].count(started) == 2)
        assert httpx.get(f"{run.base}/v1/feeds").json()["items"] == []
        assert httpx.get(f"{run.base}/healthz").status_code == 200
        run.process.kill()
        run.process.wait()
        wait_for(lambda: not alive(second), timeout=NICED_EXIT)
    lines = json_lines(run.output())
    (restart,) = [e for e in lines if e["level"] == "error" and "stage_child" in e["logger"]]
    assert f"(pid {first}) killed by SIGKILL" in restart["message"], restart
    assert "child" not in restart
    running = {e["message"]: e.get("child") for e in lines if "workers running" in e["message"]}
    assert running == {
        "workers running: fetch, notify": None,
        "workers running: process": "process stage",
    }, running


@pytest.mark.slow
def test_run_at_niceness_0_keeps_every_stage_in_its_own_process(
    env: dict[str, str], tmp_path: Path
) -> None:
    """BRIEFING_WORKER_NICENESS=0 (priorities off): `briefing run` is one process, as
    `briefing worker` is with it; its process stage still puts stories on the timeline."""
    zero = {**env, "BRIEFING_LOG_LEVEL": "INFO", "BRIEFING_WORKER_NICENESS": "0"}
    with briefing_run(zero, tmp_path) as run:
        timeline = f"{run.base}/v1/briefings/world/timeline"
        wait_for(lambda: httpx.get(timeline).json()["items"])
        assert stage_children(run.process.pid) == []
    running = [e["message"] for e in json_lines(run.output()) if "workers running" in e["message"]]
    assert running == ["workers running: fetch, process, notify"], running


async def test_a_stage_error_at_stop_still_waits_for_the_process_stage_child(
    tmp_path: Path,
) -> None:
    """`briefing run` stops its Redis after the stages: when the in-process stages ended
    with an error, the process-stage child must still have stopped before that."""
    from service.stage_child import StageChild

    ready = tmp_path / "ready"
    code = f"import time; open({str(ready)!r}, 'w').close(); time.sleep(600)"
    child = StageChild([sys.executable, "-c", code], {}, tmp_path / "beat", "test stage")
    stop = asyncio.Event()
    supervised = asyncio.create_task(child.run(stop))

    async def stages() -> None:
        raise RuntimeError("stages failed")

    failed = asyncio.create_task(stages())
    async with asyncio.timeout(60):
        while not ready.exists():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    stop.set()
    with pytest.raises(RuntimeError, match="stages failed"):
        await cli.all_ended(failed, supervised)
    assert supervised.done()
    assert child.process is not None and child.process.returncode == -signal.SIGTERM


def test_keys_create_makes_a_working_admin_key(env: dict[str, str], tmp_path: Path) -> None:
    created = briefing("keys", "create", "--name", "ops", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert len(key) >= 32 and "only its hash is kept" in created.stderr
    check = (
        "import asyncio, sys\n"
        "from service.settings import load_settings\n"
        "from service.cli import open_store\n"
        "from service.store.apikeys import ApiKeyStore\n"
        "async def main():\n"
        "    async with open_store(load_settings()) as store:\n"
        "        info = await ApiKeyStore(store.redis, store.keys).lookup(sys.argv[1])\n"
        "        print(info.name if info else 'none')\n"
        "asyncio.run(main())\n"
    )
    looked_up = subprocess.run(
        [sys.executable, "-c", check, key], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert looked_up.stdout.strip() == "ops", looked_up.stderr


# --- installed as a wheel, run from another folder -----------------------------------------


def build_wheel(out: Path) -> Path:
    """A wheel of the working tree, built from a copy so that setuptools' build/ and
    egg-info never land in (or leak stale files from) the checkout."""
    source = out / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("service", "workers"):
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / package, source / package, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "-c", str(ROOT / "constraints.txt"), "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = out.glob("live_briefing-*.whl")
    return wheel


def venv_with_wheel(wheel: Path, venv: Path) -> Path:
    """A fresh venv holding only the wheel; its dependencies come from this interpreter's
    site-packages through a .pth line, placed after the venv's own (reinstalling them
    would take about a minute). Returns the venv's ``briefing`` script."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "-c", str(ROOT / "constraints.txt"), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "project_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return venv / "bin" / "briefing"


@pytest.mark.slow
def test_an_installed_wheel_runs_from_any_folder(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    command = venv_with_wheel(build_wheel(tmp_path / "dist"), venv)
    elsewhere = tmp_path / "elsewhere"  # no config/ here, and not the checkout
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFING_CONFIG")}
    env["BRIEFING_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args], env={**env, **extra}, cwd=elsewhere, capture_output=True,
            text=True, timeout=120, check=False,
        )  # fmt: skip

    try:
        check = run("check")
        assert check.returncode == 0, check.stdout + check.stderr
        # The default config shipped inside the installed package, not the checkout's.
        first = check.stdout.splitlines()[0]
        assert first.startswith(f"config file: {venv.resolve() / 'lib'}"), first
        assert "/site-packages/service/defaults/feeds.toml (" in first and first.endswith(": ok")
        assert "redis: embedded" in check.stdout and ": ok (Redis " in check.stdout

        # cluster-eval reads no config at all: a missing BRIEFING_CONFIG does not matter.
        docs = elsewhere / "docs.jsonl"
        rows = [
            {"id": str(n), "title": title, "text": "", "published": f"2024-05-0{n}T10:00:00Z",
             "source": "Desk", "url": f"https://desk.example/{n}", "language": "en"}
            for n, title in enumerate(["Quake hits Chile coast", "Chile coast quake toll rises",
                                       "Central bank holds rates"], start=1)
        ]  # fmt: skip
        docs.write_text("".join(json.dumps(r) + "\n" for r in rows))
        evaluated = run(
            "cluster-eval", "docs.jsonl", "--out", "pred.jsonl",
            BRIEFING_CONFIG=str(tmp_path / "missing.toml"),
        )  # fmt: skip
        assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
        assert evaluated.stdout.startswith("3 documents -> ")
        predicted = [
            json.loads(line) for line in (elsewhere / "pred.jsonl").read_text().splitlines()
        ]
        assert sorted(p["id"] for p in predicted) == ["1", "2", "3"]
    finally:
        open_target(None, tmp_path / "data").close(force=True)


# --- feeds add and admin keys: the same checks as the API --------------------------------


def test_feeds_add_refuses_what_the_api_refuses(env: dict[str, str]) -> None:
    for url in ("file:///etc/passwd", "gopher://news.example/1"):
        refused = briefing("feeds", "add", url, env=env)
        assert refused.returncode == 2, refused.stderr
        assert "only http and https" in refused.stderr
    listed = briefing("feeds", "list", env=env)
    assert "file://" not in listed.stdout and "gopher://" not in listed.stdout


def test_feeds_add_checks_its_options_as_the_api_does(env: dict[str, str]) -> None:
    url = "https://a.example/rss"
    refused = briefing(
        "feeds", "add", url, "--country", "usa", "--language", "english", "--interval", "5",
        env=env,
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "--country USA: must be an ISO 3166-1 alpha-2 code such as GB",
        "--language english: must be an ISO 639 code such as en",
        "--interval 5: Input should be greater than or equal to 10",
    ]
    assert url not in briefing("feeds", "list", env=env).stdout
    # The case is the CLI's to fix: "gb" and "EN" are GB and en.
    added = briefing("feeds", "add", url, "--country", "gb", "--language", "EN", env=env)
    assert added.returncode == 0, added.stderr


def test_feeds_add_checks_its_options_before_the_ssrf_guard_looks_the_host_up(
    env: dict[str, str],
) -> None:
    """POST /v1/feeds's order: options and the URL's form first, the guard's DNS lookup
    only once they hold. The loopback URL is refused only after a lookup: bad options
    alone are told, and nothing is looked up for them."""
    strict = {**env, "BRIEFING_ALLOW_PRIVATE_TARGETS": "0"}
    refused = briefing("feeds", "add", "http://127.0.0.1:9/rss", "--country", "usa", env=strict)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "--country USA: must be an ISO 3166-1 alpha-2 code such as GB"
    ]
    # A URL refused by its form is told with the options, in the guard's words.
    both = briefing("feeds", "add", "ftp://news.example/rss", "--interval", "5", env=env)
    assert both.returncode == 2
    [form, interval] = both.stderr.splitlines()
    assert form.startswith("ftp://news.example/rss: ") and "only http and https" in form
    assert interval == "--interval 5: Input should be greater than or equal to 10"


def test_feeds_poll_of_a_feed_that_never_answered_says_there_was_no_response(
    env: dict[str, str],
) -> None:
    url = f"http://127.0.0.1:{free_port()}/rss"  # nothing listens there
    assert briefing("feeds", "add", url, env=env).returncode == 0
    polled = briefing("feeds", "poll", url, env=env)
    assert polled.returncode == 1
    assert polled.stdout.startswith(f"{url}: error (no HTTP response); entries 0, new 0")


def test_keys_list_and_revoke(env: dict[str, str]) -> None:
    key = briefing("keys", "create", "--name", "desk", env=env).stdout.strip()
    assert key.startswith("lbk_")
    listed = briefing("keys", "list", env=env).stdout.splitlines()
    assert len(listed) == 1 and listed[0].split("\t")[1] == "desk"
    assert listed[0].split("\t")[2].endswith("Z")  # created, written as the API writes times
    assert key not in listed[0]  # only a digest prefix is shown
    key_id = listed[0].split("\t")[0]
    assert briefing("keys", "revoke", key_id[:4], env=env).returncode == 1  # too short
    revoked = briefing("keys", "revoke", key_id, env=env)
    assert revoked.returncode == 0 and key_id in revoked.stdout
    assert briefing("keys", "list", env=env).stdout == ""
    assert briefing("keys", "revoke", key_id, env=env).returncode == 1  # gone


def test_migrate_and_a_store_written_by_a_newer_release(
    env: dict[str, str], tmp_path: Path
) -> None:
    first = briefing("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"new store: data format {DATA_FORMAT} written\n"
    again = briefing("migrate", env=env)
    assert again.stdout == f"data format {DATA_FORMAT}: up to date, nothing to migrate\n"

    # A newer release wrote this store: commands refuse it in one readable line.
    target = open_target(None, tmp_path / "data")
    try:

        async def newer() -> None:
            client = target.client()
            await client.set(Keys().data_format, DATA_FORMAT + 1)
            await client.aclose()

        asyncio.run(newer())
        listed = briefing("feeds", "list", env=env)
        assert listed.returncode == 1
        assert listed.stderr.splitlines() == [
            f"data format: the store (lb:format) holds data format {DATA_FORMAT + 1}, written "
            f"by a newer release; this one reads format {DATA_FORMAT}: run the newer release, "
            "or restore a backup taken before the upgrade"
        ]
        assert briefing("migrate", env=env).returncode == 1
        check = briefing("check", env=env)
        assert check.returncode == 1 and "FAILED: data format: the store" in check.stdout
    finally:
        target.close(force=True)


def test_feeds_poll_gives_up_on_a_document_too_costly_to_parse(
    env: dict[str, str], feed_server: FeedServer
) -> None:
    from tests.factories import many_attributes

    url = feed_server.add("/hostile.xml", many_attributes(60_000))
    assert briefing("feeds", "add", url, env=env).returncode == 0
    polled = briefing("feeds", "poll", url, env={**env, "BRIEFING_PARSE_TIMEOUT": "1"})
    assert polled.returncode == 1
    # a first document: parsed and normalized in one call, with both calls' deadlines; on
    # a host too busy to run the parse process for them, the wall cap ends it first
    assert (
        "error: parse: gave up after 2 s on a document of " in polled.stdout
        and "raise BRIEFING_PARSE_TIMEOUT, or ask the publisher for a shorter feed" in polled.stdout
    ) or "error: parse: gave up after 20 s of wall time on a document of " in polled.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, ": No such file or directory"),
        ('{"id": "a", "title": "t"}\n', ":1: missing published"),
        ('{"id": "a", "published": "2026-12-05T00:00:00Z"}\n[1]\n', ":2: not a JSON object"),
        ('{"id": "a", "published": "soon"}\n', ":1: published: not an ISO 8601 time: 'soon'"),
        ('{"id": "a",\n', ":1: not JSON: Expecting property name enclosed in double quotes"),
    ],
)
async def test_cluster_eval_names_the_file_and_line_it_cannot_read(
    content: str | None, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = tmp_path / "docs.jsonl"
    if content is not None:
        documents.write_text(content)
    args = argparse.Namespace(file=documents, out=tmp_path / "pred.jsonl")
    assert await cli.cmd_cluster_eval(args, Settings(), AppConfig()) == 1
    assert capsys.readouterr().err == f"cluster-eval: {documents}{problem}\n"


async def test_api_start_beside_a_full_redis_opens_a_new_store_with_the_files_briefings(
    server_store: Store, redis_server: RedisServer, tmp_path: Path
) -> None:
    """`briefing api`'s start on a never-written store while Redis is full: the format
    check and the briefings' seed are refused writes, and it goes on with the config
    file's briefings (the API seeds them once Redis takes writes), not a traceback."""
    settings = Settings(redis_url=redis_server.url, data_dir=tmp_path)
    await server_store.redis.config_set("maxmemory", 1)
    try:
        async with cli.open_running(settings, asyncio.Event()) as running:
            opened = await running.seed_briefings(NEWSROOM)
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert [b.id for b in opened.briefings] == ["world", "ukraine"]
    assert await server_store.redis.dbsize() == 0


@pytest.mark.slow
async def test_run_beside_a_full_redis_on_a_new_store_serves_then_seeds_once_it_takes_writes(
    server_store: Store, redis_server: RedisServer, tmp_path: Path, feed_server: FeedServer
) -> None:
    """`briefing run` on a never-written store while Redis refuses writes starts as
    `briefing api` does: it serves the config file's briefings and /readyz says
    "degraded"; once Redis takes writes, its feeds are seeded and its stages run."""
    url = feed_server.add("/bbc.xml", BBC)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nurl = "{url}"\n\n[[briefings]]\nid = "world"\ntitle = "World"\n')
    env = embedded_service_env(tmp_path / "data", config) | {"REDIS_URL": redis_server.url}
    await server_store.redis.config_set("maxmemory", 1)
    try:
        with briefing_run(env, tmp_path) as run:
            async with httpx.AsyncClient(base_url=run.base) as client:
                ready = (await client.get("/readyz")).json()
                assert ready["status"] == "degraded", ready
                listed = (await client.get("/v1/briefings")).json()["items"]
                assert [b["id"] for b in listed] == ["world"]
                assert (await client.get("/v1/feeds")).json()["items"] == []
                await server_store.redis.config_set("maxmemory", 0)
                timeline = f"{run.base}/v1/briefings/world/timeline"
                await asyncio.to_thread(wait_for, lambda: httpx.get(timeline).json()["items"])
                feeds = (await client.get("/v1/feeds")).json()["items"]
                assert [f["url"] for f in feeds] == [url]
                assert (await client.get("/healthz")).status_code == 200
                assert (await client.get("/readyz")).json()["status"] == "ok"
            code, _seconds = run.stop()
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert code == 0, run.output()[-3000:]
    messages = [e["message"] for e in json_lines(run.output())]
    # The first write it waits at: the new store's data format, recorded before its feeds.
    waited = "recording the data format: Redis refuses writes ("
    assert any(m.startswith(waited) for m in messages), messages
    assert await server_store.redis.get(server_store.keys.data_format) == str(DATA_FORMAT)
    assert "Traceback" not in run.output()


@pytest.mark.slow
async def test_run_whose_stages_cannot_start_exits_with_the_error_instead_of_serving(
    server_store: Store, redis_server: RedisServer, env: dict[str, str]
) -> None:
    """A start-up step of `briefing run`'s stages that fails for a reason other than a
    full Redis (here a key of the wrong type under the feed set: WRONGTYPE at seeding)
    ends the process with the error, as it did before its stages started in the
    background: an API that serves on with no stages behind it looks alive and does
    nothing."""
    await server_store.redis.set(server_store.keys.feeds, "not a set")
    port = str(free_port())
    done = await asyncio.to_thread(
        briefing, "run", "--host", "127.0.0.1", "--port", port,
        env=env | {"REDIS_URL": redis_server.url}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-3000:]
    assert "WRONGTYPE" in done.stderr


async def test_the_first_seed_after_a_full_redis_takes_writes_records_the_data_format(
    server_store: Store, redis_server: RedisServer, tmp_path: Path
) -> None:
    """A new store opened while Redis refused writes has no recorded data format; the
    feeds seeded (and everything the stages write after them) once Redis takes writes
    must not be left without one: the next release's start would take the store for a
    new one and skip its migrations."""
    settings = Settings(redis_url=redis_server.url, data_dir=tmp_path)
    config = AppConfig(feeds=(FeedConfig(url="http://127.0.0.1:9/feed.xml"),))
    await server_store.redis.config_set("maxmemory", 1)
    try:
        async with cli.open_running(settings, asyncio.Event()) as running:
            assert await server_store.redis.get(server_store.keys.data_format) is None
            await server_store.redis.config_set("maxmemory", 0)
            assert await running.seed_feeds(config, spread_seconds=0) == 1
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert await server_store.redis.get(server_store.keys.data_format) == str(DATA_FORMAT)


@pytest.mark.slow
async def test_run_stopped_while_it_waits_for_a_full_redis_ends_cleanly_with_no_child(
    server_store: Store, redis_server: RedisServer, env: dict[str, str], tmp_path: Path
) -> None:
    """SIGTERM while `briefing run`'s stages wait for Redis to take writes: exit 0 with
    no traceback, and no process-stage child was started or left behind."""
    env = env | {"REDIS_URL": redis_server.url, "BRIEFING_LOG_LEVEL": "INFO"}
    await server_store.redis.config_set("maxmemory", 1)
    try:
        with briefing_run(env, tmp_path) as run:
            waiting = "Redis refuses writes (out of memory); retrying until it takes them"
            await asyncio.to_thread(wait_for, lambda: waiting in run.output())
            assert stage_children(run.process.pid) == []
            code, _seconds = run.stop()
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert code == 0, run.output()[-3000:]
    assert "Traceback" not in run.output()
    assert "process stage started" not in run.output()
    assert await server_store.redis.dbsize() == 0


async def test_an_embedded_redis_supervisor_that_fails_stops_the_service_with_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing would restart the embedded Redis after its supervisor failed: the failure is
    logged with its traceback as it happens, and the service stops and exits 1, as when the
    supervisor gives up."""

    async def broken(self: EmbeddedSupervisor) -> None:
        raise RuntimeError("the supervisor broke")

    monkeypatch.setattr(EmbeddedSupervisor, "run", broken)
    stop = asyncio.Event()
    with caplog.at_level(logging.ERROR):
        async with cli.open_running(Settings(redis_url=None, data_dir=tmp_path), stop) as running:
            await asyncio.wait_for(stop.wait(), 60)
    assert running.exit_code() == 1
    assert running.liveness.problems() == [
        "embedded redis supervision failed: RuntimeError('the supervisor broke')"
    ]
    (failure,) = [r for r in caplog.records if r.name == "service.task_failures"]
    assert failure.getMessage() == (
        "task embedded-redis failed: the embedded Redis is no longer watched or restarted; "
        "the service stops"
    )
    assert failure.exc_info is not None and str(failure.exc_info[1]) == "the supervisor broke"


async def test_a_process_stage_supervision_that_fails_stops_the_service_with_an_error(
    redis_server: RedisServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The process stage's child runs under a task of its parent (service/stage_child.py):
    that task failing leaves no process stage, so the service stops and exits with the
    error (TaskFailed: one line at exit), its traceback logged once as it failed."""

    async def broken(self: StageChild, stop: asyncio.Event) -> None:
        raise RuntimeError("the supervision broke")

    monkeypatch.setattr(StageChild, "run", broken)
    settings = Settings(redis_url=redis_server.url, data_dir=tmp_path)
    stop = asyncio.Event()
    with caplog.at_level(logging.ERROR):
        async with cli.open_running(settings, stop) as running:
            await running.start_process_stage(settings, AppConfig(), stop)
            await asyncio.wait_for(stop.wait(), 60)
            with pytest.raises(
                TaskFailed, match=r"^process-stage-child: RuntimeError: the supervision broke$"
            ):
                await cli.all_ended(*running.children)
    (failure,) = [r for r in caplog.records if r.name == "service.task_failures"]
    assert failure.getMessage() == (
        "task process-stage-child failed: the process stage is not run; the service stops"
    )
