"""Settings: environment (``BRIEFING_*``, plus ``REDIS_URL``) over an optional TOML file.

Built in the entry points and passed in; nothing here creates an instance at import.
Precedence, highest first: explicit keyword arguments, environment variables, the
``[settings]`` table of the config file (see ``Settings.config_file``), the defaults
below. Every field is documented in README.md ("Configuration").
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

# The feeds-and-briefings file, first found wins: BRIEFING_CONFIG; ./config/feeds.toml in
# the working directory (an operator's own file, no variable needed); the default shipped
# as package data, so an installed wheel runs from any folder.
LOCAL_CONFIG_FILE = Path("config") / "feeds.toml"
DEFAULT_CONFIG_FILE: Traversable = files("service.defaults") / "feeds.toml"
# A header field value we can send: visible ASCII, inner spaces (RFC 9110 §5.5).
_FIELD_VALUE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
# What redis-py's ``Redis.from_url`` accepts (any other scheme is a ValueError there).
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
USER_AGENT = "LiveBriefing/0.1 (+https://github.com/live-briefing/live-briefing; feed reader)"
# Ceilings of the durations below, in seconds. Each duration becomes a datetime (a next
# poll, a claim's end, a retention cut-off), a timer on the event loop or a Redis TTL in
# milliseconds, and a value such as 10**12 would overflow one of them at run time (a
# datetime ends in year 9999) and stop a stage with a traceback; refused here, it is one
# configuration error. Each ceiling is far beyond any useful value.
HOUR = 3_600
DAY = 86_400
YEAR = 366 * DAY
# A feed's own interval, wherever it is set (config file, API, `briefing feeds add`).
FEED_INTERVAL_MAX = 7 * DAY
# Ceilings of the counts and sizes below, for the same reason. Past a 64-bit integer a
# value fails a Redis script or XADD at run time ("value is not an integer or out of
# range": claim_batch, stream_maxlen); short of that, a huge one spends the host's memory,
# processes or file descriptors (bodies are held whole, each parse process is ~150 MB, each
# connection or event stream holds a descriptor). Each ceiling is far beyond any useful value.
GIB = 1024**3
# WHATWG Fetch §4.4 (HTTP-redirect fetch): a 21st redirect is a network error in browsers.
REDIRECTS_MAX = 20


class Settings(BaseSettings):
    # allow_inf_nan: every float here is a number of seconds or a fraction that becomes
    # milliseconds, a deadline or a Redis TTL; "inf" would fail each poll (OverflowError)
    # or stop `run` with a traceback, where a bad value must be one configuration error.
    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_", extra="forbid", frozen=True, allow_inf_nan=False
    )

    # --- where things live -------------------------------------------------------------
    data_dir: Path = Field(default=Path("data"), description="Embedded Redis files live here.")
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "BRIEFING_REDIS_URL", "redis_url"),
        description="External Redis; when unset an embedded Redis runs in data_dir.",
    )
    startup_wait: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="Seconds run/api/worker keep retrying their start-up I/O (data format "
        "check, seeding) while Redis is unreachable, with backoff, before exiting 1 (the "
        "process-stage child waits until Redis answers).",
    )
    embedded_restarts: int = Field(
        default=6,
        ge=1,
        le=20,
        description="Attempts to restart a dead embedded Redis (0, 0.5, 1, 2, 4, 8 s apart, "
        "then 8 s) before the process exits non-zero for its supervisor to restart it.",
    )
    config: Path | None = Field(
        default=None,
        description="One TOML file replacing ./config/feeds.toml and the packaged default.",
    )
    key_prefix: str = Field(default="lb", description="Prefix of every Redis key.")

    # --- HTTP face ---------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535, description="0: any free port.")
    log_level: str = Field(default="INFO", pattern=r"(?i)^(debug|info|warning|error|critical)$")
    log_format: str = Field(default="json", pattern=r"^(json|text)$", description="Log lines.")

    # --- polling -----------------------------------------------------------------------
    allow_private_targets: bool = Field(
        default=False, description="Let feeds and webhooks point at loopback/private addresses."
    )
    user_agent: str = Field(
        default=USER_AGENT, description="User-Agent of feed polls and webhook attempts."
    )
    default_interval: int = Field(
        default=900, ge=10, le=FEED_INTERVAL_MAX, description="Seconds between polls."
    )
    min_interval: int = Field(
        default=60, ge=1, le=YEAR, description="Never poll one feed more often."
    )
    max_interval: int = Field(
        default=86_400, ge=60, le=YEAR, description="Cap on any computed delay."
    )
    failure_backoff_base: int = Field(
        default=60, ge=1, le=YEAR, description="First retry after an error."
    )
    gone_interval: int = Field(
        default=7 * DAY, ge=1, le=YEAR, description="410 Gone feeds: check this rarely."
    )
    jitter: float = Field(default=0.1, ge=0, le=0.5, description="± fraction added to schedules.")
    fetch_timeout: float = Field(
        default=20.0, gt=0, le=HOUR, description="Seconds for a whole poll."
    )
    connect_timeout: float = Field(default=10.0, gt=0, le=HOUR)
    max_body_bytes: int = Field(default=15 * 1024 * 1024, ge=1024, le=GIB)
    max_redirects: int = Field(default=5, ge=0, le=REDIRECTS_MAX)
    max_connections: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Polls one fetch worker runs at once (its fetch capacity).",
    )
    per_host_concurrency: int = Field(
        default=2, ge=1, le=100, description="Requests one fetch worker sends to one host at once."
    )
    first_poll_spread: int = Field(
        default=300,
        ge=0,
        le=YEAR,
        description="Seconds over which configured feeds' first polls spread.",
    )
    scheduler_tick: float = Field(
        default=1.0,
        gt=0,
        le=HOUR,
        description="Most seconds an idle fetch worker waits before claiming again. It "
        "waits until the next scheduled feed falls due (each claim returns that time), "
        "so feeds are claimed within milliseconds of their due time; this ceiling bounds "
        "how late it sees what neither a claim nor a wake-up shows (a wake-up lost while "
        "its subscriber reconnected, a schedule moved by another worker), and an idle "
        "worker with nothing due soon makes one claim (and at most one backlog check) per "
        "ceiling.",
    )
    claim_batch: int = Field(
        default=100, ge=1, le=10_000, description="Most feeds taken by one claim (one Redis call)."
    )
    claim_lease: int = Field(
        default=30,
        ge=5,
        le=DAY,
        description="Seconds a claim holds a feed; renewed every third of it while the poll "
        "runs, so a worker killed mid-poll holds its feeds for at most this long.",
    )
    backpressure_lag: float = Field(
        default=2.0,
        ge=0,
        le=DAY,
        description="Process-stage backlog (age of its oldest unacknowledged entry, s) above "
        "which fetchers defer polls by up to backpressure_max_delay; 0: never defer.",
    )
    backpressure_max_delay: float = Field(
        default=20.0,
        ge=0,
        le=DAY,
        description="Seconds a due poll may be deferred while the process stage is behind.",
    )
    worker_niceness: int = Field(
        default=10,
        ge=0,
        le=19,
        description="Nice value the process stage adds to its own at start (a `--role "
        "process` worker, or the child process that `briefing run` and a worker running it "
        "beside other roles start for it), so that on a shared host API requests and due "
        "polls do not wait for a core behind clustering (service/cpu_priority.py); the API, "
        "the fetch loop and the notifier keep their priority. 0: the process stage keeps "
        "it too (and `briefing run` and `briefing worker` run every stage in one process). "
        "Not applied by a "
        "process worker running the embedded Redis, which would inherit it.",
    )
    parse_processes: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description="Worker processes that parse and normalize fetched feeds; 0: on the "
        "event loop (no parse deadline); unset: 2 in a worker that fetches without the process "
        "stage on a host with 2 or more cores, else 1 in every worker that fetches.",
    )
    parse_timeout: float = Field(
        default=30.0,
        gt=0,
        le=HOUR,
        description="Seconds one parse (or normalize) of a fetched document may take in a "
        "parse process, not counting the time it waits for a CPU on a busy host (a feed's "
        "first document, parsed and normalized in one call, has twice it); past it, or "
        "past ten times it by the clock, the process is killed and replaced and that "
        "feed's poll fails (backed off like any failure).",
    )

    # --- API and webhooks ----------------------------------------------------------------
    admin_key: str | None = Field(
        default=None, description="An admin API key accepted from start (stored hashed)."
    )
    secret_key: str | None = Field(
        default=None,
        description="Key that encrypts webhook secrets at rest; generated into data_dir if unset.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (a JSON list).",
    )
    max_request_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=GIB,
        description="Largest request body accepted (413 beyond).",
    )
    sse_max_streams: int = Field(
        default=1000,
        ge=0,
        le=1_000_000,
        description="Event streams one API process holds open (503 + Retry-After beyond); "
        "never more than the open-file limit less a reserve (docs/operations.md, Sizing).",
    )
    sse_max_streams_per_client: int = Field(
        default=20,
        ge=1,
        le=1_000_000,
        description="Event streams open at once from one client address.",
    )
    page_staleness: float = Field(
        default=1.0,
        ge=0,
        le=HOUR,
        description="Seconds a rendered timeline, feed-out, story or articles page may lag "
        "what is stored: each URL is rendered about twice per interval however fast "
        "things change (service/api/render_cache.py; 0: every change renders it).",
    )
    webhook_timeout: float = Field(
        default=15.0, gt=0, le=HOUR, description="Seconds per delivery attempt."
    )
    webhook_concurrency_per_endpoint: int = Field(default=4, ge=1, le=100)

    # --- stages ---------------------------------------------------------------------------
    process_lease: float = Field(
        default=15.0,
        gt=0,
        le=DAY,
        description="Seconds before a dead process stage's lease passes on.",
    )
    reclaim_idle: float = Field(
        default=30.0,
        gt=0,
        le=DAY,
        description="Seconds before a dead consumer's messages are reclaimed.",
    )
    process_linger: float = Field(
        default=0.025,
        ge=0,
        le=0.5,
        description="Seconds the process stage waits for more entries when a read returns "
        "fewer than half a batch (fuller batches under a trickle; at most this much more on "
        "an article's way to the timeline); 0: never waits.",
    )
    max_attempts: int = Field(
        default=5, ge=1, le=1000, description="Failures before a dead letter."
    )
    process_partitions: int = Field(
        default=4,
        ge=1,
        le=256,
        description="Process partitions (one lease, stream and clusterer each); the first "
        "process worker stores it in Redis and every process uses that value.",
    )
    process_partition_languages: str = Field(
        default="",
        description='Language placements, e.g. "en=0,ru=1"; the languages a briefing follows '
        "together share one partition (so their reports can link), the others go by a hash.",
    )

    # --- storage -----------------------------------------------------------------------
    text_max_chars: int = Field(
        default=1500, ge=0, le=1_000_000, description="Article text kept, in chars."
    )
    retention_days: int = Field(default=30, ge=1, le=100 * 365)
    # A ceiling against running out of memory, not the routine trim (that is
    # service/store/trim.py, which never drops what a consumer group still needs): when a
    # stalled stage lets a stream reach it, XADD drops the oldest entries read or not.
    # 1,000,000 entries is ~200 MB per entries stream and ~155 MB for the events stream
    # (docs/operations.md, Sizing): hours of a stalled stage at a few hundred articles/s.
    stream_maxlen: int = Field(
        default=1_000_000,  # service.store.keys.STREAM_CEILING (a test keeps them equal)
        ge=1000,
        le=100_000_000,  # ~20 GB of one entries stream
        description="Hard cap per stream (OOM guard; the only case unread entries are lost).",
    )
    events_retention: float = Field(
        default=600.0,
        ge=0,
        le=YEAR,
        description="Seconds of events kept for SSE resumes once the notifier has read them.",
    )

    @field_validator("user_agent")
    @classmethod
    def _header_value(cls, value: str) -> str:
        """Sent as a header field value in every poll and webhook attempt: printable ASCII
        (RFC 9110 §5.5 also allows obs-text, which httpx refuses to encode), not empty,
        no whitespace at either end. A line break would inject a header field (and every
        request be refused); a letter outside ASCII makes every fetch raise in httpx."""
        if not _FIELD_VALUE.fullmatch(value):
            raise ValueError(
                "must be printable ASCII without line breaks or control characters, "
                "and not empty or blank at either end (an HTTP header field value)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        """Checked here, where the error names the variable; redis-py would raise a
        ValueError at the first connection, a traceback after start-up began. Empty is
        unset (embedded Redis), as an unset compose variable gives it."""
        if value and not value.lower().startswith(_REDIS_SCHEMES):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("process_partition_languages")
    @classmethod
    def _placements(cls, value: str) -> str:
        """Checked at start-up, where the error names the variable: the process stage
        reads it only once its workers start (workers/runtime.py)."""
        try:
            parse_languages(value)
        except ValueError:
            raise ValueError(
                'must be language=partition items separated by commas, e.g. "en=0,ru=1"'
            ) from None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _json_list(cls, value: Any) -> Any:
        """The environment gives a list as JSON text. Decoded here rather than by
        pydantic-settings, whose decoding error is a traceback naming no variable: this
        one is a validation error, reported like any other bad setting."""
        if not isinstance(value, str):
            return value
        if not value.strip():  # `BRIEFING_CORS_ORIGINS=`, as an unset compose variable gives
            return []
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ValueError('must be a JSON list, e.g. ["https://newsroom.example"]') from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)

    @property
    def config_file(self) -> Traversable:
        """``config``, else ``./config/feeds.toml`` if the working directory has one (made
        absolute, so messages name it wherever they are read), else the packaged default."""
        if self.config is not None:
            return self.config
        if LOCAL_CONFIG_FILE.is_file():
            return LOCAL_CONFIG_FILE.resolve()
        return DEFAULT_CONFIG_FILE


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with the config file's ``[settings]`` table under it."""
    from service.config import read_settings_table

    env_only = Settings(**overrides)
    table = read_settings_table(env_only.config_file)
    if not table:
        return env_only
    # Environment and overrides win: only fill in what they left at the default.
    explicit = env_only.model_fields_set
    merged = {k: v for k, v in table.items() if k not in explicit}
    return Settings(**{**merged, **{k: getattr(env_only, k) for k in explicit}})


def parse_languages(spec: str) -> dict[str, int]:
    """``"en=0,ru=1,=2"`` -> {"en": 0, "ru": 1, "": 2} (``""`` is "language unknown"):
    the placements of ``BRIEFING_PROCESS_PARTITION_LANGUAGES``; blank items are skipped."""
    mapping: dict[str, int] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        language, sep, number = item.partition("=")
        if not sep or not number.strip().isdigit():
            raise ValueError(f"expected language=partition, got {item!r}")
        mapping[language.strip()] = int(number)
    return mapping
