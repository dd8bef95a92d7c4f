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


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


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


def configure_logging(level: str, fmt: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(UvicornFields())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request at INFO: far too much at thousands of polls per second.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
