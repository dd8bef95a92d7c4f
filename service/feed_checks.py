"""The SSRF guard's verdict on feed URLs when they are added: why each is refused, or None.

    form_refusal(url)                      what is refused before any lookup (no DNS)
    refusal(url, allow_private=…)          one feed (POST /v1/feeds, `briefing feeds add`)
    refusals(urls, allow_private=…)        an OPML import: one verdict per URL, in order

A name that does not resolve (yet) is accepted: the fetcher reports DNS failures in the
feed's health, and its resolver judges every address it connects to
(service/http_transport.py). The check here tells the person adding a feed at once;
the defence is at the connection.

A URL whose credentials show as listings mask them (``https://***@host/feed``,
``?api_token=***``: service/url_secrets.py) is refused before any lookup: copied from a
listing or re-imported from our own OPML export, it would be polled with ``***`` as its
credentials and answer 401 at every poll.

``refusals`` judges each distinct host and port once, at most ``CONCURRENCY`` lookups in
flight, all of them within ``DEADLINE`` seconds, so an import of thousands of hosts does
not wait for their lookups one after another (a resolver that drops a query makes that
one wait seconds). A host not judged by the deadline is accepted like one that does
not resolve. Lookups run on the loop's resolver threads (uvloop: libuv's pool, which
``service.cli.run_async`` sizes to ``CONCURRENCY``; asyncio: its default executor), so
those threads also bound how many queries are out at once. A resolver that limits its
rate still answers no faster: the deadline then bounds the import.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from service.ssrf import TargetRefused, UnresolvableHost, judge_host, target
from service.url_secrets import shows_masked_secret

__all__ = ["CONCURRENCY", "DEADLINE", "MASKED_SECRET", "form_refusal", "refusal", "refusals"]

CONCURRENCY = 32
DEADLINE = 20.0  # seconds for all of an import's lookups; an HTTP client waits for them
MASKED_SECRET = (
    "its credentials are masked (***), as feed listings and the OPML export show them: "
    "add the feed with its real credentials"
)


def form_refusal(url: str) -> str | None:
    """Why ``url`` is refused by its form alone (masked credentials, a scheme other than
    http(s), a malformed or numeric-spelled host), or None: no lookup, so a caller can
    check it with the other fields before it asks the resolver."""
    if shows_masked_secret(url):
        return MASKED_SECRET
    try:
        target(url)
    except TargetRefused as exc:
        return str(exc)
    return None


async def refusal(url: str, *, allow_private: bool) -> str | None:
    """Why the SSRF guard refuses ``url``, or None (a name that does not resolve passes)."""
    [verdict] = await refusals([url], allow_private=allow_private)
    return verdict


async def refusals(
    urls: Sequence[str],
    *,
    allow_private: bool,
    concurrency: int = CONCURRENCY,
    deadline: float = DEADLINE,
) -> list[str | None]:
    """``refusal`` for each of ``urls``, in order, judging each host and port once."""
    verdicts: list[str | None] = [None] * len(urls)
    by_host: dict[tuple[str, int], list[int]] = {}
    for index, url in enumerate(urls):
        verdicts[index] = form_refusal(url)
        if verdicts[index] is None:
            by_host.setdefault(target(url), []).append(index)
    if not by_host:
        return verdicts
    slots = asyncio.Semaphore(concurrency)

    async def judge(host: str, port: int) -> str | None:
        async with slots:
            try:
                await judge_host(host, port, allow_private=allow_private)
            except UnresolvableHost:
                return None
            except TargetRefused as exc:
                return str(exc)
            return None

    judging = {key: asyncio.create_task(judge(*key)) for key in by_host}
    _done, late = await asyncio.wait(judging.values(), timeout=deadline)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
    for key, task in judging.items():
        if task not in late:
            for index in by_host[key]:
                verdicts[index] = task.result()
    return verdicts
