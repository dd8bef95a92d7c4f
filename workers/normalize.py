"""One parsed entry -> one :class:`Article`: canonical URL, plain text, UTC time, language.

Pure: ``now`` is an argument, nothing here reads the clock or the network.

Choices, each for a reason:

* **URL**: the entry's link resolved against the feed URL (feedparser already applied
  xml:base), canonicalized by :mod:`workers.urls`; ``""`` when there is none or it is
  not http(s). The fragment is kept only for a page the document's items tell apart
  by fragment (``ParsedFeed.fragment_pages``).
* **Text**: the full content when the feed has it, else the summary, as plain text,
  trimmed on a word boundary to ``text_max_chars``. The identity hash (used only when
  an entry has neither guid nor link) is taken over the *untrimmed* text, so changing
  the setting does not re-key articles.
* **Published**: published, else updated, else ``now``. Dates before
  :data:`EARLIEST_PLAUSIBLE` are placeholders (Go's zero time 0001-01-01, the Unix
  epoch from scrapers that found no date), so they count as missing. Dates in the
  future are clamped to ``now``: a timeline sorted by time must not be topped for
  days by a time-zone bug or a scheduled post. A date that names a day but no time
  (workers/date_only.py) is ``now`` while that day lasts and the last second of that
  day after it (a backfill of older items), and no later than a timed updated of that
  day on; an item is stored once, so a later poll never moves it. Such an article is
  ``date_only``: dated, for clustering, whatever time within its day it carries.
* **Language**, first that is declared and valid, reduced to its primary subtag
  (``en-GB`` -> ``en``, ``zh-Hans`` -> ``zh``):

  1. the entry's own (JSON Feed item ``language``; the xml:lang in scope of an Atom
     or RSS entry);
  2. ``config.language``: the operator's statement about the outlet beats the feed
     document's channel-level value, because that is a CMS default far more often
     than a deliberate choice (WordPress writes its install language, ``en-US``,
     into every feed, whatever the posts are written in);
  3. the feed document's ``<language>`` / ``language``;
  4. detection (workers/language.py), only when nothing is declared (the costliest
     step here), on the title and the start of the text, and only when confident;
     otherwise ``""`` (unknown beats wrong).

  A declared language is taken only for a text written in its script: when the
  language is written in Latin or Cyrillic letters and the title and start of the
  text are mostly letters of the other script (enough of them to tell:
  workers/written_script.py, which the clusterer's linking guard asks too), the
  entry's language is detected on that text as in step 4. A feed declares one
  language for all its items, and the declared one is then wrong: a bilingual
  outlet's translations in its Russian feed (dossier.center's English teasers,
  declared ``ru``), WordPress's install language ``en-US`` on a Ukrainian or Russian
  site. Languages that share a script are left as declared (a Ukrainian text
  declared ``ru`` cannot be told by script), and a headline that names a
  Latin-written organisation ("NATO заявило") is mostly in its own script.

  :func:`normalize_document` (what the fetch stage uses) detects step 4 once per
  document, not once per entry: a feed that declares no language is almost always
  written in one, the one its ``<language>`` would have named (RSS 2.0: "the
  language the channel is written in"), and one detection over a sample of many
  entries is both cheaper and steadier than one per 200-character entry. On the real
  documents of ../shared/feeds/real that declare none, the document's language and the
  per-entry guess almost always agree, many entries alone are too short to guess (they
  get the document's language), and where the two differ the per-entry guess is more
  often the wrong one (a Russian headline as Bulgarian, an English one as French), though
  not always (a Spanish and a Polish post in English feeds). Per-entry
  detection is kept where the document guess cannot speak for the entry: when the
  document is not confidently one language, and for an entry written in another
  script than the document (a Russian post in an English feed) — script is cheap to
  tell apart, unlike languages that share one.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime

from service.models import Article, FeedConfig, ParsedEntry, ParsedFeed, Source
from workers.date_only import time_on_day
from workers.entry_identity import article_id, identity_key
from workers.language import detect_language
from workers.text import html_to_text, truncate_words
from workers.urls import canonicalize_url
from workers.written_script import dominant_script, written_in

EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)  # before any web feed existed
TITLE_MAX_CHARS = 1000  # some feeds put the whole story in <title>; keep keys and pages sane

# Language detection is the slowest step of normalization; the title and the first
# 200 characters are as telling as more, at a fraction of the cost.
DETECT_MAX_CHARS = 200

# normalize_document: the sample a document's language is detected on (entries' own
# detection snippets, joined).
DOCUMENT_SAMPLE_CHARS = 2000

# BCP 47 primary language subtag; "und"/"mul"/"zxx" say "not one language".
_PRIMARY_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_]|\s*$)")
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})


def normalize_entry(
    entry: ParsedEntry,
    feed: ParsedFeed,
    config: FeedConfig,
    *,
    now: datetime,
    text_max_chars: int,
    detected: str | None = None,
    texts: tuple[str, str] | None = None,
) -> Article | None:
    """The article for ``entry``, or None when it has neither title, text nor link.

    ``detected``: the language to use when none is declared, instead of detecting it
    on this entry (``normalize_document`` passes the document's). ``texts``: the entry's
    title and full text already converted from HTML (``_title``, ``_full_text``): the
    conversion is the costly part, and a document's language sample needs them too.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    url = _url(entry, feed)
    title, full_text = texts or (_title(entry), _full_text(entry))
    if not (title or full_text or url):
        return None
    text = truncate_words(full_text, text_max_chars)

    identity = identity_key(
        feed_url=config.url, guid=entry.guid, canonical_url=url, title=title, text=full_text
    )
    language = _language(entry, feed, config, title, full_text, detected)
    outlet = config.name or html_to_text(feed.title)
    published, day_start = _published(entry, now)
    return Article(
        id=article_id(identity),
        identity=identity,
        url=url,
        title=title,
        text=text,
        published=published,
        first_seen=now,
        language=language,
        feed_url=config.url,
        outlet=outlet,
        country=config.country,
        guid=(entry.guid or "").strip() or None,
        sources=(
            Source(
                feed_url=config.url,
                outlet=outlet,
                url=url,
                seen_at=now,
                country=config.country,
                language=language,
            ),
        ),
        date_only=day_start is not None,
        day_start=day_start,
    )


def normalize_document(
    feed: ParsedFeed,
    config: FeedConfig,
    *,
    now: datetime,
    text_max_chars: int,
    skip: Collection[int] = (),
) -> list[Article]:
    """Every entry of ``feed`` that makes an article, in order, as :func:`normalize_entry`
    would make it, except that language detection runs once per document (see the
    module docstring for why and where per-entry detection is kept).

    ``skip``: indexes of entries not to normalize (the fetch stage's pre-filter: their
    identity is already stored, so the ingest would call them duplicates). The entries
    that are normalized come out exactly as without ``skip``: the document's language
    is still detected on the same sample, the first DOCUMENT_SAMPLE_CHARS of every
    undeclared entry's snippet in document order, skipped or not.
    """
    undeclared = not (primary_language(config.language) or primary_language(feed.language))
    wanted = [i for i in range(len(feed.entries)) if i not in skip]
    texts: dict[int, tuple[str, str]] = {}  # each entry's HTML converted once

    def texts_of(i: int) -> tuple[str, str]:
        if i not in texts:
            texts[i] = (_title(feed.entries[i]), _full_text(feed.entries[i]))
        return texts[i]

    snippets: dict[int, str] = {}
    document: tuple[str, str | None] | None = None
    if undeclared:
        todo = [i for i in wanted if not primary_language(feed.entries[i].language)]
        if todo:  # someone needs the document's language: detect it on the same sample
            sample, size = [], 0
            for i, entry in enumerate(feed.entries):
                if size > DOCUMENT_SAMPLE_CHARS:  # size = the joined sample's length + 1
                    break  # the rest would be cut off the sample anyway
                if not primary_language(entry.language):
                    snippets[i] = _snippet_of(*texts_of(i))
                    sample.append(snippets[i])
                    size += len(snippets[i]) + 1
            document = _document_language(sample)
            for i in todo:
                if i not in snippets:
                    snippets[i] = _snippet_of(*texts_of(i))
    articles = []
    for i in wanted:
        fallback: str | None = None  # None: detect on this entry alone
        if document is not None and i in snippets:
            language, script = document
            if dominant_script(snippets[i]) in (script, None):
                fallback = language
        article = normalize_entry(
            feed.entries[i],
            feed,
            config,
            now=now,
            text_max_chars=text_max_chars,
            detected=fallback,
            texts=texts_of(i),
        )
        if article is not None:
            articles.append(article)
    return articles


def entry_identity(entry: ParsedEntry, feed: ParsedFeed, config: FeedConfig) -> str:
    """The identity key :func:`normalize_entry` gives ``entry`` (when it makes an article
    at all), computed the same way but without its costly steps when it can: a GUID
    needs neither the link nor the text, a link needs no text. Only an entry with
    neither pays for the HTML-to-text of its title and text (its key is their hash)."""
    key = identity_key(feed_url=config.url, guid=entry.guid, canonical_url="", title="", text="")
    if key.startswith("guid:"):
        return key
    url = _url(entry, feed)
    key = identity_key(feed_url=config.url, guid=entry.guid, canonical_url=url, title="", text="")
    if key.startswith("url:"):
        return key
    return identity_key(
        feed_url=config.url,
        guid=entry.guid,
        canonical_url=url,
        title=_title(entry),
        text=_full_text(entry),
    )


def _url(entry: ParsedEntry, feed: ParsedFeed) -> str:
    if not entry.link:
        return ""
    url = canonicalize_url(entry.link, base=feed.base_url)
    if url in feed.fragment_pages:
        return canonicalize_url(entry.link, base=feed.base_url, keep_fragment=True)
    return url


def _title(entry: ParsedEntry) -> str:
    return truncate_words(html_to_text(entry.title), TITLE_MAX_CHARS)


def _full_text(entry: ParsedEntry) -> str:
    return (html_to_text(entry.content) if entry.content else "") or html_to_text(entry.summary)


def _snippet(entry: ParsedEntry) -> str:
    """What per-entry detection looks at: the title and the start of the text."""
    return _snippet_of(_title(entry), _full_text(entry))


def _snippet_of(title: str, full_text: str) -> str:
    return f"{title}\n{full_text}"[:DETECT_MAX_CHARS]


def _document_language(snippets: list[str]) -> tuple[str, str | None] | None:
    """(language, dominant script) of the joined snippets, or None when the document is
    not confidently one language (then every entry is detected on its own)."""
    sample = "\n".join(snippets)[:DOCUMENT_SAMPLE_CHARS]
    language = detect_language(sample)
    return (language, dominant_script(sample)) if language else None


def entry_date(entry: ParsedEntry) -> tuple[datetime, bool] | None:
    """The date an entry is placed by, published else updated, each only when plausible,
    and whether it names a day only; None when the entry is undated."""
    for candidate, date_only in (
        (entry.published, entry.published_date_only),
        (entry.updated, entry.updated_date_only),
    ):
        if candidate is not None and candidate >= EARLIEST_PLAUSIBLE:
            return candidate, date_only
    return None


def _published(entry: ParsedEntry, now: datetime) -> tuple[datetime, datetime | None]:
    """The report's time, and when it comes from a date that names a day only, that day's
    first instant (UTC), else None."""
    dated = entry_date(entry)
    if dated is None:
        return now, None
    candidate, date_only = dated
    if not date_only:
        return min(candidate.astimezone(UTC), now), None
    day_start = candidate.astimezone(UTC)
    on_day = time_on_day(day_start, now)
    # A timed updated from that day on bounds the filing: updated is the entry's latest
    # change (RFC 4287 §4.2.15), so it was published no later.
    updated = entry.updated
    bounded = candidate is entry.published and not entry.updated_date_only
    if bounded and updated is not None and updated >= candidate:
        on_day = min(on_day, updated.astimezone(UTC))
    return on_day, day_start


def _language(
    entry: ParsedEntry,
    feed: ParsedFeed,
    config: FeedConfig,
    title: str,
    text: str,
    detected: str | None,
) -> str:
    for declared in (entry.language, config.language, feed.language):
        code = primary_language(declared)
        if code:
            snippet = _snippet_of(title, text)
            # A declared language whose script the text is not written in (a bilingual
            # outlet's translations, a CMS's default en-US) is detected, as if undeclared.
            return code if written_in(code, snippet) else detect_language(snippet)
    if detected is not None:
        return detected
    return detect_language(_snippet_of(title, text))


def primary_language(tag: str | None) -> str:
    """Lower-case primary subtag of a BCP 47 / POSIX language tag; ``""`` if invalid.

    >>> primary_language("en-GB"), primary_language("pt_BR"), primary_language("English")
    ('en', 'pt', '')
    """
    match = _PRIMARY_TAG.match(tag or "")
    if not match:
        return ""
    code = match.group(1).lower()
    return "" if code in _NOT_A_LANGUAGE else code
