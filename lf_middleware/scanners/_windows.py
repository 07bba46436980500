"""Overlapping token windows over a whole text, from a Rust (``tokenizers``) tokenizer's offsets.

One windowing for every PromptGuard backend that scores windows: the in-process transformers backend feeds a
window's token ids to its model; the remote backend sends the window's text (its character span) to a server.
Either way each window keeps the character span it covers, so a score points back into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ("TokenWindower", "Window", "special_affixes")

_SURROGATE = re.compile("[\ud800-\udfff]")
#: characters tokenised per piece of a long text (bounds the memory of tokenising 10 MB)
_TOKENIZE_CHUNK_CHARS = 65_536


@dataclass(frozen=True, slots=True)
class Window:
    text_index: int
    ids: list[int]  # special tokens included
    span: tuple[int, int]  # character offsets [start, end) in the text


def special_affixes(encoder: Any) -> tuple[list[int], list[int]]:
    """The special tokens a ``tokenizers.Tokenizer`` puts before and after a single text ([CLS] ... [SEP])."""
    bare = encoder.encode("a", add_special_tokens=False).ids
    full = encoder.encode("a", add_special_tokens=True).ids
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return list(full[:i]), list(full[i + len(bare) :])
    return [], []


class TokenWindower:
    """Splits texts into windows of at most ``window_tokens`` tokens (specials included), ``stride`` shared.

    ``encoder`` is a ``tokenizers.Tokenizer`` with truncation and padding off; ``encode_batch`` on it mutates
    no state, so one windower serves many threads.
    """

    def __init__(self, encoder: Any, *, prefix: list[int], suffix: list[int], window_tokens: int, stride: int) -> None:
        self.encoder = encoder
        self.prefix = list(prefix)
        self.suffix = list(suffix)
        self.body = window_tokens - len(self.prefix) - len(self.suffix)
        self.stride = stride

    def token_stream(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Token ids and character offsets of the whole text, tokenised in bounded pieces."""
        pieces: list[tuple[int, str]] = []
        start = 0
        while start < len(text):
            end = min(len(text), start + _TOKENIZE_CHUNK_CHARS)
            if end < len(text):  # cut at whitespace so no word is split between pieces
                cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
                if cut > start:
                    end = cut + 1
            # lone surrogates cannot be tokenised: U+FFFD keeps every offset where it was
            pieces.append((start, _SURROGATE.sub("\ufffd", text[start:end])))
            start = end
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        if not pieces:
            return ids, offsets
        encodings = self.encoder.encode_batch([p for _, p in pieces], add_special_tokens=False)
        for (base, _), encoding in zip(pieces, encodings, strict=True):
            ids.extend(encoding.ids)
            offsets.extend((base + a, base + b) for a, b in encoding.offsets)
        return ids, offsets

    def windows(self, text: str, text_index: int = 0) -> list[Window]:
        """The overlapping windows of a text (none for a text with no tokens)."""
        ids, offsets = self.token_stream(text)
        out: list[Window] = []
        n = len(ids)
        step = self.body - self.stride
        start = 0
        while start < n:
            end = min(n, start + self.body)
            out.append(Window(text_index, self.prefix + ids[start:end] + self.suffix, (offsets[start][0], offsets[end - 1][1])))
            if end == n:
                break
            start += step
        return out
