"""The SSRF guard: schemes, literals, resolver tricks, embedded IPv4, allow_private."""

from __future__ import annotations

import ipaddress

import pytest

from service.ssrf import (
    PassedHosts,
    TargetRefused,
    UnresolvableHost,
    address_problem,
    check_url,
    numeric_host_problem,
)
from tests.support.net import NON_CANONICAL_LOOPBACK

REFUSED = [
    ("http://127.0.0.1/feed", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1:6379/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/feed", "::1 is a loopback address"),
    ("http://localhost/feed", "localhost resolves to"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://10.1.2.3/", "10.1.2.3 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is not a public address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "fd00:ec2::254 is a cloud metadata address"),
    ("http://169.254.1.1/", "169.254.1.1 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[fd12:3456::1]/", "fd12:3456::1 is a unique-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1 is a loopback address (embedded in IPv6)"),
    ("http://[::ffff:169.254.169.254]/", "is a cloud metadata address"),
    ("http://[64:ff9b::a00:1]/", "a private address (embedded in IPv6)"),
    ("http://[2002:7f00:1::]/", "a loopback address (embedded in IPv6)"),
    # Spellings the C resolver accepts: refused as spellings, whatever they resolve to.
    ("http://2130706433/", "2130706433 is not a canonical IPv4 address"),
    ("http://0177.0.0.1/", "0177.0.0.1 is not a canonical IPv4 address"),
    ("http://0x7f.0.0.1/", "0x7f.0.0.1 is not a canonical IPv4 address"),
    ("http://127.1/", "127.1 is not a canonical IPv4 address"),
    ("HTTP://LOCALHOST/feed", "resolves to"),
    ("ftp://example.com/feed", "'ftp' URLs are not fetched (only http and https)"),
    ("file:///etc/passwd", "'file' URLs are not fetched"),
    ("gopher://127.0.0.1:6379/_INFO", "'gopher' URLs are not fetched"),
    ("//example.com/feed", "URLs without a scheme are not fetched"),
    ("http:///feed", "URL has no host"),
    ("http://example.com:99999/", "malformed URL"),
    ("http://exa mple.com/feed", "a space or control character"),
    ("http://example.com/feed\nHost: x", "a space or control character"),
    ("http://example.com\t/feed", "a space or control character"),
    ("http://example.com:0/feed", "port 0"),
]


@pytest.mark.parametrize(("url", "message"), REFUSED, ids=[u for u, _ in REFUSED])
async def test_refused(url: str, message: str) -> None:
    with pytest.raises(TargetRefused) as info:
        await check_url(url, allow_private=False)
    assert message in info.value.reason
    assert str(info.value).startswith("refused: ")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost:8080/feed",
        "http://10.1.2.3/",
        "http://[::ffff:127.0.0.1]/",
        "https://192.168.1.1/",
    ],
)
async def test_private_allowed_when_enabled(url: str) -> None:
    await check_url(url, allow_private=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://169.254.169.254/", "cloud metadata"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
        ("ftp://127.0.0.1/", "'ftp' URLs"),
    ],
)
async def test_metadata_and_schemes_refused_even_when_private_allowed(
    url: str, message: str
) -> None:
    with pytest.raises(TargetRefused, match=message):
        await check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["http://93.184.215.14/feed.xml", "https://[2606:4700::6810:84e5]/rss", "http://8.8.8.8:8080/"],
)
async def test_public_literals_pass(url: str) -> None:
    await check_url(url, allow_private=False)


async def test_every_resolved_address_must_be_public(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["news.example"] = ["93.184.215.14", "10.0.0.7"]
    with pytest.raises(TargetRefused, match=r"news\.example resolves to 10\.0\.0\.7, a private"):
        await check_url("https://news.example/rss", allow_private=False)


async def test_public_name_passes(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["news.example"] = ["93.184.215.14", "2606:4700::6810:84e5"]
    await check_url("https://news.example/rss", allow_private=False)


async def test_link_local_answer_with_zone(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["router.example"] = ["fe80::1%eth0"]
    with pytest.raises(TargetRefused, match="fe80::1, a link-local address"):
        await check_url("http://router.example/", allow_private=False)


async def test_unresolvable_name_is_a_refusal_of_its_own_kind(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["nowhere.invalid"] = []
    with pytest.raises(UnresolvableHost) as info:
        await check_url("http://nowhere.invalid/", allow_private=False)
    assert isinstance(info.value, TargetRefused)
    assert str(info.value) == "cannot resolve nowhere.invalid (Name or service not known)"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("8.8.8.8", None),
        ("2606:4700::6810:84e5", None),
        ("127.0.0.53", "a loopback address"),
        ("192.0.2.1", "a private address"),  # TEST-NET-1 documentation range
        ("::", "an unspecified address"),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_problem(address: str, expected: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address), allow_private=False) == expected


@pytest.mark.parametrize("host", NON_CANONICAL_LOOPBACK)
async def test_non_canonical_numeric_hosts_are_refused_even_when_private_is_allowed(
    host: str,
) -> None:
    # Parsers disagree about these (inet_aton, WHATWG URL, ipaddress, each aiohttp
    # version): whatever one of them makes of it, the host is refused as written.
    with pytest.raises(TargetRefused, match="is not a canonical IPv4 address"):
        await check_url(f"http://{host}:8080/feed", allow_private=True)


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("127.0.0.1", False),
        ("93.184.215.14", False),
        ("::1", False),  # IPv6 literals: ipaddress reads every valid spelling alike
        ("example.com", False),
        ("1e2.example", False),
        ("0x.example", False),
        ("cafe", False),
        ("1.2.3.4.5", True),
        ("foo.123", True),  # the last label decides (WHATWG URL "ends in a number")
        ("foo.0x1f", True),
        ("0x", True),
        ("09", True),
        ("127.000.000.001", True),
        ("１２７.0.0.1", True),  # fullwidth digits: IDNA maps them to ASCII
        ("127。0。0。1", True),  # ideographic full stops: IDNA label separators
        ("%31%32%37.0.0.1", True),
    ],
)
def test_numeric_host_problem(host: str, refused: bool) -> None:
    assert (numeric_host_problem(host) is not None) == refused


async def test_a_host_that_passed_is_not_resolved_again_while_its_pass_lasts(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["news.example"] = ["93.184.215.14"]
    remembering = PassedHosts(allow_private=False)
    await remembering.check("http://news.example/a.xml")
    # The name now points inward: within its pass the check does not ask again (the
    # connection's resolver still judges what it connects to), a fresh check refuses.
    fake_dns["news.example"] = ["10.0.0.7"]
    await remembering.check("https://news.example:80/b.xml")  # same host and port
    with pytest.raises(TargetRefused, match=r"news\.example resolves to 10\.0\.0\.7"):
        await remembering.check("https://news.example/c.xml")  # port 443: not passed yet
    with pytest.raises(TargetRefused, match=r"news\.example resolves to 10\.0\.0\.7"):
        await PassedHosts(allow_private=False, ttl=0).check("http://news.example/a.xml")


async def test_refusals_are_not_remembered(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["intranet.example"] = ["10.0.0.7"]
    remembering = PassedHosts(allow_private=False)
    with pytest.raises(TargetRefused, match="a private address"):
        await remembering.check("http://intranet.example/")
    fake_dns["intranet.example"] = ["93.184.215.14"]
    await remembering.check("http://intranet.example/")
    with pytest.raises(TargetRefused, match="only http and https"):
        await remembering.check("ftp://intranet.example/")
    with pytest.raises(TargetRefused, match="not a canonical IPv4 address"):
        await remembering.check("http://127.1/")
