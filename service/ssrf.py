"""Refuse URLs that would make the service reach into its own network (SSRF).

Feeds and webhook endpoints are URLs that users type in; without this check
"http://169.254.169.254/latest/meta-data/" or "http://localhost:6379/" would be
polled from inside our network. The rules:

* only ``http`` and ``https`` (nothing else has a place in a feed reader);
* the host is resolved with the event loop's ``getaddrinfo`` and **every**
  address must be public: one private address among public ones is enough for
  an attacker whose DNS answers round-robin;
* a host that is an IPv4 address must be written canonically, ``a.b.c.d`` in decimal:
  decimal ("2130706433"), octal ("0177.0.0.1"), hex ("0x7f.1"), short ("127.1") and
  other numeric spellings are refused as written, even when private targets are
  allowed (``numeric_host_problem``). Parsers disagree about them: the C resolver's
  ``inet_aton`` reads them all as 127.0.0.1, :mod:`ipaddress` reads none of them,
  httpx refuses a few ("0177.0.0.1") and passes the others on, and aiohttp up to
  3.14.0 took any all-digit host for an address and connected without asking a
  resolver. Refused before any of them acts, they leave nothing to disagree about;
* addresses are judged with :mod:`ipaddress` *after* the resolver, so a name is judged
  as what it really connects to;
* IPv6 addresses that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``,
  NAT64 ``64:ff9b::/96``, 6to4, Teredo) are judged by that IPv4 address too;
* cloud metadata endpoints are refused even when private targets are allowed:
  no feed lives there, and credentials do.

``allow_private=True`` (``Settings.allow_private_targets``) is for a newsroom
whose feeds live on its intranet, and for tests against 127.0.0.1.

``check_url`` judges a name at one moment; a hostile DNS server can answer
differently when the HTTP client resolves again a millisecond later (DNS
rebinding). ``service.http_transport`` closes that window: its connections
resolve once (``GuardedResolver``, with ``resolve`` and ``address_problem`` from
here), judge every address, and connect to the judged address itself (TLS still
verifies the certificate against the host name).

The checks are on every poll's path, so they are cheap when repeated: the pure verdicts
(``numeric_host_problem``, ``address_problem``) are memoized, and a poller checks URLs
through ``PassedHosts``, which remembers for a few seconds that a host passed (no
resolver round trip per poll). Remembering a pass cannot let a refused address through:
the connection's resolver judges whatever it connects to, every time it resolves.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import re
import socket
import unicodedata
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean…
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


class TargetRefused(Exception):
    """The URL may not be fetched; ``reason`` says why in one readable line."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"refused: {reason}")
        self.reason = reason


class UnresolvableHost(TargetRefused):
    """The host has no address. Not fetchable, but a network problem rather than a
    refusal, so callers can report it as such ("dns", not "ssrf")."""

    def __init__(self, reason: str) -> None:
        Exception.__init__(self, reason)
        self.reason = reason


async def check_url(url: str, *, allow_private: bool) -> None:
    """Raise TargetRefused unless ``url`` is http(s) and every address of its host is allowed.

    A host that does not resolve raises UnresolvableHost, a TargetRefused whose
    message reads "cannot resolve example.invalid (…)".
    """
    host, port = target(url)
    await judge_host(host, port, allow_private=allow_private)


def target(url: str) -> tuple[str, int]:
    """The host and port ``url`` would connect to; TargetRefused for a scheme other than
    http(s), a malformed URL, a missing host or a non-canonical numeric host.

    A control character anywhere, or a space in the host, is malformed (RFC 3986 §2 has
    no place for either): httpx refuses the first on every poll and sends the second as
    a "%20" host that never resolves. A space in the path passes; httpx escapes it."""
    bad = next((i for i, c in enumerate(url) if ord(c) < 0x20 or ord(c) == 0x7F), None)
    parts = urlsplit(url)
    if bad is None and any(c.isspace() for c in parts.netloc):
        bad = url.index(parts.netloc) + next(i for i, c in enumerate(parts.netloc) if c.isspace())
    if bad is not None:
        raise TargetRefused(f"malformed URL: a space or control character at position {bad}")
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme!r} URLs" if scheme else "URLs without a scheme"
        raise TargetRefused(f"{shown} are not fetched (only http and https)")
    try:
        host = parts.hostname
        port = parts.port
    except ValueError as exc:  # bad port or malformed IPv6 literal
        raise TargetRefused(f"malformed URL: {exc}") from None
    if port == 0:
        raise TargetRefused("malformed URL: port 0 is no server's port")
    port = port or (443 if scheme == "https" else 80)
    if not host:
        raise TargetRefused("URL has no host")
    refuse_numeric_host(host)
    return host, port


async def judge_host(host: str, port: int, *, allow_private: bool) -> None:
    """Raise TargetRefused unless every address ``host`` resolves to is allowed."""
    for address in await resolve(host, port):
        problem = address_problem(address, allow_private=allow_private)
        if problem is None:
            continue
        literal = _as_literal(host)
        if literal is not None and literal == address:
            raise TargetRefused(f"{address} is {problem}")
        raise TargetRefused(f"{host} resolves to {address}, {problem}")


# Seconds a host's pass is remembered: as long as aiohttp keeps a resolver answer for a
# connection (its ``ttl_dns_cache`` default), so the check is no staler than what the
# connection uses. getaddrinfo does not tell the record's own TTL.
PASS_TTL = 10.0
PASSES_KEPT = 10_000


class PassedHosts:
    """``check_url`` for a poller: a host (and port) that passed is not resolved and
    judged again for ``ttl`` seconds. Refusals are never remembered: each is judged anew,
    so a fixed DNS record or setting takes effect on the next poll."""

    def __init__(self, *, allow_private: bool, ttl: float = PASS_TTL) -> None:
        self.allow_private = allow_private
        self.ttl = ttl
        self._passed: dict[tuple[str, int], float] = {}  # -> loop time the pass expires

    async def check(self, url: str) -> None:
        host, port = target(url)
        now = asyncio.get_running_loop().time()
        expires = self._passed.get((host, port))
        if expires is not None and now < expires:
            return
        await judge_host(host, port, allow_private=self.allow_private)
        if len(self._passed) >= PASSES_KEPT:  # bounded: forget the stale, else all
            self._passed = {k: t for k, t in self._passed.items() if t > now}
            if len(self._passed) >= PASSES_KEPT:
                self._passed.clear()
        self._passed[(host, port)] = now + self.ttl


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, via the running loop's resolver.

    A canonical IP literal is its own answer: no trip through the resolver's thread pool
    (``loop.getaddrinfo`` runs in the default executor). Callers refuse other numeric
    spellings first (``refuse_numeric_host``); were one to come here, ``getaddrinfo``
    would still say what it really connects to.
    """
    if "%" not in host:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableHost(f"cannot resolve {host} ({_gai_reason(exc)})") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        # IPv6 link-local answers carry a zone ("fe80::1%eth0"); ipaddress wants it gone.
        text = str(sockaddr[0]).split("%", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise TargetRefused(f"{host} resolves to an unreadable address {text!r}") from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnresolvableHost(f"cannot resolve {host} (no addresses)")
    return addresses


# WHATWG URL's "ends in a number" rule: a host whose last label is decimal digits or
# 0x + hex digits is an IPv4 address to a URL parser (and to inet_aton), not a name.
_NUMBER_LABEL = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*", re.ASCII)
# IDNA (RFC 3490 §3.1) separates labels with these as well as ".".
_IDNA_DOTS = str.maketrans(dict.fromkeys("\u3002\uff0e\uff61", "."))


@functools.lru_cache(maxsize=4096)
def numeric_host_problem(host: str) -> str | None:
    """Why ``host`` (as a URL carries it, IPv6 without brackets) is a numeric IPv4
    spelling other than canonical ``a.b.c.d``, or None when it is a name, a canonical
    IPv4 address or an IPv6 address.

    Judged after the mappings some parsers apply (NFKC as IDNA does: fullwidth digits,
    ideographic full stops), so no parser can turn an accepted host into an address.
    A percent-encoded host is refused too: a parser that decodes it could find digits.
    """
    if ":" in host:  # IPv6: ipaddress reads every valid spelling the way sockets do
        return None
    text = unicodedata.normalize("NFKC", host).translate(_IDNA_DOTS)
    if "%" in text:
        return f"{host} is percent-encoded (write the host name plainly)"
    labels = text.split(".")
    if len(labels) > 1 and labels[-1] == "":  # one trailing dot: the root, still a number
        labels.pop()
    if not _NUMBER_LABEL.fullmatch(labels[-1]):
        return None
    try:
        if str(ipaddress.IPv4Address(host)) == host:
            return None
    except ValueError:
        pass
    return f"{host} is not a canonical IPv4 address (write a.b.c.d)"


def refuse_numeric_host(host: str) -> None:
    """Raise TargetRefused when ``numeric_host_problem`` finds one."""
    problem = numeric_host_problem(host)
    if problem is not None:
        raise TargetRefused(problem)


@functools.lru_cache(maxsize=4096)
def address_problem(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``address`` may not be reached ("a loopback address"), or None when it may."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        if embedded in METADATA_ADDRESSES:
            return "a cloud metadata address"
        # Judged by the IPv4 address it carries: that is where packets end up.
        problem = address_problem(embedded, allow_private=allow_private)
        return None if problem is None else f"{problem} (embedded in IPv6)"
    if allow_private:
        return None
    for test, label in _CATEGORIES:
        if test(address):
            return label
    return None


_CATEGORIES = (
    (lambda a: a.is_unspecified, "an unspecified address"),
    (lambda a: a.is_loopback, "a loopback address"),
    (lambda a: a.is_link_local, "a link-local address"),
    (lambda a: a.is_multicast, "a multicast address"),
    (lambda a: a.version == 6 and a in _UNIQUE_LOCAL, "a unique-local address"),
    (lambda a: a.is_reserved, "a reserved address"),
    (lambda a: a.is_private, "a private address"),
    # Shared address space (100.64/10), documentation ranges and the like.
    (lambda a: not a.is_global, "not a public address"),
)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version != 6:
        return None
    assert isinstance(address, ipaddress.IPv6Address)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address
    return None


def _as_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _gai_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror) and len(exc.args) > 1:
        return str(exc.args[1])
    return str(exc) or type(exc).__name__
