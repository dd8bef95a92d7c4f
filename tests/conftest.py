"""Shared fixtures. Real parts only: a real Redis, real HTTP servers on 127.0.0.1."""

# schemathesis's pytest plugin imports its report writers only at session end, where pytest
# rewrites them with ast.parse. A socket some test leaked, finalized by the garbage
# collector during that parse, reports an unraisable warning whose traceback formatting
# parses again; CPython 3.11 keeps one AST construction state per interpreter, so the outer
# parse fails with "SystemError: AST constructor recursion depth mismatch" (cpython#106905)
# and pytest exits 1 after every test passed. Imported here, they are parsed at collection.
import schemathesis.reporting.html.writer
import schemathesis.reporting.junitxml  # noqa: F401

pytest_plugins = [
    "tests.support.redis_fixture",
    "tests.support.feedserver_fixture",
    "tests.support.webhooks",
    "tests.support.host_cache",
]
