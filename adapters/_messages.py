"""Conversions between LangChain messages and lf-middleware messages, shared by the LangChain and LangGraph
adapters. Pure functions; nothing here touches the engine.

The two adapters read the same messages for different purposes, so three conversions take a keyword:

* ``data_blocks``: the LangGraph guards also scan non-media content blocks without text (reasoning, JSON,
  tool-use blocks) as JSON; the LangChain adapter keeps only text parts.
* ``render_calls``: the LangChain adapter appends ``[tool call] NAME {args}`` lines to an assistant message's
  content (so a text scanner of the reply reads the arguments too); the LangGraph guard node scans each call
  as a message of its own and keeps the reply's content as written.
* ``tagged``: how one call reads as text: ``[tool call] NAME {args, keys sorted}`` (LangChain) or
  ``NAME {args}`` (LangGraph).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    FunctionMessage,
    HumanMessage,
)
from langchain_core.messages import SystemMessage as LCSystemMessage
from langchain_core.messages import ToolMessage as LCToolMessage

from lf_middleware.hitl import jsonable
from lf_middleware.types import AssistantMessage, Message, Role, SystemMessage, ToolMessage, UserMessage

__all__ = (
    "MEDIA_BLOCKS",
    "answer_call",
    "answered_ids",
    "content_text",
    "last_ai_index",
    "render_tool_calls",
    "role_of",
    "to_lf_message",
    "tool_call_message",
    "tool_calls_of",
    "tool_output_message",
)

#: content-block types that carry no text a scanner can read
MEDIA_BLOCKS = frozenset({"image", "image_url", "file", "audio"})

_KIND_ROLE = {"human": Role.USER, "ai": Role.ASSISTANT, "tool": Role.TOOL, "system": Role.SYSTEM}


# ------------------------------------------------------------------------------------------------------------
# content


_TOO_DEEP = "<{} nested too deeply to render>"


def content_text(content: object, *, data_blocks: bool = False) -> str:
    """The text of a message ``content``: a str as is, the text parts of a content-block list joined by newlines.

    Media blocks (images, audio, files) carry nothing a text scanner can read and are left out. Other blocks
    without text are left out too, or with ``data_blocks`` kept as JSON.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, (bytes, bytearray)):
        return bytes(content).decode("utf-8", errors="replace")
    if isinstance(content, Sequence):
        parts: list[str] = []
        _block_texts(content, parts, data_blocks, 0)
        return "\n".join(parts)
    return str(content)


def _block_texts(blocks: Sequence[object], parts: list[str], data_blocks: bool, depth: int) -> None:
    """Text of content blocks: ``text`` (a str, or ``{"value": str}`` as OpenAI's Assistants API writes it) and
    the nested ``content`` of blocks such as Anthropic's ``tool_result``, which carries a tool's output inside a
    user message: leaving it out would hand that output to the model unscanned. Nesting is bounded."""
    for block in blocks:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, Mapping):
            text = block.get("text")
            if isinstance(text, Mapping):
                text = text.get("value")
            nested = block.get("content")
            if isinstance(text, str):
                parts.append(text)
            elif isinstance(nested, str):
                parts.append(nested)
            elif isinstance(nested, Sequence) and not isinstance(nested, (bytes, bytearray)) and depth < 8:
                _block_texts(nested, parts, data_blocks, depth + 1)
            elif data_blocks and block.get("type") not in MEDIA_BLOCKS:
                try:
                    parts.append(json.dumps(jsonable(block), ensure_ascii=False))
                except RecursionError:
                    parts.append(_TOO_DEEP.format(type(block).__name__))


# ------------------------------------------------------------------------------------------------------------
# tool calls


def render_tool_calls(tool_calls: Iterable[Mapping[str, Any]], *, tagged: bool = True) -> str:
    """One line per call, so text scanners read tool arguments too: ``[tool call] NAME {json args}`` with keys
    sorted, or with ``tagged=False`` ``NAME {json args}`` in the call's own key order."""
    lines = []
    for call in tool_calls:
        args = call.get("args") or {}
        try:
            rendered = json.dumps(jsonable(args), ensure_ascii=False, sort_keys=tagged)
        except (TypeError, ValueError, RecursionError):  # e.g. arguments that refer to themselves
            try:
                rendered = repr(args)
            except RecursionError:  # pathologically deep: say so rather than crash the guard
                rendered = _TOO_DEEP.format(type(args).__name__)
        name = call.get("name", "")
        lines.append(f"[tool call] {name} {rendered}" if tagged else f"{name} {rendered}")
    return "\n".join(lines)


def tool_calls_of(message: object) -> list[dict[str, Any]]:
    """The tool calls of a LangChain message as ``{"name", "args", "id"}`` dicts (an empty list for none)."""
    calls = getattr(message, "tool_calls", None) or []
    return [{"name": c["name"], "args": dict(c.get("args") or {}), "id": c.get("id") or ""} for c in calls]


def _assistant(text: str, tool_calls: Sequence[Mapping[str, Any]] | None, *, render_calls: bool = True,
               tagged: bool = True) -> AssistantMessage:
    calls = [dict(c) for c in tool_calls or () if isinstance(c, Mapping) and c.get("name")]
    if not calls or not render_calls:
        return AssistantMessage(text, tool_calls=calls or None)
    rendered = render_tool_calls(calls, tagged=tagged)
    return AssistantMessage(f"{text}\n{rendered}" if text else rendered, tool_calls=calls)


def tool_call_message(name: str, args: object, tool_call_id: str | None = None, *,
                      tagged: bool = True) -> AssistantMessage:
    """The assistant action behind a tool run, as scanners see it (role ASSISTANT with one tool call, rendered
    as its content). ``args`` may be a dict, a JSON object string or any other value (kept as ``input``)."""
    if isinstance(args, Mapping):
        call_args = dict(args)
    elif isinstance(args, str):
        try:
            parsed = json.loads(args) if args.strip().startswith("{") else None
        except ValueError:
            parsed = None
        call_args = parsed if isinstance(parsed, dict) else {"input": args}
    else:
        call_args = {"input": args}
    return _assistant("", [{"name": name or "tool", "args": call_args, "id": tool_call_id or ""}], tagged=tagged)


def answer_call(call: Mapping[str, Any], text: str, *, status: str = "error", id: str | None = None) -> LCToolMessage:
    """A LangChain ToolMessage answering ``call`` without running it (``status="error"`` for a blocked or
    rejected call, ``"success"`` for a reviewer's reply in the tool's place)."""
    return LCToolMessage(content=text, name=str(call.get("name", "")), tool_call_id=str(call.get("id") or ""),
                         status=status, id=id)


# ------------------------------------------------------------------------------------------------------------
# messages


def role_of(message: object) -> Role | None:
    """The role of a LangChain message of kind human, ai, tool or system (by its ``type``); None otherwise."""
    return _KIND_ROLE.get(getattr(message, "type", ""))


def to_lf_message(message: BaseMessage | Any, *, render_calls: bool = True, data_blocks: bool = False) -> Message | None:
    """Map one LangChain message (or an OpenAI-style dict in a prompt) to ours; ``None`` for messages that carry
    no content (e.g. RemoveMessage). ``render_calls`` and ``data_blocks``: see the module docstring."""
    if isinstance(message, BaseMessage):
        text = content_text(message.content, data_blocks=data_blocks)
        if isinstance(message, HumanMessage):
            return UserMessage(text)
        if isinstance(message, LCSystemMessage):
            return SystemMessage(text)
        if isinstance(message, AIMessage):
            return _assistant(text, tool_calls_of(message), render_calls=render_calls)
        if isinstance(message, LCToolMessage):
            return ToolMessage(text, name=message.name, tool_call_id=message.tool_call_id)
        if isinstance(message, FunctionMessage):
            return ToolMessage(text, name=message.name)
        if isinstance(message, ChatMessage):
            try:
                role = Role.coerce(message.role)
            except ValueError:
                role = Role.USER  # an unknown speaker is treated as untrusted input
            return Message(role, text)
        if getattr(message, "type", "") == "remove":
            return None
        return UserMessage(text)
    if isinstance(message, Mapping) and "content" in message:  # OpenAI-style dicts in prompts
        role_value = str(message.get("role", "user"))
        role = {"human": Role.USER, "ai": Role.ASSISTANT}.get(role_value)
        if role is None:
            try:
                role = Role.coerce(role_value)
            except ValueError:
                role = Role.USER
        text = content_text(message["content"], data_blocks=data_blocks)
        if role is Role.ASSISTANT:
            return _assistant(text, message.get("tool_calls"), render_calls=render_calls)
        return Message(role, text)
    raise TypeError(
        f"cannot scan a {type(message).__name__} as a chat message; pass LangChain BaseMessage objects"
    )


def last_ai_index(messages: Sequence[Any]) -> int:
    """The index of the newest AIMessage in ``messages`` (the model turn whose tool calls are pending); -1 if none."""
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], AIMessage):
            return i
    return -1


def answered_ids(messages: Sequence[Any], idx: int) -> set[str]:
    """The tool_call_ids that ToolMessages after ``messages[idx]`` already answer."""
    return {m.tool_call_id for m in messages[idx + 1:] if isinstance(m, LCToolMessage)}


def tool_output_message(output: object, *, name: str | None = None, tool_call_id: str | None = None,
                        data_blocks: bool = False) -> ToolMessage:
    """A tool's result as a TOOL message; accepts a LangChain ToolMessage, a Command's messages or any value."""
    if isinstance(output, LCToolMessage):
        return ToolMessage(content_text(output.content, data_blocks=data_blocks), name=output.name or name,
                           tool_call_id=output.tool_call_id or tool_call_id)
    update = getattr(output, "update", None)  # langgraph Command(update={"messages": [...]})
    if isinstance(update, Mapping) and isinstance(update.get("messages"), Sequence):
        texts = [content_text(getattr(m, "content", m), data_blocks=data_blocks) for m in update["messages"]]
        return ToolMessage("\n".join(texts), name=name, tool_call_id=tool_call_id)
    return ToolMessage(content_text(output, data_blocks=data_blocks), name=name, tool_call_id=tool_call_id)
