"""CodeShield: static analysis (Semgrep + regex rules) of code in model output, 8 languages.

See docs/code_shield.md. ``semgrep`` (the ``codeshield`` extra) is only needed when a message holds code in a
language with Semgrep rules; it is located lazily, never imported.
"""

from __future__ import annotations

from .scanner import CodeShieldScanner, Finding

__all__ = ("CodeShieldScanner", "Finding")
