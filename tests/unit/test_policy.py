"""The policy table: thresholds, asserted decisions, on_error, SKIPPED, presets per role, aggregation."""

from __future__ import annotations

import pytest

from lf_middleware.policy import PRESETS, ScannerPolicy, aggregate, default_policy, empty_result
from lf_middleware.scanners.base import Scanner
from lf_middleware.scanners.hidden_ascii import HiddenASCIIScanner
from lf_middleware.scanners.regex import RegexScanner
from lf_middleware.types import Role, ScanDecision, ScanResult, ScanStatus

A, H, B = ScanDecision.ALLOW, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, ScanDecision.BLOCK
OK, ERR, SKIP = ScanStatus.SUCCESS, ScanStatus.ERROR, ScanStatus.SKIPPED


def res(score: float = 0.0, decision: ScanDecision = A, status: ScanStatus = OK, scanner: str = "s",
        reason: str = "r") -> ScanResult:
    return ScanResult(score=score, decision=decision, status=status, scanner=scanner, reason=reason)


# (hitl, block, score, asserted decision, status, on_error) -> expected decision
TABLE = [
    (0.5, 0.9, 0.0, A, OK, H, A),
    (0.5, 0.9, 0.49, A, OK, H, A),
    (0.5, 0.9, 0.5, A, OK, H, H),   # at the hitl threshold
    (0.5, 0.9, 0.89, A, OK, H, H),
    (0.5, 0.9, 0.9, A, OK, H, B),   # at the block threshold
    (0.5, 0.9, 1.0, A, OK, H, B),
    (0.5, None, 1.0, A, OK, H, H),  # block level disabled
    (None, 0.9, 0.6, A, OK, H, A),  # hitl level disabled
    (None, None, 1.0, A, OK, H, A),  # no thresholds: the score alone never decides
    (None, None, 0.0, B, OK, H, B),  # ... but an asserted decision does
    (None, None, 0.0, H, OK, H, H),
    (0.5, 0.9, 0.95, H, OK, H, B),  # the more severe of asserted and score
    (0.5, 0.9, 0.1, B, OK, H, B),
    (0.5, 0.9, 0.0, A, ERR, H, H),  # error -> on_error (default HITL)
    (0.5, 0.9, 0.0, A, ERR, B, B),
    (0.5, 0.9, 0.99, B, ERR, H, H),  # error ignores score and asserted decision
    (0.5, 0.9, 0.0, A, ERR, A, A),  # only an explicit on_error=allow lets an error through
    (0.5, 0.9, 0.99, B, SKIP, H, A),  # skipped -> allow
]


@pytest.mark.parametrize(("hitl", "block", "score", "asserted", "status", "on_error", "expected"), TABLE)
def test_policy_table(hitl, block, score, asserted, status, on_error, expected):
    policy = ScannerPolicy(hitl_threshold=hitl, block_threshold=block, on_error=on_error)
    out = policy.apply(res(score, asserted, status))
    assert out.decision is expected
    assert out.status is status
    assert out.score == score


def test_threshold_crossing_is_explained_in_reason():
    out = ScannerPolicy(hitl_threshold=0.5, block_threshold=0.9).apply(res(0.93, reason="injection score"))
    assert out.decision is B
    assert "block_threshold" in out.reason and out.reason.startswith("injection score")


def test_default_on_error_is_hitl_never_allow():
    assert ScannerPolicy().on_error is H


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"hitl_threshold": 1.5}, "between 0 and 1"), ({"block_threshold": -0.1}, "between 0 and 1"),
     ({"hitl_threshold": 0.9, "block_threshold": 0.5}, "must not exceed")],
)
def test_bad_thresholds(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ScannerPolicy(**kwargs)


class _Classifier(Scanner):
    name = "fake_classifier"

    async def scan(self, message, past_trace=None):  # pragma: no cover - never run here
        return ScanResult()


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_shift_score_based_scanners(preset):
    hitl, block = PRESETS[preset]
    assert default_policy(_Classifier, preset=preset, role=Role.USER) == ScannerPolicy(
        hitl_threshold=hitl, block_threshold=block)


def test_presets_order_strict_to_permissive():
    assert PRESETS["strict"][0] < PRESETS["balanced"][0] < PRESETS["permissive"][0]
    assert PRESETS["strict"][1] < PRESETS["balanced"][1] < PRESETS["permissive"][1]


@pytest.mark.parametrize("role", [Role.TOOL, Role.MEMORY])
def test_data_roles_escalate_instead_of_blocking_except_strict(role):
    assert default_policy(_Classifier, preset="balanced", role=role).block_threshold is None
    assert default_policy(_Classifier, preset="permissive", role=role).block_threshold is None
    assert default_policy(_Classifier, preset="strict", role=role).block_threshold == PRESETS["strict"][1]


@pytest.mark.parametrize("cls", [RegexScanner, HiddenASCIIScanner])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_rule_scanners_are_not_shifted_by_presets(cls, preset):
    policy = default_policy(cls, preset=preset, role=Role.USER)
    assert policy.hitl_threshold is None and policy.block_threshold is None


def test_unknown_preset():
    with pytest.raises(ValueError, match="unknown preset"):
        default_policy(_Classifier, preset="paranoid")


# aggregation -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("decisions", "expected"),
    [([A, A], A), ([A, H], H), ([H, A], H), ([H, B], B), ([B, A, H], B), ([A], A)],
)
def test_aggregate_most_severe_wins_regardless_of_order(decisions, expected):
    results = [res(0.1 * i, d, scanner=f"s{i}") for i, d in enumerate(decisions)]
    assert aggregate(results).decision is expected
    assert aggregate(list(reversed(results))).decision is expected


def test_aggregate_is_by_severity_not_by_score():
    # a high-score ALLOW does not outrank a low-score BLOCK (LlamaFirewall's sync path picks the top score)
    results = [res(0.99, A, scanner="classifier"), res(0.1, B, scanner="regex", reason="secret")]
    out = aggregate(results)
    assert out.decision is B
    assert out.score == 0.99  # score is the maximum
    assert out.reason == "regex: secret"
    assert out.results == tuple(results)
    assert out.scanner == "classifier+regex"


def test_aggregate_error_status_propagates_with_its_decision():
    out = aggregate([res(0.0, A, scanner="a"), res(0.0, H, ERR, scanner="b", reason="scanner failed: boom")])
    assert out.status is ERR and out.decision is H
    assert "b: scanner failed: boom" in out.reason


def test_aggregate_all_skipped_is_skipped_and_says_so():
    out = aggregate([res(status=SKIP, scanner="a", reason="no code found")])
    assert out.status is SKIP and out.decision is A
    assert "no code found" in out.reason


def test_aggregate_allow_reason_names_scanners():
    out = aggregate([res(scanner="regex"), res(scanner="hidden_ascii")])
    assert out.reason == "allowed by regex, hidden_ascii"


def test_aggregate_needs_results():
    with pytest.raises(ValueError):
        aggregate([])


def test_empty_result_is_skipped_not_clean_allow():
    out = empty_result(Role.TOOL)
    assert out.status is SKIP
    assert "no scanners are configured for role 'tool'" in out.reason
