"""JSON log lines carry the message, level and every ``extra`` field."""

from __future__ import annotations

import json
import logging

from service.logs import JsonFormatter


def test_json_line_has_context_fields_and_traceback() -> None:
    record = logging.LogRecord(
        "workers.scheduler", logging.WARNING, "f.py", 1, "polled %s", ("u",), None
    )
    record.feed = "https://a.example/rss"
    record.status = 500
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "polled u"
    assert entry["level"] == "warning"
    assert entry["logger"] == "workers.scheduler"
    assert entry["feed"] == "https://a.example/rss" and entry["status"] == 500
    assert "\n" not in line

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        failing = logging.LogRecord("x", logging.ERROR, "f.py", 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(JsonFormatter().format(failing))["traceback"]
