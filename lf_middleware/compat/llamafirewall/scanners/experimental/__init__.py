"""LlamaFirewall's experimental LLM scanners, imported on first use."""

from __future__ import annotations

from ....._lazy import lazy_exports

__all__ = ("AlignmentCheckScanner", "PIICheckScanner")

_dynamic_imports = {
    "AlignmentCheckScanner": "alignmentcheck_scanner",
    "PIICheckScanner": "piicheck_scanner",
}

__getattr__, __dir__ = lazy_exports(__name__, _dynamic_imports, globals())
