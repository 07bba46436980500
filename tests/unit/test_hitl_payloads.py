from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lf_middleware import AuditLog, ScanDecision, ScanResult, ScanStatus
from lf_middleware import hitl as h
from lf_middleware.rule_of_two import Property, new_state

HITL = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED


def _result() -> ScanResult:
    inner = ScanResult(decision=HITL, score=0.8, scanner="regex", reason="phrase", details={"p": Property.A})
    return ScanResult(decision=HITL, score=0.8, scanner="regex+rule_of_two", reason="r", results=(inner,),
                      details={"props": frozenset({Property.A, Property.C}), "obj": object()})


def _request(n: int = 2) -> h.HITLRequest:
    calls = [{"name": f"t{i}", "args": {"i": i}, "id": f"id{i}"} for i in range(n)]
    return h.hitl_request([h.action_request(c, _result()) for c in calls], rule_of_two=new_state(),
                          allowed={"t1": ["approve", "reject"]})


def test_request_is_json_and_mirrors_langchain_shape() -> None:
    req = _request()
    assert json.loads(json.dumps(req)) == req
    assert [a["name"] for a in req["action_requests"]] == ["t0", "t1"]
    assert req["review_configs"][0] == {"action_name": "t0", "allowed_decisions": list(h.ALL_DECISIONS)}
    assert req["review_configs"][1]["allowed_decisions"] == ["approve", "reject"]
    a0 = req["action_requests"][0]
    assert a0["tool_call_id"] == "id0" and a0["scan"]["decision"] == HITL.value
    assert a0["scan"]["details"]["props"] == ["A", "C"]
    assert "tool 't0'" in a0["description"]
    assert req["lf_middleware"]["rule_of_two"]["marks"] == {}


def test_result_round_trip() -> None:
    res = _result()
    back = h.result_from_dict(json.loads(json.dumps(h.result_to_dict(res))))
    assert back.decision is HITL and back.scanner == res.scanner and back.score == res.score
    assert back.results[0].scanner == "regex" and back.results[0].details == {"p": "A"}
    with pytest.raises(ValueError, match="decision"):
        h.result_from_dict({"reason": "x"})


def test_parse_decisions_accepts_the_four_types() -> None:
    req = _request(4)
    ds = h.parse_decisions({"decisions": [
        {"type": "approve", "reviewer": "alice"},
        {"type": "reject", "message": "no"},
        {"type": "edit", "edited_action": {"name": "t2", "args": {"i": 9}}},
        {"type": "respond", "message": "done"},
    ]}, {**req, "review_configs": [{"action_name": a["name"], "allowed_decisions": list(h.ALL_DECISIONS)}
                                   for a in req["action_requests"]]})
    assert [d["type"] for d in ds] == ["approve", "reject", "edit", "respond"]
    assert h.reviewer_of(ds[0]) == "alice" and h.reviewer_of(ds[1], "bob") == "bob"


@pytest.mark.parametrize(
    ("resume", "match"),
    [
        ({"decisions": [{"type": "approve"}]}, r"decisions \(1\) does not match .* \(2\)"),
        ({"decisions": [{"type": "approve"}] * 3}, r"\(3\) does not match .* \(2\)"),
        ({"answers": []}, "keys"),
        ({"decisions": "approve"}, "list"),
        ({"decisions": [{"type": "approve"}, {"type": "maybe"}]}, "unknown type 'maybe'"),
        ({"decisions": [{"type": "approve"}, {"type": "edit", "edited_action": {"name": "t1", "args": {}}}]},
         "'edit' is not allowed"),
        ({"decisions": [{"type": "edit", "edited_action": {"args": {}}}, {"type": "approve"}]}, "edited_action"),
        ({"decisions": [{"type": "respond"}, {"type": "approve"}]}, "message"),
        ({"decisions": ["approve", {"type": "approve"}]}, "must be a dict"),
        ({"decisions": [{"type": "approve", "reviewer": 3}, {"type": "approve"}]}, "reviewer"),
    ],
)
def test_parse_decisions_rejects_bad_answers(resume: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        h.parse_decisions(resume, _request())


def test_bare_list_resume_is_accepted() -> None:
    assert len(h.parse_decisions([{"type": "approve"}, {"type": "reject"}], _request())) == 2


def test_verdict_cache_keyed_by_id_and_fingerprint() -> None:
    fp = h.call_fingerprint("send", {"url": "u"})
    assert fp == h.call_fingerprint("send", {"url": "u"}) != h.call_fingerprint("send", {"url": "v"})
    cache = h.remember_verdict({}, "id1", fp, _result())
    assert json.loads(json.dumps(cache)) == cache
    got = h.recall_verdict(cache, "id1", fp)
    assert got is not None and got.decision is HITL and got.reason == "r"
    assert h.recall_verdict(cache, "id1", h.call_fingerprint("send", {"url": "v"})) is None  # edited call
    assert h.recall_verdict(cache, "id2", fp) is None
    assert h.recall_verdict(None, "id1", fp) is None
    with pytest.raises(ValueError, match="id"):
        h.remember_verdict({}, "", fp, _result())
    big: dict = {}
    for i in range(300):
        big = h.remember_verdict(big, f"k{i}", fp, ScanResult())
    assert len(big) == 256 and "k0" not in big and "k299" in big
    merged = h.merge_verdicts(cache, h.remember_verdict({}, "id2", fp, ScanResult()))
    assert set(merged) == {"id1", "id2"}


def test_merge_counts() -> None:
    assert h.merge_counts({"a": 1}, {"a": 2, "b": 1}) == {"a": 2, "b": 1}
    assert h.merge_counts({"a": 3}, {"a": 0}) == {}
    assert h.merge_counts(None, None) == {}


def test_rejection_text() -> None:
    assert "not executed" in h.rejection_text("send", "x1") and "x1" in h.rejection_text("send", "x1")
    assert h.rejection_text("send", "x1", "too risky").endswith("too risky")


def test_audit_records_have_who_what_and_no_arguments(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(tmp_path / "a.jsonl")
    req = h.hitl_request([h.action_request({"name": "send", "args": {"secret": "hunter2"}, "id": "c1"},
                                           _result())])
    h.audit_interrupt(log, req, thread_id="t1", where="tools")
    h.audit_decision(log, req["action_requests"][0], {"type": "edit", "edited_action": {"name": "send", "args": {}},
                                                       "reviewer": "alice"}, reviewer="alice", thread_id="t1",
                     outcome="ran edited call")
    h.audit_interrupt(None, req)  # no log configured: nothing happens
    log.close()
    text = (tmp_path / "a.jsonl").read_text()
    assert "hunter2" not in text
    recs = [json.loads(line) for line in text.splitlines()]
    assert recs[0]["event"] == "hitl_interrupt" and recs[0]["actions"][0]["tool_call_id"] == "c1"
    assert recs[1]["event"] == "hitl_decision" and recs[1]["reviewer"] == "alice"
    assert recs[1]["decision"] == "edit" and "edited_args_sha256" in recs[1] and "time" in recs[1]


def test_jsonable_handles_odd_values() -> None:
    out = h.jsonable({"s": {2, 1}, "t": (1, "x"), "st": ScanStatus.ERROR, 3: b"raw"})
    assert out == {"s": [1, 2], "t": [1, "x"], "st": "error", "3": "b'raw'"}


def test_module_imports_no_framework() -> None:
    code = ("import sys, lf_middleware.hitl; "
            "print([m for m in ('langgraph', 'langchain_core', 'langchain') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_odd_arguments_stay_serialisable() -> None:
    args = {"s": "lone \ud800 surrogate", "b": b"\x00\xff", "n": None, "nested": {"x": [1, {2, 3}]}}
    fp = h.call_fingerprint("t", args)
    assert len(fp) == 24 and fp == h.call_fingerprint("t", dict(args))
    req = h.hitl_request([h.action_request({"name": "t", "args": args, "id": "i"}, _result())])
    text = json.dumps(req)  # escapes the surrogate; never raises
    assert "\\ud800" in text and json.loads(text)["action_requests"][0]["args"]["nested"] == {"x": [1, [2, 3]]}
