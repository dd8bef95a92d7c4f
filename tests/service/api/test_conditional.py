"""ETags, If-None-Match and If-Match on reads (service/api/conditional.py)."""

from __future__ import annotations

import httpx
import pytest

from service.api.conditional import etag_matches, etag_of
from tests.support.newsroom import Newsroom


def test_if_none_match_uses_weak_comparison_and_lists() -> None:
    tag = etag_of(b"x")
    assert etag_matches(tag, tag) and etag_matches(f"W/{tag}", tag)
    assert etag_matches(f'"a", {tag}', tag)
    assert etag_matches("*", tag) and not etag_matches('"other"', tag)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/briefings/world",
        "/v1/briefings/world/timeline",
        "/v1/briefings/world/timeline.atom",
        "/v1/feeds",
        "/briefings/world",  # the page: a weak ETag, which If-Match never matches
    ],
)
async def test_a_read_whose_if_match_names_no_current_tag_is_a_412(
    bbc: Newsroom, client: httpx.AsyncClient, path: str
) -> None:
    """RFC 9110 §13.1.1: If-Match is evaluated for every method, a GET too, by the strong
    comparison; §13.2.2: before If-None-Match."""
    etag = (await client.get(path)).headers["etag"]
    for _ in range(2):  # rendered, then (the timeline) a cache hit in front of the routes
        stale = await client.get(path, headers={"If-Match": '"stale"'})
        assert stale.status_code == 412, stale.text
        assert stale.headers["content-type"] == "application/problem+json"
        assert stale.json()["type"].endswith("/precondition-failed")
    assert (await client.get(path, headers={"If-Match": "*"})).status_code == 200
    weak = etag if etag.startswith("W/") else f"W/{etag}"
    assert (await client.get(path, headers={"If-Match": weak})).status_code == 412
    both = await client.get(path, headers={"If-Match": f'"other", {etag}', "If-None-Match": etag})
    assert both.status_code == (412 if etag.startswith("W/") else 304)
