"""Text that XML 1.0 can hold. Feeds hand us characters it cannot: a JSON Feed's
``"\\u0001"`` is valid JSON, and a lenient parse of a broken XML feed keeps a control
character; one of them in a document we write makes the whole document ill-formed, so
a strict reader refuses every entry or outline in it."""

from __future__ import annotations

import re

# XML 1.0 §2.2, the Char production: everything else (C0 controls but tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) makes the document ill-formed.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)
