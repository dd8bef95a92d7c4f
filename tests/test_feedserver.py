"""The test feed server itself: what other tests and benchmarks rely on it to do."""

from __future__ import annotations

import httpx
import pytest

from tests.feedserver import (
    FeedServer,
    Request,
    Response,
    bomb,
    document,
    redirect,
    sequence,
    status,
)


def test_unknown_path_is_404(feed_server: FeedServer) -> None:
    response = httpx.get(feed_server.url("/nothing"))
    assert response.status_code == 404
    assert feed_server.hits["/nothing"] == 1


def test_bytes_become_a_document(feed_server: FeedServer) -> None:
    url = feed_server.add("/feed.xml", b"<rss/>")
    response = httpx.get(url)
    assert response.content == b"<rss/>"
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert "date" in response.headers


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, 200),
        ({"If-None-Match": '"v1"'}, 304),
        ({"If-None-Match": 'W/"v1"'}, 304),  # weak comparison (RFC 9110 §13.1.2)
        ({"If-None-Match": '"v0", "v1"'}, 304),
        ({"If-None-Match": "*"}, 304),
        ({"If-None-Match": '"v2"'}, 200),
        ({"If-Modified-Since": "Tue, 24 Nov 2026 10:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Tue, 24 Nov 2026 11:00:00 GMT"}, 304),
        ({"If-Modified-Since": "Tue, 24 Nov 2026 09:00:00 GMT"}, 200),
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
        ({"If-None-Match": '"v2"', "If-Modified-Since": "Tue, 24 Nov 2026 10:00:00 GMT"}, 200),
    ],
    ids=repr,
)
def test_document_conditional_get(
    feed_server: FeedServer, headers: dict[str, str], expected: int
) -> None:
    url = feed_server.add(
        "/f", document(b"<rss/>", etag='"v1"', last_modified="Tue, 24 Nov 2026 10:00:00 GMT")
    )
    response = httpx.get(url, headers=headers)
    assert response.status_code == expected
    assert response.headers["etag"] == '"v1"'
    assert response.content == (b"" if expected == 304 else b"<rss/>")


def test_document_gzip_only_when_accepted(feed_server: FeedServer) -> None:
    url = feed_server.add("/f", document(b"<rss/>" * 100, compress="gzip"))
    with httpx.Client() as client:
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content == b"<rss/>" * 100


def test_sequence_answers_in_turn_then_repeats_the_last(feed_server: FeedServer) -> None:
    url = feed_server.add("/f", sequence(status(503), b"<rss>1</rss>", b"<rss>2</rss>"))
    with httpx.Client() as client:
        answers = [client.get(url) for _ in range(4)]
    assert [a.status_code for a in answers] == [503, 200, 200, 200]
    assert [a.content for a in answers[1:]] == [b"<rss>1</rss>", b"<rss>2</rss>", b"<rss>2</rss>"]


def test_handlers_see_method_query_headers_and_body(feed_server: FeedServer) -> None:
    seen: list[Request] = []

    def hook(request: Request) -> Response:
        seen.append(request)
        return Response(204)

    url = feed_server.add("/hook", hook)
    response = httpx.post(url + "?a=1", content=b'{"x": 1}', headers={"X-Test": "yes"})
    assert response.status_code == 204
    [request] = seen
    assert (request.method, request.path, request.query) == ("POST", "/hook", "a=1")
    assert request.headers["x-test"] == "yes"
    assert request.body == b'{"x": 1}'
    assert feed_server.requests_to("/hook") == [request]


def test_redirect_and_bomb_are_what_they_say(feed_server: FeedServer) -> None:
    feed_server.add("/old", redirect("/new", 308))
    feed_server.add("/bomb", bomb(1024 * 1024))
    with httpx.Client() as client:
        moved = client.get(feed_server.url("/old"))
        raw = client.get(feed_server.url("/bomb"), headers={"Accept-Encoding": "identity"})
    assert (moved.status_code, moved.headers["location"]) == (308, "/new")
    assert raw.headers["content-encoding"] == "gzip"
    assert int(raw.headers["content-length"]) < 10_000  # small on the wire…
    assert len(raw.content) == 1024 * 1024  # …huge once httpx has decoded it


def test_head_has_no_body(feed_server: FeedServer) -> None:
    url = feed_server.add("/f", b"<rss/>")
    response = httpx.head(url)
    assert response.status_code == 200
    assert response.headers["content-length"] == "6"
    assert response.content == b""


def test_server_stops_and_frees_its_port() -> None:
    server = FeedServer().start()
    url = server.add("/f", b"x")
    assert httpx.get(url).status_code == 200
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)
