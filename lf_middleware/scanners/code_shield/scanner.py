"""CodeShieldScanner: static analysis of the code a model writes, before it runs or is committed.

Flow for a message (or a batch): extract code blocks (``extraction``), run the regex rules on each block
(bounded input), and send every block whose language has Semgrep rules to ONE Semgrep invocation with only
those languages' rule files (``runner``). Findings map to decisions by severity (error → BLOCK, warning →
HUMAN_IN_THE_LOOP_REQUIRED, info → ALLOW by default) and the reason tells a coding agent what to change.

A message without code never starts Semgrep. Input that is only partly analysed (over the size limits, binary,
a Semgrep timeout on one block) is never reported as a clean ALLOW: the decision is at least
HUMAN_IN_THE_LOOP_REQUIRED and the reason says what was not analysed. A Semgrep failure (missing, crashed,
timed out, unparsable output) gives status ERROR, so the policy's ``on_error`` applies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...errors import ConfigurationError, ScannerError
from ...types import Message, ScanDecision, ScanResult, ScanStatus, Trace, severity
from ..base import Scanner
from ._catalogue import SEVERITIES, Catalogue, catalogue, run_regex_rules
from .extraction import LANGUAGES, CodeBlock, extract_code, normalise_language, tool_call_blocks
from .runner import SemgrepReport, SemgrepRunner, SemgrepTarget

__all__ = ("CodeShieldScanner", "Finding")

logger = logging.getLogger(__name__)

_DEFAULT_DECISIONS = {
    "error": ScanDecision.BLOCK,
    "warning": ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED,
    "info": ScanDecision.ALLOW,
}
_SCORES = {"error": 1.0, "warning": 0.6, "info": 0.2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One issue: which rule, where, and what to do about it."""

    rule_id: str
    cwe: str
    severity: str
    language: str
    location: str
    line: int
    where: str
    message: str
    fix_hint: str
    engine: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "cwe": self.cwe, "severity": self.severity, "language": self.language,
            "location": self.location, "line": self.line, "where": self.where, "message": self.message, "fix_hint": self.fix_hint,
            "engine": self.engine,
        }


@dataclass(slots=True)
class _Plan:
    """What one message needs: its blocks, the regex findings so far, and what could not be analysed."""

    blocks: list[CodeBlock] = field(default_factory=list)
    first_index: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    semgrep_indices: list[int] = field(default_factory=list)
    error: str | None = None


class CodeShieldScanner(Scanner):
    """Semgrep + regex static analysis of code in model output (C, C++, C#, Java, JS/TS, PHP, Python, Rust).

    Args:
        severity_decisions: decision for each rule severity (``error``/``warning``/``info``).
        languages: analyse only these languages (default: all eight); blocks in other languages still get the
            language-independent rules (hard-coded secrets).
        timeout_s: wall-clock limit for one Semgrep invocation; the process is killed after it.
        semgrep_binary: path to ``semgrep-core`` (default: the one in the installed ``semgrep`` wheel).
        max_semgrep_bytes: most bytes of code sent to one Semgrep invocation; the rest gets regex rules only.
        max_input_chars: most characters of one message examined for code.
        max_regex_chars: most characters of one block the regex rules look at.
        disabled_rules: rule ids to switch off.
        use_semgrep: False runs the regex rules only (no subprocess at all).
        max_reasons: findings spelled out in the reason (all are in ``details['findings']``).
    """

    name: ClassVar[str] = "code_shield"
    default_hitl_threshold: ClassVar[float | None] = None
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False

    def __init__(
        self,
        *,
        severity_decisions: Mapping[str, ScanDecision | str] | None = None,
        languages: Iterable[str] | None = None,
        timeout_s: float = 20.0,
        semgrep_binary: str | None = None,
        max_semgrep_bytes: int = 1_000_000,
        max_input_chars: int = 2_000_000,
        max_regex_chars: int = 500_000,
        disabled_rules: Iterable[str] = (),
        use_semgrep: bool = True,
        max_reasons: int = 8,
    ) -> None:
        self.severity_decisions = self._decisions(severity_decisions)
        self.languages = self._languages(languages)
        if not timeout_s or timeout_s <= 0:
            raise ConfigurationError(f"timeout_s must be a positive number of seconds, got {timeout_s!r}")
        for label, value in (("max_semgrep_bytes", max_semgrep_bytes), ("max_input_chars", max_input_chars),
                             ("max_regex_chars", max_regex_chars), ("max_reasons", max_reasons)):
            if not isinstance(value, int) or value <= 0:
                raise ConfigurationError(f"{label} must be a positive integer, got {value!r}")
        self.catalogue: Catalogue = catalogue()
        unknown = sorted(set(disabled_rules) - set(self.catalogue.rules))
        if unknown:
            raise ConfigurationError(f"disabled_rules names unknown CodeShield rules: {unknown}")
        self.disabled_rules = frozenset(disabled_rules)
        self.max_semgrep_bytes = max_semgrep_bytes
        self.max_input_chars = max_input_chars
        self.max_regex_chars = max_regex_chars
        self.max_reasons = max_reasons
        self.use_semgrep = bool(use_semgrep)
        self.runner = SemgrepRunner(binary=semgrep_binary, timeout_s=timeout_s,
                                    max_target_bytes=max(max_semgrep_bytes, 1_000) + 64)

    # configuration ------------------------------------------------------------------------------------------
    @staticmethod
    def _decisions(given: Mapping[str, ScanDecision | str] | None) -> dict[str, ScanDecision]:
        decisions = dict(_DEFAULT_DECISIONS)
        for key, value in (given or {}).items():
            sev = str(key).lower()
            if sev not in SEVERITIES:
                raise ConfigurationError(f"severity_decisions: unknown severity {key!r}; use {list(SEVERITIES)}")
            try:
                decisions[sev] = ScanDecision(getattr(value, "value", value))
            except ValueError:
                raise ConfigurationError(
                    f"severity_decisions[{key!r}]: {value!r} is not a decision; use "
                    f"{[d.value for d in ScanDecision]}"
                ) from None
        return decisions

    @staticmethod
    def _languages(given: Iterable[str] | None) -> frozenset[str] | None:
        if given is None:
            return None
        if isinstance(given, str):
            given = [given]
        out = set()
        for item in given:
            lang = normalise_language(str(item))
            if lang is None:
                raise ConfigurationError(
                    f"languages: {item!r} is not supported; use c, cpp, csharp, java, javascript, typescript, "
                    "php, python or rust"
                )
            out.add(lang)
            if lang == "javascript":
                out.add("typescript")
        return frozenset(out)

    # planning (pure) ----------------------------------------------------------------------------------------
    def _plan(self, message: Message, start: int) -> _Plan:
        plan = _Plan(first_index=start)
        content = getattr(message, "content", "")
        if not isinstance(content, str):
            plan.error = f"message content must be text, got {type(content).__name__}"
            return plan
        extraction = extract_code(content, max_chars=self.max_input_chars)
        plan.notes.extend(extraction.notes)
        blocks = list(extraction.blocks)
        calls = getattr(message, "tool_calls", None)
        if calls:
            blocks.extend(tool_call_blocks(calls, start=len(blocks)))
        for block in blocks:
            if block.language is not None and self.languages is not None and block.language not in self.languages:
                block = _without_language(block)
            plan.blocks.append(block)
            self._regex(plan, block)
        return plan

    def _regex(self, plan: _Plan, block: CodeBlock) -> None:
        code = block.code
        if len(code) > self.max_regex_chars:
            plan.notes.append(
                f"{block.location}: only the first {self.max_regex_chars:,} of {len(code):,} characters were checked "
                "by the regex rules"
            )
            code = code[: self.max_regex_chars]
        # a line of code whose language cannot be told gets every language's rules (as LlamaFirewall does)
        languages = (None, *LANGUAGES) if block.language is None and block.source == "line" else (block.language,)
        seen: set[tuple[str, int]] = set()
        for language in languages:
            for info, line in run_regex_rules(code, language, self.catalogue, self.disabled_rules):
                if block.counts(line) and (info.id, line) not in seen:
                    seen.add((info.id, line))
                    plan.findings.append(self._finding(info.id, block, line))

    def _finding(self, rule_id: str, block: CodeBlock, line: int) -> Finding:
        info = self.catalogue.rules[rule_id]
        return Finding(
            rule_id=info.id, cwe=info.cwe, severity=info.severity, language=block.language or "unknown",
            location=block.location, line=block.report_line(line), where=block.where(line), message=info.message,
            fix_hint=info.fix_hint, engine=info.engine,
        )

    def _targets(self, plans: Sequence[_Plan]) -> tuple[list[SemgrepTarget], set[str]]:
        """Blocks that go to Semgrep (within the byte budget) and their languages."""
        targets: list[SemgrepTarget] = []
        languages: set[str] = set()
        budget = self.max_semgrep_bytes
        for plan in plans:
            if plan.error is not None:
                continue
            for offset, block in enumerate(plan.blocks):
                if block.language is None or not self.catalogue.semgrep_config_for({block.language}):
                    continue
                size = len(block.code.encode("utf-8", errors="surrogatepass"))
                if size > budget:
                    plan.notes.append(
                        f"{block.location} ({size:,} bytes) was not analysed by Semgrep: over the "
                        f"max_semgrep_bytes limit ({self.max_semgrep_bytes:,}); only regex rules ran on it"
                    )
                    continue
                budget -= size
                index = plan.first_index + offset
                plan.semgrep_indices.append(index)
                targets.append(SemgrepTarget(index=index, language=block.language, code=block.code))
                languages.add(block.language)
        return targets, languages

    # judging (pure) -----------------------------------------------------------------------------------------
    def _judge(self, plan: _Plan, report: SemgrepReport | None, failure: str | None) -> ScanResult:
        if plan.error is not None:
            return self.result(status=ScanStatus.ERROR, reason=f"CodeShield could not scan: {plan.error}",
                               decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED)
        findings = list(plan.findings)
        notes = list(plan.notes)
        parse_errors = 0
        if report is not None and plan.semgrep_indices:
            mine = set(plan.semgrep_indices)
            for f in report.findings:
                if f.index not in mine or f.rule_id in self.disabled_rules or f.rule_id not in self.catalogue.rules:
                    continue
                block = plan.blocks[f.index - plan.first_index]
                if block.counts(f.line):
                    findings.append(self._finding(f.rule_id, block, f.line))
            for index in sorted(report.incomplete & mine):
                notes.append(f"{plan.blocks[index - plan.first_index].location}: Semgrep did not finish or skipped it")
            parse_errors = len(report.parse_errors & mine)
        findings = _dedupe(findings)
        decision = ScanDecision.ALLOW
        for f in findings:
            d = self.severity_decisions[f.severity]
            if severity(d) > severity(decision):
                decision = d
        score = max((_SCORES[f.severity] for f in findings if self.severity_decisions[f.severity] is not ScanDecision.ALLOW),
                    default=0.0)
        status = ScanStatus.SUCCESS
        if failure is not None and plan.semgrep_indices:
            notes.append(f"Semgrep failed, only the regex rules ran: {failure}")
            if decision is not ScanDecision.BLOCK:
                status = ScanStatus.ERROR  # the policy's on_error applies; never a silent ALLOW
        if notes and severity(decision) < severity(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED):
            decision = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED  # partial analysis is never a clean ALLOW
            score = max(score, 0.5)
        languages = sorted({b.language for b in plan.blocks if b.language})
        reason = self._reason(findings, notes, decision, len(plan.blocks))
        return self.result(
            score=score, reason=reason, decision=decision, status=status,
            findings=[f.to_dict() for f in findings], blocks=len(plan.blocks), languages=languages,
            not_analysed=notes, semgrep_blocks=len(plan.semgrep_indices), parse_errors=parse_errors,
            semgrep_ms=round(report.elapsed_ms, 1) if report is not None and plan.semgrep_indices else 0.0,
        )

    def _reason(self, findings: list[Finding], notes: list[str], decision: ScanDecision, blocks: int) -> str:
        if not blocks and not notes:
            return "no code found"
        parts: list[str] = []
        shown = [f for f in findings if self.severity_decisions[f.severity] is not ScanDecision.ALLOW] or findings
        if findings:
            verdict = {ScanDecision.BLOCK: "must be fixed", ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED: "needs review"}
            head = f"CodeShield found {len(findings)} issue{'s' if len(findings) != 1 else ''} in the code"
            if decision in verdict:
                head += f" ({verdict[decision]}). Rewrite the code as follows and submit it again:"
            else:
                head += " (informational):"
            parts.append(head)
            for f in shown[: self.max_reasons]:
                parts.append(
                    f"- {f.rule_id} ({f.cwe}, {f.severity}, {f.language}, {f.where}): {f.message}. "
                    f"Fix: {f.fix_hint}"
                )
            if len(shown) > self.max_reasons:
                parts.append(f"- ... and {len(shown) - self.max_reasons} more (see details['findings'])")
        else:
            parts.append(f"no issues found in {blocks} code block{'s' if blocks != 1 else ''}")
        if notes:
            parts.append("Not fully analysed (a human should review): " + "; ".join(notes[:5]))
        return "\n".join(parts)

    # I/O twins ------------------------------------------------------------------------------------------------
    def _prepare(self, messages: Sequence[Message]) -> tuple[list[_Plan], list[SemgrepTarget], list]:
        plans: list[_Plan] = []
        start = 0
        for message in messages:
            plan = self._plan(message, start)
            start += len(plan.blocks)
            plans.append(plan)
        if not self.use_semgrep:
            return plans, [], []
        targets, languages = self._targets(plans)
        return plans, targets, self.catalogue.semgrep_config_for(languages)

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        """Scan one message; runs Semgrep (if code needs it) as a blocking subprocess."""
        return self.scan_batch_sync([message])[0]

    def scan_batch_sync(self, messages: Sequence[Message]) -> list[ScanResult]:
        """Synchronous twin of :meth:`scan_batch`: all blocks of all messages in one Semgrep run."""
        plans, targets, configs = self._prepare(messages)
        report, failure = None, None
        if targets:
            try:
                report = self.runner.run(targets, configs)
            except ScannerError as err:
                failure = str(err)
                logger.warning("code_shield: Semgrep failed for %d blocks: %s", len(targets), failure)
        return [self._judge(p, report, failure) for p in plans]

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        return (await self.scan_batch([message]))[0]

    async def scan_batch(
        self, messages: Sequence[Message], past_traces: Sequence[Trace | None] | None = None
    ) -> list[ScanResult]:
        """Scan many messages with ONE Semgrep invocation for all their code blocks."""
        plans, targets, configs = self._prepare(messages)
        report, failure = None, None
        if targets:
            try:
                report = await self.runner.run_async(targets, configs)
            except ScannerError as err:
                failure = str(err)
                logger.warning("code_shield: Semgrep failed for %d blocks: %s", len(targets), failure)
        return [self._judge(p, report, failure) for p in plans]


def _without_language(block: CodeBlock) -> CodeBlock:
    return CodeBlock(code=block.code, language=None, label=block.label, source=block.source,
                     line_map=block.line_map, judged=block.judged, path=block.path, tagged=False)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (location, line, CWE): the most severe one (Semgrep and regex may both see it)."""
    best: dict[tuple[str, int, str], Finding] = {}
    for f in findings:
        key = (f.location, f.line, f.cwe)
        cur = best.get(key)
        if cur is None or SEVERITIES.index(f.severity) > SEVERITIES.index(cur.severity):
            best[key] = f
    return sorted(best.values(), key=lambda f: (-SEVERITIES.index(f.severity), f.location, f.line, f.rule_id))
