"""The contract between the PromptGuard scanner and the classifiers behind it.

A backend turns texts into malicious-class probabilities. It does its own tokenisation and windowing (a
transformers sequence classifier uses overlapping 512-token windows; the embedded offline default uses its
own), so the scanner stays the same whichever model runs. Backends are blocking and thread-safe; the scanner
calls them off the event loop and batches for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ("ClassifierBackend", "TextScore")


@dataclass(frozen=True, slots=True)
class TextScore:
    """A text's score: the maximum over its windows, and where that window lies."""

    score: float  # malicious probability in [0, 1]
    span: tuple[int, int]  # character offsets [start, end) of the window that scored ``score``
    windows: int  # how many windows were scored
    label: str | None = None  # the winning malicious label, for multi-label heads (e.g. "jailbreak")


@runtime_checkable
class ClassifierBackend(Protocol):
    #: a short, log-safe identifier: a hub id, a folder name, or "offline-default"
    name: str

    def score_texts(self, texts: Sequence[str]) -> list[TextScore]:
        """Score every text, batching internally; one result per text, in order. Empty text scores 0."""
        ...
