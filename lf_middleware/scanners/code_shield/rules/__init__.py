"""CodeShield's rule files (data): ``semgrep/<language>.yaml`` for Semgrep and ``regex.yaml`` for token rules.

Written for lf-middleware. Every rule carries a CWE, a severity and a fix hint; their fixtures live in
``tests/fixtures/code_shield/`` and the test suite runs them through the real Semgrep binary.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ("REGEX_RULES", "RULES_DIR", "SEMGREP_DIR")

RULES_DIR = Path(__file__).resolve().parent
SEMGREP_DIR = RULES_DIR / "semgrep"
REGEX_RULES = RULES_DIR / "regex.yaml"
