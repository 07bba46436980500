"""The texts of a message a text scanner must look at: its content and every tool call's name and arguments.

Tool calls are where secrets leave an agent (an email body, an HTTP payload), so scanners walk the argument
tree and scan each string leaf on its own, with a location such as ``tool_calls[0](send_email).args.body``.
The walk is iterative (no recursion limit), visits each container once (cycles are cut) and stops after
``max_leaves`` strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._text import excerpt

__all__ = ("message_segments",)

_MAX_LEAVES = 10_000


def _key_label(key: object) -> str:
    if isinstance(key, str) and key.isidentifier() and len(key) <= 40:
        return "." + key
    if isinstance(key, str):
        return "[" + excerpt(key, limit=24) + "]"
    return f"[{key!r}]"[:40]


def _leaves(value: Any, path: str, max_leaves: int) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [(path, value)]
    seen: set[int] = set()
    emitted = 0
    while stack and emitted < max_leaves:
        where, item = stack.pop()
        if isinstance(item, str):
            emitted += 1
            yield where, item
        elif isinstance(item, Mapping):
            if id(item) in seen:
                continue
            seen.add(id(item))
            entries = list(item.items())
            for key, sub in reversed(entries):
                stack.append((where + _key_label(key), sub))
                if isinstance(key, str) and key:
                    stack.append((where + _key_label(key) + "<key>", key))
        elif isinstance(item, (list, tuple)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            for i in range(len(item) - 1, -1, -1):
                stack.append((f"{where}[{i}]", item[i]))
        elif isinstance(item, (bytes, bytearray)):
            emitted += 1
            yield where, bytes(item).decode("utf-8", errors="replace")
        elif item is None or isinstance(item, bool):
            continue
        elif isinstance(item, (int, float)):
            emitted += 1
            yield where, str(item)
        else:  # an arbitrary object passed as an argument: scan its text form
            try:
                text = str(item)
            except Exception:  # a broken __str__ must not hide the rest of the arguments
                continue
            emitted += 1
            yield where, text


def message_segments(message: Any, *, max_leaves: int = _MAX_LEAVES) -> Iterator[tuple[str, str]]:
    """Yield ``(location, text)`` for the content and each tool call's name and string arguments."""
    yield "content", message.content
    calls = getattr(message, "tool_calls", None)
    if not calls:
        return
    for i, call in enumerate(calls):
        name = call.get("name", "") if isinstance(call, Mapping) else ""
        base = f"tool_calls[{i}]({excerpt(name, limit=32)[1:-1]})" if name else f"tool_calls[{i}]"
        if name:
            yield base + ".name", name
        args = call.get("args") if isinstance(call, Mapping) else call
        yield from _leaves(args, base + ".args", max_leaves)
