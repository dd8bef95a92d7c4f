import pytest
from pydantic import ValidationError

from service.settings import Settings


def test_a_list_setting_reads_a_json_list_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFING_CORS_ORIGINS", '["https://a.example", "https://b.example"]')
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_an_empty_list_setting_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CORS_ORIGINS", "")
    assert Settings().cors_origins == []


def test_a_list_setting_from_the_config_table_is_taken_as_it_is() -> None:
    assert Settings(cors_origins=["https://a.example"]).cors_origins == ["https://a.example"]


@pytest.mark.parametrize(
    "agent", ["Bot\r\nX-Injected: 1", "Bot\n", "Bot ünïcode", "Bot\x00", "", " Bot", "Bot\t"]
)
def test_a_user_agent_that_is_no_header_value_is_refused(agent: str) -> None:
    """Every poll would have failed (a line break) or the fetcher stopped with a
    traceback (a letter outside ASCII)."""
    with pytest.raises(ValidationError) as raised:
        Settings(user_agent=agent)
    [error] = raised.value.errors()
    assert error["loc"] == ("user_agent",)
    assert "printable ASCII" in error["msg"]


def test_a_user_agent_with_inner_spaces_and_punctuation_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agent = "NewsDesk/2.0 (+https://news.example/bot; ops@news.example) feed reader"
    monkeypatch.setenv("BRIEFING_USER_AGENT", agent)
    assert Settings().user_agent == agent
    assert Settings(user_agent="x").user_agent == "x"


FLOAT_SETTINGS = [name for name, f in Settings.model_fields.items() if f.annotation is float]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity"])
def test_no_float_setting_takes_infinity_or_nan(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    assert "fetch_timeout" in FLOAT_SETTINGS and "process_lease" in FLOAT_SETTINGS
    for name in FLOAT_SETTINGS:
        monkeypatch.setenv(f"BRIEFING_{name.upper()}", value)
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert sorted(e["loc"][0] for e in raised.value.errors()) == sorted(FLOAT_SETTINGS)


@pytest.mark.parametrize("value", ["", "en=0", " en = 0 , ru=1,=2,", "zh-Hans=3"])
def test_placements_in_the_stage_s_form_are_kept(value: str) -> None:
    assert Settings(process_partition_languages=value).process_partition_languages == value


@pytest.mark.parametrize("value", ["", "redis://h:6379/0", "REDIS://h", "unix:///tmp/r.sock"])
def test_a_redis_url_redis_py_reads_is_kept(value: str) -> None:
    assert Settings(redis_url=value).redis_url == value


@pytest.mark.parametrize("value", ["en", "en=x", "en=0=1", "en=0 ru=1", "en=²"])
def test_placements_the_stage_cannot_read_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="language=partition items"):
        Settings(process_partition_languages=value)


def test_an_idle_fetch_worker_claims_at_least_once_a_second() -> None:
    """An idle fetch worker sleeps until the next feed falls due, at most this long: the
    ceiling bounds how late it sees a feed added through the API (docs/operations.md,
    "Claim ticks")."""
    assert Settings().scheduler_tick == 1.0


# Every setting that is a duration: each becomes a datetime, a timer or a Redis TTL.
DURATIONS = [
    "default_interval", "min_interval", "max_interval", "failure_backoff_base",
    "gone_interval", "fetch_timeout", "connect_timeout", "first_poll_spread",
    "scheduler_tick", "claim_lease", "backpressure_lag", "backpressure_max_delay",
    "parse_timeout", "page_staleness", "webhook_timeout", "process_lease", "reclaim_idle",
    "process_linger",
    "retention_days", "events_retention", "startup_wait",
]  # fmt: skip


@pytest.mark.parametrize("name", DURATIONS)
def test_a_duration_of_10_to_the_12_is_refused_naming_its_ceiling(name: str) -> None:
    """Accepted, 10**12 s overflowed a datetime later (a next poll, a retention cut-off)
    and stopped a stage with a traceback; it is one configuration error instead."""
    with pytest.raises(ValidationError) as raised:
        Settings(**{name: 10**12})
    [error] = raised.value.errors()
    assert error["loc"] == (name,) and error["type"] == "less_than_equal"


def test_a_negative_gone_interval_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(gone_interval=-5)
    [error] = raised.value.errors()
    assert error["loc"] == ("gone_interval",) and error["type"] == "greater_than_equal"


# Every setting that is a count or a size: each has a ceiling too.
COUNTS = [name for name, f in Settings.model_fields.items() if f.annotation in (int, int | None)]


@pytest.mark.parametrize("name", sorted(set(COUNTS) - set(DURATIONS)))
def test_a_count_or_size_of_10_to_the_12_is_refused_naming_its_ceiling(name: str) -> None:
    """Accepted, 10**20 failed a Redis script or XADD at run time (claim_batch,
    stream_maxlen) and 10**12 parse processes or connections spent the host's processes
    or descriptors; each is one configuration error instead."""
    assert {"parse_processes", "max_body_bytes", "claim_batch"} <= set(COUNTS)
    with pytest.raises(ValidationError) as raised:
        Settings(**{name: 10**12})
    [error] = raised.value.errors()
    assert error["loc"] == (name,) and error["type"] == "less_than_equal"
    ceiling = error["ctx"]["le"]
    assert 0 < ceiling < 10**12 and f"less than or equal to {ceiling}" in error["msg"]
