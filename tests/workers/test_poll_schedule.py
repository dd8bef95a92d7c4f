"""Table tests for the pure polling schedule (workers/poll_schedule.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.models import FeedConfig, FeedState, FetchResult, HttpFacts, ParsedFeed
from service.settings import FEED_INTERVAL_MAX, YEAR, Settings
from workers.poll_schedule import (
    PollPolicy,
    backoff_seconds,
    freshness_seconds,
    jitter_unit,
    max_age_seconds,
    next_poll,
    parse_cache_control,
    parse_http_date,
    poll_outcome,
    retry_after_seconds,
    state_after_internal_error,
    state_after_poll,
)

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
HTTP_NOW = "Wed, 25 Nov 2026 12:00:00 GMT"
# No jitter in the table, so each row has one exact answer; jitter has its own tests.
POLICY = PollPolicy(
    default_interval=900,
    min_interval=60,
    max_interval=86_400,
    failure_backoff_base=60,
    gone_interval=7 * 86_400,
    jitter=0.0,
)


@dataclass(frozen=True)
class Case:
    name: str
    expected_delay: float
    status: int | None = 200
    ok: bool = True
    facts: HttpFacts = field(default_factory=HttpFacts)
    interval: int = 900
    ttl_minutes: int | None = None
    failures: int = 0


CASES = [
    Case("plain success uses the feed interval", 900),
    Case("interval 0 falls back to the policy default", 900, interval=0),
    Case("304 is a success too", 900, status=304),
    Case("interval below the floor is raised to min_interval", 60, interval=5),
    Case(
        "max-age longer than the interval wins", 3600, facts=HttpFacts(cache_control="max-age=3600")
    ),
    Case(
        "max-age shorter than the interval is ignored",
        900,
        facts=HttpFacts(cache_control="max-age=30"),
    ),
    Case(
        "max-age beyond the cap is capped",
        86_400,
        facts=HttpFacts(cache_control="max-age=31536000"),
    ),
    Case(
        "s-maxage is for CDNs and ignored",
        900,
        facts=HttpFacts(cache_control="public, s-maxage=7200, max-age=60"),
    ),
    Case("no-cache adds no delay", 900, facts=HttpFacts(cache_control="no-cache, no-store")),
    Case("malformed max-age is ignored", 900, facts=HttpFacts(cache_control="max-age=soon")),
    Case(
        "Expires minus Date",
        7200,
        facts=HttpFacts(
            expires="Wed, 25 Nov 2026 14:00:00 GMT", date="Wed, 25 Nov 2026 12:00:00 GMT"
        ),
    ),
    Case(
        "Expires measured from the server's Date, not our clock",
        1800,
        facts=HttpFacts(
            expires="Wed, 25 Nov 2026 10:30:00 GMT", date="Wed, 25 Nov 2026 10:00:00 GMT"
        ),
        interval=600,
    ),
    Case(
        "Expires minus now when Date is missing",
        3600,
        facts=HttpFacts(expires="Wed, 25 Nov 2026 13:00:00 GMT"),
    ),
    Case("Expires 0 means already expired", 900, facts=HttpFacts(expires="0")),
    Case(
        "max-age beats Expires (RFC 9111 §5.3)",
        1200,
        facts=HttpFacts(
            cache_control="max-age=1200", expires="Thu, 26 Nov 2026 12:00:00 GMT", date=HTTP_NOW
        ),
    ),
    Case("RSS ttl longer than interval wins", 3600, ttl_minutes=60),
    Case("RSS ttl 0 is ignored", 900, ttl_minutes=0),
    Case("an RSS ttl past any float is capped", 86_400, ttl_minutes=int("9" * 400)),
    Case(
        "a max-age past any float is capped",
        86_400,
        facts=HttpFacts(cache_control="max-age=" + "9" * 400),
    ),
    Case("first failure waits the backoff base", 60, status=500, ok=False, failures=1),
    Case("third failure doubles twice", 240, status=500, ok=False, failures=3),
    Case("network failure without status backs off", 480, status=None, ok=False, failures=4),
    Case(
        "backoff is capped at max_interval, never stops",
        86_400,
        status=None,
        ok=False,
        failures=200,
    ),
    Case("failure count 0 is treated as the first failure", 60, status=500, ok=False, failures=0),
    Case(
        "429 with Retry-After seconds",
        120,
        status=429,
        ok=False,
        facts=HttpFacts(retry_after="120"),
        failures=5,
    ),
    Case(
        "503 with Retry-After HTTP-date",
        600,
        status=503,
        ok=False,
        facts=HttpFacts(retry_after="Wed, 25 Nov 2026 12:10:00 GMT", date=HTTP_NOW),
        failures=1,
    ),
    Case(
        "Retry-After below the floor is floored",
        60,
        status=429,
        ok=False,
        facts=HttpFacts(retry_after="1"),
    ),
    Case(
        "Retry-After beyond the cap is capped",
        86_400,
        status=503,
        ok=False,
        facts=HttpFacts(retry_after="9999999"),
        failures=1,
    ),
    Case(
        "429 with garbage Retry-After backs off",
        120,
        status=429,
        ok=False,
        facts=HttpFacts(retry_after="later please"),
        failures=2,
    ),
    Case(
        "Retry-After on a 500 is not a promise",
        60,
        status=500,
        ok=False,
        facts=HttpFacts(retry_after="3600"),
        failures=1,
    ),
    Case("410 Gone is polled rarely, beyond the cap", 7 * 86_400, status=410, ok=False, failures=1),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_next_poll_table(case: Case) -> None:
    when = next_poll(
        POLICY,
        now=NOW,
        interval=case.interval,
        status=case.status,
        ok=case.ok,
        facts=case.facts,
        ttl_minutes=case.ttl_minutes,
        consecutive_failures=case.failures,
        jitter_unit=0.5,
    )
    assert (when - NOW).total_seconds() == pytest.approx(case.expected_delay)


def _delay(policy: PollPolicy, unit: float, **kwargs: object) -> float:
    args: dict[str, object] = {
        "interval": 900,
        "status": 200,
        "ok": True,
        "facts": HttpFacts(),
        "ttl_minutes": None,
        "consecutive_failures": 0,
    }
    args.update(kwargs)
    return (next_poll(policy, now=NOW, jitter_unit=unit, **args) - NOW).total_seconds()  # type: ignore[arg-type]


JITTERY = PollPolicy(jitter=0.1)


def test_jitter_spreads_symmetrically_around_the_delay() -> None:
    assert _delay(JITTERY, 0.0) == pytest.approx(810)
    assert _delay(JITTERY, 0.5) == pytest.approx(900)
    assert _delay(JITTERY, 0.999999) == pytest.approx(990, abs=0.01)


def test_jitter_at_the_cap_goes_downward_only() -> None:
    failing = {"status": None, "ok": False, "consecutive_failures": 100}
    assert _delay(JITTERY, 0.0, **failing) == pytest.approx(86_400 * 0.9)
    assert _delay(JITTERY, 0.999999, **failing) <= 86_400


def test_jitter_never_moves_before_retry_after() -> None:
    facts = HttpFacts(retry_after="300")
    delays = [_delay(JITTERY, u, status=429, ok=False, facts=facts) for u in (0.0, 0.5, 0.99)]
    assert min(delays) == pytest.approx(300)
    assert max(delays) > 300


def test_jitter_never_goes_below_min_interval() -> None:
    policy = PollPolicy(min_interval=60, jitter=0.5)
    assert _delay(policy, 0.0, interval=60) == pytest.approx(60)


@pytest.mark.parametrize("bad", [-0.1, 1.0, 2.0])
def test_jitter_unit_out_of_range_is_a_caller_error(bad: float) -> None:
    with pytest.raises(ValueError, match="jitter_unit"):
        _delay(JITTERY, bad)


def test_naive_now_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="timezone"):
        next_poll(
            POLICY,
            now=NOW.replace(tzinfo=None),
            interval=900,
            status=200,
            ok=True,
            facts=HttpFacts(),
            ttl_minutes=None,
            consecutive_failures=0,
            jitter_unit=0.0,
        )


def test_jitter_unit_is_deterministic_and_in_range() -> None:
    assert jitter_unit("feed-a", "2026-11-25T12:00") == jitter_unit("feed-a", "2026-11-25T12:00")
    assert jitter_unit("feed-a", "t") != jitter_unit("feed-b", "t")
    units = [jitter_unit("feed", str(i)) for i in range(1000)]
    assert all(0.0 <= u < 1.0 for u in units)
    # Spread, not clumped: both halves of the range are used.
    assert sum(u < 0.5 for u in units) > 400


def test_policy_from_settings() -> None:
    settings = Settings(min_interval=30, max_interval=3600, jitter=0.2, failure_backoff_base=10)
    policy = PollPolicy.from_settings(settings)
    assert policy.min_interval == 30
    assert policy.max_interval == 3600
    assert policy.jitter == 0.2
    assert policy.failure_backoff_base == 10
    assert policy.gone_interval == settings.gone_interval
    assert policy.default_interval == settings.default_interval


@pytest.mark.parametrize("status", [200, 410, 429, 503, 500])
def test_next_poll_at_the_settings_ceilings_is_a_time_within_them(status: int) -> None:
    """Every schedule setting and the feed interval at its ceiling, and a server asking
    for the longest waits it can: still a next poll time, none past the ceilings."""
    ceiling = Settings(
        default_interval=FEED_INTERVAL_MAX, min_interval=YEAR, max_interval=YEAR,
        failure_backoff_base=YEAR, gone_interval=YEAR, jitter=0.5,
    )  # fmt: skip
    policy = PollPolicy.from_settings(ceiling)
    facts = HttpFacts(retry_after=str(10**12), cache_control=f"max-age={10**12}")
    when = next_poll(
        policy, now=NOW, interval=FEED_INTERVAL_MAX, status=status, ok=status == 200,
        facts=facts, ttl_minutes=10**12, consecutive_failures=10**6, jitter_unit=0.999999,
    )  # fmt: skip
    assert NOW + timedelta(seconds=YEAR) <= when <= NOW + timedelta(seconds=YEAR * 1.5)


def test_backoff_sequence() -> None:
    assert [backoff_seconds(POLICY, n) for n in range(1, 6)] == [60, 120, 240, 480, 960]


@given(
    failures=st.integers(min_value=-5, max_value=10_000),
    status=st.sampled_from([None, 200, 304, 404, 410, 429, 500, 503]),
    retry_after=st.one_of(st.none(), st.text(max_size=40), st.integers(0, 10**12).map(str)),
    cache_control=st.one_of(st.none(), st.text(max_size=60)),
    expires=st.one_of(st.none(), st.text(max_size=40)),
    ttl=st.one_of(st.none(), st.integers(-10, 10**7)),
    unit=st.floats(min_value=0.0, max_value=0.999999),
)
def test_next_poll_is_always_within_bounds(
    failures: int,
    status: int | None,
    retry_after: str | None,
    cache_control: str | None,
    expires: str | None,
    ttl: int | None,
    unit: float,
) -> None:
    policy = PollPolicy(jitter=0.1)
    ok = status in (200, 304)
    facts = HttpFacts(retry_after=retry_after, cache_control=cache_control, expires=expires)
    delay = _delay(
        policy,
        unit,
        status=status,
        ok=ok,
        facts=facts,
        ttl_minutes=ttl,
        consecutive_failures=failures,
    )
    assert delay >= policy.min_interval
    limit = policy.gone_interval * 1.1 if status == 410 else policy.max_interval
    assert delay <= limit + 1e-6


# --- header parsing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, {}),
        ("", {}),
        ("max-age=60", {"max-age": "60"}),
        ("Public, MAX-AGE=60", {"public": None, "max-age": "60"}),
        ('private="set-cookie, x-a", max-age=5', {"private": "set-cookie, x-a", "max-age": "5"}),
        ("max-age=60, max-age=7200", {"max-age": "60"}),
        ('no-cache="a\\"b"', {"no-cache": 'a"b'}),
        (",,, max-age=1 ,", {"max-age": "1"}),
    ],
    ids=repr,
)
def test_parse_cache_control(value: str | None, expected: dict[str, str | None]) -> None:
    assert parse_cache_control(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("max-age=0", 0),
        ("max-age=3600", 3600),
        ("max-age=" + "9" * 400, 2**31),  # RFC 9111 §1.2.2
        ('max-age="3600"', 3600),
        ("max-age=-1", None),
        ("max-age=1.5", None),
        ("max-age=²", None),
        ("max-age", None),
        ("no-store", None),
    ],
    ids=repr,
)
def test_max_age_seconds(value: str, expected: int | None) -> None:
    assert max_age_seconds(value) == expected


EXPECTED_DATE = datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sun, 06 Nov 1994 08:49:37 GMT", EXPECTED_DATE),  # IMF-fixdate
        ("Sunday, 06-Nov-94 08:49:37 GMT", EXPECTED_DATE),  # obsolete RFC 850
        ("Sun Nov  6 08:49:37 1994", EXPECTED_DATE),  # obsolete asctime
        ("sun, 06 nov 1994 08:49:37 gmt", EXPECTED_DATE),
        ("Sun, 06 Nov 1994 09:49:37 +0100", EXPECTED_DATE),  # numeric zone, seen in the wild
        ("Sun, 31 Feb 1994 08:49:37 GMT", None),
        ("Sun, 06 Foo 1994 08:49:37 GMT", None),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("yesterday", None),
        ("Sun, 06 Nov 99999 08:49:37 GMT", None),
    ],
    ids=repr,
)
def test_parse_http_date(value: str | None, expected: datetime | None) -> None:
    assert parse_http_date(value) == expected


@given(st.text(max_size=80))
def test_header_parsers_never_raise(text: str) -> None:
    parse_http_date(text)
    parse_cache_control(text)
    max_age_seconds(text)
    retry_after_seconds(HttpFacts(retry_after=text, date=text), now=NOW)
    freshness_seconds(HttpFacts(expires=text, date=text), now=NOW)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (HttpFacts(), None),
        (HttpFacts(retry_after="120"), 120),
        (HttpFacts(retry_after=" 0 "), 0),
        (HttpFacts(retry_after="Wed, 25 Nov 2026 12:02:00 GMT"), 120),
        (HttpFacts(retry_after="Wed, 25 Nov 2026 11:00:00 GMT"), 0),  # in the past
        (
            HttpFacts(
                retry_after="Wed, 25 Nov 2026 09:05:00 GMT", date="Wed, 25 Nov 2026 09:00:00 GMT"
            ),
            300,
        ),
        (HttpFacts(retry_after="-5"), None),
        (HttpFacts(retry_after="1.5"), None),
    ],
    ids=repr,
)
def test_retry_after_seconds(facts: HttpFacts, expected: float | None) -> None:
    assert retry_after_seconds(facts, now=NOW) == expected


def test_freshness_is_none_without_caching_headers() -> None:
    assert freshness_seconds(HttpFacts(cache_control="public"), now=NOW) is None
    assert freshness_seconds(HttpFacts(), now=NOW + timedelta(days=1)) is None


# --- a poll's outcome and the feed's state after it ------------------------------------------

FEED = FeedConfig(url="https://a.example/feed", interval=900)
STORED = FeedState(
    url=FEED.url,
    title="Old title",
    etag='"v1"',
    last_modified="Tue, 24 Nov 2026 12:00:00 GMT",
    body_hash="old",
    last_success=NOW - timedelta(hours=1),
    consecutive_failures=2,
    ttl_minutes=30,
    site_url="https://a.example/",
)


def parsed_feed(*, title: str = "A", link: str | None = None, ttl: int | None = None) -> ParsedFeed:
    return ParsedFeed("rss20", title, link, FEED.url, "en", ttl, ())


@pytest.mark.parametrize(
    ("result", "parsed", "error", "expected"),
    [
        (FetchResult(FEED.url, 410, error="HTTP 410"), None, "HTTP 410", "gone"),
        (FetchResult(FEED.url, None, error="timeout"), None, "timeout", "error"),
        (FetchResult(FEED.url, 200), parsed_feed(), "parse: not a feed", "error"),
        (FetchResult(FEED.url, 304), None, None, "not_modified"),
        (FetchResult(FEED.url, 200, body_hash="old"), None, None, "unchanged"),
        (FetchResult(FEED.url, 200, body_hash="new"), parsed_feed(), None, "new_entries"),
    ],
    ids=["gone", "fetch-error", "parse-error", "not-modified", "same-body", "new-document"],
)
def test_poll_outcome(
    result: FetchResult, parsed: ParsedFeed | None, error: str | None, expected: str
) -> None:
    assert poll_outcome(result, parsed, error) == expected


def test_a_success_takes_the_response_and_the_document() -> None:
    result = FetchResult(
        FEED.url,
        200,
        HttpFacts(etag='"v2"', last_modified=None),
        body_hash="new",
        permanent_url="https://b.example/feed",
    )
    parsed = parsed_feed(title="New title", link="https://b.example/", ttl=60)
    state = state_after_poll(POLICY, "f1", FEED, STORED, result, parsed, None, now=NOW)
    assert state == FeedState(
        url="https://b.example/feed",
        title="New title",
        etag='"v2"',
        last_modified=None,  # a 200 without Last-Modified drops the old validator
        body_hash="new",
        last_status=200,
        last_error=None,
        last_attempt=NOW,
        last_success=NOW,
        consecutive_failures=0,
        next_poll=NOW + timedelta(minutes=60),  # the feed's <ttl> beats its interval
        gone=False,
        moved_to="https://b.example/feed",
        ttl_minutes=60,
        site_url="https://b.example/",
    )


def test_a_304_keeps_the_stored_validators_it_does_not_repeat() -> None:
    result = FetchResult(FEED.url, 304, HttpFacts(etag='"v1"'))
    state = state_after_poll(POLICY, "f1", FEED, STORED, result, None, None, now=NOW)
    assert (state.etag, state.last_modified) == (STORED.etag, STORED.last_modified)
    assert (state.title, state.site_url, state.body_hash) == ("Old title", STORED.site_url, "old")
    assert state.ttl_minutes == 30 and state.next_poll == NOW + timedelta(minutes=30)
    assert (state.last_success, state.consecutive_failures, state.moved_to) == (NOW, 0, None)


def test_a_site_link_that_is_no_web_page_keeps_the_stored_site() -> None:
    result = FetchResult(FEED.url, 200, body_hash="new")
    parsed = parsed_feed(title="", link="mailto:desk@a.example")
    state = state_after_poll(POLICY, "f1", FEED, STORED, result, parsed, None, now=NOW)
    assert (state.title, state.site_url) == ("Old title", "https://a.example/")


def test_a_failure_keeps_the_last_good_copy_and_backs_off() -> None:
    result = FetchResult(FEED.url, 500, HttpFacts(etag='"v9"'), error="HTTP 500")
    state = state_after_poll(POLICY, "f1", FEED, STORED, result, None, "HTTP 500", now=NOW)
    assert state == dataclasses.replace(
        STORED,
        last_status=500,
        last_error="HTTP 500",
        last_attempt=NOW,
        consecutive_failures=3,
        next_poll=NOW + timedelta(seconds=backoff_seconds(POLICY, 3)),
        gone=False,
        moved_to=None,
    )


def test_a_410_marks_the_feed_gone_and_polls_it_rarely() -> None:
    result = FetchResult(FEED.url, 410, error="HTTP 410")
    state = state_after_poll(POLICY, "f1", FEED, STORED, result, None, "HTTP 410", now=NOW)
    assert state.gone and state.consecutive_failures == 3
    assert state.next_poll == NOW + timedelta(seconds=POLICY.gone_interval)


def test_an_internal_error_fails_with_the_plain_backoff_and_keeps_the_validators() -> None:
    state = FeedState(
        url="https://example.org/f.xml", etag='"v1"', body_hash="h", consecutive_failures=2
    )
    after = state_after_internal_error(POLICY, "f1", state, "internal: Boom", now=NOW)
    assert after.last_error == "internal: Boom" and after.last_attempt == NOW
    assert after.consecutive_failures == 3
    assert after.next_poll == NOW + timedelta(seconds=backoff_seconds(POLICY, 3))  # 240 s
    assert (after.etag, after.body_hash, after.url) == ('"v1"', "h", state.url)
