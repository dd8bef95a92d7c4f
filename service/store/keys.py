"""Every Redis key, and every TTL, in one place.

Keys are ``{prefix}:…``. Ids inside keys are short hex digests so that arbitrary
URLs never end up in key names. Streams carry the flow between stages:

    entries streams  fetch stage ──► process stage   (new articles, one per partition)
    events stream    process stage ──► notify stage, SSE

Process partitions: an article belongs to partition ``partition_of(language, P)`` for
good (a story never spans languages, so each partition clusters on its own). Partition
N >= 1 keeps its own keys under the hash tag ``{pN}`` (``lb:{p3}:entries``,
``lb:{p3}:lease``, ``lb:{p3}:cluster:log``, ``lb:{p3}:cluster:snapshot``,
``lb:{p3}:failures``), so on a Redis Cluster what one partition's holder reads and renews
lives in one slot. Partition 0 keeps the unpartitioned names (``lb:stream:entries``,
``lb:lease:process``, ``lb:cluster:*``), so a deployment that grows from one partition
continues from the same stream and clustering state. docs/operations.md says what the tags do and
do not buy on a cluster.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from service.ids import digest

ENTRIES_GROUP = "process"
EVENTS_GROUP = "notify"


# The XADD cap of every stream: an out-of-memory ceiling only. Routine trimming follows the
# consumer groups (service/store/trim.py); only a stream this long loses unread entries.
STREAM_CEILING = 1_000_000


def partition_of(language: str, partitions: int, languages: Mapping[str, int] | None = None) -> int:
    """The process partition of a new article in ``language``: the configured one for
    its language if any, else a stable hash (the ingest script computes the same with
    ``redis.sha1hex``; see ``INGEST`` in articles.py). The article keeps it for good."""
    if partitions <= 1:
        return 0
    if languages and language in languages:
        return languages[language] % partitions
    return language_hash(language) % partitions


def language_hash(language: str) -> int:
    """The number an unplaced language's partition is taken from (modulo the count)."""
    return int(hashlib.sha1(language.encode("utf-8")).hexdigest()[:8], 16)


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "lb"

    # the store --------------------------------------------------------------------------
    @property
    def data_format(self) -> str:
        """STRING: the version of the shapes stored under this prefix, written when the
        store is first used and moved only by ``briefing migrate``
        (service/store/migrations.py)."""
        return f"{self.prefix}:format"

    @property
    def write_probe(self) -> str:
        """STRING never written: readiness asks Redis whether it takes writes with a
        ``SET ... XX`` of it, which changes nothing (``Store.probe_writes``)."""
        return f"{self.prefix}:write-probe"

    # feeds ------------------------------------------------------------------------------
    @property
    def feeds(self) -> str:
        """SET of feed ids."""
        return f"{self.prefix}:feeds"

    @property
    def feeds_due(self) -> str:
        """ZSET feed id -> epoch seconds of next poll (claims push the score ahead)."""
        return f"{self.prefix}:feeds:due"

    @property
    def feeds_wake(self) -> str:
        """Pub/sub CHANNEL: a feed was made due earlier than the schedule's earliest score
        (added, polled now, resumed); idle fetch workers claim at once
        (service/store/feed_wakes.py). The message is the new score."""
        return f"{self.prefix}:feeds:wake"

    def feed(self, feed_id: str) -> str:
        """HASH: config (url, name, country, language, interval, paused) + state fields."""
        return f"{self.prefix}:feed:{feed_id}"

    def feed_by_url(self, url: str) -> str:
        """STRING feed id for a feed URL (the original and every URL a 301 moved it to)."""
        return f"{self.prefix}:feedurl:{digest(url)}"

    # articles ---------------------------------------------------------------------------
    def article(self, article_id: str) -> str:
        """STRING JSON of the article, with its first source (service/store/codec.py)."""
        return f"{self.prefix}:article:{article_id}"

    def identity(self, identity_digest: str) -> str:
        """STRING "1": this identity is stored; only its existence is read (the ingest
        script, service/store/seen_identities.py)."""
        return f"{self.prefix}:ident:{identity_digest}"

    def identity_of(self, identity: str) -> str:
        """The identity key of an article identity (workers/entry_identity.py): a 128-bit digest,
        the one the ingest script checks, the pre-filter reads and retention tombstones."""
        return self.identity(digest(identity, 32))

    def article_sources(self, article_id: str) -> str:
        """HASH feed url -> Source JSON: the feeds that carried the article after the first
        (HSETNX; created by the second feed)."""
        return f"{self.prefix}:article:{article_id}:sources"

    @property
    def articles_by_time(self) -> str:
        """ZSET article id -> published epoch ms (the minimal timeline)."""
        return f"{self.prefix}:articles"

    def articles_by_feed(self, feed_id: str) -> str:
        return f"{self.prefix}:articles:feed:{feed_id}"

    def articles_by_lang(self, lang: str) -> str:
        return f"{self.prefix}:articles:lang:{lang or 'und'}"

    # streams ----------------------------------------------------------------------------
    def entries(self, partition: int) -> str:
        """STREAM of new articles and new sources of one process partition (the ingest
        script is given every partition's: ``INGEST`` in articles.py)."""
        if partition == 0:
            return f"{self.prefix}:stream:entries"
        return f"{self.prefix}:{{p{partition}}}:entries"

    @property
    def entries_stream(self) -> str:
        """Partition 0's entries stream (the only one when there is one partition)."""
        return self.entries(0)

    @property
    def events_stream(self) -> str:
        return f"{self.prefix}:stream:events"

    @property
    def dead_letters(self) -> str:
        """STREAM of poison messages from any consumer group, with their last error."""
        return f"{self.prefix}:stream:dead"

    def failures(self, group: str) -> str:
        """HASH message id -> failed attempts, per consumer group."""
        return f"{self.prefix}:failures:{group}"

    def entries_failures(self, partition: int) -> str:
        """HASH message id -> failed attempts, for one partition's entries stream."""
        if partition == 0:
            return self.failures(ENTRIES_GROUP)
        return f"{self.prefix}:{{p{partition}}}:failures"

    @property
    def partition_count(self) -> str:
        """STRING: the number of process partitions every process must agree on."""
        return f"{self.prefix}:partitions"

    @property
    def partition_languages(self) -> str:
        """HASH language -> partition: the configured placement (others are hashed)."""
        return f"{self.prefix}:partitions:languages"

    @property
    def process_workers(self) -> str:
        """ZSET process-stage consumer -> epoch ms of its last heartbeat (fair shares)."""
        return f"{self.prefix}:process:workers"

    # stories ----------------------------------------------------------------------------
    def story(self, story_id: str) -> str:
        """STRING JSON of the story's header: every field but its members, plus the counts
        and bounded source list events need (service/store/stories.py)."""
        return f"{self.prefix}:story:{story_id}"

    def story_members(self, story_id: str) -> str:
        """LIST of the story's members (compact JSON arrays), appended to as it grows:
        an update writes its new members only. Same prefix as ``story``, so the two share
        whatever hash tag the prefix is (docs/operations.md, Redis Cluster)."""
        return f"{self.prefix}:story:{story_id}:members"

    @property
    def story_of_article(self) -> str:
        """HASH article id -> story id (the process stage's idempotency check)."""
        return f"{self.prefix}:story-of"

    @property
    def story_merged_into(self) -> str:
        """HASH absorbed story id -> the story it was merged into (which may itself have
        been merged since: follow the chain)."""
        return f"{self.prefix}:story-merged-into"

    def stories_by(self, order: str) -> str:
        """ZSET story id -> epoch ms of last update ("updated") or first seen ("created")."""
        return f"{self.prefix}:stories:{order}"

    def briefing_stories(self, briefing_id: str, order: str) -> str:
        """ZSET story id -> epoch ms: the briefing's timeline ("updated" / "created")."""
        return f"{self.prefix}:briefing:{briefing_id}:{order}"

    def _partition(self, partition: int) -> str:
        return self.prefix if partition == 0 else f"{self.prefix}:{{p{partition}}}"

    def cluster_log(self, partition: int = 0) -> str:
        """LIST "article_id|now" in clustering order since the partition's last snapshot,
        and "@check|now|id|scores" where a link check was answered."""
        return f"{self._partition(partition)}:cluster:log"

    def cluster_snapshot(self, partition: int = 0) -> str:
        """STRING snapshot of a partition's clusterer and near-duplicate index (covers what
        the log no longer holds; its format: workers/story_snapshot.py)."""
        return f"{self._partition(partition)}:cluster:snapshot"

    def process_lease(self, partition: int = 0) -> str:
        """STRING holder token: the one process stage allowed to cluster the partition
        (PX lease)."""
        if partition == 0:
            return f"{self.prefix}:lease:process"
        return f"{self._partition(partition)}:lease"

    @property
    def metrics(self) -> str:
        """HASH Prometheus sample name (with labels) -> value, summed over processes."""
        return f"{self.prefix}:metrics"

    def event_once(self, dedupe_key: str) -> str:
        """STRING marker: this event was emitted (idempotent emission)."""
        return f"{self.prefix}:evonce:{digest(dedupe_key, 32)}"

    # webhooks -----------------------------------------------------------------------------
    @property
    def api_keys(self) -> str:
        """HASH sha256 hex of an admin API key -> JSON {name, created_at} (never the key)."""
        return f"{self.prefix}:apikeys"

    @property
    def subscriptions(self) -> str:
        """SET of subscription ids."""
        return f"{self.prefix}:subs"

    @property
    def subscriptions_version(self) -> str:
        """STRING counter bumped on every subscription change (notifiers reload on change)."""
        return f"{self.prefix}:subs:version"

    def subscription(self, sub_id: str) -> str:
        """HASH: url, events, filters, status, encrypted secrets, failing_since, ..."""
        return f"{self.prefix}:sub:{sub_id}"

    def subscription_deliveries(self, sub_id: str) -> str:
        """ZSET delivery id -> created epoch ms (the delivery log, newest last)."""
        return f"{self.prefix}:sub:{sub_id}:deliveries"

    @property
    def due_endpoints(self) -> str:
        """ZSET subscription id -> epoch ms of its earliest due delivery."""
        return f"{self.prefix}:wh:due"

    @property
    def due_deliveries_prefix(self) -> str:
        """Prefix of ``due_deliveries`` (Lua scripts build the per-endpoint key from it)."""
        return f"{self.prefix}:wh:due:"

    def due_deliveries(self, sub_id: str) -> str:
        """ZSET delivery id -> epoch ms of its next attempt (a claim pushes it a lease ahead)."""
        return f"{self.due_deliveries_prefix}{sub_id}"

    def delivery(self, delivery_id: str) -> str:
        """HASH: subscription, event, type, status, attempts, next/last attempt."""
        return f"{self.prefix}:delivery:{delivery_id}"

    def delivery_attempts(self, delivery_id: str) -> str:
        """LIST of JSON attempts {at, status_code, latency_ms, error} (capped)."""
        return f"{self.prefix}:delivery:{delivery_id}:attempts"

    def webhook_body(self, body_id: str) -> str:
        """STRING: the exact JSON body sent for an event, as its type or as another
        (deliveries.body_id_for), shared by every subscription that receives it so."""
        return f"{self.prefix}:wh:body:{body_id}"

    # briefings (admin edits) ----------------------------------------------------------
    @property
    def briefings(self) -> str:
        """HASH briefing id -> JSON of its BriefingConfig fields (service/store/briefings.py)."""
        return f"{self.prefix}:briefings"

    @property
    def briefings_order(self) -> str:
        """ZSET briefing id -> list position (config order, then creation epoch ms)."""
        return f"{self.prefix}:briefings:order"

    @property
    def briefings_version(self) -> str:
        """STRING counter: absent until the config seeds briefings, bumped on every change."""
        return f"{self.prefix}:briefings:version"
