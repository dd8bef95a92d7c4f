"""What XML 1.0 can hold (service/api/xml_chars.py)."""

from __future__ import annotations

from xml.etree import ElementTree

from service.api.xml_chars import xml_chars


def test_only_the_characters_xml_cannot_hold_are_dropped() -> None:
    # XML 1.0 §2.2: tab, LF, CR and everything from U+0020 but the surrogates and
    # U+FFFE/U+FFFF; astral characters (an emoji) are characters like any other.
    kept = "tab\t lf\n cr\r Київ \ue000 \ufffd \U0001f600"
    assert xml_chars(kept) == kept
    assert xml_chars("a\x00b\x08c\x0bd\x1fe\ud800f\ufffeg\uffffh") == "abcdefgh"
    assert ElementTree.fromstring(f"<t>{xml_chars(chr(1) + 'x' + chr(0xFFFF))}</t>").text == "x"
