"""LlamaFirewall's ``llamafirewall_data_types``: the enums, messages and result, which are ours unchanged.

``ScanResult(decision, reason, score, status)`` is built positionally as in LlamaFirewall; its extra fields
(``scanner``, ``latency_ms``, ``results``, ``details``) are keyword-only and ignored by ``==``.
"""

from __future__ import annotations

from ...types import (
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

__all__ = (
    "AssistantMessage",
    "MemoryMessage",
    "Message",
    "Role",
    "ScanDecision",
    "ScanResult",
    "ScanStatus",
    "ScannerType",
    "SystemMessage",
    "ToolMessage",
    "Trace",
    "UserMessage",
)
