"""Log lines, JSON or text, carry the message, level and every ``extra`` field."""

from __future__ import annotations

import json
import logging

from service.logs import ChildField, JsonFormatter, TextFormatter, UvicornFields


def test_json_line_has_context_fields_and_traceback() -> None:
    record = logging.LogRecord(
        "workers.claim_loop", logging.WARNING, "f.py", 1, "polled %s", ("u",), None
    )
    record.feed = "https://a.example/rss"
    record.status = 500
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "polled u"
    assert entry["level"] == "warning"
    assert entry["logger"] == "workers.claim_loop"
    assert entry["feed"] == "https://a.example/rss" and entry["status"] == 500
    assert "\n" not in line

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, "f.py", 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(JsonFormatter().format(failing))["traceback"]


def test_uvicorn_access_line_carries_the_request_as_fields() -> None:
    access = logging.LogRecord(
        "uvicorn.access", logging.INFO, "h11_impl.py", 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/v1/articles?limit=5", "1.1", 200), None,
    )  # fmt: skip
    assert UvicornFields().filter(access)
    entry = json.loads(JsonFormatter().format(access))
    assert entry["message"] == '127.0.0.1:5000 - "GET /v1/articles?limit=5 HTTP/1.1" 200'
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/v1/articles?limit=5", 200)
    assert entry["client"] == "127.0.0.1:5000" and entry["http_version"] == "1.1"

    started = logging.LogRecord(
        "uvicorn.error", logging.INFO, "config.py", 1, "Uvicorn running on %s", ("x",), None
    )
    started.color_message = "Uvicorn running on \x1b[1mx\x1b[0m"  # uvicorn's terminal copy
    assert UvicornFields().filter(started)
    assert "color_message" not in json.loads(JsonFormatter().format(started))


def test_a_text_line_ends_with_the_context_fields_that_are_set() -> None:
    """BRIEFING_LOG_FORMAT=text: a failed poll says why, as its JSON line does."""
    record = logging.LogRecord(
        "workers.claim_loop", logging.WARNING, "f.py", 1, "polled %s: %s", ("u", "error"), None
    )
    record.feed_id = "00d9868cd5c87fb5"
    record.status = None  # not set: left out
    record.new = 0
    record.error = "cannot resolve a.example (Name or service not known)"
    line = TextFormatter().format(record)
    assert line.endswith(
        " WARNING workers.claim_loop: polled u: error feed_id=00d9868cd5c87fb5 new=0 "
        'error="cannot resolve a.example (Name or service not known)"'
    )


def test_a_childs_lines_name_the_child() -> None:
    record = logging.LogRecord("workers.runtime", logging.INFO, "f.py", 1, "stopping", (), None)
    assert ChildField("process stage").filter(record)
    assert json.loads(JsonFormatter().format(record))["child"] == "process stage"
    assert TextFormatter().format(record).endswith('child="process stage"')
