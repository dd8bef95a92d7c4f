"""A pydantic validation error's message as text for people: the config file's and the
environment's problems (``briefing check``, start-up) and the API's 422 problem documents.

For a validator of ours that raises ``ValueError("must contain a word")`` pydantic writes
``"Value error, must contain a word"`` (``"Assertion failed, ..."`` for an assert): the
prefix names a Python exception and says nothing to whoever edits the file or sends the
request, so the text is the validator's own, after the field it is about.
"""

from __future__ import annotations

from typing import Any

_OWN_TEXT_TYPES = frozenset({"value_error", "assertion_error"})


def problem_text(error: Any) -> str:
    """``error`` (one item of ``ValidationError.errors()``) as one sentence about its field."""
    raised = error.get("ctx", {}).get("error")
    if error["type"] in _OWN_TEXT_TYPES and raised is not None and str(raised):
        return str(raised)
    return str(error["msg"])  # a bare `assert` has no text of its own: pydantic's, whole
