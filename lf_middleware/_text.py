"""Small text helpers shared by scanners: safe excerpts and content hashes for reasons and logs."""

from __future__ import annotations

import hashlib

__all__ = ("content_hash", "excerpt", "safe_utf8")


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
