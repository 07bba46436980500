"""LlamaFirewall's scanner base class, on ours."""

from __future__ import annotations

from typing import ClassVar

from ....scanners import base as _base

__all__ = ("Scanner",)


class Scanner(_base.Scanner):
    """A LlamaFirewall-style scanner: ``Scanner(scanner_name, block_threshold=1.0)``, ``async scan(message,
    past_trace)``.

    The decision a subclass returns stands as it is: the engine applies no score thresholds to it (that is
    LlamaFirewall's contract, where each scanner compares its score with its own ``block_threshold``). The
    engine still checks every result, and an exception or a status ERROR becomes the policy's ``on_error``
    decision (HUMAN_IN_THE_LOOP_REQUIRED by default), never an ALLOW.
    """

    _abstract = True
    default_hitl_threshold: ClassVar[float | None] = None
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False

    def __init__(self, scanner_name: str, block_threshold: float = 1.0) -> None:
        super().__init__(scanner_name, block_threshold)
        self.require_full_trace: bool = False
