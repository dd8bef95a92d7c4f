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
guarded, compiled in its module (its globals are feedparser.mixin's, ``re`` among them)
inside a class of the same name and on the lines it has in its file, so that its
qualified name, its tracebacks and ``inspect`` read as feedparser's own. Where the guard
cannot be made exactly (``unguarded_reason``: another feedparser whose ``pop`` no longer
holds the statement as written, a mapping beyond U+0080–U+009F, no source), ``pop`` stays
as it is.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import feedparser.mixin

_MIXIN = feedparser.mixin._FeedParserMixin
_TRANSLATE = "output = output.translate(_cp1252)"
# The guard, in feedparser's module, where ``re`` is imported (its pattern cache keeps the
# compiled expression). It finds all 32 C1 code points; _cp1252 maps 27 of them, and a text
# holding only the other five (U+0081, U+008D, U+008F, U+0090, U+009D) is translated and
# comes out unchanged, as without the guard.
_GUARDED = "output = output.translate(_cp1252) if re.search('[\\x80-\\x9f]', output) else output"
_C1 = range(0x80, 0xA0)

original_pop = _MIXIN.pop


def unguarded_reason() -> str | None:
    """Why feedparser's ``pop`` cannot take the guard here, or None when it can."""
    try:
        source = inspect.getsource(original_pop)
    except (OSError, TypeError):  # no source shipped
        return "the source of feedparser's _FeedParserMixin.pop cannot be read"
    if source.count(_TRANSLATE) != 1:
        return f"feedparser's _FeedParserMixin.pop does not hold {_TRANSLATE!r} exactly once"
    namespace = vars(feedparser.mixin)
    if namespace.get("re") is not re:
        return "feedparser.mixin does not import re"
    table = namespace.get("_cp1252")
    if not isinstance(table, dict) or not set(table) <= set(_C1):
        return "feedparser.mixin's _cp1252 is not a mapping of code points in U+0080-U+009F"
    if original_pop.__code__.co_freevars:
        return "feedparser's _FeedParserMixin.pop refers to its class (super or __class__)"
    return None


def guarded_pop_source() -> str:
    """feedparser's ``pop`` with the translation guarded, in a class of its class's name,
    preceded by blank lines so that ``def pop`` stands on its line of feedparser.mixin."""
    lines, first_line = inspect.getsourcelines(original_pop)
    guarded = "".join(lines).replace(_TRANSLATE, _GUARDED)
    return "\n" * (first_line - 2) + f"class {_MIXIN.__name__}:\n" + guarded


def install() -> bool:
    """Give feedparser's parsers the guarded ``pop``; whether it was installed
    (idempotent)."""
    if _MIXIN.pop is not original_pop:
        return True
    if unguarded_reason() is not None:
        return False
    code = compile(guarded_pop_source(), inspect.getfile(original_pop), "exec", dont_inherit=True)
    namespace: dict[str, Any] = {}
    exec(code, vars(feedparser.mixin), namespace)
    _MIXIN.pop = vars(namespace[_MIXIN.__name__])["pop"]
    return True


def uninstall() -> None:
    """Give feedparser's parsers back their own ``pop`` (idempotent)."""
    _MIXIN.pop = original_pop
