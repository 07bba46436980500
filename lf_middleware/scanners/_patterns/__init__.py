"""Pattern packs shipped with the ``regex`` scanner.

A pack is a tuple of :class:`PatternDef`. Patterns are written to run in linear time on hostile input:
every quantifier is bounded, no quantified group contains another unbounded quantifier, and a pattern that
starts with a repeated character class is anchored by a negative lookbehind for that class, so a long run of
look-alike characters is tried once, from its start, instead of at every position.

Packs: ``injection`` (prompt-injection phrasings in several languages), ``secrets`` (cloud keys, tokens,
private key blocks, JWTs, connection strings with passwords), ``pii`` (email, phone, payment card with a Luhn
check, US SSN, IBAN with its mod-97 check) and ``llamafirewall_default`` (LlamaFirewall 1.0.3's five
default patterns, for like-for-like comparisons).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...types import ScanDecision

__all__ = ("PACKS", "PatternDef", "pack_names")

BLOCK = ScanDecision.BLOCK
HITL = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternDef:
    """One named pattern of a pack."""

    name: str
    category: str  # "injection" | "secret" | "pii" | user-defined
    regex: str
    decision: ScanDecision = BLOCK
    ignore_case: bool = False
    #: extra check on the matched text (Luhn, mod-97, digit count); a match it rejects is not reported
    validator: Callable[[str], bool] | None = None
    #: mask the excerpt in reasons (secrets and PII): only the first characters are shown
    sensitive: bool = False
    description: str = ""


def pack_names() -> tuple[str, ...]:
    return tuple(PACKS)


def _load() -> dict[str, tuple[PatternDef, ...]]:
    from .injection import INJECTION
    from .lf_default import LLAMAFIREWALL_DEFAULT
    from .pii import PII
    from .secrets import SECRETS

    return {
        "injection": INJECTION,
        "secrets": SECRETS,
        "pii": PII,
        "llamafirewall_default": LLAMAFIREWALL_DEFAULT,
    }


PACKS: dict[str, tuple[PatternDef, ...]] = _load()
