"""LlamaFirewall's ``PromptGuardScanner``: BLOCK at or above ``block_threshold`` (0.9), else ALLOW.

The reason gives the probability but never the scanned text (LlamaFirewall appends the full text).
"""

from __future__ import annotations

import asyncio

from ....types import Message, ScanDecision, ScanResult, Trace
from .base_scanner import Scanner
from .promptguard_utils import PromptGuard

__all__ = ("PromptGuardScanner",)


class PromptGuardScanner(Scanner):
    ALLOW_REASON = "No prompt injection detected"

    def __init__(self, block_threshold: float = 0.9) -> None:
        super().__init__(scanner_name="Prompt Guard Scanner", block_threshold=block_threshold)
        self.pg = PromptGuard()

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        score = float(await asyncio.to_thread(self.pg.get_jailbreak_score, text=message.content))
        if score >= self.block_threshold:
            reason = f"Received text is likely to be a prompt injection attack, with a probability of {score}."
            return self.result(score=score, reason=reason, decision=ScanDecision.BLOCK)
        return self.result(score=score, reason=self.ALLOW_REASON)

    def close(self) -> None:
        scanner = getattr(self.pg, "model", None)
        if scanner is not None and hasattr(scanner, "close"):
            scanner.close()
