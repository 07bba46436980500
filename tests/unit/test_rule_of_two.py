from __future__ import annotations

import copy
import json
import logging
import sys

import pytest

from lf_middleware import LlamaFirewall, ScanDecision, ScanResult, ScanStatus
from lf_middleware.config import parse_config
from lf_middleware.errors import ConfigurationError
from lf_middleware.rule_of_two import (
    ClearTaint,
    Property,
    RuleOfTwo,
    RuleOfTwoConfig,
    ToolCall,
    ToolOutput,
    approve_call,
    classify_agent,
    clear_taint,
    declared_properties,
    exercised,
    exercises,
    is_tainted,
    merge_states,
    new_state,
    observe,
    parse_properties,
)
from lf_middleware.scanners.base import Scanner, register_scanner, unregister_scanner

HITL = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED


def held_state(letters: str) -> dict:
    """A session that exercised ``letters`` through one declared tool per letter."""
    st = new_state()
    for ch in letters:
        st, res = observe(st, ToolCall(tool=f"t_{ch}", properties=parse_properties(ch), tool_call_id=f"id_{ch}"))
        assert res.decision is ScanDecision.ALLOW
    return st


# held, call, escalates
ESCALATION_TABLE = [
    ("", "", False), ("", "A", False), ("", "B", False), ("", "C", False),
    ("", "AB", False), ("", "AC", False), ("", "BC", False), ("", "ABC", True),
    ("A", "A", False), ("A", "B", False), ("A", "C", False), ("A", "BC", True),
    ("B", "A", False), ("B", "B", False), ("B", "C", False), ("B", "AC", True),
    ("C", "A", False), ("C", "B", False), ("C", "C", False), ("C", "AB", True),
    ("AB", "A", False), ("AB", "B", False), ("AB", "C", True), ("AB", "", False),
    ("AC", "A", False), ("AC", "B", True), ("AC", "C", False),
    ("BC", "A", True), ("BC", "B", False), ("BC", "C", False),
    ("ABC", "A", True), ("ABC", "B", True), ("ABC", "C", True), ("ABC", "", False),
]


@pytest.mark.parametrize(("held", "call", "escalates"), ESCALATION_TABLE)
def test_escalation_table(held: str, call: str, escalates: bool) -> None:
    cfg = RuleOfTwoConfig(taint={"enabled": False})
    st = held_state(held) if held != "ABC" else _approved_trifecta()
    before = copy.deepcopy(st)
    new, res = observe(st, ToolCall(tool="x", properties=parse_properties(call), tool_call_id="call"), config=cfg)
    assert st == before  # pure
    if escalates:
        assert res.decision is HITL
        assert res.scanner == "rule_of_two"
        assert "trifecta" in res.details["rules"]
        assert new == st  # an escalated call marks nothing
    else:
        assert res.decision is ScanDecision.ALLOW
        assert exercised(new) == exercised(st) | parse_properties(call)


def _approved_trifecta() -> dict:
    st = held_state("AB")
    st, res = observe(st, ToolCall(tool="t_C", properties=frozenset({Property.C}), tool_call_id="c1",
                                   approved_by="human:alice"))
    assert res.decision is ScanDecision.ALLOW
    assert exercised(st) == {Property.A, Property.B, Property.C}
    return st


def test_reason_explains_which_tools_gave_each_property() -> None:
    _, res = observe(held_state("AB"), ToolCall(tool="send", properties=frozenset({Property.C}), tool_call_id="z"))
    assert "'send' [C]" in res.reason
    assert "A from 't_A' (step 1" in res.reason and "B from 't_B' (step 2" in res.reason
    assert res.details["would_hold"] == "ABC" and res.details["session"] == "AB"


@pytest.mark.parametrize(("mode", "decision"), [("hitl", HITL), ("block", ScanDecision.BLOCK),
                                                ("alignment_check", HITL)])
def test_escalation_modes(mode: str, decision: ScanDecision) -> None:
    cfg = RuleOfTwoConfig(escalation=mode)
    _, res = observe(held_state("AB"), ToolCall(tool="send", properties=frozenset("C"), tool_call_id="z"), config=cfg)
    assert res.decision is decision
    assert res.details["escalation"] == mode


def test_observe_is_deterministic_and_json_serialisable() -> None:
    st = held_state("AB")
    ev = ToolCall(tool="send", properties=frozenset({Property.C}), tool_call_id="z")
    a = observe(st, ev)
    b = observe(st, ev)
    assert a == b
    assert json.loads(json.dumps(st)) == st


def test_approval_lets_the_call_through_and_records_who() -> None:
    st = held_state("AB")
    st = approve_call(st, "z", "human:bob")
    st2, res = observe(st, ToolCall(tool="send", properties=frozenset({Property.C}), tool_call_id="z"))
    assert res.decision is ScanDecision.ALLOW
    assert st2["marks"]["C"]["reason"] == "approved by human:bob"
    # a different call id is not covered by that approval
    _, res2 = observe(st, ToolCall(tool="send", properties=frozenset({Property.C}), tool_call_id="other"))
    assert res2.decision is HITL


# ---- flagged output marks A --------------------------------------------------------------------------------

FLAG = ScanResult(decision=HITL, score=0.95, scanner="regex", reason="injection phrase")


def test_declared_a_versus_flagged_a() -> None:
    cfg = RuleOfTwoConfig(taint={"enabled": False})
    # a tool declared with no properties returns a clean output: no A, so B then C is fine
    st, _ = observe(new_state(), ToolCall(tool="calc", properties=frozenset(), tool_call_id="1"), config=cfg)
    st, _ = observe(st, ToolOutput(tool="calc", tool_call_id="1", scan=ScanResult()), config=cfg)
    st, _ = observe(st, ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="2"), config=cfg)
    _, res = observe(st, ToolCall(tool="send", properties=frozenset("C"), tool_call_id="3"), config=cfg)
    assert res.decision is ScanDecision.ALLOW
    # the same tool's output flagged by a scanner marks A, so the same C call now escalates
    st, _ = observe(new_state(), ToolCall(tool="calc", properties=frozenset(), tool_call_id="1"), config=cfg)
    st, out = observe(st, ToolOutput(tool="calc", tool_call_id="1", scan=FLAG), config=cfg)
    assert st["marks"]["A"]["tool"] == "calc" and "flagged by regex" in st["marks"]["A"]["reason"]
    st, _ = observe(st, ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="2"), config=cfg)
    _, res = observe(st, ToolCall(tool="send", properties=frozenset("C"), tool_call_id="3"), config=cfg)
    assert res.decision is HITL
    assert "output flagged by regex" in res.reason


def test_scanner_error_on_output_is_not_evidence_of_injection() -> None:
    err = ScanResult(decision=HITL, status=ScanStatus.ERROR, scanner="x", reason="boom")
    st, _ = observe(new_state(), ToolOutput(tool="calc", scan=err))
    assert exercised(st) == frozenset() and not is_tainted(st)


def test_flagged_output_marks_a_can_be_turned_off() -> None:
    st, _ = observe(new_state(), ToolOutput(tool="calc", scan=FLAG), config=RuleOfTwoConfig(flagged_output_marks_a=False))
    assert exercised(st) == frozenset() and is_tainted(st)


# ---- tainted sessions ----------------------------------------------------------------------------------------

PLAIN = RuleOfTwoConfig(taint={"enabled": False})
TAINT_ONLY = RuleOfTwoConfig(trifecta=False)

# Replayed traces: (name, events, is_attack). Each event is ("call", tool, props) or ("out", tool, flagged)
TRACES = [
    ("exfil without B", [("call", "read_web", ""), ("out", "read_web", True), ("call", "send_http", "C")], True),
    ("injected post", [("call", "fetch_mail", ""), ("out", "fetch_mail", True), ("call", "post", "C")], True),
    ("benign summary", [("call", "read_web", "A"), ("out", "read_web", False), ("call", "notes", "B"),
                        ("out", "notes", False), ("call", "send_http", "C")], False),
]


def replay(events: list, cfg: RuleOfTwoConfig) -> list[ScanDecision]:
    st = new_state()
    out = []
    for i, (kind, tool, x) in enumerate(events):
        if kind == "call":
            st, res = observe(st, ToolCall(tool=tool, properties=parse_properties(x), tool_call_id=str(i)), config=cfg)
            out.append(res.decision)
        else:
            st, _ = observe(st, ToolOutput(tool=tool, tool_call_id=str(i), scan=FLAG if x else ScanResult()),
                            config=cfg)
    return out


@pytest.mark.parametrize(("name", "events", "attack"), TRACES)
def test_replayed_traces_plain_rule_versus_taint(name: str, events: list, attack: bool) -> None:
    plain = replay(events, PLAIN)[-1]
    taint = replay(events, TAINT_ONLY)[-1]
    if attack:
        # the session never touched B: the plain rule misses it, taint tracking escalates the C action
        assert plain is ScanDecision.ALLOW
        assert taint is HITL
    else:
        # benign A+B then C: the plain rule escalates, taint tracking (no scanner flag) lets it through
        assert plain is HITL
        assert taint is ScanDecision.ALLOW


def test_taint_escalates_b_when_configured_and_clears_on_a_person() -> None:
    cfg = RuleOfTwoConfig(trifecta=False, taint={"escalate": ["B", "C"]})
    st, _ = observe(new_state(), ToolOutput(tool="read_web", tool_call_id="1", scan=FLAG), config=cfg)
    assert st["taint"]["source"] == "read_web"
    _, res = observe(st, ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="2"), config=cfg)
    assert res.decision is HITL and "tainted" in res.reason and res.details["rules"] == ["taint"]
    _, res = observe(st, ToolCall(tool="calc", properties=frozenset(), tool_call_id="3"), config=cfg)
    assert res.decision is ScanDecision.ALLOW
    with pytest.raises(ValueError, match="name of the person"):
        observe(st, ClearTaint(cleared_by=" "), config=cfg)
    st2, _ = observe(st, ClearTaint(cleared_by="alice", note="checked the page", at=5.0), config=cfg)
    assert not is_tainted(st2)
    assert st2["cleared"][0]["cleared_by"] == "alice" and st2["cleared"][0]["cleared_at"] == 5.0
    assert exercised(st2) == {Property.A}  # marks are sticky; only the taint is cleared
    _, res = observe(st2, ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="4"), config=cfg)
    assert res.decision is ScanDecision.ALLOW
    # default taint config escalates C only
    _, res = observe(st, ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="2"),
                     config=RuleOfTwoConfig(trifecta=False))
    assert res.decision is ScanDecision.ALLOW


def test_clear_taint_on_clean_state_is_a_no_op() -> None:
    assert clear_taint(new_state(), cleared_by="x") == new_state()


# ---- reducer ---------------------------------------------------------------------------------------------------


def test_merge_states_is_a_sticky_union_and_respects_clears() -> None:
    a = held_state("A")
    b, _ = observe(new_state(), ToolCall(tool="notes", properties=frozenset("B"), tool_call_id="b"))
    m = merge_states(a, b)
    assert exercised(m) == {Property.A, Property.B}
    assert merge_states(m, None) == m and merge_states(None, m) == m
    tainted, _ = observe(m, ToolOutput(tool="w", tool_call_id="w", scan=FLAG))
    cleared = clear_taint(tainted, cleared_by="alice")
    assert is_tainted(merge_states(m, tainted))
    # an older tainted copy merged with the cleared one stays cleared
    assert not is_tainted(merge_states(tainted, cleared))
    assert not is_tainted(merge_states(cleared, tainted))
    assert json.loads(json.dumps(merge_states(tainted, cleared))) == merge_states(tainted, cleared)


# ---- declarations --------------------------------------------------------------------------------------------


def test_exercises_decorator_on_functions_and_langchain_tools() -> None:
    @exercises("A")
    def read_web(url: str) -> str:
        """Read a web page."""
        return url

    assert declared_properties(read_web) == {Property.A}

    lc_tools = pytest.importorskip("langchain_core.tools")

    @lc_tools.tool
    @exercises("B", "C")
    def below(x: str) -> str:
        """Decorated below @tool."""
        return x

    @exercises("C")
    @lc_tools.tool
    def above(x: str) -> str:
        """Decorated above @tool."""
        return x

    meta_tool = lc_tools.StructuredTool.from_function(lambda x: x, name="meta", description="d",
                                                      metadata={"lf_properties": ["A", "B"]})
    assert declared_properties(below) == {Property.B, Property.C}
    assert declared_properties(above) == {Property.C}
    assert above.metadata == {"lf_properties": ["C"]}
    assert declared_properties(meta_tool) == {Property.A, Property.B}
    assert declared_properties("just_a_name") is None


def test_config_map_with_globs_overrides_declarations(caplog: pytest.LogCaptureFixture) -> None:
    @exercises("C")
    def send_mail() -> None: ...

    cfg = RuleOfTwoConfig(tools={"read_*": ["A"], "send_mail": "B", "db.*": ["untrusted", "sensitive"]})
    r2 = RuleOfTwo(config=cfg, tools=[send_mail])
    assert r2.properties_for("read_web") == {Property.A}
    assert r2.properties_for("read_pdf") == {Property.A}
    assert r2.properties_for(send_mail) == {Property.B}  # config wins
    assert r2.properties_for("db.query") == {Property.A, Property.B}
    with caplog.at_level(logging.WARNING, logger="lf_middleware.rule_of_two"):
        assert r2.properties_for("mystery") == {Property.A, Property.B, Property.C}
        r2.properties_for("mystery")
    assert sum("mystery" in r.getMessage() for r in caplog.records) == 1  # warned once
    # an unknown tool on a fresh session escalates at once with the default 'undeclared'
    _, res = r2.check_call(new_state(), "mystery", tool_call_id="m")
    assert res.decision is HITL
    assert RuleOfTwo(config={"undeclared": []}).properties_for("mystery") == frozenset()


@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        ({"read_web": "A", "notes": "B"}, "AB"),
        ({"read_web": "A", "send": "C"}, "AC"),
        ({"notes": "B", "send": "C"}, "BC"),
        ({"read_web": "A"}, "AB"),
        ({}, "AB"),
        ({"read_web": "A", "notes": "B", "send": "C"}, "needs supervision"),
        ({"browser": "AC", "notes": "B"}, "needs supervision"),
    ],
)
def test_classify_agent(tools: dict, expected: str) -> None:
    assert classify_agent(list(tools), config={"tools": tools}) == expected


def test_classify_agent_from_tool_objects() -> None:
    @exercises("A")
    def read_web() -> None: ...

    @exercises("B", "C")
    def send_notes() -> None: ...

    assert classify_agent([read_web]) == "AB"
    assert classify_agent([read_web, send_notes]) == "needs supervision"
    assert RuleOfTwo(tools=[send_notes]).classify() == "BC"


# ---- configuration and bad input ---------------------------------------------------------------------------------


def test_config_from_engine_config_section() -> None:
    eng_cfg = parse_config({"rule_of_two": {"escalation": "block", "tools": {"send_*": ["C"]}, "taint": False}})
    cfg = RuleOfTwoConfig.from_any(eng_cfg)
    assert cfg.escalation == "block" and not cfg.taint.enabled
    assert cfg.mapped_properties("send_mail") == {Property.C}
    assert RuleOfTwoConfig.from_any(None) == RuleOfTwoConfig()


@pytest.mark.parametrize(
    ("section", "match"),
    [
        ({"escalation": "maybe"}, "escalation"),
        ({"tools": {"x": ["D"]}}, "unknown Rule-of-Two property 'D'"),
        ({"tool": {}}, "tool"),
        ("not a dict", "must be a mapping"),
    ],
)
def test_bad_config_names_the_problem(section: object, match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        RuleOfTwoConfig.from_any(section)  # type: ignore[arg-type]


def test_bad_events_and_states() -> None:
    with pytest.raises(TypeError, match="ToolCall, ToolOutput or ClearTaint"):
        observe(new_state(), {"tool": "x"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a dict"):
        observe("state", ToolCall(tool="x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown property marks"):
        observe({"marks": {"Z": {}}}, ToolCall(tool="x"))
    with pytest.raises(ConfigurationError, match="untrusted input"):
        parse_properties(["A", "Q"])
    with pytest.raises(ConfigurationError, match="list like"):
        parse_properties(3)  # type: ignore[arg-type]
    # a None state is a fresh session
    st, res = observe(None, ToolCall(tool="x", properties=frozenset("A")))
    assert res.decision is ScanDecision.ALLOW and exercised(st) == {Property.A}


def test_disabled_rule_allows_everything() -> None:
    _, res = observe(held_state("AB"), ToolCall(tool="send", properties=frozenset("C")),
                     config=RuleOfTwoConfig(enabled=False))
    assert res.decision is ScanDecision.ALLOW


# ---- the alignment-check route -----------------------------------------------------------------------------------


class _Auditor(Scanner):
    name = "fake_auditor"
    score_based = False
    default_hitl_threshold = None
    default_block_threshold = None
    answer = ScanDecision.ALLOW
    fail = False
    seen: list = []

    def scan_sync(self, message, past_trace=None):  # type: ignore[no-untyped-def]
        type(self).seen.append((message.tool_calls, len(past_trace or [])))
        if type(self).fail:
            raise RuntimeError("auditor down")
        return self.result(decision=type(self).answer, reason=f"auditor says {type(self).answer.value}")


class _AsyncAuditor(_Auditor):
    name = "fake_async_auditor"

    async def scan(self, message, past_trace=None):  # type: ignore[no-untyped-def]
        return _Auditor.scan_sync(self, message, past_trace)

    scan_sync = Scanner.scan_sync  # async-only


@pytest.fixture()
def auditors():  # type: ignore[no-untyped-def]
    register_scanner("fake_auditor", _Auditor, replace=True)
    register_scanner("fake_async_auditor", _AsyncAuditor, replace=True)
    _Auditor.answer, _Auditor.fail, _Auditor.seen = ScanDecision.ALLOW, False, []
    yield
    unregister_scanner("fake_auditor")
    unregister_scanner("fake_async_auditor")


def _engine(auditor: str) -> LlamaFirewall:
    return LlamaFirewall(config={
        "scanners": {"assistant": [auditor]},
        "rule_of_two": {"escalation": "alignment_check", "auditor": auditor, "tools": {"read_web": "A",
                                                                                        "notes": "B", "send": "C"}},
    })


@pytest.mark.parametrize("auditor", ["fake_auditor", "fake_async_auditor"])
@pytest.mark.parametrize(
    ("answer", "fail", "expected"),
    [(ScanDecision.ALLOW, False, ScanDecision.ALLOW), (ScanDecision.BLOCK, False, ScanDecision.BLOCK),
     (HITL, False, HITL), (ScanDecision.ALLOW, True, HITL)],
)
async def test_alignment_check_route(auditors, auditor: str, answer, fail: bool, expected) -> None:  # type: ignore[no-untyped-def]
    _Auditor.answer, _Auditor.fail = answer, fail
    r2 = RuleOfTwo(engine=_engine(auditor))
    st = new_state()
    for name in ("read_web", "notes"):
        st, _ = r2.check_call(st, name, tool_call_id=name)
    _, res = r2.check_call(st, "send", tool_call_id="s")
    assert r2.needs_auditor(res)
    call = {"name": "send", "args": {"url": "https://x.example"}, "id": "s"}
    sync_res = r2.validate(res, call, trace=[])
    async_res = await r2.avalidate(res, call, trace=[])
    for out in (sync_res, async_res):
        assert out.decision is expected
        assert out.details["auditor"]["decision"] == (HITL.value if fail else answer.value)
        if fail:
            assert "failed" in out.reason and "a human decides" in out.reason
    assert _Auditor.seen[0][0] == [call]


def test_alignment_check_without_auditor_falls_back_to_a_human() -> None:
    r2 = RuleOfTwo(config={"escalation": "alignment_check", "tools": {"a": "ABC"}})
    _, res = r2.check_call(new_state(), "a", tool_call_id="1")
    out = r2.validate(res, {"name": "a", "args": {}, "id": "1"})
    assert out.decision is HITL and "no auditor" in out.reason
    # engine without that scanner configured: same
    r3 = RuleOfTwo(config={"escalation": "alignment_check", "tools": {"a": "ABC"}}, engine=LlamaFirewall(scanners={}))
    assert r3.validate(res, {"name": "a", "args": {}, "id": "1"}).decision is HITL
    # a non-escalation result passes through validate unchanged
    ok = ScanResult()
    assert r2.validate(ok, {"name": "a", "args": {}}) is ok


def test_import_of_core_keeps_frameworks_out() -> None:
    import subprocess

    code = ("import sys, lf_middleware.rule_of_two; "
            "print([m for m in ('langgraph', 'langchain_core', 'langchain') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_mark_properties_records_a_hypothetical_call() -> None:
    from lf_middleware.rule_of_two import mark_properties

    st = mark_properties(held_state("AB"), ["C"], tool="send", reason="earlier call in this turn", tool_call_id="x")
    assert exercised(st) == {Property.A, Property.B, Property.C}
    _, res = observe(st, ToolCall(tool="send2", properties=frozenset("C"), tool_call_id="y"))
    assert res.decision is HITL and "C from 'send' (step 3, earlier call in this turn)" in res.reason


def test_auditor_control_flow_is_not_swallowed(auditors) -> None:  # type: ignore[no-untyped-def]
    class GraphBubbleUp(Exception):  # stands in for langgraph.errors.GraphBubbleUp (matched by name)
        pass

    class GraphInterrupt(GraphBubbleUp):
        pass

    class _Interrupting(_Auditor):
        name = "interrupting_auditor"

        def scan_sync(self, message, past_trace=None):  # type: ignore[no-untyped-def]
            raise GraphInterrupt("pause")

    register_scanner("interrupting_auditor", _Interrupting, replace=True)
    try:
        r2 = RuleOfTwo(engine=_engine("interrupting_auditor"))
        st = new_state()
        for name in ("read_web", "notes"):
            st, _ = r2.check_call(st, name, tool_call_id=name)
        _, res = r2.check_call(st, "send", tool_call_id="s")
        with pytest.raises(GraphInterrupt):
            r2.validate(res, {"name": "send", "args": {}, "id": "s"})
    finally:
        unregister_scanner("interrupting_auditor")
