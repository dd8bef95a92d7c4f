"""Opt-in pytest plugin for deeper property and fuzz runs than CI's:
``LB_EXAMPLES_SCALE=20 python -m pytest -p tests.support.deep_examples --timeout=900 ...``
multiplies every ``@settings(max_examples=...)`` applied after it loads (the test modules
are imported later, at collection) by the scale; ``LB_EXAMPLES_ONLY=1`` keeps only the
hypothesis tests (schemathesis cases are hypothesis tests too). Not loaded by default:
CI keeps the counts written in the tests.

A decorator's explicit ``max_examples`` wins over any hypothesis profile, hence the
wrapper around ``settings.__call__`` (what ``@settings(...)`` runs on the test)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings

SCALE = float(os.environ.get("LB_EXAMPLES_SCALE", "1"))
_apply = settings.__call__


def _scaled(self: settings, test: Any) -> Any:
    return _apply(settings(self, max_examples=max(1, round(self.max_examples * SCALE))), test)


settings.__call__ = _scaled  # type: ignore[method-assign]


def pytest_report_header() -> str:
    return f"deep_examples: max_examples x{SCALE:g}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("LB_EXAMPLES_ONLY") != "1":
        return
    hypothesis_tests = [
        i for i in items if getattr(getattr(i, "obj", None), "is_hypothesis_test", False)
    ]
    others = [i for i in items if i not in hypothesis_tests]
    items[:] = hypothesis_tests
    config.hook.pytest_deselected(items=others)
