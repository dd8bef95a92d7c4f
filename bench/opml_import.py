"""OPML import over the API (``POST /v1/feeds.opml``): seconds for thousands of feeds, this
tree beside another (the code before a change) in the same run.

    flock /tmp/lb-bench.lock .venv/bin/python bench/opml_import.py \
        [--feeds 5000] [--name-feeds 1000] [--dns-delay 0.05] [--base DIR]

``--base``: the root of another checkout (``git worktree add --detach /tmp/base REV``); its
``service`` package is imported instead of this tree's, by the same script.

Each (tree, case) runs in a child process with its own embedded Redis (unix socket): the
app (``create_app``) served by uvicorn on 127.0.0.1, and one client POSTing the OPML
twice: the first import adds every feed, the second finds them all (``updated``).
Cases, by what the feeds' hosts are:

* ``ip``            public IP literals (93.184.x.y): judged without a resolver;
* ``localhost``     ``localhost`` on ``--feeds`` ports: /etc/hosts, private targets allowed;
* ``unresolvable``  distinct names under example.com: this sandbox's resolver answers
  NXDOMAIN in 0.2-2 ms, but about 5 names a second, the others after glibc's 5 s retry;
* ``slow-dns``      distinct names whose every lookup takes ``--dns-delay`` seconds in one
  of ``UV_THREADPOOL_SIZE`` threads (libuv's thread pool, where uvloop's getaddrinfo runs:
  4 unless the tree's ``run_async`` or the environment sets it): a model of a resolver
  answering slowly, since this sandbox cannot reach one.

The child runs on the tree's own ``service.cli.run_async``, as `briefing api` does. The last
two import ``--name-feeds`` feeds: one lookup at a time, the code before took
``feeds x lookup`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = ("ip", "localhost", "unresolvable", "slow-dns")
ADMIN_KEY = "bench"


def opml(case: str, feeds: int) -> bytes:
    def url(i: int) -> str:
        if case == "ip":
            return f"http://93.184.{i // 250}.{i % 250 + 1}/feed-{i}.xml"
        if case == "localhost":
            return f"http://localhost:{10_000 + i}/feed.xml"
        return f"https://news-{i}.example.com/rss"

    outlines = "".join(
        f'<outline type="rss" text="Feed {i}" xmlUrl="{url(i)}"/>' for i in range(feeds)
    )
    return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()


async def run_case(case: str, feeds: int, dns_delay: float) -> dict[str, Any]:
    import httpx
    import uvicorn

    from service.api.app import create_app
    from service.settings import Settings
    from service.store import Store
    from service.store.connection import open_target

    loop = asyncio.get_running_loop()
    if case == "slow-dns":
        threads = int(os.environ.get("UV_THREADPOOL_SIZE", "4"))  # libuv's default: 4
        pool = concurrent.futures.ThreadPoolExecutor(threads)

        def slow_lookup() -> Any:
            time.sleep(dns_delay)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        async def getaddrinfo(*_args: Any, **_kwargs: Any) -> Any:
            return await loop.run_in_executor(pool, slow_lookup)

        loop.getaddrinfo = getaddrinfo  # type: ignore[method-assign]

    with tempfile.TemporaryDirectory() as tmp:
        target = open_target(None, Path(tmp))
        client = target.client()
        settings = Settings(
            admin_key=ADMIN_KEY,
            allow_private_targets=case == "localhost",
            max_request_bytes=64 * 1024 * 1024,
        )
        app = create_app(settings, Store(client))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                serving.result()  # the startup error
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        body = opml(case, feeds)
        results: dict[str, Any] = {"case": case, "feeds": feeds}
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                timeout=600,
            ) as http:
                for run in ("first", "again"):
                    started = time.perf_counter()
                    response = await http.post("/v1/feeds.opml", content=body)
                    seconds = time.perf_counter() - started
                    report = response.json()
                    results[run] = {
                        "seconds": round(seconds, 3),
                        "status": response.status_code,
                        "added": report.get("added"),
                        "updated": report.get("updated"),
                        "refused": len(report.get("refused", [])),
                    }
        finally:
            server.should_exit = True
            await serving
            await client.aclose()
            target.close()
    return results


def child(tree: Path, case: str, feeds: int, dns_delay: float) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("REDIS_URL", None)
    args = [sys.executable, __file__, "--child", case, "--tree", str(tree),
            "--feeds", str(feeds), "--dns-delay", str(dns_delay)]  # fmt: skip
    done = subprocess.run(args, env=env, cwd=tree, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--name-feeds", type=int, default=1000)
    parser.add_argument("--dns-delay", type=float, default=0.05)
    parser.add_argument("--base", type=Path, help="root of the checkout to compare with")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        sys.path.insert(0, str(args.tree))
        from service.cli import run_async

        results: list[dict[str, Any]] = []

        async def measure() -> int:
            results.append(await run_case(args.child, args.feeds, args.dns_delay))
            return 0

        run_async(measure())
        print(json.dumps(results[0]))
        return

    sys.path.insert(0, str(ROOT))
    from bench._support import machine_line

    print(machine_line())
    trees = [("base", args.base.resolve())] if args.base else []
    trees.append(("this", ROOT))
    for case in args.cases.split(","):
        feeds = args.name_feeds if case in ("unresolvable", "slow-dns") else args.feeds
        for name, tree in trees:
            r = child(tree, case, feeds, args.dns_delay)
            first, again = r["first"], r["again"]
            print(
                f"{case:<13} {name:<5} {feeds:>6} feeds  first {first['seconds']:>8.2f} s "
                f"(added {first['added']}, refused {first['refused']})  "
                f"again {again['seconds']:>8.2f} s (updated {again['updated']})",
                flush=True,
            )


if __name__ == "__main__":
    main()
