"""Pieces shared by the two backends that speak the OpenAI chat-completions protocol (Together, any base URL)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Literal

from ..errors import ConfigurationError

JsonMode = Literal["schema", "json_object", "off"]
"""How to ask for JSON: a JSON schema (``response_format`` type ``json_schema``), plain JSON mode, or only the
prompt's instructions (for servers that reject ``response_format``)."""

_NAME_RE = re.compile(r"[^a-zA-Z0-9_-]")


def check_json_mode(value: object) -> JsonMode:
    if value not in ("schema", "json_object", "off"):
        raise ConfigurationError(f"json_mode must be 'schema', 'json_object' or 'off', got {value!r}")
    return value  # type: ignore[return-value]


def response_format(schema: type | None, mode: JsonMode) -> dict[str, Any] | None:
    """The ``response_format`` body field for ``schema`` under ``mode`` (None: send none)."""
    if mode == "off" or schema is None:
        return None
    if mode == "json_object" or not hasattr(schema, "model_json_schema"):
        return {"type": "json_object"}
    return _schema_format(schema)


@functools.lru_cache(maxsize=64)
def _schema_format(schema: type) -> dict[str, Any]:
    # JSON schema generation costs ~100 us; schemas are classes, so compute once per class
    name = _NAME_RE.sub("_", getattr(schema, "__name__", "output"))[:64] or "output"
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema.model_json_schema()}}


def reply_text(choices: Any) -> str | None:
    """The first choice's message content from an OpenAI-shaped ``choices`` list (objects or dicts)."""
    if not choices:
        return None
    first = choices[0]
    message = first.get("message") if isinstance(first, Mapping) else getattr(first, "message", None)
    if message is None:
        return None
    content = message.get("content") if isinstance(message, Mapping) else getattr(message, "content", None)
    return content if isinstance(content, str) else None
