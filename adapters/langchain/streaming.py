"""Scan a streamed model response while it streams, and stop it at the first unsafe chunk.

:class:`StreamBuffer` accumulates the tokens of one model run and says when a boundary is reached: the end of
a sentence or line, the close of a code fence, or a token/character budget since the last check. At each
boundary the callback handlers scan the new text (with a small overlap into what was already checked, so a
pattern split across two windows is still seen) with the cheap, synchronous scanners, and raise
:class:`~lf_middleware.errors.GuardrailBlocked` on BLOCK. LangChain's ``stream()`` reports a chunk to the
callbacks before yielding it, so raising there means the unsafe chunk and everything after it never reach
the caller.

Only BLOCK stops a stream. A HUMAN_IN_THE_LOOP_REQUIRED verdict on a partial response is left to the full
scan at ``on_llm_end`` (which uses the handler's main engine and raises ``HumanApprovalRequired``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...engine import LlamaFirewall
from ...errors import ConfigurationError
from ...scanners.base import get_scanner_class
from ...types import Role

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ("DEFAULT_STREAM_SCANNERS", "StreamBuffer", "StreamPolicy", "build_stream_firewall")

logger = logging.getLogger(__name__)

#: cheap scanners used on partial output when none are named
DEFAULT_STREAM_SCANNERS: tuple[str, ...] = ("regex", "hidden_ascii")

_SENTENCE_ENDS = frozenset(".!?\n。！？;")
_FENCE = "```"


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamPolicy:
    """When to scan a growing response.

    Args:
        max_tokens: scan after this many tokens since the last scan, boundary or not.
        max_chars: scan after this many characters since the last scan, boundary or not.
        min_chars: do not scan at a sentence boundary before this many new characters (cuts scans of
            "Hi." fragments); fence closes and budgets ignore it.
        overlap: characters of already-scanned text included at the start of each window.
    """

    max_tokens: int = 32
    max_chars: int = 400
    min_chars: int = 16
    overlap: int = 160

    def __post_init__(self) -> None:
        for label in ("max_tokens", "max_chars"):
            if getattr(self, label) < 1:
                raise ConfigurationError(f"StreamPolicy.{label} must be at least 1, got {getattr(self, label)!r}")
        for label in ("min_chars", "overlap"):
            if getattr(self, label) < 0:
                raise ConfigurationError(f"StreamPolicy.{label} must be >= 0, got {getattr(self, label)!r}")


@dataclass(slots=True)
class StreamBuffer:
    """The text of one streamed run so far, and where the last scan stopped."""

    policy: StreamPolicy = field(default_factory=StreamPolicy)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    scanned_to: int = 0
    tokens_since: int = 0
    fences: int = 0
    _text: str = ""

    @property
    def text(self) -> str:
        if len(self._text) != self.length:
            self._text = "".join(self.parts)
        return self._text

    def feed(self, token: str) -> str | None:
        """Add ``token``; return the window to scan when a boundary was reached, else ``None``."""
        if not token:
            return None
        self.parts.append(token)
        self.length += len(token)
        self.tokens_since += 1
        new_chars = self.length - self.scanned_to
        boundary = False
        if "`" in token:  # a fence may also arrive split over tokens ("``" + "`")
            fences = self.text.count(_FENCE)
            if fences > self.fences:
                boundary = fences % 2 == 0  # a fence just closed
                self.fences = fences
        if not boundary:
            boundary = (
                self.tokens_since >= self.policy.max_tokens
                or new_chars >= self.policy.max_chars
                or (new_chars >= self.policy.min_chars and any(ch in _SENTENCE_ENDS for ch in token))
            )
        return self._take() if boundary else None

    def flush(self) -> str | None:
        """The unscanned tail at the end of the stream (``None`` when everything was scanned)."""
        return self._take() if self.length > self.scanned_to else None

    def _take(self) -> str:
        text = self.text
        start = max(0, self.scanned_to - self.policy.overlap)
        self.scanned_to = self.length
        self.tokens_since = 0
        return text[start:]


def token_text(token: object) -> str:
    """The text of an ``on_llm_new_token`` token: a str, or a list of content blocks (v1 output)."""
    if isinstance(token, str):
        return token
    if isinstance(token, list):
        out = []
        for block in token:
            if isinstance(block, str):
                out.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                out.append(block["text"])
        return "".join(out)
    return ""


def build_stream_firewall(scanners: Sequence[object] | None) -> LlamaFirewall | None:
    """An engine that runs ``scanners`` (default: regex + hidden_ascii) on ASSISTANT text.

    Returns ``None`` (stream scanning off, logged once) when the default scanners are not available in this
    installation; naming scanners that do not exist is a :class:`ConfigurationError`.
    """
    if scanners is None:
        names = []
        for name in DEFAULT_STREAM_SCANNERS:
            try:
                get_scanner_class(name)
            except ConfigurationError:
                continue
            names.append(name)
        if not names:
            logger.warning("streaming scan disabled: none of the default stream scanners %s is available; "
                           "pass stream_scanners=[...] to enable it", list(DEFAULT_STREAM_SCANNERS))
            return None
        return LlamaFirewall(scanners={Role.ASSISTANT: names})
    if not scanners:
        return None
    return LlamaFirewall(scanners={Role.ASSISTANT: list(scanners)})
