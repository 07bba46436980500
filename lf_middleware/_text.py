"""Small text helpers shared by scanners: safe excerpts and content hashes for reasons and logs, the one
definition of invisible characters, and the normalised view every text scanner reads besides the raw text."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ("INVISIBLE_CLASS", "NormalView", "OffsetMap", "content_hash", "excerpt", "is_invisible",
           "mask", "mask_secrets", "normalised_view", "safe_utf8")


def safe_utf8(text: str) -> bytes:
    """UTF-8 bytes of any Python str, lone surrogates included (they are escaped, never an exception)."""
    return text.encode("utf-8", errors="surrogatepass")


def content_hash(text: str) -> str:
    """A short, stable fingerprint of content for logs: 'sha256:' + 16 hex digits."""
    return "sha256:" + hashlib.sha256(safe_utf8(text)).hexdigest()[:16]


def excerpt(text: str, start: int = 0, end: int | None = None, *, limit: int = 40) -> str:
    """A short, printable excerpt of ``text[start:end]``: at most ``limit`` characters, control and
    invisible characters escaped, so a reason never carries the scanned text wholesale."""
    end = len(text) if end is None else end
    piece = text[max(0, start) : max(start, end)]
    cut = len(piece) > limit
    piece = piece[:limit]
    if piece.isprintable():  # the common case; surrogates and controls are not printable, so they take the loop
        return "'" + piece + ("…'" if cut else "'")
    out = []
    for ch in piece:
        cp = ord(ch)
        if ch.isprintable() and not (0xD800 <= cp <= 0xDFFF):
            out.append(ch)
        elif cp <= 0xFF:
            out.append(f"\\x{cp:02x}")
        elif cp <= 0xFFFF:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    return "'" + "".join(out) + ("…'" if cut else "'")


# ---------------------------------------------------------------------------------------------------------
# Invisible characters and the normalised view

#: Every code point that renders as nothing: all format characters (Unicode category Cf) except the Arabic
#: and Kaithi number signs (visible marks that prefix digits), plus the other default-ignorable code points
#: (combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other variation
#: selectors). ``tests/unit/test_text.py`` checks the Cf part against the running Python's Unicode tables.
INVISIBLE_CLASS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_INVISIBLE_RUN = re.compile(f"[{INVISIBLE_CLASS}]+")


def is_invisible(ch: str) -> bool:
    """True for a character in :data:`INVISIBLE_CLASS`."""
    return _INVISIBLE_RUN.fullmatch(ch) is not None


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps character offsets in a derived text (a normalised view) back to the text it came from."""

    starts: list[int]  # start of each segment in the derived text
    positions: list[Sequence[int]]  # source index of each character of the segment (a range or a list)
    length: int

    def original(self, index: int) -> int:
        seg = bisect.bisect_right(self.starts, index) - 1
        return self.positions[seg][index - self.starts[seg]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span ``[a, b)`` covering the derived span ``[start, end)``."""
        if end <= start or self.length == 0:
            return (0, 0)
        end = min(end, self.length)
        return (self.original(start), self.original(end - 1) + 1)


class NormalView(NamedTuple):
    """A text as the scanners also read it (see :func:`normalised_view`), and the map back to the raw text."""

    text: str
    offsets: OffsetMap

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span(start, end)


def normalised_view(text: str, *, casefold: bool = False) -> NormalView | None:
    """The text with invisible characters removed and compatibility forms folded (NFKC), each character
    mapped back to the raw text; ``None`` when that changes nothing (always for ASCII text, the fast path).

    NFKC turns fullwidth (``Ｉｇｎｏｒｅ``), mathematical (``𝐈𝐠𝐧𝐨𝐫𝐞``), circled and similar letters and digits
    into plain ones, so a pattern or classifier written for ``Ignore`` sees it. ``casefold=True`` also
    case-folds (for consumers that compare without case). Characters are folded one at a time, so every
    character of the view maps to exactly one raw character and findings point at the raw text's span.
    """
    if text.isascii():
        return None
    out: list[str] = []
    starts: list[int] = []
    positions: list[Sequence[int]] = []
    n = 0
    changed = False

    def keep(piece: str, where: Sequence[int]) -> None:
        nonlocal n
        out.append(piece)
        starts.append(n)
        positions.append(where)
        n += len(piece)

    pos = 0
    for gap in [*_INVISIBLE_RUN.finditer(text), None]:
        a, b = (gap.span() if gap is not None else (len(text), len(text)))
        if a > pos:
            chunk = text[pos:a]
            folded = chunk.casefold() if casefold else chunk
            if folded == chunk and (chunk.isascii() or unicodedata.is_normalized("NFKC", chunk)):
                keep(chunk, range(pos, a))
            else:
                changed = True
                for k in range(pos, a):
                    ch = text[k]
                    piece = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
                    if casefold:
                        piece = piece.casefold()
                    if piece:
                        keep(piece, [k] * len(piece))
        if gap is not None:
            changed = True
        pos = b
    view = "".join(out)
    if not changed or view == text:
        return None
    if not starts:
        starts, positions = [0], [range(0)]
    return NormalView(view, OffsetMap(starts=starts, positions=positions, length=n))


# ---------------------------------------------------------------------------------------------------------
# Masking secrets: one helper for reasons, the audit log, error messages and logs

_MASK_SHOW = 4
_SECRET = re.compile(
    # credentials in a URL: scheme://user:password@host
    r"(?<=://)(?P<userinfo>[^\s/@:]+:[^\s/@]+)(?=@)"
    # a value after a secret-sounding name: password=..., "api_key": "...", Authorization: Bearer ...
    r"|(?P<name>(?i:(?:[a-z0-9]+[_-])*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|credentials?|auth(?:orization)?)[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|basic\s+)?|bearer\s+))"
    r"(?P<value>[^\s\"',;&]{4,})"
    # well-known key shapes, and any long token mixing letters with several digits
    r"|(?P<token>\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|(?:sk|pk|rk)-[A-Za-z0-9_\-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|xox[abprs]-[A-Za-z0-9\-]{10,}|AIza[0-9A-Za-z_\-]{30,}"
    r"|(?=(?:[A-Za-z_\-]*\d){4})(?=(?:[0-9_\-]*[A-Za-z]){4})[A-Za-z0-9_\-+/]{20,}={0,2}))"
)


def mask(secret: str) -> str:
    """A secret as reasons may show it: its first characters, then ``***``."""
    shown = excerpt(secret[:_MASK_SHOW], limit=_MASK_SHOW)[1:-1]
    return shown + "***"


def mask_secrets(text: str) -> str:
    """``text`` with credentials masked: URL user info, values of password/token/key-like names, and
    API-key-shaped tokens (long runs mixing letters and digits, known prefixes such as ``AKIA`` or ``sk-``)."""
    if len(text) < 12:
        return text

    def sub(m: re.Match[str]) -> str:
        if m.group("userinfo") is not None:
            return "***"
        if m.group("value") is not None:
            return m.group("name") + mask(m.group("value"))
        return mask(m.group(0))

    return _SECRET.sub(sub, text)
