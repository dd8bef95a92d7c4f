"""service/feed_checks.py: one verdict per URL, as check_url gives it; hosts judged once,
at most ``concurrency`` at a time, and a deadline after which the unjudged are accepted."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from service.feed_checks import MASKED_SECRET, form_refusal, refusal, refusals
from service.ssrf import TargetRefused, UnresolvableHost, check_url

Lookup = Callable[[str], Coroutine[Any, Any, list[Any]]]


def answer(address: str, port: int) -> list[Any]:
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def use_resolver(monkeypatch: pytest.MonkeyPatch, lookup: Lookup) -> None:
    async def getaddrinfo(host: str, port: int, **_kwargs: Any) -> Any:
        return await lookup(host)

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)


async def reference(url: str) -> str | None:
    """What one check_url said of ``url``, as the import route read it before."""
    try:
        await check_url(url, allow_private=False)
    except UnresolvableHost:
        return None
    except TargetRefused as exc:
        return str(exc)
    return None


async def test_each_url_gets_check_urls_verdict_in_order(fake_dns: dict[str, list[str]]) -> None:
    fake_dns.update({"public.test": ["93.184.216.34"], "inside.test": ["10.0.0.7"],
                     "gone.test": []})  # fmt: skip
    urls = [
        "https://public.test/rss",
        "http://127.0.0.1/feed",
        "ftp://public.test/feed",
        "http://exa mple.com/feed",
        "http://127.1/feed",
        "https://inside.test/atom",
        "https://gone.test/rss",
        "https://inside.test:8443/other",
    ]
    verdicts = await refusals(urls, allow_private=False)
    assert verdicts == [await reference(url) for url in urls]
    assert [v is None for v in verdicts] == [True, False, False, False, False, False, True, False]
    assert verdicts[5] == "refused: inside.test resolves to 10.0.0.7, a private address"
    assert await refusal(urls[1], allow_private=False) == verdicts[1]
    assert await refusal(urls[1], allow_private=True) is None


async def test_a_host_is_looked_up_once_per_port(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    async def lookup(host: str) -> list[Any]:
        asked.append(host)
        return answer("93.184.216.34", 443)

    use_resolver(monkeypatch, lookup)
    urls = [f"https://one.test/feed-{i}" for i in range(50)] + ["https://two.test/rss"]
    assert await refusals(urls, allow_private=False) == [None] * 51
    assert sorted(asked) == ["one.test", "two.test"]


async def test_at_most_concurrency_lookups_are_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    in_flight = peak = 0
    full = asyncio.Event()  # lookups are held until the bound is reached

    async def lookup(host: str) -> list[Any]:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        if in_flight == 4:
            full.set()
        await full.wait()
        in_flight -= 1
        return answer("10.0.0.1", 80) if host == "h7.test" else answer("93.184.216.34", 80)

    use_resolver(monkeypatch, lookup)
    urls = [f"http://h{i}.test/feed" for i in range(40)]
    verdicts = await refusals(urls, allow_private=False, concurrency=4)
    assert peak == 4
    assert verdicts[7] == "refused: h7.test resolves to 10.0.0.1, a private address"
    assert verdicts.count(None) == 39


async def test_hosts_not_judged_by_the_deadline_are_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    never = asyncio.Event()

    async def lookup(host: str) -> list[Any]:
        if host == "hangs.test":
            await never.wait()
        return answer("10.0.0.1", 80)

    use_resolver(monkeypatch, lookup)
    urls = ["http://hangs.test/feed", "http://inside.test/feed"]
    verdicts = await refusals(urls, allow_private=False, deadline=1.0)
    assert verdicts == [None, "refused: inside.test resolves to 10.0.0.1, a private address"]


async def test_form_refusal_judges_the_url_without_a_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What is refused by its form alone, with the words ``refusal`` uses for it; a
    well-formed URL is left to the lookup, which is never asked here."""
    asked: list[str] = []

    async def lookup(host: str) -> list[Any]:
        asked.append(host)
        return answer("127.0.0.1", 80)

    use_resolver(monkeypatch, lookup)
    for url in ("file:///etc/passwd", "http://0x7f.1/rss", "https://***@news.example/rss"):
        said = form_refusal(url)
        assert said is not None and said == await refusal(url, allow_private=False)
    assert "only http and https" in (form_refusal("gopher://news.example/1") or "")
    assert form_refusal("https://***@news.example/rss") == MASKED_SECRET
    assert form_refusal("http://localhost/rss") is None  # refused only once looked up
    assert asked == []
