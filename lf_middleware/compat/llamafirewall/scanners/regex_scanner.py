"""LlamaFirewall's ``RegexScanner``: our ``regex`` scanner with the ``llamafirewall_default`` pack, reporting
matches in LlamaFirewall's words (``Regex match: Email address``)."""

from __future__ import annotations

from ....scanners import regex as _regex
from ....types import Message, ScanDecision, ScanResult, ScanStatus, Trace
from .base_scanner import Scanner

__all__ = ("RegexScanner",)

#: our pattern names -> LlamaFirewall's, in LlamaFirewall's order (the first one that matched is reported)
_LABELS = {
    "prompt_injection": "Prompt injection",
    "email": "Email address",
    "phone_number": "Phone number",
    "credit_card": "Credit card",
    "ssn": "Social security number",
}


class RegexScanner(Scanner):
    """Prompt-injection phrases, e-mail, phone, card and SSN patterns; any match BLOCKs (score 1.0)."""

    ALLOW_REASON = "No regex patterns matched"

    def __init__(self, scanner_name: str = "Regex Scanner", block_threshold: float = 1.0) -> None:
        super().__init__(scanner_name, block_threshold)
        self._patterns = _regex.RegexScanner(packs=["llamafirewall_default"], max_reported=100)

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        found = self._patterns.scan_sync(message, past_trace)
        if found.decision is ScanDecision.ALLOW and found.status is ScanStatus.SUCCESS:
            return self.result(reason=self.ALLOW_REASON)
        names = {m["name"] for m in found.details.get("matches", ())}
        label = next((lab for name, lab in _LABELS.items() if name in names), "pattern")
        return self.result(score=found.score, reason=f"Regex match: {label}", decision=found.decision,
                           status=found.status, **found.details)
