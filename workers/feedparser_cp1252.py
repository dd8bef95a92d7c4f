"""feedparser maps Windows-1252's extensions only in text that can hold them.

At the end of every element, feedparser's ``pop`` runs ``output.translate(_cp1252)``:
code points U+0080–U+009F (C1 controls, which a document mislabelled as ISO-8859-1
carries where Windows-1252 meant €, “, —, …) become the characters meant. For a text
that is not pure ASCII, ``str.translate`` looks every character up in that dictionary
and takes a missed look-up's exception for each: about 50 ns a character, so one curly
quote or one word of Cyrillic makes a 1,400-character summary cost about 70 µs, a tenth
of a parse process's time on the shared documents. A text without any character in
U+0080–U+009F comes out of that translation unchanged, so the translation runs only when
a regular-expression search (a few µs) finds one.

The change is made to feedparser's own ``pop``: its source, with that one statement
guarded, compiled in its module. If the statement is not found as written (another
feedparser version) or the source cannot be read, ``pop`` stays as it is.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

import feedparser.mixin

_MIXIN = feedparser.mixin._FeedParserMixin
_TRANSLATE = "output = output.translate(_cp1252)"
# The guard, in feedparser's module, where ``re`` is imported (its pattern cache keeps the
# compiled expression).
_GUARDED = "output = output.translate(_cp1252) if re.search('[\\x80-\\x9f]', output) else output"

original_pop = _MIXIN.pop


def guarded_pop_source() -> str | None:
    """feedparser's ``pop`` with the translation guarded, or None if it is not there
    exactly once."""
    try:
        source = textwrap.dedent(inspect.getsource(original_pop))
    except (OSError, TypeError):  # no source shipped
        return None
    if source.count(_TRANSLATE) != 1:
        return None
    return source.replace(_TRANSLATE, _GUARDED)


def install() -> bool:
    """Give feedparser's parsers the guarded ``pop``; whether it was installed
    (idempotent)."""
    if _MIXIN.pop is not original_pop:
        return True
    source = guarded_pop_source()
    if source is None:
        return False
    namespace: dict[str, object] = {}
    code = compile(source, inspect.getfile(original_pop), "exec")
    exec(code, vars(feedparser.mixin), namespace)
    pop: Any = namespace["pop"]
    pop.__qualname__ = original_pop.__qualname__
    _MIXIN.pop = pop
    return True


def uninstall() -> None:
    """Give feedparser's parsers back their own ``pop`` (idempotent)."""
    _MIXIN.pop = original_pop
