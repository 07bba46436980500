"""Scanners. Each built-in lives in its own module and is imported on first use."""

from __future__ import annotations

from .._lazy import lazy_exports
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


__getattr__, __dir__ = lazy_exports(__name__, _dynamic_imports, globals())
