"""Turn LangChain messages, prompts and tool events into lf-middleware messages.

Shared by the callback handlers, the streaming guard and the agent middleware. Pure functions; nothing here
touches the engine.
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

from ..._text import content_hash
from ...types import AssistantMessage, Message, Role, SystemMessage, ToolMessage, UserMessage

__all__ = (
    "content_text",
    "message_key",
    "render_tool_calls",
    "to_lf_message",
    "tool_call_message",
    "tool_output_message",
)


def content_text(content: object) -> str:
    """The text of a message ``content``: a str as is, the text parts of a content-block list joined.

    Non-text blocks (images, audio) carry nothing a text scanner can read and are left out.
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, (bytes, bytearray)):
        return bytes(content).decode("utf-8", errors="replace")
    if isinstance(content, Sequence):
        parts: list[str] = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, Mapping):
                text = block.get("text")
                if isinstance(text, str):
                    parts.append(text)
        return "\n".join(parts)
    return str(content)


def render_tool_calls(tool_calls: Iterable[Mapping[str, Any]]) -> str:
    """One line per call, ``[tool call] NAME {json args}``, so text scanners read tool arguments too."""
    lines = []
    for call in tool_calls:
        args = call.get("args", {})
        try:
            rendered = json.dumps(args, ensure_ascii=False, sort_keys=True, default=str)
        except (TypeError, ValueError):
            rendered = repr(args)
        lines.append(f"[tool call] {call.get('name', '')} {rendered}")
    return "\n".join(lines)


def _assistant(text: str, tool_calls: Sequence[Mapping[str, Any]] | None) -> AssistantMessage:
    calls = [dict(c) for c in tool_calls or () if isinstance(c, Mapping) and c.get("name")]
    if not calls:
        return AssistantMessage(text)
    rendered = render_tool_calls(calls)
    return AssistantMessage(f"{text}\n{rendered}" if text else rendered, tool_calls=calls)


def to_lf_message(message: BaseMessage | Any) -> Message | None:
    """Map one LangChain message to ours; ``None`` for messages that carry no content (e.g. RemoveMessage)."""
    if isinstance(message, HumanMessage):
        return UserMessage(content_text(message.content))
    if isinstance(message, LCSystemMessage):
        return SystemMessage(content_text(message.content))
    if isinstance(message, AIMessage):
        return _assistant(content_text(message.content), message.tool_calls)
    if isinstance(message, LCToolMessage):
        return ToolMessage(content_text(message.content), name=message.name, tool_call_id=message.tool_call_id)
    if isinstance(message, FunctionMessage):
        return ToolMessage(content_text(message.content), name=message.name)
    if isinstance(message, ChatMessage):
        try:
            role = Role.coerce(message.role)
        except ValueError:
            role = Role.USER  # an unknown speaker is treated as untrusted input
        return Message(role, content_text(message.content))
    if isinstance(message, BaseMessage):
        kind = getattr(message, "type", "")
        if kind == "remove":
            return None
        return UserMessage(content_text(message.content))
    if isinstance(message, Mapping) and "content" in message:  # OpenAI-style dicts in prompts
        role_value = str(message.get("role", "user"))
        role = {"human": Role.USER, "ai": Role.ASSISTANT}.get(role_value)
        if role is None:
            try:
                role = Role.coerce(role_value)
            except ValueError:
                role = Role.USER
        if role is Role.ASSISTANT:
            return _assistant(content_text(message["content"]), message.get("tool_calls"))
        return Message(role, content_text(message["content"]))
    raise TypeError(
        f"cannot scan a {type(message).__name__} as a chat message; pass LangChain BaseMessage objects"
    )


def tool_call_message(name: str, args: object, tool_call_id: str | None = None) -> AssistantMessage:
    """The assistant action behind a tool run, as scanners see it (role ASSISTANT with one tool call)."""
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
    return _assistant("", [{"name": name or "tool", "args": call_args, "id": tool_call_id or ""}])


def tool_output_message(output: object, *, name: str | None = None, tool_call_id: str | None = None) -> ToolMessage:
    """A tool's result as a TOOL message; accepts a LangChain ToolMessage, a Command's messages or any value."""
    if isinstance(output, LCToolMessage):
        return ToolMessage(content_text(output.content), name=output.name or name,
                           tool_call_id=output.tool_call_id or tool_call_id)
    update = getattr(output, "update", None)  # langgraph Command(update={"messages": [...]})
    if isinstance(update, Mapping) and isinstance(update.get("messages"), Sequence):
        texts = [content_text(getattr(m, "content", m)) for m in update["messages"]]
        return ToolMessage("\n".join(texts), name=name, tool_call_id=tool_call_id)
    return ToolMessage(content_text(output), name=name, tool_call_id=tool_call_id)


def message_key(message: Message) -> tuple[str, str, tuple[str, ...]]:
    """Identity of a message inside one trace: role, content hash and tool-call ids."""
    ids = tuple(str(c.get("id", "")) for c in message.tool_calls or ())
    return (message.role.value, content_hash(message.content), ids)
