"""When to poll a feed next: pure scheduling math (no clock, no I/O).

    next_poll(policy, now=…, status=…, facts=…, …) ──► datetime (UTC)
    state_after_poll(policy, feed, state, result, …, now=…) ──► FeedState (with next_poll)

The caller passes ``now`` and a ``jitter_unit`` in [0, 1) (see ``jitter_unit``),
so the same inputs always give the same answer. Rules, in order:

1. **410 Gone** → ``gone_interval``: the publisher says the feed is gone for
   good, but we still look rarely rather than never (miniflux #879: feeds that
   die silently). The caller marks the feed ``gone`` for health reports.
2. **429 / 503 with a usable Retry-After** (RFC 9110 §10.2.3, delay-seconds or
   an HTTP-date) → exactly that delay, capped at ``max_interval``. It applies to
   this feed only, not the whole host (FreshRSS #7870). Jitter only pushes it
   later, never earlier.
3. **Any other failure** → exponential backoff ``base · 2^(n-1)`` for the n-th
   consecutive failure, capped at ``max_interval``: a failing feed is retried
   at least that often, forever.
4. **Success (2xx or 304)** → the longest of: the feed's interval, the
   response's freshness lifetime (RFC 9111 §4.2.1: ``max-age``, else
   ``Expires - Date``) and RSS ``<ttl>``; then capped at ``max_interval``.

Every delay is floored at ``min_interval`` and spread by ± ``jitter`` so that
feeds do not move in lock-step after a restart (miniflux #3130). The jittered
delay stays within the floor and the cap: at the cap the spread goes downward
only, so "retried at least every max_interval" holds.

Why ``s-maxage`` is ignored: it is meant for shared caches (RFC 9111 §5.2.2.10),
and publishers set it high on CDNs that they purge on change; a feed reader
that obeyed it would miss breaking news. ``no-cache``/``no-store`` say "do not
reuse without revalidating", which a poll always does, so they add no delay.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from service.models import FeedConfig, FeedState, FetchResult, HttpFacts, ParsedFeed

if TYPE_CHECKING:  # only for the classmethod's annotation: keeps this module free of pydantic
    from service.settings import Settings

_MAX_BACKOFF_EXPONENT = 40  # 2**40 · base overflows no float and exceeds any sane cap
# RFC 9111 §1.2.2: a delta-seconds past what we represent counts as 2^31; an RSS <ttl> and a
# Cache-Control max-age are capped there, so a 400-digit one overflows no float.
DELTA_SECONDS_MAX = 2**31


@dataclass(frozen=True, slots=True)
class PollPolicy:
    """The polling knobs from Settings, in seconds (``jitter`` is a fraction)."""

    default_interval: int = 900
    min_interval: int = 60
    max_interval: int = 86_400
    failure_backoff_base: int = 60
    gone_interval: int = 7 * 86_400
    jitter: float = 0.1

    @classmethod
    def from_settings(cls, settings: Settings) -> PollPolicy:
        return cls(
            default_interval=settings.default_interval,
            min_interval=settings.min_interval,
            max_interval=settings.max_interval,
            failure_backoff_base=settings.failure_backoff_base,
            gone_interval=settings.gone_interval,
            jitter=settings.jitter,
        )


def next_poll(
    policy: PollPolicy,
    *,
    now: datetime,
    interval: int,
    status: int | None,
    ok: bool,
    facts: HttpFacts,
    ttl_minutes: int | None,
    consecutive_failures: int,
    jitter_unit: float,
) -> datetime:
    """The time of the next poll after one that ended with ``status``/``ok``/``facts``.

    ``interval`` is the feed's configured interval (<= 0 means the policy default);
    ``consecutive_failures`` counts this poll when it failed.
    Raises ValueError only for caller mistakes (naive ``now``, jitter_unit outside [0, 1)).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not 0.0 <= jitter_unit < 1.0:
        raise ValueError(f"jitter_unit must be in [0, 1), got {jitter_unit!r}")
    floor = float(policy.min_interval)
    cap = float(max(policy.max_interval, policy.min_interval))

    if status == 410:
        delay = float(max(policy.gone_interval, policy.min_interval))
        cap = delay * (1 + policy.jitter)
    elif status in (429, 503) and (wait := retry_after_seconds(facts, now=now)) is not None:
        delay = min(max(wait, floor), cap)
        floor = delay  # the server asked us to wait at least this long
    elif not ok:
        delay = backoff_seconds(policy, consecutive_failures)
    else:
        base = interval if interval > 0 else policy.default_interval
        candidates = [float(base), freshness_seconds(facts, now=now) or 0.0]
        if ttl_minutes is not None and ttl_minutes > 0:
            candidates.append(min(ttl_minutes, DELTA_SECONDS_MAX // 60) * 60.0)
        delay = max(candidates)
    delay = min(max(delay, floor), cap)
    return now + timedelta(seconds=_jittered(delay, policy.jitter, jitter_unit, floor, cap))


def backoff_seconds(policy: PollPolicy, consecutive_failures: int) -> float:
    """``base · 2^(n-1)`` for the n-th failure in a row, within [min_interval, max_interval]."""
    exponent = min(max(consecutive_failures, 1) - 1, _MAX_BACKOFF_EXPONENT)
    delay = policy.failure_backoff_base * 2.0**exponent
    return min(max(delay, float(policy.min_interval)), float(policy.max_interval))


def jitter_unit(*parts: str) -> float:
    """A deterministic number in [0, 1) from strings such as a feed id and an attempt time.

    Lets callers spread schedules without a random generator, so a replayed
    poll (a redelivered claim) lands on the same schedule.
    """
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2.0**64


def _jittered(delay: float, jitter: float, unit: float, floor: float, cap: float) -> float:
    # Spread over [delay·(1-j), delay·(1+j)] clipped to [floor, cap]; when clipping
    # makes the range one-sided the spread survives on the other side.
    low = min(max(delay * (1 - jitter), floor), cap)
    high = max(min(delay * (1 + jitter), cap), low)
    return low + (high - low) * unit


# --- a poll's outcome and the feed's state after it ----------------------------------------


def poll_outcome(result: FetchResult, parsed: ParsedFeed | None, error: str | None) -> str:
    """How a poll ended (the ``outcome`` label of ``briefing_polls_total``): ``gone``
    (410), ``error``, ``not_modified`` (304), ``unchanged`` (the same body again) or
    ``new_entries`` (a new document was parsed)."""
    if result.status == 410:
        return "gone"
    if error is not None:
        return "error"
    if result.status == 304:
        return "not_modified"
    if parsed is None:
        return "unchanged"
    return "new_entries"


def state_after_poll(
    policy: PollPolicy,
    feed_id: str,
    config: FeedConfig,
    state: FeedState,
    result: FetchResult,
    parsed: ParsedFeed | None,
    error: str | None,
    *,
    now: datetime,
) -> FeedState:
    """The feed's state after a poll at ``now`` that fetched ``result`` and parsed
    ``parsed`` (None: nothing new to parse), failing with ``error`` if not None.

    A failure keeps the validators and body hash (the last good copy is still what we
    have) and counts toward the backoff; a success takes the response's validators (a
    304 keeps the stored ones it does not repeat), the document's title, site and
    ``<ttl>``, and a 301/308's new URL."""
    failed = error is not None
    failures = state.consecutive_failures + 1 if failed else 0
    ttl = parsed.ttl_minutes if parsed is not None else state.ttl_minutes
    when = next_poll(
        policy,
        now=now,
        interval=config.interval,
        status=result.status,
        ok=not failed,
        facts=result.facts,
        ttl_minutes=ttl,
        consecutive_failures=failures,
        jitter_unit=jitter_unit(feed_id, now.isoformat()),
    )
    if failed:
        return replace(
            state,
            last_status=result.status,
            last_error=error,
            last_attempt=now,
            consecutive_failures=failures,
            next_poll=when,
            gone=result.status == 410,
            moved_to=None,
        )
    not_modified = result.status == 304
    return replace(
        state,
        url=result.permanent_url or state.url or config.url,
        title=parsed.title if parsed is not None and parsed.title else state.title,
        site_url=site_url(parsed) or state.site_url,
        etag=(result.facts.etag or state.etag) if not_modified else result.facts.etag,
        last_modified=(
            (result.facts.last_modified or state.last_modified)
            if not_modified
            else result.facts.last_modified
        ),
        body_hash=result.body_hash or state.body_hash,
        last_status=result.status,
        last_error=None,
        last_attempt=now,
        last_success=now,
        consecutive_failures=0,
        next_poll=when,
        gone=False,
        moved_to=result.permanent_url if result.permanent_url != state.url else None,
        ttl_minutes=ttl,
    )


def state_after_internal_error(
    policy: PollPolicy, feed_id: str, state: FeedState, error: str, *, now: datetime
) -> FeedState:
    """The feed's state after a poll at ``now`` that ended in our own bug (``error``), not
    in anything the server said: a failure with the plain backoff of its failing streak.

    Nothing of the response is used (no validators, no ``max-age``, no ``<ttl>``), since
    any of it may be what broke the poll; the validators and body hash are kept."""
    failures = state.consecutive_failures + 1
    when = next_poll(
        policy,
        now=now,
        interval=0,
        status=None,
        ok=False,
        facts=HttpFacts(),
        ttl_minutes=None,
        consecutive_failures=failures,
        jitter_unit=jitter_unit(feed_id, now.isoformat()),
    )
    return replace(
        state,
        last_error=error,
        last_attempt=now,
        consecutive_failures=failures,
        next_poll=when,
        moved_to=None,
    )


def site_url(parsed: ParsedFeed | None) -> str | None:
    """The feed's own site when it names a web page (OPML's ``htmlUrl``)."""
    link = parsed.link if parsed is not None else None
    return link if link and link.lower().startswith(("http://", "https://")) else None


# --- HTTP header parsing: bad values are ignored, nothing here raises ---------------------


def parse_cache_control(value: str | None) -> dict[str, str | None]:
    """Directives of a Cache-Control value (RFC 9111 §5.2), names lower-cased.

    Quoted values are unquoted; commas inside quotes do not split. When a
    directive repeats, the first occurrence wins (RFC 9111 §4.2.1).
    """
    directives: dict[str, str | None] = {}
    if not value:
        return directives
    for match in _DIRECTIVE.finditer(value):
        name = match.group("name").lower()
        raw = match.group("quoted")
        raw = match.group("token") if raw is None else re.sub(r"\\(.)", r"\1", raw)
        directives.setdefault(name, raw)
    return directives


_DIRECTIVE = re.compile(
    r"""(?:^|,)\s*(?P<name>[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*
        (?:=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^,\s]*)))?\s*(?=,|$)""",
    re.VERBOSE,
)


def max_age_seconds(cache_control: str | None) -> int | None:
    """``max-age`` as non-negative seconds, or None when absent or malformed.

    A value past 2^31 counts as 2^31 (RFC 9111 §1.2.2), so no later float overflows.
    """
    raw = parse_cache_control(cache_control).get("max-age")
    if raw is None or not _is_digits(raw):
        return None
    return min(int(raw), DELTA_SECONDS_MAX)


def freshness_seconds(facts: HttpFacts, *, now: datetime) -> float | None:
    """The response's freshness lifetime per RFC 9111 §4.2.1, or None when it gives none.

    max-age wins over Expires (RFC 9111 §5.3). Expires is measured from the
    response's Date (the server's clock, immune to our skew), else from ``now``.
    An Expires that does not parse means "already expired" (RFC 9111 §5.3).
    """
    max_age = max_age_seconds(facts.cache_control)
    if max_age is not None:
        return float(max_age)
    if facts.expires is None:
        return None
    expires = parse_http_date(facts.expires)
    if expires is None:
        return 0.0
    base = parse_http_date(facts.date) if facts.date else None
    return max((expires - (base or now)).total_seconds(), 0.0)


def retry_after_seconds(facts: HttpFacts, *, now: datetime) -> float | None:
    """Retry-After (RFC 9110 §10.2.3) as seconds to wait, or None when absent or malformed.

    An HTTP-date is measured from the response's Date when there is one (the
    server's clock), else from ``now``; a date in the past means 0.
    """
    value = (facts.retry_after or "").strip()
    if not value:
        return None
    if _is_digits(value):
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    base = parse_http_date(facts.date) if facts.date else None
    return max((when - (base or now)).total_seconds(), 0.0)


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts "²" and other non-ASCII digits that int() rejects.
    return text.isascii() and text.isdigit()


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
# RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms.
_GMT = r"\s*(?:GMT|UTC)?\s*$"  # any other zone falls through to email.utils below
_IMF = re.compile(
    r"^[A-Za-z]{3},\s*(\d{1,2})[\s-]([A-Za-z]{3})[\s-](\d{4})\s+(\d\d):(\d\d):(\d\d)" + _GMT,
    re.IGNORECASE,
)
_RFC850 = re.compile(
    r"^[A-Za-z]+,\s*(\d{1,2})-([A-Za-z]{3})-(\d{2})\s+(\d\d):(\d\d):(\d\d)" + _GMT, re.IGNORECASE
)
_ASCTIME = re.compile(
    r"^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+(\d{4})\s*$"
)


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date (RFC 9110 §5.6.7) as aware UTC, or None when it does not parse.

    Accepts the three standard forms, then anything ``email.utils`` can read
    (numeric zones and other near-misses seen in the wild).
    """
    text = (value or "").strip()
    if not text:
        return None
    fields: tuple[int, int, int, int, int, int] | None = None
    if m := _IMF.match(text):
        fields = _fields(m.group(3), m.group(2), m.group(1), *m.group(4, 5, 6))
    elif m := _RFC850.match(text):
        year = int(m.group(3))
        # Two-digit years: RFC 9110 wants "not more than 50 years in the future";
        # without a clock, 70..99 -> 19xx and 00..69 -> 20xx is the usual reading.
        full_year = str(year + (1900 if year >= 70 else 2000))
        fields = _fields(full_year, m.group(2), m.group(1), *m.group(4, 5, 6))
    elif m := _ASCTIME.match(text):
        fields = _fields(m.group(6), m.group(1), m.group(2), *m.group(3, 4, 5))
    if fields is not None:
        try:
            return datetime(*fields, tzinfo=UTC)
        except ValueError:
            return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000" or no zone: HTTP dates are GMT
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _fields(
    year: str, month: str, day: str, hour: str, minute: str, second: str
) -> tuple[int, int, int, int, int, int] | None:
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    return int(year), number, int(day), int(hour), int(minute), int(second)
