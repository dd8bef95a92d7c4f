"""workers.urls: canonical URLs (named cases, then properties)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from workers.urls import TRACKING_PARAMS, canonicalize_url, fragment_pages, is_tracking_param


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        pytest.param(
            "https://example.com/a", None, "https://example.com/a", id="already-canonical"
        ),
        pytest.param(
            "HTTPS://Example.COM/Path",
            None,
            "https://example.com/Path",
            id="scheme-host-lower-path-kept",
        ),
        pytest.param(
            "http://example.com:80/a", None, "http://example.com/a", id="default-http-port"
        ),
        pytest.param(
            "https://example.com:443/a", None, "https://example.com/a", id="default-https-port"
        ),
        pytest.param(
            "https://example.com:8443/a", None, "https://example.com:8443/a", id="other-port-kept"
        ),
        pytest.param("https://example.com", None, "https://example.com/", id="empty-path-is-slash"),
        pytest.param(
            "https://example.com/a#section", None, "https://example.com/a", id="fragment-dropped"
        ),
        pytest.param(
            "https://example.com/a?b=2&a=1",
            None,
            "https://example.com/a?a=1&b=2",
            id="query-sorted",
        ),
        pytest.param(
            "https://example.com/a?utm_source=rss&utm_medium=feed&id=7",
            None,
            "https://example.com/a?id=7",
            id="utm-dropped",
        ),
        pytest.param(
            "https://www.dailymail.co.uk/news/article-10100709/Fire.html"
            "?ns_mchannel=rss&ito=1490&ns_campaign=1490",
            None,
            "https://www.dailymail.co.uk/news/article-10100709/Fire.html",
            id="dailymail-comscore-and-ito",
        ),
        pytest.param(
            "https://www.dw.com/zh/a-59512345?maca=chi-rss-chi-all-1127-rdf",
            None,
            "https://www.dw.com/zh/a-59512345",
            id="dw-maca",
        ),
        pytest.param(
            "https://medium.com/p/b4981c59ffa5?source=rss-b4981c59ffa5------2",
            None,
            "https://medium.com/p/b4981c59ffa5",
            id="medium-source-rss",
        ),
        pytest.param(
            "https://www.smh.com.au/politics/a-20211016-p590j2.html?ref=rss&utm_medium=rss",
            None,
            "https://www.smh.com.au/politics/a-20211016-p590j2.html",
            id="smh-ref-rss",
        ),
        pytest.param(
            "https://example.com/search?source=archive&ref=home",
            None,
            "https://example.com/search?ref=home&source=archive",
            id="source-and-ref-with-other-values-kept",
        ),
        pytest.param(
            "https://example.com/a?UTM_Campaign=x",
            None,
            "https://example.com/a",
            id="tracking-case-insensitive",
        ),
        pytest.param(
            "https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4",
            None,
            "https://example.com/a",
            id="click-ids-dropped",
        ),
        pytest.param(
            "https://www.bbc.com/news/articles/x?at_medium=RSS&at_campaign=rss",
            None,
            "https://www.bbc.com/news/articles/x",
            id="bbc-at-internet-tags",
        ),
        pytest.param(
            "https://example.com/a??", None, "https://example.com/a?%3F=", id="odd-query-stable"
        ),
        pytest.param(
            "https://example.com/a/./b/../c", None, "https://example.com/a/c", id="dot-segments"
        ),
        pytest.param(
            "https://example.com/%7euser/%e2%82%ac",
            None,
            "https://example.com/~user/%E2%82%AC",
            id="percent-encoding-normalized",
        ),
        pytest.param(
            "https://example.com/ä ö",
            None,
            "https://example.com/%C3%A4%20%C3%B6",
            id="non-ascii-path-encoded",
        ),
        pytest.param("http://bücher.de/", None, "http://xn--bcher-kva.de/", id="idna-host"),
        pytest.param(
            "https://user:pw@example.com/a", None, "https://example.com/a", id="userinfo-dropped"
        ),
        pytest.param("https://[2001:DB8::1]:443/a", None, "https://[2001:db8::1]/a", id="ipv6"),
        pytest.param(
            "/post/1",
            "https://example.org/feed/",
            "https://example.org/post/1",
            id="relative-absolute-path",
        ),
        pytest.param(
            "post/1",
            "https://example.org/feed/",
            "https://example.org/feed/post/1",
            id="relative-path",
        ),
        pytest.param(
            "//cdn.example.org/a",
            "https://example.org/",
            "https://cdn.example.org/a",
            id="protocol-relative",
        ),
        pytest.param(
            "https://a.example/x",
            "https://b.example/",
            "https://a.example/x",
            id="absolute-ignores-base",
        ),
        pytest.param("  https://example.com/a\n  ", None, "https://example.com/a", id="trimmed"),
        pytest.param(
            "https://example.com/long\n/path",
            None,
            "https://example.com/long/path",
            id="wrapped-link-joined",
        ),
        pytest.param("javascript:alert(1)", None, "", id="javascript"),
        pytest.param("mailto:editor@example.com", None, "", id="mailto"),
        pytest.param("tag:example.com,2006:/blog/1", None, "", id="tag-uri"),
        pytest.param("ftp://example.com/file", None, "", id="ftp"),
        pytest.param("https:///nohost", None, "", id="no-host"),
        pytest.param("https://example.com:99999/", None, "", id="bad-port"),
        pytest.param("", None, "", id="empty"),
        pytest.param("/only/a/path", None, "", id="relative-without-base"),
    ],
)
def test_canonicalize_url(url: str, base: str | None, expected: str) -> None:
    assert canonicalize_url(url, base) == expected


@pytest.mark.parametrize(
    ("name", "tracking"),
    [
        pytest.param("utm_source", True, id="utm"),
        pytest.param("utm_whatever", True, id="utm-family"),
        pytest.param("FBCLID", True, id="upper-case"),
        pytest.param("utm%5Fsource", True, id="percent-encoded"),
        pytest.param("id", False, id="content-param"),
        pytest.param("page", False, id="page"),
        pytest.param("ref", False, id="ref-is-ambiguous"),
    ],
)
def test_is_tracking_param(name: str, tracking: bool) -> None:
    assert is_tracking_param(name) is tracking


# URLs with the parts we care about: tracking params, fragments, case, ports, paths.
_tracking = st.sampled_from([*sorted(TRACKING_PARAMS), "utm_source", "utm_x", "UTM_Medium"])
_param = st.one_of(_tracking, st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8))
_value = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_host = st.sampled_from(
    ["Example.COM", "news.example.org", "bücher.de", "127.0.0.1", "EXAMPLE.net"]
)
_port = st.sampled_from(["", ":80", ":443", ":8080"])
_path = st.lists(st.text("abcXYZ019-._~%äé ", max_size=6), max_size=4).map("/".join)


@st.composite
def news_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "HttpS"]))
    query = "&".join(f"{k}={v}" for k, v in draw(st.lists(st.tuples(_param, _value), max_size=5)))
    fragment = draw(st.one_of(st.just(""), st.text(max_size=6).map(lambda f: "#" + f)))
    url = f"{scheme}://{draw(_host)}{draw(_port)}/{draw(_path)}"
    return url + (f"?{query}" if query else "") + fragment


any_url = st.one_of(news_urls(), urls(), st.text(max_size=40))


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(any_url)
@example("http://x.com/%zz%")
@example("https://example.com/?a=%26&b=+")
def test_canonicalize_is_idempotent(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(news_urls())
def test_tracking_params_never_survive(url: str) -> None:
    canonical = canonicalize_url(url)
    names = [k for k, _ in parse_qsl(urlsplit(canonical).query, keep_blank_values=True)]
    assert not [n for n in names if is_tracking_param(n)]


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(any_url)
def test_no_fragment_and_lower_case_host(url: str) -> None:
    canonical = canonicalize_url(url)
    if canonical:
        parts = urlsplit(canonical)
        assert "#" not in canonical
        assert parts.scheme in ("http", "https")
        assert parts.netloc == parts.netloc.lower()
        assert parts.netloc.isascii()


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(any_url)
def test_a_kept_fragment_is_canonical_too(url: str) -> None:
    kept = canonicalize_url(url, keep_fragment=True)
    assert canonicalize_url(kept, keep_fragment=True) == kept
    assert bool(kept) == bool(canonicalize_url(url))  # usable either way, or neither


BASE = "https://wiki.example/site/feed.xml"


@pytest.mark.parametrize(
    ("links", "pages"),
    [
        # RFC 3986 §3.5: the fragment names a secondary resource of the page; two items
        # reaching one page with different fragments are two parts of it.
        (
            ["now.html#2026-02-16", "now.html#2026-02-11", "other"],
            {"https://wiki.example/site/now.html"},
        ),
        (["/a?utm_source=rss#c-1", "https://WIKI.example/a#c-2"], {"https://wiki.example/a"}),
        # One fragment per page, or the same one on every item: the fragment tells
        # nothing apart, and the page stays one article.
        (["/a#comments", "/b#comments", "/c"], set()),
        (["/a#top", "/a#top"], set()),
        (["/a", "/a#x"], set()),
        ([None, "mailto:x@y.example#a", "mailto:x@y.example#b"], set()),
    ],
)
def test_fragment_pages(links: list[str | None], pages: set[str]) -> None:
    assert fragment_pages(links, BASE) == pages
