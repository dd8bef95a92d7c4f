"""Logging: one JSON object per line (or plain text for a terminal).

Context travels in ``extra``: ``log.info("polled", extra={"feed": url, "outcome": "new"})``
becomes ``{"time": ..., "level": "info", "logger": ..., "message": "polled", "feed": ...,
"outcome": "new"}``, so collectors can filter by feed, story or subscription id.

Every logger goes through the one root handler, uvicorn's too: the CLI builds its server
with ``log_config=None`` (no handlers of uvicorn's own), and :class:`UvicornFields` gives
access lines the request as fields (``client``, ``method``, ``path``, ``status``).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else came in through ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """The fields a record got through ``extra``."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(extra_fields(record))
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message`` followed by the ``extra`` fields that are set, as
    ``key=value`` (logfmt; a value with a space, ``=`` or quote is JSON-quoted), so a
    terminal shows the context a JSON line carries: a failed poll's ``error``, say.
    uvicorn's access lines keep their own wording: their fields repeat it."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        text = super().formatMessage(record)
        if record.name == "uvicorn.access":
            return text
        fields = [_logfmt(k, v) for k, v in extra_fields(record).items() if v is not None]
        return " ".join([text, *fields])


def _logfmt(key: str, value: object) -> str:
    text = str(value)
    if not text or any(c in text for c in ' ="\\') or not text.isprintable():
        text = json.dumps(text, ensure_ascii=False)
    return f"{key}={text}"


# The arguments of uvicorn's access line, in order (uvicorn/protocols/http/*_impl.py).
_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


class UvicornFields(logging.Filter):
    """uvicorn's records made as structured as ours.

    An access line is logged as ``'%s - "%s %s HTTP/%s" %d'`` with the client, method,
    path, HTTP version and status as arguments: they become fields, and the message stays
    as uvicorn words it. ``color_message`` (the same text with ANSI colours, for uvicorn's
    own terminal formatter) is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        args = record.args
        if (
            record.name == "uvicorn.access"
            and isinstance(args, tuple)
            and len(args) == len(_ACCESS_FIELDS)
        ):
            record.__dict__.update(zip(_ACCESS_FIELDS, args, strict=True))
        return True


class ChildField(logging.Filter):
    """Every record of a child process that a ``briefing`` process supervises gets a
    ``child`` field naming it: the two write lines to the same stdout and stderr, and the
    stages' messages (``stopping workers``) read alike in both."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_of_child = name

    def filter(self, record: logging.LogRecord) -> bool:
        record.child = self.name_of_child
        return True


def configure_logging(level: str, fmt: str, *, child: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(UvicornFields())
    if child:
        handler.addFilter(ChildField(child))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request at INFO: far too much at thousands of polls per second.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
