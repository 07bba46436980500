"""Value compatibility with LlamaFirewall 1.0.3 (``llamafirewall_data_types``).

The expected values are written out here on purpose (not imported from llamafirewall): code written for
LlamaFirewall must port by changing the import, so these strings are a contract.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from lf_middleware import (
    AssistantMessage,
    MemoryMessage,
    Message,
    Role,
    ScanDecision,
    ScannerType,
    ScanResult,
    ScanStatus,
    SystemMessage,
    ToolMessage,
    Trace,
    UserMessage,
)

LF_SCANNER_TYPES = {
    "CODE_SHIELD": "code_shield",
    "PROMPT_GUARD": "prompt_guard",
    "AGENT_ALIGNMENT": "agent_alignment",
    "HIDDEN_ASCII": "hidden_ascii",
    "PII_DETECTION": "pii_detection",
    "REGEX": "regex",
}
LF_DECISIONS = {"ALLOW": "allow", "HUMAN_IN_THE_LOOP_REQUIRED": "human_in_the_loop_required", "BLOCK": "block"}
LF_STATUSES = {"SUCCESS": "success", "ERROR": "error", "SKIPPED": "skipped"}
LF_ROLES = {"TOOL": "tool", "USER": "user", "ASSISTANT": "assistant", "MEMORY": "memory", "SYSTEM": "system"}


@pytest.mark.parametrize(("enum", "expected"), [(ScannerType, LF_SCANNER_TYPES), (ScanDecision, LF_DECISIONS),
                                                 (ScanStatus, LF_STATUSES), (Role, LF_ROLES)])
def test_enum_values_match_llamafirewall(enum, expected):
    for name, value in expected.items():
        member = enum[name]
        assert member.value == value
        assert enum(value) is member
        assert member == value  # str enums compare equal to their value


def test_scanner_type_extras_and_aliases():
    assert ScannerType.ALIGNMENT_CHECK is ScannerType.AGENT_ALIGNMENT
    assert ScannerType("alignment_check") is ScannerType.AGENT_ALIGNMENT
    assert ScannerType.TOOL_POLICY.value == "tool_policy"
    # no other members than LlamaFirewall's plus tool_policy
    assert {m.name for m in ScannerType} == set(LF_SCANNER_TYPES) | {"TOOL_POLICY"}
    assert ScanStatus.FAILURE is ScanStatus.ERROR
    assert [d.value for d in ScanDecision] == ["allow", "human_in_the_loop_required", "block"]


def test_role_coerce_accepts_strings_and_rejects_unknown():
    assert Role.coerce("USER") is Role.USER
    assert Role.coerce(Role.TOOL) is Role.TOOL
    with pytest.raises(ValueError, match="unknown role 'robot'"):
        Role.coerce("robot")


@pytest.mark.parametrize(
    ("cls", "role"),
    [(UserMessage, Role.USER), (SystemMessage, Role.SYSTEM), (MemoryMessage, Role.MEMORY),
     (AssistantMessage, Role.ASSISTANT), (ToolMessage, Role.TOOL)],
)
def test_message_classes_have_llamafirewall_shape(cls, role):
    msg = cls("hello")
    assert isinstance(msg, Message)
    assert msg.role is role
    assert msg.content == "hello"
    assert msg.tool_calls is None


def test_message_positional_constructor_is_role_content_tool_calls():
    msg = Message(Role.ASSISTANT, "calling", [{"name": "search", "args": {"q": "x"}, "id": "1"}])
    assert (msg.role, msg.content) == (Role.ASSISTANT, "calling")
    assert msg.tool_calls == [{"name": "search", "args": {"q": "x"}, "id": "1"}]
    assert [f.name for f in dataclasses.fields(Message)] == ["role", "content", "tool_calls"]
    assert Message("user", "x").role is Role.USER


def test_openai_tool_calls_are_normalised():
    msg = AssistantMessage("", tool_calls=[{"id": "c9", "type": "function",
                                            "function": {"name": "get", "arguments": '{"city": "Paris"}'}}])
    assert msg.tool_calls == [{"name": "get", "args": {"city": "Paris"}, "id": "c9"}]
    bad_json = AssistantMessage("", tool_calls=[{"function": {"name": "get", "arguments": "{not json"}}])
    assert bad_json.tool_calls[0]["args"] == {"__raw__": "{not json"}


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"], {"a": 1}])
def test_non_str_content_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="content must be str"):
        UserMessage(bad)


def test_bytes_content_error_says_how_to_fix():
    with pytest.raises(TypeError, match="decode it first"):
        UserMessage(b"\xff")


@pytest.mark.parametrize("bad", ["not a list", [1], [{"args": {}}], [{"name": ""}]])
def test_bad_tool_calls_are_type_errors(bad):
    with pytest.raises(TypeError):
        AssistantMessage("x", tool_calls=bad)


def test_tool_message_keeps_name_and_id_outside_fields():
    msg = ToolMessage("42 C", name="weather", tool_call_id="call_1")
    assert (msg.name, msg.tool_call_id) == ("weather", "call_1")
    assert msg.tool_calls is None


def test_trace_is_a_list_of_messages():
    trace: Trace = [UserMessage("a"), AssistantMessage("b")]
    assert Trace == list[Message]
    assert all(isinstance(m, Message) for m in trace)


def test_scan_result_defaults_and_to_dict_are_json():
    r = ScanResult()
    assert (r.decision, r.score, r.status, r.reason) == (ScanDecision.ALLOW, 0.0, ScanStatus.SUCCESS, "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.score = 1.0  # type: ignore[misc]
    nested = ScanResult(decision=ScanDecision.BLOCK, score=1.0, reason="x", scanner="a+b",
                        results=(ScanResult(scanner="a"), ScanResult(scanner="b", decision=ScanDecision.BLOCK)))
    d = json.loads(json.dumps(nested.to_dict()))
    assert d["decision"] == "block" and d["status"] == "success"
    assert [s["scanner"] for s in d["scanners"]] == ["a", "b"]
