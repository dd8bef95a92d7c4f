"""Secrets in feed URLs: what is redacted where shown, and userinfo as Basic credentials."""

from __future__ import annotations

import base64

import pytest

from service.url_secrets import (
    redact_text,
    redact_url,
    secret_parameter,
    shows_masked_secret,
    without_userinfo,
)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://a.example/rss", "https://a.example/rss"),
        ("https://user:pass@a.example/rss", "https://***@a.example/rss"),
        ("https://user@a.example:8443/rss", "https://***@a.example:8443/rss"),
        ("https://a.example/rss?api_token=s3cr3t&lang=en", "https://a.example/rss?api_token=***&lang=en"),
        ("https://a.example/rss?key=abc&keyword=war", "https://a.example/rss?key=***&keyword=war"),
        ("https://a.example/rss?X-Amz-Signature=ff&page=2", "https://a.example/rss?X-Amz-Signature=***&page=2"),
        ("https://u:p@a.example/?access_token=t#top", "https://***@a.example/?access_token=***#top"),
        ("https://a.example/rss?token=", "https://a.example/rss?token="),
        ("not a url", "not a url"),
    ],
)  # fmt: skip
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("https://***@a.example/rss", True),
        ("https://%2A%2A%2A@a.example/rss", True),
        ("https://a.example/rss?api_token=***&lang=en", True),
        ("https://a.example/rss?api_token=%2A%2A%2A", True),
        ("https://user:***@a.example/rss", False),  # a password that happens to be ***
        ("https://a.example/rss?q=***", False),  # not a secret parameter
        ("https://a.example/rss?api_token=s3cr3t", False),
        ("https://a.example/***", False),
        ("not a url", False),
    ],
)  # fmt: skip
def test_shows_masked_secret(url: str, masked: bool) -> None:
    assert shows_masked_secret(url) is masked


def test_every_redacted_secret_shows_masked() -> None:
    for url in ("https://u:p@a.example/rss", "https://a.example/rss?key=abc&keyword=war"):
        assert not shows_masked_secret(url) and shows_masked_secret(redact_url(url))


@pytest.mark.parametrize(
    ("name", "secret"),
    [("apikey", True), ("API-Key", True), ("auth", True), ("sessionid", True),
     ("password", True), ("sig", True), ("page", False), ("keyword", False), ("lang", False)],
)  # fmt: skip
def test_secret_parameter_names(name: str, secret: bool) -> None:
    assert secret_parameter(name) is secret


def test_every_url_in_a_message_is_redacted() -> None:
    text = "too many redirects (loop: https://u:p@a.example/x -> http://b.example/?token=t)"
    assert redact_text(text) == (
        "too many redirects (loop: https://***@a.example/x -> http://b.example/?token=***)"
    )


def test_a_long_run_of_letters_is_read_once_and_a_url_glued_to_it_redacted() -> None:
    # 400,000 letters before the URL: a pattern that rescans the run from each letter
    # would not finish within the suite's timeout.
    run = "a" * 400_000
    text = f"{run} {run}https://u:p@a.example/x?token=t"
    redacted = redact_text(text)
    assert redacted.endswith("://***@a.example/x?token=***")
    assert "u:p@" not in redacted
    assert redacted.startswith(f"{run} {run}https:")


def test_userinfo_becomes_basic_credentials_percent_decoded() -> None:
    bare, authorization = without_userinfo("https://news%20desk:p%40ss:w@a.example/rss?x=1")
    assert bare == "https://a.example/rss?x=1"
    assert authorization == "Basic " + base64.b64encode(b"news desk:p@ss:w").decode()
    assert without_userinfo("https://a.example/rss") == ("https://a.example/rss", None)
