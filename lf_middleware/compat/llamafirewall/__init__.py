"""LlamaFirewall 1.0.3's API on lf-middleware: rename the import ``llamafirewall`` to
``lf_middleware.compat.llamafirewall``.

Module paths mirror LlamaFirewall's (``.llamafirewall``, ``.llamafirewall_data_types``, ``.config``,
``.scanners.<name>_scanner``, ``.scanners.experimental.*``, ``.utils.base_llm``). The facade keeps
LlamaFirewall's semantics where they differ from ``lf_middleware.LlamaFirewall``; the scanners, the policy's
error handling and the engine are ours. See ``docs/migrating_from_llamafirewall.md``.
"""

from __future__ import annotations

from ..._lazy import lazy_exports
from .config import UseCase
from .llamafirewall import LlamaFirewall, register_llamafirewall_scanner
from .llamafirewall_data_types import (
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
from .scanners import Scanner

__all__ = (
    "AssistantMessage",
    "LLMClient",
    "LlamaFirewall",
    "MemoryMessage",
    "Message",
    "Role",
    "ScanDecision",
    "ScanResult",
    "ScanStatus",
    "Scanner",
    "ScannerType",
    "SystemMessage",
    "ToolMessage",
    "Trace",
    "UseCase",
    "UserMessage",
    "register_llamafirewall_scanner",
)

__getattr__, __dir__ = lazy_exports(__name__, {"LLMClient": "utils.base_llm"}, globals())
