"""service.opml: the feeds an OPML subscription list names, or one readable error."""

from __future__ import annotations

import pytest

from service.opml import OpmlError, Subscriptions, read_subscriptions

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Newsroom</title><dateCreated>Fri, 04 Dec 2026 22:00:00 GMT</dateCreated></head>
  <body>
    <outline text="World">
      <outline text="Europe">
        <outline type="rss" text="Kyiv desk" title="Ukrinform" xmlUrl="https://a.example/rss"
                 htmlUrl="https://a.example/"/>
      </outline>
      <outline type="rss" title="Only a title" xmlUrl=" https://b.example/atom "/>
    </outline>
    <outline text="JSON feed, no type" xmlUrl="https://c.example/feed.json"/>
    <outline type="rss" text="Broken entry"/>
    <outline type="link" text="A web page" url="https://d.example/"/>
  </body>
</opml>"""


def test_nested_subscriptions_are_read_in_order_named_by_their_text() -> None:
    # OPML 2.0, "Subscription lists": type="rss" outlines, nested in folders, with the
    # required text (what the reader shows) and xmlUrl; title is the feed's own title.
    assert read_subscriptions(NESTED) == Subscriptions(
        feeds=[
            ("https://a.example/rss", "Kyiv desk"),
            ("https://b.example/atom", "Only a title"),
            ("https://c.example/feed.json", "JSON feed, no type"),
        ],
        refused=["outline 'Broken entry': type=\"rss\" without xmlUrl"],
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        pytest.param(
            b'<rss version="2.0"><channel><title>t</title></channel></rss>',
            "not OPML: the root element is <rss>, not <opml>",
            id="a-feed",
        ),
        pytest.param(
            b'<opml version="2.0"><head/></opml>',
            "not OPML: <opml> has no <body> (OPML 2.0 requires one)",
            id="no-body",
        ),
        pytest.param(b"feeds: a, b", "not OPML: syntax error: line 1, column 0", id="not-xml"),
        pytest.param(
            b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml version="2.0"><body/></opml>',
            "not OPML: it declares a DTD or entities, which are refused",
            id="dtd",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="x-bogus"?><opml version="2.0"><body/></opml>',
            "not OPML: unknown encoding: x-bogus",
            id="unknown-encoding",
        ),
        pytest.param(
            b'<opml version="2.0"><body><outline text="\xff" xmlUrl="https://a.example/"/>'
            b"</body></opml>",
            "not OPML: not well-formed (invalid token): line 1, column 41",
            id="invalid-utf8",
        ),
    ],
)
def test_a_body_that_is_no_opml_is_one_readable_error(body: bytes, error: str) -> None:
    with pytest.raises(OpmlError) as raised:
        read_subscriptions(body)
    assert str(raised.value) == error


def test_a_url_longer_than_post_feeds_takes_is_refused_and_quoted_in_part() -> None:
    """An import refuses a URL past 2,083 characters, as ``POST /v1/feeds`` and the config
    file do, and quotes only the start of it or of a huge name."""
    long_url = "https://a.example/" + "b" * 1_000_000
    body = (
        f'<opml version="2.0"><body><outline text="long" xmlUrl="{long_url}"/>'
        f'<outline text="{"n" * 1_000_000}" type="rss"/>'
        f'<outline text="fits" xmlUrl="https://a.example/{"c" * 2065}"/></body></opml>'
    ).encode()
    read = read_subscriptions(body)
    assert read.feeds == [(f"https://a.example/{'c' * 2065}", "fits")]
    assert read.refused == [
        f"{long_url[:200]}…: a URL of 1,000,018 characters, over the 2,083 a feed URL may have",
        f'outline {"n" * 200 + "…"!r}: type="rss" without xmlUrl',
    ]
