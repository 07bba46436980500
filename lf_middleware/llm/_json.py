"""Tolerant extraction of JSON objects from an LLM reply: bare, fenced (```json ... ```) or inside chatter."""

from __future__ import annotations

import json
import re

__all__ = ("json_candidates",)

_FENCE = re.compile(r"```[ \t]*(?:json|JSON|javascript|js)?[ \t]*\r?\n?(.*?)```", re.DOTALL)
_DECODER = json.JSONDecoder()
#: how many '{' positions to try in chatty text before giving up (keeps garbage input linear-ish)
_MAX_STARTS = 64


def json_candidates(text: str) -> list[str]:
    """JSON object texts found in ``text``, in order of appearance, each a complete ``{...}`` substring.

    The whole reply when it is one object; else the contents of code fences that hold an object; else every
    top-level object embedded in prose. Non-object JSON (lists, numbers) is ignored.
    """
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("{"):
        whole = _object_at(stripped, 0)
        if whole is not None and whole[1] == len(stripped):
            return [stripped]
    fenced = [m.group(1).strip() for m in _FENCE.finditer(text)]
    found = [f for f in fenced if f.startswith("{") and _object_at(f, 0) is not None and _object_at(f, 0)[1] == len(f)]  # type: ignore[index]
    if found:
        return found
    out: list[str] = []
    pos, tries = 0, 0
    while tries < _MAX_STARTS:
        start = text.find("{", pos)
        if start < 0:
            break
        tries += 1
        hit = _object_at(text, start)
        if hit is None:
            pos = start + 1
            continue
        out.append(text[start : hit[1]])
        pos = hit[1]
    return out


def _object_at(text: str, start: int) -> tuple[object, int] | None:
    try:
        value, end = _DECODER.raw_decode(text, start)
    except ValueError:
        return None
    return (value, end) if isinstance(value, dict) else None
