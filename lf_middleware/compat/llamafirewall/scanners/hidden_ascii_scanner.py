"""LlamaFirewall's ``HiddenASCIIScanner``: our ``hidden_ascii`` scanner, reasons worded as LlamaFirewall's.

Unicode tag characters BLOCK, as in LlamaFirewall. Ours also reports what LlamaFirewall does not look for
(variation-selector smuggling and bidi overrides BLOCK; zero-width characters and bidi isolates need a human).
"""

from __future__ import annotations

from ....scanners import hidden_ascii as _hidden
from ....types import Message, ScanDecision, ScanResult, ScanStatus, Trace
from .base_scanner import Scanner

__all__ = ("HiddenASCIIScanner",)


class HiddenASCIIScanner(Scanner):
    ALLOW_REASON = "No hidden ASCII detected"

    def __init__(self, scanner_name: str = "Hidden ASCII Scanner", block_threshold: float = 1.0) -> None:
        super().__init__(scanner_name, block_threshold)
        self._detector = _hidden.HiddenASCIIScanner()

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        found = self._detector.scan_sync(message, past_trace)
        if found.decision is ScanDecision.ALLOW and found.status is ScanStatus.SUCCESS:
            return self.result(reason=self.ALLOW_REASON)
        return self.result(score=found.score, reason=f"Hidden ASCII: {found.reason}", decision=found.decision,
                           status=found.status, **found.details)
