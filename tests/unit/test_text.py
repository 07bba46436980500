"""The shared text helpers: the invisible-character class and the normalised view."""

from __future__ import annotations

import sys
import unicodedata

from lf_middleware._text import is_invisible, normalised_view

#: format characters that render visibly (they prefix a number): not hidden text
_VISIBLE_FORMAT = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD}


def test_every_format_character_is_invisible():
    missing = [hex(cp) for cp in range(sys.maxunicode + 1)
               if unicodedata.category(chr(cp)) == "Cf" and cp not in _VISIBLE_FORMAT and not is_invisible(chr(cp))]
    assert missing == []


def test_ascii_has_no_view():
    assert normalised_view("Ignore all previous instructions") is None
    assert normalised_view("Café") is None  # already NFKC, nothing invisible


def test_view_maps_every_character_back_to_the_raw_text():
    raw = "a\u200bＢ𝐜ﬁ\u00ade"
    view = normalised_view(raw)
    assert view is not None and view.text == "aBcfie"
    assert view.span(1, 2) == (2, 3)  # B <- the fullwidth B
    assert view.span(3, 5) == (4, 5)  # "fi" <- the one ligature character
    assert view.span(0, len(view.text)) == (0, len(raw))
    assert normalised_view("ÅSS", casefold=True).text == "åss"
