"""The config file: the shipped one loads; bad ones name file, line and key; settings merge."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from service.config import ConfigError, load_config, read_settings_table
from service.settings import DEFAULT_CONFIG_FILE, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]

GOOD_FEED = """
[[feeds]]
url = "https://example.org/a.xml"
name = "A"
country = "UA"
language = "uk"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# --- the shipped file ---------------------------------------------------------------------


def test_shipped_config_loads() -> None:
    config = load_config(DEFAULT_CONFIG_FILE)
    assert len(config.feeds) >= 10
    ids = {b.id for b in config.briefings}
    assert {"ukraine-war", "world"} <= ids
    for feed in config.feeds:
        assert feed.url.startswith("https://"), feed.url
        assert feed.name and len(feed.country) == 2 and feed.language, feed
    languages = {f.language for f in config.feeds}
    assert {"en", "uk", "ru"} <= languages


def test_shipped_briefings_resolve_feed_names_to_urls() -> None:
    config = load_config(DEFAULT_CONFIG_FILE)
    urls = {f.url for f in config.feeds}
    world = next(b for b in config.briefings if b.id == "world")
    assert world.feeds and set(world.feeds) <= urls
    war = next(b for b in config.briefings if b.id == "ukraine-war")
    assert {"en", "uk", "ru"} <= set(war.languages)
    assert "україн*" in war.include and "ukrain*" in war.include


def test_shipped_config_has_no_settings() -> None:
    assert read_settings_table(DEFAULT_CONFIG_FILE) == {}


# --- a good file --------------------------------------------------------------------------


def test_defaults_and_interval(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_FEED
        + """
        [[feeds]]
        url = "http://example.org/b.xml"
        interval = 60
        paused = true

        [[briefings]]
        id = "b"
        title = "B"
        feeds = ["A", "http://elsewhere.example/feed"]
        """,
    )
    config = load_config(path, default_interval=1234)
    a, b = config.feeds
    assert (a.name, a.country, a.language, a.interval, a.paused) == ("A", "UA", "uk", 1234, False)
    assert (b.name, b.country, b.language, b.interval, b.paused) == ("", "", "", 60, True)
    (briefing,) = config.briefings
    # Names resolve to URLs; a URL not configured here passes (it may be added at run time).
    assert briefing.feeds == ("https://example.org/a.xml", "http://elsewhere.example/feed")
    assert briefing.include == briefing.exclude == briefing.places == ()


def test_empty_file_is_an_empty_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "# nothing yet\n"))
    assert config.feeds == () and config.briefings == ()


# --- bad files ----------------------------------------------------------------------------

BAD = {
    "syntax error": (
        GOOD_FEED + "interval = 15 minutes\n",
        6,
        "feeds[0].interval",
    ),
    "unknown key": (
        GOOD_FEED + GOOD_FEED.replace("a.xml", "b.xml").replace('"A"', '"B"') + 'colour = "red"\n',
        12,
        "feeds[1].colour",
    ),
    "bad url": (
        GOOD_FEED.replace("https://example.org/a.xml", "ftp://example.org/a.xml"),
        2,
        "feeds[0].url",
    ),
    "bad type": (
        GOOD_FEED + GOOD_FEED.replace("a.xml", "b.xml").replace('"A"', '"B"') + 'interval = "9"\n',
        12,
        "feeds[1].interval",
    ),
    "interval past a week": (GOOD_FEED + "interval = 1000000000000\n", 6, "feeds[0].interval"),
    "feed URL longer than the API takes": (
        GOOD_FEED.replace("a.xml", "a" * 2083),
        2,
        "feeds[0].url",
    ),
    "feed name longer than the API takes": (
        GOOD_FEED.replace('"A"', '"' + "A" * 201 + '"'),
        3,
        "feeds[0].name",
    ),
    "briefing title longer than the API takes": (
        '[[briefings]]\nid = "x"\ntitle = "' + "T" * 201 + '"\n',
        3,
        "briefings[0].title",
    ),
    "more keywords than the API takes": (
        '[[briefings]]\nid = "x"\ntitle = "X"\ninclude = ['
        + ", ".join(f'"w{n}"' for n in range(101))
        + "]\n",
        4,
        "briefings[0].include",
    ),
    "upper-case language": (GOOD_FEED.replace('"uk"', '"UK"'), 5, "feeds[0].language"),
    "three-letter country": (GOOD_FEED.replace('"UA"', '"UKR"'), 4, "feeds[0].country"),
    "duplicate url": (GOOD_FEED + GOOD_FEED.replace('"A"', '"B"'), 8, "feeds[1].url"),
    "duplicate url spelt another way": (
        GOOD_FEED
        + GOOD_FEED.replace('"A"', '"B"').replace("https://example.org", "HTTPS://Example.ORG:443"),
        8,
        "feeds[1].url",
    ),
    "duplicate name": (GOOD_FEED + GOOD_FEED.replace("a.xml", "b.xml"), 9, "feeds[1].name"),
    "missing url": ('[[feeds]]\nname = "A"\n', 1, "feeds[0].url"),
    "briefing id not a slug": (
        '[[briefings]]\ntitle = "T"\nid = "Ukraine War"\n',
        3,
        "briefings[0].id",
    ),
    "duplicate briefing id": (
        '[[briefings]]\nid = "x"\ntitle = "X"\n\n[[briefings]]\nid = "x"\ntitle = "Y"\n',
        6,
        "briefings[1].id",
    ),
    "briefing names an unknown feed": (
        GOOD_FEED + '\n[[briefings]]\nid = "x"\ntitle = "X"\nfeeds = ["A", "Nope"]\n',
        10,
        "briefings[0].feeds",
    ),
    "blank keyword": (
        '[[briefings]]\nid = "x"\ntitle = "X"\ninclude = ["war", " "]\n',
        4,
        "briefings[0].include[1]",
    ),
    "unknown top-level table": (GOOD_FEED + "\n[colour]\nred = 1\n", 7, "colour"),
    "unknown settings key": ("[settings]\nport = 8080\nprot = 8081\n", 3, "settings.prot"),
    "bad settings value": ('[settings]\nport = 8080\njitter = "lots"\n', 3, "settings.jitter"),
    "config inside config": ('[settings]\nconfig = "other.toml"\n', 2, "settings.config"),
}


@pytest.mark.parametrize(("text", "line", "key"), BAD.values(), ids=BAD.keys())
def test_bad_file_names_file_line_and_key(tmp_path: Path, text: str, line: int, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    first = str(caught.value).splitlines()[0]
    assert first.startswith(f"{path}:{line}: {key}: "), first
    assert len(first) > len(f"{path}:{line}: {key}: "), "the problem itself is said too"


def test_one_feed_spelt_two_ways_is_refused_naming_both(tmp_path: Path) -> None:
    # Stored canonically, the two would be one feed named "B", and "A" would be lost.
    other = GOOD_FEED.replace('"A"', '"B"').replace(
        "https://example.org", "https://EXAMPLE.org:443"
    )
    path = write(tmp_path, GOOD_FEED + other)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}:8: feeds[1].url: 'https://EXAMPLE.org:443/a.xml' repeats feeds[0].url "
        "spelt another way (both are https://example.org/a.xml)"
    )


def test_message_reads_like_the_example(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FEED + "interval = 1.5\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:6: feeds[0].interval: Input should")):
        load_config(path)


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FEED + 'interval = "x"\npaused = "no"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{path}:6", "feeds[0].interval"],
        [f"{path}:7", "feeds[0].paused"],
    ]


def test_briefing_filters_that_could_never_match_are_config_errors(tmp_path: Path) -> None:
    # The API's rules (workers/briefing_match.py): a place the gazetteer reports under that
    # very name or a country code, a keyword with a word in it.
    path = write(
        tmp_path,
        '[[briefings]]\nid = "x"\ntitle = "X"\ninclude = ["ukrain*", "*"]\n'
        'places = ["Atlantis", "Kyiv", "Britain", "UA", "XX"]\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:4: briefings[0].include[1]: must contain a word "
        "('*' alone would match everything)",
        f"{path}:5: briefings[0].places[0]: 'Atlantis' is not a place the "
        "gazetteer knows (or an alpha-2 code)",
        f"{path}:5: briefings[0].places[2]: write the gazetteer's name "
        "'United Kingdom' for 'Britain'",
        f"{path}:5: briefings[0].places[4]: 'XX' is not an ISO 3166-1 alpha-2 country code",
    ]


def test_briefing_text_with_control_characters_is_a_config_error_as_in_the_api(
    tmp_path: Path,
) -> None:
    # What PUT /v1/briefings/{id} refuses (service/typed_text.py), so a briefing the file
    # seeds is one the API takes back unchanged; a description may break lines.
    path = write(
        tmp_path,
        '[[briefings]]\nid = "x"\ntitle = "Kharkiv\\u0000"\n'
        'description = "one\\ntwo\\u001b[31m"\ninclude = ["kharkiv\\u0085"]\n'
        'feeds = ["https://a.example/r ss", "https://a.example/\\u007f"]\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:3: briefings[0].title: '\\x00' at position 7: no control characters",
        f"{path}:4: briefings[0].description: '\\x1b' at position 7: no control characters",
        f"{path}:5: briefings[0].include[0]: '\\x85' at position 7: no control characters",
        f"{path}:6: briefings[0].feeds[0]: ' ' at position 19: a URL holds no spaces",
        f"{path}:6: briefings[0].feeds[1]: '\\x7f' at position 18: no control characters",
    ]
    lines = write(tmp_path, '[[briefings]]\nid = "x"\ntitle = "X"\ndescription = "a\\tb\\r\\nc"\n')
    assert load_config(lines).briefings[0].description == "a\tb\r\nc"


def test_a_place_is_kept_as_the_gazetteer_names_it(tmp_path: Path) -> None:
    path = write(tmp_path, '[[briefings]]\nid = "x"\ntitle = "X"\nplaces = ["kyiv", "UA"]\n')
    assert load_config(path).briefings[0].places == ("Kyiv", "UA")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_a_directory_or_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "feeds.fifo"
    os.mkfifo(fifo)
    for path in (tmp_path, fifo):  # a FIFO is never opened: reading it would block
        with pytest.raises(ConfigError, match=re.escape(f"{path}: not a regular file")):
            load_config(path)


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    """A 1 GB file took 29 s and 2.1 GB of memory before it failed or passed."""
    path = tmp_path / "huge.toml"
    with path.open("wb") as f:
        f.truncate(1024**3)  # sparse: no disk used
    message = f"{path}: cannot read: 1,073,741,824 bytes, over the 33,554,432-byte limit"
    for read in (load_config, read_settings_table):
        with pytest.raises(ConfigError, match=re.escape(message)):
            read(path)


def test_deeply_nested_arrays_are_a_config_error_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: cannot read: ") + ".*nested"):
        load_config(path)


def test_inline_array_points_at_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, '# feeds\n\nfeeds = [{ url = "gopher://x" }]\n')
    with pytest.raises(ConfigError, match=re.escape(f"{path}:3: feeds[0].url: ")):
        load_config(path)


# --- [settings] ---------------------------------------------------------------------------


def test_read_settings_table_round_trip(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_FEED
        + """
        [settings]
        port = 9000
        log_level = "DEBUG"
        jitter = 0.2
        data_dir = "/srv/briefing"
        redis_url = "redis://cache:6379/1"
        """,
    )
    table = read_settings_table(path)
    assert table == {
        "port": 9000,
        "log_level": "DEBUG",
        "jitter": 0.2,
        "data_dir": "/srv/briefing",
        "redis_url": "redis://cache:6379/1",
    }
    settings = Settings.model_validate(table)
    assert settings.port == 9000 and settings.data_dir == Path("/srv/briefing")
    assert settings.redis_url == "redis://cache:6379/1"


def test_read_settings_table_absent(tmp_path: Path) -> None:
    assert read_settings_table(tmp_path / "missing.toml") == {}
    assert read_settings_table(write(tmp_path, GOOD_FEED)) == {}


def test_read_settings_table_rejects_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[settings]\nportt = 1\n")
    with pytest.raises(ConfigError, match=re.escape(f"{path}:2: settings.portt: unknown")):
        read_settings_table(path)


def test_environment_wins_over_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[settings]\nport = 9000\nlog_level = "DEBUG"\nretention_days = 3\n')
    for name in ("BRIEFING_PORT", "BRIEFING_LOG_LEVEL", "BRIEFING_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIEFING_CONFIG", str(path))
    monkeypatch.setenv("BRIEFING_PORT", "9100")

    settings = load_settings()
    assert settings.config_file == path
    assert settings.port == 9100  # environment over file
    assert settings.log_level == "DEBUG"  # file over default
    assert settings.retention_days == 3
    assert load_settings(retention_days=5).retention_days == 5  # keyword over file


def test_which_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BRIEFING_CONFIG, else ./config/feeds.toml in the working directory, else the default
    shipped inside the package (so an installed wheel runs from any folder)."""
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().config_file == DEFAULT_CONFIG_FILE
    assert "service/defaults/feeds.toml" in str(DEFAULT_CONFIG_FILE)
    local = tmp_path / "config" / "feeds.toml"
    local.parent.mkdir()
    local.write_text("[settings]\nport = 9001\n", encoding="utf-8")
    assert Settings().config_file == local  # absolute, whatever the working directory
    monkeypatch.delenv("BRIEFING_PORT", raising=False)
    assert load_settings().port == 9001
    chosen = write(tmp_path, "[settings]\nport = 9002\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(chosen))
    assert Settings().config_file == chosen
    assert load_settings().port == 9002


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("max_redirects = -1", "max_redirects"),
        ("port = 99999", "port"),
        ("retention_days = 1000000000000", "retention_days"),
        ("max_interval = 1000000000000", "max_interval"),
        ("parse_processes = 1000000000000", "parse_processes"),
        ("max_body_bytes = 1000000000000", "max_body_bytes"),
    ],
)
def test_bad_settings_stop_load_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, key: str
) -> None:
    path = write(tmp_path, f"[settings]\n{line}\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(path))
    with pytest.raises(ConfigError, match=re.escape(f"{path}:2: settings.{key}: ")):
        load_settings()


def test_a_bad_environment_value_is_not_blamed_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_PORT", "abc")
    assert read_settings_table(write(tmp_path, GOOD_FEED)) == {}
    assert read_settings_table(write(tmp_path, "[settings]\njitter = 0.2\n")) == {"jitter": 0.2}
    monkeypatch.setenv("BRIEFING_CONFIG", str(write(tmp_path, "[settings]\nport = 99999\n")))
    with pytest.raises(ConfigError, match=r":2: settings\.port: "):
        load_settings(port=8999)  # the file's own bad value is still the file's
    monkeypatch.setenv("BRIEFING_CONFIG", str(write(tmp_path, GOOD_FEED)))
    assert load_settings(port=8999).port == 8999  # `--port` overrides the variable


def test_a_settings_value_our_validator_refuses_reads_as_one_sentence(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nuser_agent = "Bot\\r\\nX-Injected: 1"\n')
    with pytest.raises(ConfigError) as caught:
        read_settings_table(path)
    assert str(caught.value) == (
        f"{path}:2: settings.user_agent: must be printable ASCII without line breaks or "
        "control characters, and not empty or blank at either end (an HTTP header field value)"
    )


# --- config/example.env documents every setting ------------------------------------------


def test_example_env_lists_every_setting() -> None:
    text = (ROOT / "config" / "example.env").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*(BRIEFING_[A-Z_]+|REDIS_URL)=", text, flags=re.M))
    expected = {f"BRIEFING_{name.upper()}" for name in Settings.model_fields} - {
        "BRIEFING_REDIS_URL"  # documented under its usual name, REDIS_URL
    }
    missing = sorted(expected - listed)
    assert not missing, f"document these in config/example.env: {missing}"
    assert listed - expected == {"REDIS_URL"}, "example.env lists settings that do not exist"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (GOOD_FEED + "intervall = 60\n", "did you mean 'interval'?"),
        ('[[briefings]]\nid = "x"\ntitle = "X"\nincludes = ["war"]\n', "did you mean 'include'?"),
        ("[setings]\nport = 1\n", "did you mean 'settings'?"),
        ("[settings]\nprot = 1\n", "did you mean 'port'?"),
    ],
    ids=["feed key", "briefing key", "top-level table", "settings key"],
)
def test_misspelt_key_gets_a_hint(tmp_path: Path, text: str, hint: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(hint)):
        load_config(write(tmp_path, text))
