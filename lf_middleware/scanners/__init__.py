"""Scanners. Each built-in lives in its own module and is imported on first use."""

from __future__ import annotations

import importlib
from typing import Any

from .base import (
    Scanner,
    available_scanners,
    create_scanner,
    get_scanner_class,
    load_entry_point_scanners,
    register_scanner,
    unregister_scanner,
)

__all__ = (
    "Scanner",
    "available_scanners",
    "create_scanner",
    "get_scanner_class",
    "load_entry_point_scanners",
    "register_scanner",
    "unregister_scanner",
    "RegexScanner",
    "HiddenASCIIScanner",
    "PromptGuardScanner",
    "CodeShieldScanner",
    "AlignmentCheckScanner",
    "CustomCheckScanner",
    "PIICheckScanner",
    "ToolPolicyScanner",
)

_dynamic_imports = {
    "RegexScanner": "regex",
    "HiddenASCIIScanner": "hidden_ascii",
    "PromptGuardScanner": "prompt_guard",
    "CodeShieldScanner": "code_shield",
    "AlignmentCheckScanner": "alignment_check",
    "CustomCheckScanner": "custom_check",
    "PIICheckScanner": "pii_check",
    "ToolPolicyScanner": "tool_policy",
}


def __getattr__(name: str) -> Any:
    module = _dynamic_imports.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
