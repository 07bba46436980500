"""LlamaFirewall's ``scanners`` package: the scanner classes, imported on first use."""

from __future__ import annotations

from ...._lazy import lazy_exports
from .base_scanner import Scanner

__all__ = (
    "AlignmentCheckScanner",
    "CodeShieldScanner",
    "CustomCheckScanner",
    "HiddenASCIIScanner",
    "PIICheckScanner",
    "PromptGuardScanner",
    "RegexScanner",
    "Scanner",
)

_dynamic_imports = {
    "CodeShieldScanner": "code_shield_scanner",
    "HiddenASCIIScanner": "hidden_ascii_scanner",
    "PromptGuardScanner": "prompt_guard_scanner",
    "RegexScanner": "regex_scanner",
    "CustomCheckScanner": "custom_check_scanner",
    "AlignmentCheckScanner": "experimental.alignmentcheck_scanner",
    "PIICheckScanner": "experimental.piicheck_scanner",
}

__getattr__, __dir__ = lazy_exports(__name__, _dynamic_imports, globals())
