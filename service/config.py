"""The config file (``BRIEFING_CONFIG``, ``./config/feeds.toml`` or the packaged default):
feeds, briefings, settings.

    TOML text ──► tomllib ──► pydantic models (shape, types) ──► cross checks ──► AppConfig

A bad file is a :class:`ConfigError` whose every line reads ``FILE:LINE: KEY: problem``,
so the process refuses to start and says where to look. tomllib reports syntax errors
with a line; pydantic reports validation errors with a ``loc`` such as
``("feeds", 3, "interval")``, which we map back to a line by scanning the text for that
key inside the fourth ``[[feeds]]`` table (tomllib keeps no positions).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from service.feed_url import MAX_URL_CHARS, canonical_feed_url
from service.models import FeedConfig
from service.settings import FEED_INTERVAL_MAX, Settings
from service.typed_text import (
    lines_without_control_characters,
    url_without_spaces,
    without_control_characters,
)
from service.validation_text import problem_text
from workers.briefing_match import checked_keyword, checked_place

Loc = tuple[str | int, ...]


# A feeds file of 100,000 feeds is about 15 MB; anything past this is not a config file
# (a log or a disk image named by mistake) and would take minutes and GBs to parse.
MAX_FILE_BYTES = 32 * 1024 * 1024


class ConfigError(Exception):
    """The config file is unreadable or invalid; the message names file, line and key."""


@dataclass(frozen=True, slots=True)
class BriefingConfig:
    """A briefing as configured: a named filter over stories.

    Every non-empty filter must match (see the header of service/defaults/feeds.toml for
    the keyword syntax). ``feeds`` holds feed URLs: names given in the file are resolved.
    """

    id: str
    title: str
    description: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AppConfig:
    feeds: tuple[FeedConfig, ...] = ()
    briefings: tuple[BriefingConfig, ...] = ()


# --- file shape ------------------------------------------------------------------------


def _http_url(value: str) -> str:
    if len(value) > MAX_URL_CHARS:
        raise ValueError(f"must be at most {MAX_URL_CHARS:,} characters, got {len(value):,}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


def _matching(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"must be {what}, got {value!r}")
        return value

    return AfterValidator(check)


def _feed_ref_characters(value: str) -> str:
    """A briefing's feed: a URL (no spaces) or a feed's name, without control characters."""
    if value.startswith(("http://", "https://")):
        return url_without_spaces(value)
    return without_control_characters(value)


HttpUrl = Annotated[str, AfterValidator(_http_url)]
Language = Annotated[str, _matching(r"[a-z]{2,3}", "a lower-case ISO 639 code such as 'uk'")]
Country = Annotated[str, _matching(r"([A-Z]{2})?", "an ISO 3166-1 alpha-2 code such as 'UA'")]
Slug = Annotated[
    str, Field(max_length=64), _matching(r"[a-z0-9]+(-[a-z0-9]+)*", "a slug such as 'ukraine-war'")
]
_NON_BLANK = _matching(r"(?s)\s*\S.*", "a non-blank string")
# The API's rules for briefing filters (workers/briefing_match.py): a keyword the matcher
# can read, a place the gazetteer reports or a country code. A filter that can never
# match ("Atlantis", "*") would leave its briefing empty without a word.
# No control characters in any of a briefing's fields, no space in a feed URL (the API's
# rules too, service/typed_text.py).
Keyword = Annotated[
    str,
    Field(max_length=200),
    AfterValidator(without_control_characters),
    AfterValidator(checked_keyword),
]
Place = Annotated[
    str,
    Field(max_length=100),
    AfterValidator(without_control_characters),
    AfterValidator(checked_place),
]
# The API's limits on the same fields (service/api/routes/feeds_admin.py FeedIn,
# briefings_admin.py): what the file seeds, PUT /v1/briefings/{id} takes back unchanged.
Name = Annotated[str, Field(max_length=200)]
Title = Annotated[
    str, Field(max_length=200), _NON_BLANK, AfterValidator(without_control_characters)
]
FeedRef = Annotated[
    str, Field(max_length=MAX_URL_CHARS), _NON_BLANK, AfterValidator(_feed_ref_characters)
]
Description = Annotated[
    str, Field(max_length=2000), AfterValidator(lines_without_control_characters)
]


class _Strict(BaseModel):
    # TOML is typed: "900" is not an interval, and a typo'd key is a mistake, not a comment.
    model_config = ConfigDict(extra="forbid", strict=True)


class _Feed(_Strict):
    url: HttpUrl
    name: Name = ""
    country: Country = ""
    language: Language | None = None
    interval: Annotated[int, Field(ge=1, le=FEED_INTERVAL_MAX)] | None = None
    paused: bool = False


class _Briefing(_Strict):
    id: Slug
    title: Title
    description: Description = ""
    include: Annotated[list[Keyword], Field(max_length=100)] = []
    exclude: Annotated[list[Keyword], Field(max_length=100)] = []
    languages: Annotated[list[Language], Field(max_length=50)] = []
    feeds: Annotated[list[FeedRef], Field(max_length=500)] = []
    places: Annotated[list[Place], Field(max_length=100)] = []


class _File(_Strict):
    feeds: list[_Feed] = []
    briefings: list[_Briefing] = []
    settings: dict[str, Any] = {}


# --- public API --------------------------------------------------------------------------


def read_settings_table(path: Traversable) -> dict[str, Any]:
    """The ``[settings]`` table of the file, checked; ``{}`` when the file or table is absent."""
    if not path.is_file():
        return {}
    text, data = _parse(path)
    table = data.get("settings", {})
    if not isinstance(table, dict):
        _fail(path, text, [(("settings",), "must be a table ([settings])")])
    _check_settings(path, text, table)
    return dict(table)


def load_config(path: Traversable, *, default_interval: int = 900) -> AppConfig:
    """Load and validate the whole file; feeds without ``interval`` get ``default_interval``."""
    if not path.is_file():
        if isinstance(path, Path) and path.exists():  # a directory, a FIFO, a device
            raise ConfigError(f"{path}: not a regular file")
        raise ConfigError(f"{path}: config file not found")
    text, data = _parse(path)
    try:
        model = _File.model_validate(data)
    except ValidationError as exc:
        _fail(
            path,
            text,
            [(tuple(e["loc"]), problem_text(e) + _did_you_mean(e)) for e in exc.errors()],
        )
    _check_settings(path, text, model.settings)
    feeds = tuple(
        FeedConfig(
            url=f.url,
            name=f.name,
            country=f.country,
            language=f.language or "",
            interval=f.interval or default_interval,
            paused=f.paused,
        )
        for f in model.feeds
    )
    # Stored in their canonical spelling (service/feed_url.py): two spellings of one URL
    # are one feed, which would take the last entry's name and settings and lose the
    # first's, and a briefing naming the first would name no stored feed.
    _check_unique(path, text, "feeds", "url", [f.url for f in feeds], spelling=canonical_feed_url)
    _check_unique(path, text, "feeds", "name", [f.name for f in feeds], skip_blank=True)
    _check_unique(path, text, "briefings", "id", [b.id for b in model.briefings])
    by_name = {f.name: f.url for f in feeds if f.name} | {f.url: f.url for f in feeds}
    problems: list[tuple[Loc, str]] = []
    for i, b in enumerate(model.briefings):
        for ref in b.feeds:
            # A URL not (yet) in this file may be added at run time (`briefing feeds add`);
            # a name can only mean a feed configured here.
            if ref not in by_name and not ref.startswith(("http://", "https://")):
                problems.append((("briefings", i, "feeds"), f"no feed named {ref!r}"))
    if problems:
        _fail(path, text, problems)
    briefings = tuple(
        BriefingConfig(
            id=b.id,
            title=b.title,
            description=b.description,
            include=tuple(b.include),
            exclude=tuple(b.exclude),
            languages=tuple(b.languages),
            feeds=tuple(by_name.get(ref, ref) for ref in b.feeds),
            places=tuple(b.places),
        )
        for b in model.briefings
    )
    return AppConfig(feeds=feeds, briefings=briefings)


# --- checks ------------------------------------------------------------------------------


def _parse(path: Traversable) -> tuple[str, dict[str, Any]]:
    try:
        size = path.stat().st_size if isinstance(path, Path) else 0
        if size > MAX_FILE_BYTES:  # read whole, twice (the [settings] table, then all)
            raise ConfigError(
                f"{path}: cannot read: {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte "
                "limit of a config file"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(
            f"{path}: cannot read: arrays or inline tables nested too deeply"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno attribute; the message ends with
        # "(at line N, column M)" or "(at end of document)".
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        if where:
            line = int(where.group(1))
            message = f"{message[: where.start()].rstrip()} (column {where.group(2)})"
        else:  # "(at end of document)": an unclosed string, array or table
            line = max(1, len(text.splitlines()))
        loc = _loc_at(text.splitlines(), line)
        raise ConfigError(f"{path}:{line}: {_dotted(loc) + ': ' if loc else ''}{message}") from None


def _check_settings(path: Traversable, text: str, table: dict[str, Any]) -> None:
    problems: list[tuple[Loc, str]] = []
    for key in table:
        if key == "config":
            problems.append((("settings", key), "cannot be set in the config file itself"))
        elif key not in Settings.model_fields:
            hint = _suggest(key, Settings.model_fields)
            problems.append((("settings", key), f"unknown setting{hint}"))
    if table and not problems:
        # Settings reads the environment also when validating a dict: a problem with a key
        # the table does not set is the environment's (reported as such when the settings
        # are loaded, or moot when a command-line option overrides it), not this file's.
        try:
            Settings.model_validate(table)
        except ValidationError as exc:
            problems = [
                (("settings", *e["loc"]), problem_text(e))
                for e in exc.errors()
                if e["loc"] and e["loc"][0] in table
            ]
    if problems:
        _fail(path, text, problems)


def _check_unique(
    path: Traversable,
    text: str,
    table: str,
    key: str,
    values: Sequence[str],
    skip_blank: bool = False,
    spelling: Callable[[str], str] = str,
) -> None:
    """Refuse a value that repeats an earlier one, compared in ``spelling`` form."""
    first: dict[str, int] = {}
    problems: list[tuple[Loc, str]] = []
    for i, value in enumerate(values):
        if skip_blank and not value:
            continue
        same = spelling(value)
        if same in first:
            earlier = f"{table}[{first[same]}].{key}"
            said = "" if values[first[same]] == value else f" spelt another way (both are {same})"
            problems.append(((table, i, key), f"{value!r} repeats {earlier}{said}"))
        first.setdefault(same, i)
    if problems:
        _fail(path, text, problems)


def _did_you_mean(error: Any) -> str:
    """A hint for a misspelt key, e.g. "intervall" in a [[feeds]] table."""
    if error["type"] != "extra_forbidden":
        return ""
    loc = error["loc"]
    model: type[BaseModel] | None = None
    if len(loc) == 1:
        model = _File
    elif len(loc) == 3:
        tables: dict[str, type[BaseModel]] = {"feeds": _Feed, "briefings": _Briefing}
        model = tables.get(loc[0])
    return _suggest(str(loc[-1]), model.model_fields) if model else ""


def _suggest(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fail(path: Traversable, text: str, problems: Sequence[tuple[Loc, str]]) -> NoReturn:
    lines = text.splitlines()
    raise ConfigError(
        "\n".join(f"{path}:{_line_of(lines, loc)}: {_dotted(loc)}: {msg}" for loc, msg in problems)
    )


# --- from a pydantic loc to a line and back ---------------------------------------------

_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?")
_KEY = re.compile(r"\s*(\"?)([A-Za-z0-9_\-]+)\1\s*=")


def _tables(lines: Sequence[str]) -> list[str]:
    """For each line, the table it sits in, spelled as a loc prefix: "feeds[2]", "settings", ""."""
    counts: Counter[str] = Counter()
    current, out = "", []
    for line in lines:
        header = _HEADER.fullmatch(line)
        if header:
            name = header.group(2).replace('"', "")
            if header.group(1) == "[[":
                current = f"{name}[{counts[name]}]"
                counts[name] += 1
            else:
                current = name
        out.append(current)
    return out


def _table_and_key(loc: Loc) -> tuple[str, str | None]:
    if len(loc) >= 2 and isinstance(loc[1], int):
        table, rest = f"{loc[0]}[{loc[1]}]", loc[2:]
    elif loc[:1] == ("settings",) and len(loc) >= 2:
        table, rest = "settings", loc[1:]
    else:
        table, rest = "", loc
    key = rest[0] if rest and isinstance(rest[0], str) else None
    return table, key


def _line_of(lines: Sequence[str], loc: Loc) -> int:
    """Best line for a loc: its key in its table, else the table's header, else line 1."""
    tables = _tables(lines)
    table, key = _table_and_key(loc)
    in_table = [n for n, where in enumerate(tables, start=1) if where == table]
    for number in in_table:
        found = _KEY.match(lines[number - 1])
        if key and found and found.group(2) == key:
            return number
    if not table and key:
        # A whole table is meant: the header of [key] or of the first [[key]].
        for number, where in enumerate(tables, start=1):
            if where == key or where.startswith(f"{key}["):
                return number
    if table and in_table:
        return in_table[0]
    if table:
        # No such table, e.g. feeds written as an inline array: point at its key.
        return _line_of(lines, loc[:1])
    return 1


def _loc_at(lines: Sequence[str], line: int) -> Loc:
    """The loc of a line (for syntax errors): its table plus the key on it, if any."""
    table = _tables(lines)[line - 1] if 0 < line <= len(lines) else ""
    loc: list[str | int] = []
    if table:
        name, _, index = table.partition("[")
        loc = [name, int(index[:-1])] if index else [name]
    found = _KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if found:
        loc.append(found.group(2))
    return tuple(loc)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
