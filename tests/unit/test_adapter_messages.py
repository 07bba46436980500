"""The message conversions shared by the LangChain and LangGraph adapters (``adapters/_messages.py``).

Each keyword that keeps one adapter's view is checked both ways, so a later change to one view cannot
silently change the other.
"""

from __future__ import annotations

import pytest

pytest.importorskip("langchain_core")

from langchain_core.messages import (  # noqa: E402
    AIMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
    RemoveMessage,
    SystemMessage,
    ToolMessage,
)
from lf_middleware.adapters._messages import (  # noqa: E402
    answer_call,
    answered_ids,
    content_text,
    last_ai_index,
    render_tool_calls,
    role_of,
    to_lf_message,
    tool_call_message,
    tool_output_message,
)

from lf_middleware import hitl as _hitl  # noqa: E402
from lf_middleware.types import Role  # noqa: E402
from lf_middleware.types import ToolMessage as LfToolMessage  # noqa: E402

BLOCKS = [
    "plain",
    {"type": "text", "text": "texted"},
    {"type": "image_url", "image_url": {"url": "https://example.test/cat.png"}},
    {"type": "reasoning", "reasoning": "think first"},
]


def test_content_text_keeps_text_parts_and_data_blocks_only_when_asked() -> None:
    assert content_text(BLOCKS) == "plain\ntexted"
    with_data = content_text(BLOCKS, data_blocks=True)
    assert with_data.split("\n")[:2] == ["plain", "texted"]
    assert '"reasoning": "think first"' in with_data
    assert "example.test" not in with_data  # media blocks are never scanned as text


@pytest.mark.parametrize(("content", "text"), [
    (None, ""), ("", ""), ([], ""), (b"caf\xc3\xa9 \xff", "café \ufffd"), ("lone \ud800", "lone \ud800"), (7, "7"),
])
def test_content_text_odd_values(content: object, text: str) -> None:
    assert content_text(content) == text


def test_render_tool_calls_two_styles() -> None:
    calls = [{"name": "send", "args": {"to": "ö@x.test", "body": "hi"}, "id": "c1"}]
    assert render_tool_calls(calls) == '[tool call] send {"body": "hi", "to": "ö@x.test"}'
    assert render_tool_calls(calls, tagged=False) == 'send {"to": "ö@x.test", "body": "hi"}'


def test_render_tool_calls_survives_self_referencing_args() -> None:
    args: dict[str, object] = {}
    args["self"] = args
    assert render_tool_calls([{"name": "loop", "args": args}]).startswith("[tool call] loop {")


def test_ai_message_with_calls_rendered_or_as_written() -> None:
    ai = AIMessage(content="on it", tool_calls=[{"name": "search", "args": {"q": "x"}, "id": "c1"}])
    rendered = to_lf_message(ai)
    assert rendered is not None and rendered.role is Role.ASSISTANT
    assert rendered.content == 'on it\n[tool call] search {"q": "x"}'
    assert rendered.tool_calls == [{"name": "search", "args": {"q": "x"}, "id": "c1"}]
    plain = to_lf_message(ai, render_calls=False)
    assert plain is not None and plain.content == "on it" and plain.tool_calls == rendered.tool_calls


def test_roles_of_each_message_kind() -> None:
    cases = [
        (HumanMessage(content="u"), Role.USER),
        (SystemMessage(content="s"), Role.SYSTEM),
        (AIMessage(content="a"), Role.ASSISTANT),
        (ToolMessage(content="t", tool_call_id="c1", name="search"), Role.TOOL),
        (FunctionMessage(content="f", name="fn"), Role.TOOL),
        (ChatMessage(content="c", role="assistant"), Role.ASSISTANT),
        (ChatMessage(content="c", role="narrator"), Role.USER),  # an unknown speaker is untrusted input
    ]
    for message, role in cases:
        lf = to_lf_message(message)
        assert lf is not None and lf.role is role, message
    tool = to_lf_message(ToolMessage(content="t", tool_call_id="c1", name="search"))
    assert isinstance(tool, LfToolMessage) and (tool.name, tool.tool_call_id) == ("search", "c1")
    assert to_lf_message(RemoveMessage(id="x")) is None
    # role_of knows only the four kinds the LangGraph guards scan
    assert [role_of(m) for m, _ in cases] == [Role.USER, Role.SYSTEM, Role.ASSISTANT, Role.TOOL, None, None, None]


def test_openai_style_dicts_and_wrong_types() -> None:
    lf = to_lf_message({"role": "assistant", "content": "x", "tool_calls": [{"name": "t", "args": {"a": 1}}]})
    assert lf is not None and lf.content == 'x\n[tool call] t {"a": 1}'
    assert to_lf_message({"role": "nobody", "content": "z"}).role is Role.USER  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="cannot scan a int"):
        to_lf_message(3)


@pytest.mark.parametrize(("args", "expected"), [
    ({"b": 1}, {"b": 1}), ('{"b": 1}', {"b": 1}), ("not json", {"input": "not json"}), (5, {"input": 5}),
])
def test_tool_call_message_arguments(args: object, expected: dict[str, object]) -> None:
    message = tool_call_message("", args, None)
    assert message.role is Role.ASSISTANT
    assert message.tool_calls == [{"name": "tool", "args": expected, "id": ""}]
    assert message.content.startswith("[tool call] tool ")
    assert tool_call_message("t", {"b": 1}, "c", tagged=False).content == 't {"b": 1}'


def test_tool_output_message_from_tool_message_command_and_value() -> None:
    out = tool_output_message(ToolMessage(content=["a", {"type": "text", "text": "b"}], tool_call_id="c", name="n"))
    assert (out.role, out.content, out.name, out.tool_call_id) == (Role.TOOL, "a\nb", "n", "c")

    class _Command:  # the shape of langgraph's Command(update={"messages": [...]})
        update = {"messages": [ToolMessage(content="one", tool_call_id="c"), "two"]}

    assert tool_output_message(_Command(), name="t").content == "one\ntwo"
    assert tool_output_message(None, name="t", tool_call_id="c").content == ""


def test_answer_call_error_and_reply() -> None:
    call = {"name": "delete", "args": {}, "id": "c9"}
    err = answer_call(call, "blocked")
    assert (err.content, err.name, err.tool_call_id, err.status, err.id) == ("blocked", "delete", "c9", "error", None)
    reply = answer_call(call, "done by a person", status="success", id="lf-1")
    assert (reply.status, reply.id) == ("success", "lf-1")


def test_last_ai_index_and_answered_ids() -> None:
    msgs = [HumanMessage(content="u"), AIMessage(content="", tool_calls=[{"name": "t", "args": {}, "id": "a"},
                                                                         {"name": "t", "args": {}, "id": "b"}]),
            ToolMessage(content="r", tool_call_id="a")]
    assert last_ai_index(msgs) == 1
    assert answered_ids(msgs, 1) == {"a"}
    assert last_ai_index(msgs[:1]) == -1 and last_ai_index([]) == -1


def test_fingerprint_of_and_edited_text() -> None:
    assert _hitl.fingerprint_of({"name": "t", "args": {"a": 1}, "id": "x"}) == _hitl.call_fingerprint("t", {"a": 1})
    assert _hitl.fingerprint_of({"name": "t", "args": None}) == _hitl.call_fingerprint("t", {})
    assert _hitl.edited_text({"type": "edit", "edited_action": {"name": "m", "args": {"content": "new"}}}) == "new"
    with pytest.raises(ValueError, match="edited_action.args.content"):
        _hitl.edited_text({"type": "edit", "edited_action": {"name": "m", "args": {"content": 3}}})
