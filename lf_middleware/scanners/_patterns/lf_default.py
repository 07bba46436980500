"""LlamaFirewall 1.0.3's five default regex patterns, re-expressed for like-for-like comparisons.

Same intent and decisions as LlamaFirewall's defaults (every match BLOCKs, all case-insensitive): a two-phrase
prompt-injection check, email, a 16-digit card number in groups of four (no Luhn check), a ten-digit US-style
phone number with optional separators and an optional short country code, and a dashed SSN. Two deliberate
differences: the email parts are length-bounded (64/255/63) and anchored at the start of their run, so hostile
input cannot make the search quadratic, and the top-level domain does not accept '|'. The richer packs (``injection``, ``secrets``, ``pii``)
supersede these; use this pack when comparing speed or decisions with LlamaFirewall.
"""

from __future__ import annotations

from . import BLOCK, PatternDef

# Each digit pattern starts with a digit and checks the word boundary just after it, ``\d(?<!\w\d)`` (the
# same condition as a leading ``\b``): a pattern that begins with a character class lets the regex engine skip
# ahead quickly. The phone pattern is split in two: the ten digits (with optional parentheses, which a
# leading boundary already lets start at the first digit), and the same after a ``+CC`` prefix glued to a
# word character, the one case where the optional prefix changes whether anything matches.
_PHONE_TAIL = r"\)?[-.\s]?\d{3}[-.\s]?\d{4}\b"

LLAMAFIREWALL_DEFAULT: tuple[PatternDef, ...] = (
    PatternDef(name="prompt_injection", category="injection", decision=BLOCK, ignore_case=True,
               regex=r"ignore (?:previous|all) instructions"),
    PatternDef(name="email", category="pii", decision=BLOCK, sensitive=True,
               regex=r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,255}\.[A-Za-z]{2,63}\b"),
    PatternDef(name="credit_card", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\d(?<!\w\d)\d{3}[\- ]?(?:\d{4}[\- ]?){2}\d{4}\b"),
    PatternDef(name="phone_number", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\d(?<!\w\d)\d{2}" + _PHONE_TAIL),
    PatternDef(name="phone_number", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\+(?<=\w\+)\d{1,2}\s?\(?\d{3}" + _PHONE_TAIL),
    PatternDef(name="ssn", category="pii", decision=BLOCK, sensitive=True,
               regex=r"\d(?<!\w\d)\d{2}-\d{2}-\d{4}\b"),
)
