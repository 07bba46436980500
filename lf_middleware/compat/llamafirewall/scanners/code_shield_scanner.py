"""LlamaFirewall's ``CodeShieldScanner``: our ``code_shield`` scanner with LlamaFirewall's verdicts.

LlamaFirewall blocks on any issue its insecure-code detector reports, so here every finding of severity
``warning`` or ``error`` BLOCKs (score 1.0) and the reason lists the issues as LlamaFirewall words them
(``N unsafe function call detected:``). Partial analysis and Semgrep failures keep our meaning: never a
clean ALLOW.
"""

from __future__ import annotations

from typing import Any

from ....scanners.code_shield import CodeShieldScanner as _CodeShield
from ....types import Message, ScanDecision, ScanResult, ScanStatus, Trace
from .base_scanner import Scanner

__all__ = ("CodeShieldScanner",)


def _issue_line(finding: dict[str, Any]) -> str:
    line = f"- {finding.get('message', finding.get('rule_id', 'issue'))}"
    cwe = str(finding.get("cwe") or "")
    if cwe:
        line += f" ({cwe if cwe.upper().startswith('CWE-') else 'CWE-' + cwe})"
    if finding.get("line"):
        line += f" at line {finding['line']}"
    if finding.get("severity"):
        line += f" [Severity: {finding['severity']}]"
    return line


class CodeShieldScanner(Scanner):
    ALLOW_REASON = "No unsafe function call detected"

    def __init__(self) -> None:
        super().__init__("Code Shield Scanner", 1.0)
        self._analyser = _CodeShield(severity_decisions={"warning": ScanDecision.BLOCK})

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        found = await self._analyser.scan(message, past_trace)
        if found.status is not ScanStatus.SUCCESS or found.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED:
            return self.result(score=found.score, reason=found.reason, decision=found.decision,
                               status=found.status, **found.details)
        if found.decision is ScanDecision.ALLOW:
            return self.result(reason=self.ALLOW_REASON, **found.details)
        issues = [f for f in found.details.get("findings", ()) if f.get("severity") in ("warning", "error")]
        reason = f"{len(issues)} unsafe function call detected:\n" + "\n".join(_issue_line(f) for f in issues)
        return self.result(score=1.0, reason=reason, decision=ScanDecision.BLOCK, **found.details)

    def close(self) -> None:
        self._analyser.close()
