"""The policy: per-scanner thresholds and error handling, and aggregation. Pure and deterministic.

For one scanner's result:
  * status ERROR   -> the scanner's ``on_error`` decision (default HUMAN_IN_THE_LOOP_REQUIRED); never ALLOW
                      unless the configuration says so explicitly.
  * status SKIPPED -> ALLOW (the scanner did not apply); the aggregate still reports SKIPPED if nothing ran.
  * otherwise      -> score >= block_threshold: BLOCK; score >= hitl_threshold: HUMAN_IN_THE_LOOP_REQUIRED;
                      else ALLOW; then the more severe of that and any decision the scanner asserted itself.

Aggregation over a message's scanners: the most severe decision wins (BLOCK > HITL > ALLOW), the score is the
maximum, each scanner's result is kept in ``results``. The sync and async engine paths both call this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .types import Role, ScanDecision, ScanResult, ScanStatus, _build_result, severity

__all__ = ("PRESETS", "Preset", "ScannerPolicy", "aggregate", "default_policy", "empty_result")

Preset = Literal["strict", "balanced", "permissive"]
"""Sensitivity presets: how readily score-based scanners escalate. ``balanced`` is the default."""

#: (hitl_threshold, block_threshold) for score-based scanners on user/system/assistant messages
PRESETS: dict[str, tuple[float | None, float | None]] = {
    "strict": (0.3, 0.7),
    "balanced": (0.5, 0.9),
    "permissive": (0.8, 0.97),
}

# Roles whose content is third-party data rather than an instruction: a classifier there escalates to a human
# instead of blocking, except under the strict preset.
_DATA_ROLES = frozenset({Role.TOOL, Role.MEMORY})


@dataclass(frozen=True, slots=True, kw_only=True)
class ScannerPolicy:
    hitl_threshold: float | None = 0.5
    block_threshold: float | None = 0.9
    on_error: ScanDecision = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED

    def __post_init__(self) -> None:
        for label, value in (("hitl_threshold", self.hitl_threshold), ("block_threshold", self.block_threshold)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValueError(f"{label} must be a number between 0 and 1 (or None to disable), got {value!r}")
            if value is not None and not (0.0 <= value <= 1.0):
                raise ValueError(f"{label} must be between 0 and 1 (or None to disable), got {value!r}")
        if type(self.on_error) is not ScanDecision:  # "block" as a plain string would break severity and to_dict
            try:
                object.__setattr__(self, "on_error", ScanDecision(getattr(self.on_error, "value", self.on_error)))
            except ValueError:
                raise ValueError(
                    f"on_error must be one of {', '.join(d.value for d in ScanDecision)}, got {self.on_error!r}"
                ) from None
        if (
            self.hitl_threshold is not None
            and self.block_threshold is not None
            and self.hitl_threshold > self.block_threshold
        ):
            raise ValueError(
                f"hitl_threshold ({self.hitl_threshold}) must not exceed block_threshold ({self.block_threshold})"
            )

    def decide_score(self, score: float) -> ScanDecision:
        if self.block_threshold is not None and score >= self.block_threshold:
            return ScanDecision.BLOCK
        if self.hitl_threshold is not None and score >= self.hitl_threshold:
            return ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
        return ScanDecision.ALLOW

    def apply(self, result: ScanResult) -> ScanResult:
        """Return ``result`` with its final decision under this policy."""
        if result.status is ScanStatus.ERROR:
            return replace(result, decision=self.on_error)
        if result.status is ScanStatus.SKIPPED:
            return replace(result, decision=ScanDecision.ALLOW)
        by_score = self.decide_score(result.score)
        asserted = result.decision
        if severity(asserted) >= severity(by_score):
            return result
        if by_score is ScanDecision.BLOCK:
            why = f"score {result.score:.2f} >= block_threshold {self.block_threshold:.2f}"
        else:
            why = f"score {result.score:.2f} >= hitl_threshold {self.hitl_threshold:.2f}"
        reason = f"{result.reason} ({why})" if result.reason else why
        return replace(result, decision=by_score, reason=reason)


def default_policy(
    scanner_cls: type,
    *,
    preset: str = "balanced",
    role: Role | None = None,
) -> ScannerPolicy:
    """Thresholds a scanner gets when the configuration names none."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}")
    hitl = getattr(scanner_cls, "default_hitl_threshold", 0.5)
    block = getattr(scanner_cls, "default_block_threshold", 0.9)
    if getattr(scanner_cls, "score_based", True):
        hitl, block = PRESETS[preset]
        if role in _DATA_ROLES and preset != "strict":
            block = None
    return ScannerPolicy(hitl_threshold=hitl, block_threshold=block)


def empty_result(role: Role) -> ScanResult:
    """The result for a role with no scanners: ALLOW, but status SKIPPED and a reason that says why."""
    return ScanResult(
        decision=ScanDecision.ALLOW,
        status=ScanStatus.SKIPPED,
        reason=f"no scanners are configured for role '{role.value}'; nothing was checked",
    )


def aggregate(results: Sequence[ScanResult], *, latency_ms: float = 0.0) -> ScanResult:
    """Combine per-scanner results (already passed through their policies) into one."""
    if not results:
        raise ValueError("aggregate() needs at least one result")
    if len(results) == 1:  # the common single-scanner pipeline: same outcome as below, without the loops
        return aggregate_one(results[0], latency_ms)
    worst = max(results, key=lambda r: severity(r.decision))
    decision = worst.decision
    score = max(float(r.score) for r in results)
    statuses = {r.status for r in results}
    if ScanStatus.ERROR in statuses:
        status = ScanStatus.ERROR
    elif ScanStatus.SUCCESS in statuses:
        status = ScanStatus.SUCCESS
    else:
        status = ScanStatus.SKIPPED
    if decision is ScanDecision.ALLOW:
        parts = [f"{r.scanner}: {r.reason}" for r in results if r.status is not ScanStatus.SUCCESS and r.reason]
        names = ", ".join(r.scanner for r in results if r.status is ScanStatus.SUCCESS)
        reason = "; ".join(([f"allowed by {names}"] if names else []) + parts)
    else:
        reason = "; ".join(
            f"{r.scanner}: {r.reason}" if r.scanner else r.reason
            for r in results
            if r.decision is not ScanDecision.ALLOW
        )
    return ScanResult(
        decision=decision,
        reason=reason,
        score=score,
        status=status,
        scanner="+".join(r.scanner for r in results),
        latency_ms=latency_ms,
        results=tuple(results),
    )


def aggregate_one(r: ScanResult, latency_ms: float) -> ScanResult:
    """``aggregate([r])``, for the engine's single-scanner hot path."""
    if r.decision is ScanDecision.ALLOW:
        if r.status is ScanStatus.SUCCESS:
            reason = f"allowed by {r.scanner}" if r.scanner else ""
        else:
            reason = f"{r.scanner}: {r.reason}" if r.reason else ""
    else:
        reason = f"{r.scanner}: {r.reason}" if r.scanner else r.reason
    return _build_result(r.decision, reason, float(r.score), r.status, r.scanner, latency_ms, (r,), {})
