"""lf_middleware.guard: the pure protocol every adapter follows (no framework imported)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from lf_middleware import LlamaFirewall, Role
from lf_middleware.guard import (
    Forward,
    Guard,
    GuardConfig,
    Outcome,
    apply_decisions,
    call_key,
    is_injection,
    judge_calls,
    message_fingerprint,
    new_session,
    normalize_call,
    rule_verdicts,
    session_update,
)
from lf_middleware.rule_of_two import RuleOfTwo
from lf_middleware.types import ScanDecision, ScanResult, ScanStatus, UserMessage

CALL = {"name": "send", "args": {"to": "a", "n": [1, 2]}, "id": "c1"}


def _scan(decision: ScanDecision = ScanDecision.ALLOW, **details: Any) -> ScanResult:
    return ScanResult(decision=decision, scanner="regex", reason="r", details=details,
                      results=(ScanResult(decision=decision, scanner="regex", reason="r", details=details),))


def test_the_core_imports_no_framework() -> None:
    code = ("import sys, lf_middleware.guard, lf_middleware.replay; "
            "print([m for m in ('langgraph', 'langchain_core', 'langchain') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(("shape", "expected"), [
    ({"name": "f", "args": {"a": 1}, "id": "x"}, {"name": "f", "args": {"a": 1}, "id": "x"}),
    ({"id": "x", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}},
     {"name": "f", "args": {"a": 1}, "id": "x"}),
    ({"function": "f", "args": {"a": 1}}, {"name": "f", "args": {"a": 1}, "id": ""}),
])
def test_tool_calls_of_every_shape_normalise_alike(shape: dict, expected: dict) -> None:
    assert normalize_call(shape) == expected


@pytest.mark.parametrize("bad", [{"args": {}}, {"name": "f", "args": "[1]"}, {"name": "f", "args": "{no"}, "x"])
def test_a_malformed_call_is_named(bad: Any) -> None:
    with pytest.raises(ValueError, match="tool call"):
        normalize_call(bad)


def test_call_key_binds_id_name_and_canonical_arguments() -> None:
    same = {"id": "c1", "name": "send", "args": {"n": [1, 2], "to": "a"}}  # other key order
    assert call_key(CALL) == call_key(same)
    assert call_key(CALL) != call_key({**CALL, "args": {"to": "b", "n": [1, 2]}})
    assert call_key(CALL) != call_key({**CALL, "id": "c2"})


def test_an_approval_counts_only_for_the_exact_call() -> None:
    rule = RuleOfTwo(config={"tools": {"send": ["A", "B", "C"]}})
    ask = judge_calls(new_session(), [CALL], [_scan()], rule_verdicts(new_session(), [CALL], rule))
    assert ask[0].action == "ask"
    done, session = apply_decisions(new_session(), ask, [{"type": "approve", "reviewer": "ann"}])
    assert done[0].action == "allow" and done[0].approved_by == "human:ann"
    again = judge_calls(session, [CALL], [_scan()], rule_verdicts(session, [CALL], rule))
    assert again[0].action == "allow"
    other = {**CALL, "args": {"to": "evil"}}
    assert judge_calls(session, [other], [_scan()], rule_verdicts(session, [other], rule))[0].action == "ask"


def test_rejections_count_per_exact_call_and_stop_asking() -> None:
    rule = RuleOfTwo(config={"tools": {"send": ["A", "B", "C"]}})
    session = new_session()
    for _ in range(2):
        ask = judge_calls(session, [CALL], [_scan()], rule_verdicts(session, [CALL], rule))
        assert ask[0].action == "ask"
        out, session = apply_decisions(session, ask, [{"type": "reject"}])
        assert out[0].action == "block"
    final = judge_calls(session, [CALL], [_scan()], rule_verdicts(session, [CALL], rule))
    assert final[0].action == "block" and "already rejected" in final[0].text
    assert GuardConfig().max_rejections == 2


def test_only_injection_findings_taint() -> None:
    pii = _scan(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, matches=[
        {"category": "pii", "name": "email", "start": 0, "end": 3, "decision": "human_in_the_loop_required"}])
    injection = _scan(ScanDecision.BLOCK, matches=[
        {"category": "injection", "name": "x", "start": 0, "end": 3, "decision": "block"}])
    unknown = _scan(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED)  # a finding of unknown kind counts as injection
    errored = ScanResult(decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, status=ScanStatus.ERROR, scanner="x")
    assert [is_injection(r) for r in (pii, injection, unknown, errored)] == [False, True, True, False]
    guard = Guard(engine=None, rule=RuleOfTwo())
    out, session = guard.output(new_session(), CALL, "a@b rest", pii)
    assert out.action == "redact" and out.text.startswith("[REDACTED:email]") and not session["rule_of_two"]["taint"]
    out, session = guard.output(new_session(), CALL, "bad", injection)
    assert out.action == "withhold" and "untrusted" in out.text and session["rule_of_two"]["taint"]
    out, session = guard.output(new_session(), CALL, "text", errored)  # a scanner error: withheld, no taint
    assert out.action == "withhold" and "could not be checked" in out.text and not session["rule_of_two"]["taint"]


def test_outcomes_round_trip_as_json() -> None:
    o = Outcome(action="ask", verdict=_scan(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED), call=dict(CALL))
    assert Outcome.from_json(o.to_json()) == o


class _SeenValues:
    """A toy provenance hook: records words tool outputs brought in; asks when a call sends one out."""

    name = "seen_values"

    def check_call(self, state: Any, call: Any, session: Any) -> ScanResult | None:
        words = set(state or ())
        if any(str(v) in words for v in call["args"].values()):
            return ScanResult(decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, reason="sends a value a tool read")
        return None

    def record_output(self, state: Any, call: Any, text: str, verdict: ScanResult) -> Any:
        return sorted(set(state or ()) | set(text.split()))


def test_hooks_check_calls_and_record_outputs() -> None:
    guard = Guard.build(LlamaFirewall(scanners={r: ["regex"] for r in (Role.USER, Role.ASSISTANT, Role.TOOL)}),
                        rule_of_two=False, hooks=[_SeenValues()])
    _, session = guard.output(new_session(), CALL, "token XYZ123", ScanResult())
    assert session["hooks"]["seen_values"] == ["XYZ123", "token"]
    assert session_update(new_session(), session) == {"lf_hooks": {"seen_values": ["XYZ123", "token"]}}
    out, _ = guard.assess_calls(session, [{"name": "send", "args": {"to": "XYZ123"}, "id": "k"}], [])
    assert out[0].action == "ask" and "seen_values: sends a value a tool read" in out[0].verdict.reason
    out, _ = guard.assess_calls(session, [{"name": "send", "args": {"to": "other"}, "id": "k"}], [])
    assert out[0].action == "allow"


def test_the_rule_of_two_is_on_unless_switched_off() -> None:
    engine = LlamaFirewall(scanners={r: ["regex"] for r in (Role.USER, Role.ASSISTANT, Role.TOOL)})
    assert Guard.build(engine).rule is not None
    assert Guard.build(engine, rule_of_two=False).rule is None
    with pytest.warns(UserWarning, match="tool role"):
        Guard.build(LlamaFirewall(scanners={Role.USER: ["regex"], Role.ASSISTANT: ["regex"]}), who="x")


def _trifecta_guard() -> Guard:
    return Guard(engine=None, rule=RuleOfTwo(config={"tools": {"send": ["A", "B", "C"]}}))


def test_review_step_is_the_one_review_flow() -> None:
    """Ask once (the adapter's own actions first), apply the answers, rescan an edit, ask again without edit."""
    guard = _trifecta_guard()
    outcomes, session = guard.assess_calls(new_session(), [CALL], [])
    assert outcomes[0].action == "ask"
    lead = [{"name": "review_model_response", "args": {}, "description": "the reply"}]
    step = guard.review_step(session, outcomes, [], reviewer="ann", lead=lead)  # type: ignore[list-item]
    first = next(step)
    assert isinstance(first, Forward) and first.value.stage == "tool_calls"
    request = first.value.request(node="n", thread_id="t")
    assert [a["name"] for a in request["action_requests"]] == ["review_model_response", "send"]
    assert [c["allowed_decisions"] for c in request["review_configs"]] == [
        ["approve", "reject"], ["approve", "edit", "reject", "respond"]]
    assert request["lf_middleware"]["node"] == "n" and request["lf_middleware"]["stage"] == "tool_calls"
    rescan = step.send([{"type": "reject"}, {"type": "edit", "edited_action": {"name": "send", "args": {"to": "b"}}}])
    assert not isinstance(rescan, Forward)  # the edited call is scanned before anything else
    again = step.send([_scan(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED)])
    assert isinstance(again, Forward) and again.value.stage == "edited_calls"
    assert again.value.allowed == ("approve", "reject", "respond")
    with pytest.raises(StopIteration) as done:
        step.send([{"type": "approve"}])
    first_decisions, final, _ = done.value.value
    assert first_decisions == [{"type": "reject"}]
    assert final[0].action == "allow" and final[0].call["args"] == {"to": "b"} and final[0].approved_by == "human:ann"


def test_review_step_without_questions_asks_nothing() -> None:
    guard = _trifecta_guard()
    allowed = [Outcome(action="allow", verdict=ScanResult(), call=dict(CALL))]
    assert guard.drive(guard.review_step(new_session(), allowed, [])) == ([], allowed, new_session())


def test_judged_reads_stored_verdicts_and_can_ignore_approvals() -> None:
    guard = _trifecta_guard()
    assert guard.judged(new_session(), [CALL], []) is None  # never judged: no verdict stored
    outcomes, session = guard.assess_calls(new_session(), [CALL], [])
    assert [o.action for o in guard.judged(session, [CALL], []) or ()] == ["ask"]
    _, approved = apply_decisions(session, outcomes, [{"type": "approve"}])
    assert [o.action for o in guard.judged(approved, [CALL], []) or ()] == ["allow"]
    assert [o.action for o in guard.judged(approved, [CALL], [], before_review=True) or ()] == ["ask"]


def test_messages_step_scans_only_messages_without_a_verdict_for_their_content() -> None:
    guard = Guard.build(LlamaFirewall(scanners={r: ["regex"] for r in (Role.USER, Role.ASSISTANT, Role.TOOL)}))
    hello = UserMessage("hello")
    entries = guard.drive(guard.messages_step({}, [("k", hello, [])]))
    assert list(entries) == ["k"] and entries["k"]["fingerprint"] == message_fingerprint(hello)
    step = guard.messages_step(entries, [("k", hello, []), ("k2", UserMessage("other"), [])])
    need = next(step)
    assert [m.content for m in need.messages] == ["other"]  # the stored verdict is reused
    assert message_fingerprint(UserMessage("edited")) != message_fingerprint(hello)
