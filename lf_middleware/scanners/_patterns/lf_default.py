"""LlamaFirewall 1.0.3's five default regex patterns, re-expressed for like-for-like comparisons.

Same intent and decisions as LlamaFirewall's defaults (every match BLOCKs): a two-phrase prompt-injection
check, email, a 16-digit card number in groups of four (no Luhn check), a US-style phone number with an
optional short country code, and a dashed SSN. The richer packs (``injection``, ``secrets``, ``pii``)
supersede these; use this pack when comparing speed or decisions with LlamaFirewall.
"""

from __future__ import annotations

from . import BLOCK, PatternDef

LLAMAFIREWALL_DEFAULT: tuple[PatternDef, ...] = (
    PatternDef(name="prompt_injection", category="injection", decision=BLOCK, ignore_case=True,
               regex=r"ignore (?:previous|all) instructions"),
    PatternDef(name="email", category="pii", decision=BLOCK, sensitive=True,
               regex=r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,256}@[A-Za-z0-9.\-]{1,256}\.[A-Za-z]{2,63}"),
    PatternDef(name="credit_card", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\b(?:\d{4}[\- ]?){3}\d{4}\b"),
    PatternDef(name="phone_number", category="pii", decision=BLOCK, sensitive=True,
               regex=r"(?<![\w+])(?:\+\d{1,2}\s)?\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}\b"),
    PatternDef(name="ssn", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\b\d{3}-\d{2}-\d{4}\b"),
)
