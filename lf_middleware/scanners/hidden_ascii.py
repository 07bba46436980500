"""The ``hidden_ascii`` scanner: text a human cannot see but a model reads (or a reviewer misreads).

Findings, by category (default decision in brackets; override with ``decisions={category: decision}``):

* ``tag`` [block]: Unicode tag characters U+E0000–E007F, which models read as ASCII (U+E0041 is "A"). The
  hidden text is decoded and shown, shortened, in the reason. A tag sequence that forms an emoji subdivision
  flag (U+1F3F4 + tag letters + CANCEL TAG, e.g. the flag of England) is not reported.
* ``variation_selector`` [block]: runs of two or more variation selectors (VS1–VS256), or four or more
  selectors that follow neither an emoji nor a CJK ideograph: the "emoji smuggling" trick that stores one byte
  per selector. The bytes are decoded and shown. A single VS15/VS16 after an emoji, or one ideographic
  variation selector after a CJK ideograph, is normal text.
* ``bidi_override`` [block]: LRE, RLE, PDF, LRO, RLO (U+202A–202E): they reorder how text is displayed, the
  "Trojan Source" attack on code review and the classic file-name spoof.
* ``bidi_isolate`` [human_in_the_loop_required]: LRI, RLI, FSI, PDI (U+2066–2069). Localisation tools insert
  them around placeholders, so they escalate to a person instead of blocking.
* ``zero_width`` [human_in_the_loop_required]: every other invisible character (``_text.INVISIBLE_CLASS``:
  all format characters and the other default-ignorable code points): ZWSP, ZWNJ, ZWJ, WJ, LRM, RLM, ALM,
  soft hyphen, invisible operators (U+2061–2064), the deprecated format controls (U+206A–206F), Mongolian
  vowel separator and free variation selectors, Hangul fillers, and a BOM anywhere but at the very start.
  They split keywords to slip past filters. Not reported: ZWJ between emoji (family and profession
  sequences); a single ZWJ, ZWNJ, LRM, RLM, ALM, CGJ, Khmer inherent vowel or Mongolian free variation
  selector next to a letter of a script that uses them (Arabic, Persian, Hebrew, Syriac, Indic scripts,
  Sinhala, Myanmar, Khmer, Mongolian); ZWSP next to Thai, Lao, Khmer, Myanmar or CJK text (a word-break
  hint there).
* ``zero_width_encoded`` [block]: a run of 16 or more invisible characters built from two or three
  distinct ones: binary-encoded hidden text. Decoded when it reads as 8-bit ASCII.

The content and every tool call's name and string arguments are scanned. ASCII-only text returns at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from .._text import INVISIBLE_CLASS, excerpt, mask_secrets
from ..errors import ConfigurationError
from ..types import Message, ScanDecision, ScanResult, Trace, severity
from ._segments import message_segments
from .base import Scanner

__all__ = ("HiddenASCIIScanner", "CATEGORIES", "decode_tags")

_B = ScanDecision.BLOCK
_H = ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED

#: categories and their default decisions
CATEGORIES: dict[str, ScanDecision] = {
    "tag": _B,
    "variation_selector": _B,
    "bidi_override": _B,
    "bidi_isolate": _H,
    "zero_width": _H,
    "zero_width_encoded": _B,
}
_SCORES = {ScanDecision.ALLOW: 0.0, _H: 0.5, _B: 1.0}
_BY_SEVERITY = {severity(d): d for d in ScanDecision}

_BIDI_OVERRIDE = frozenset(range(0x202A, 0x202F))
_BIDI_ISOLATE = frozenset(range(0x2066, 0x206A))
_NAMED_KINDS = {
    "tag": "\U000e0000-\U000e007f",
    "vs": "\ufe00-\ufe0f\U000e0100-\U000e01ef",
    "bidi": "\u202a-\u202e\u2066-\u2069",
}
#: one character class per kind; "zw" is every other invisible character
_KIND_CLASSES = {
    **{k: f"[{v}]" for k, v in _NAMED_KINDS.items()},
    "zw": f"(?:(?![{''.join(_NAMED_KINDS.values())}])[{INVISIBLE_CLASS}])",
}
_ANY_RUN = re.compile(f"[{INVISIBLE_CLASS}]+")  # one class: the fast scan path
_KIND_RUN = {k: re.compile(f"{v}+") for k, v in _KIND_CLASSES.items()}
_RUNS = re.compile("|".join(f"(?P<{k}>{v}+)" for k, v in _KIND_CLASSES.items()))
#: invisible characters that are ordinary spelling next to a letter of a joining script (see below)
_JOINING_MARKS = frozenset({0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x034F, 0x17B4, 0x17B5,
                            0x180B, 0x180C, 0x180D, 0x180F})
_NOT_OVERRIDE = {cp: None for cp in range(0x202A, 0x202F)}
_MAX_RUNS_JUDGED = 20_000  # beyond this many runs in one text, the rest are counted, not judged one by one
_DECODE_LIMIT = 512  # characters of a run decoded for the reason
_ZWSP, _ZWNJ, _ZWJ, _BOM = 0x200B, 0x200C, 0x200D, 0xFEFF
_BLACK_FLAG, _CANCEL_TAG = 0x1F3F4, 0xE007F
_MAX_FINDINGS = 20
_ENCODED_RUN = 16


def _kind(cp: int) -> str:
    if 0xE0000 <= cp <= 0xE007F:
        return "tag"
    if _is_vs(cp):
        return "vs"
    if cp in _BIDI_OVERRIDE or cp in _BIDI_ISOLATE:
        return "bidi"
    return "zw"


def _is_vs(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _is_emoji(cp: int) -> bool:
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0xFE0F, 0x20E3, 0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D)
    )


def _is_joining_script(cp: int) -> bool:
    """Scripts where ZWJ/ZWNJ are ordinary spelling: Hebrew, Arabic (and Persian, Urdu), Syriac, Thaana, NKo,
    the Indic scripts, Sinhala, Tibetan, Myanmar, Khmer, Mongolian, and Arabic presentation forms."""
    return (
        0x0590 <= cp <= 0x08FF
        or 0x0900 <= cp <= 0x0DFF
        or 0x0F00 <= cp <= 0x109F
        or 0x1780 <= cp <= 0x18AF
        or 0xA8E0 <= cp <= 0xA8FF
        or 0xFB1D <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFC
        or 0x11000 <= cp <= 0x111FF
    )


def _is_word_break_script(cp: int) -> bool:
    """Scripts written without spaces, where ZWSP marks word breaks: Thai, Lao, Myanmar, Khmer, CJK, kana."""
    return (
        0x0E00 <= cp <= 0x0EFF
        or 0x1000 <= cp <= 0x109F
        or 0x1780 <= cp <= 0x17FF
        or 0x3000 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _is_cjk_ideograph(cp: int) -> bool:
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def decode_tags(text: str) -> str:
    """The ASCII a run of tag characters spells (U+E0020–E007E map to ' '–'~'; other tags are dropped)."""
    return "".join(chr(ord(c) - 0xE0000) for c in text if 0xE0020 <= ord(c) <= 0xE007E)


def _vs_byte(cp: int) -> int:
    return cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16


def _decode_vs(cps: list[int]) -> str:
    return bytes(_vs_byte(cp) for cp in cps).decode("utf-8", errors="replace")


def _decode_bits(cps: list[int]) -> str | None:
    """Binary steganography in two zero-width symbols: try both bit assignments, keep the one that reads as
    printable ASCII."""
    kinds = sorted(set(cps))
    if len(kinds) != 2 or len(cps) < 8:
        return None
    best: str | None = None
    for one in kinds:
        bits = "".join("1" if cp == one else "0" for cp in cps)
        chars = [int(bits[i : i + 8], 2) for i in range(0, len(bits) - 7, 8)]
        text = "".join(chr(b) for b in chars)
        readable = chars and sum(32 <= b < 127 for b in chars) >= 0.8 * len(chars)
        if readable and (best is None or len(text) > len(best)):
            best = text
    return best


def _u(cp: int) -> str:
    return f"U+{cp:04X}"


class HiddenASCIIScanner(Scanner):
    """Find invisible and display-reordering characters: tag characters (decoded), zero-width characters, bidi
    controls and variation-selector smuggling. Reports what was found and where.

    Args:
        decisions: override the decision per category (``tag``, ``variation_selector``, ``bidi_override``,
            ``bidi_isolate``, ``zero_width``, ``zero_width_encoded``): ``block``,
            ``human_in_the_loop_required`` or ``allow`` (report only).
    """

    name: ClassVar[str] = "hidden_ascii"
    default_hitl_threshold: ClassVar[float | None] = None
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False
    #: its time is linear in the input (no model, no I/O): the engine runs it inline, outside the timeout
    linear_time: ClassVar[bool] = True

    def __init__(self, *, decisions: Mapping[str, ScanDecision | str] | None = None) -> None:
        self.decisions: dict[str, ScanDecision] = dict(CATEGORIES)
        for category, value in (decisions or {}).items():
            if category not in CATEGORIES:
                raise ConfigurationError(
                    f"hidden_ascii: unknown category {category!r} in decisions; known: {', '.join(CATEGORIES)}"
                )
            try:
                self.decisions[category] = (
                    value if isinstance(value, ScanDecision) else ScanDecision(str(value).strip().lower())
                )
            except ValueError:
                raise ConfigurationError(
                    f"hidden_ascii: decisions[{category!r}] must be 'block', 'human_in_the_loop_required' or "
                    f"'allow', got {value!r}"
                ) from None
        self._clean = self.result(reason="no hidden characters")

    # --------------------------------------------------------------------------------------------------------
    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        if message.tool_calls:
            segments: Iterable[tuple[str, str]] = message_segments(message)
        else:
            text = message.content
            if text.isascii():
                return self._clean
            segments = (("content", text),)
        findings: list[dict[str, Any]] = []
        for location, text in segments:
            if text and not text.isascii():
                findings.extend(self._scan_text(location, text))
        if not findings:
            return self._clean
        worst = max(severity(self.decisions[f["category"]]) for f in findings)
        decision = _BY_SEVERITY[worst]
        ordered = sorted(findings, key=lambda f: -severity(self.decisions[f["category"]]))
        notes = [f["summary"] for f in ordered[:3]]
        more = len(findings) - len(notes)
        reason = "; ".join(notes) + (f"; and {more} more finding(s)" if more > 0 else "")
        if decision is ScanDecision.ALLOW:
            reason = "report-only: " + reason
        details = [{k: v for k, v in f.items() if k != "summary"} for f in findings[:_MAX_FINDINGS]]
        counts: dict[str, int] = {}
        for f in findings:
            counts[f["category"]] = counts.get(f["category"], 0) + f["count"]
        return self.result(score=_SCORES[decision], reason=reason, decision=decision, findings=details,
                           counts=counts)

    def _scan_text(self, location: str, text: str) -> list[dict[str, Any]]:
        """Find runs of one kind of suspicious character and judge each run in its context."""
        out: list[dict[str, Any]] = []
        loose_vs: list[int] = []  # positions of single selectors that follow neither emoji nor ideograph
        judged = 0
        for m in _ANY_RUN.finditer(text):
            start, end = m.span()
            kind = _kind(ord(text[start]))
            if end - start == 1 or _KIND_RUN[kind].fullmatch(text, start, end):
                runs: Iterable[tuple[str, int, int]] = ((kind, start, end),)
            else:  # a run mixing kinds: split it
                runs = ((r.lastgroup or "", r.start(), r.end()) for r in _RUNS.finditer(text, start, end))
            for kind, a, b in runs:
                judged += 1
                out.extend(self._judge(location, text, kind, a, b, loose_vs))
                if judged >= _MAX_RUNS_JUDGED:
                    break
            if judged >= _MAX_RUNS_JUDGED:
                out.extend(self._rest(location, text, b))
                break
        if len(loose_vs) >= 4:
            cps = [ord(text[p]) for p in loose_vs[:_DECODE_LIMIT]]
            decoded = excerpt(mask_secrets(_decode_vs(cps)), limit=40)
            out.append(self._finding(
                "variation_selector", location, loose_vs[0], loose_vs[-1] + 1, len(loose_vs), cps,
                f"{len(loose_vs)} variation selectors spread over {location}[{loose_vs[0]}:{loose_vs[-1] + 1}] "
                f"(one byte each) decode to {decoded}", decoded=decoded))
        return out

    def _rest(self, location: str, text: str, start: int) -> list[dict[str, Any]]:
        """A text with an absurd number of hidden-character runs: report, per kind, the first occurrence in the
        rest of the text (unjudged, so it takes its category's decision) instead of judging every run."""
        category = {"tag": "tag", "vs": "variation_selector", "bidi": "bidi_override", "zw": "zero_width"}
        out = []
        for kind, rx in _KIND_RUN.items():
            m = rx.search(text, start)
            if m is not None:
                out.append(self._finding(
                    category[kind], location, m.start(), m.end(), m.end() - m.start(), [ord(text[m.start()])],
                    f"more {category[kind]} characters from {location}[{m.start()}] on (over {_MAX_RUNS_JUDGED} runs "
                    "of hidden characters; the rest is not judged one by one)"))
        return out

    def _finding(self, category: str, location: str, start: int, end: int, count: int, cps: list[int],
                 summary: str, **extra: Any) -> dict[str, Any]:
        codepoints = sorted({_u(cp) for cp in cps})
        return {"category": category, "decision": self.decisions[category].value,
                "location": f"{location}[{start}:{end}]", "start": start, "end": end, "count": count,
                "codepoints": codepoints[:8], "summary": summary, **extra}

    def _judge(self, location: str, text: str, kind: str, start: int, end: int,
               loose_vs: list[int]) -> list[dict[str, Any]]:
        where = f"{location}[{start}:{end}]"
        n = end - start
        cps = [ord(c) for c in text[start : min(end, start + _DECODE_LIMIT)]]  # enough to decode and show
        before = ord(text[start - 1]) if start > 0 else None
        after = ord(text[end]) if end < len(text) else None
        if kind == "tag":
            if (before == _BLACK_FLAG and cps[-1] == _CANCEL_TAG and 3 <= n <= 8
                    and all(0xE0030 <= c <= 0xE0039 or 0xE0061 <= c <= 0xE007A for c in cps[:-1])):
                return []  # emoji subdivision flag (England, Scotland, Wales, ...)
            decoded = decode_tags("".join(map(chr, cps)))
            shown = excerpt(mask_secrets(decoded), limit=40)
            return [self._finding("tag", location, start, end, n, cps,
                                  f"{n} Unicode tag character(s) at {where} decode to {shown}",
                                  decoded=shown)]
        if kind == "vs":
            if n >= 2:
                shown = excerpt(mask_secrets(_decode_vs(cps)), limit=40)
                return [self._finding("variation_selector", location, start, end, n, cps,
                                      f"run of {n} variation selectors at {where} (one byte each) decode to "
                                      f"{shown}", decoded=shown)]
            cp = cps[0]
            normal = (
                (cp in (0xFE0E, 0xFE0F) and before is not None)
                or (before is not None and _is_emoji(before))
                or (before is not None and _is_cjk_ideograph(before))
                or (before is not None and 0x1800 <= before <= 0x18AF)
            )
            if not normal:
                loose_vs.append(start)
            return []
        if kind == "bidi":
            found = []
            run = text[start:end]
            n_isolates = len(run.translate(_NOT_OVERRIDE))
            n_overrides = n - n_isolates
            overrides = [c for c in cps if c in _BIDI_OVERRIDE]
            isolates = [c for c in cps if c in _BIDI_ISOLATE]
            if n_overrides:
                found.append(self._finding(
                    "bidi_override", location, start, end, n_overrides, overrides,
                    f"bidi override/embedding {', '.join(sorted({_u(c) for c in overrides}))} at {where}: "
                    "displayed text order differs from the logical order"))
            if n_isolates:
                found.append(self._finding(
                    "bidi_isolate", location, start, end, n_isolates, isolates,
                    f"bidi isolate {', '.join(sorted({_u(c) for c in isolates}))} at {where}"))
            return found
        # zero-width family
        if n >= _ENCODED_RUN and len(set(text[start:end])) <= 3:
            decoded = _decode_bits(cps[: len(cps) - len(cps) % 8])
            extra = {"decoded": excerpt(mask_secrets(decoded), limit=40)} if decoded else {}
            tail = f" decode to {extra['decoded']}" if decoded else ""
            return [self._finding("zero_width_encoded", location, start, end, n, cps,
                                  f"run of {n} zero-width characters at {where} (binary-encoded text?){tail}",
                                  **extra)]
        if n == 1:
            cp = cps[0]
            if cp == _BOM and start == 0:
                return []
            if cp in _JOINING_MARKS and (
                (before is not None and _is_joining_script(before)) or (after is not None and _is_joining_script(after))
            ):
                return []
            if cp == _ZWJ and before is not None and after is not None and (
                (_is_emoji(before) or 0x1F3FB <= before <= 0x1F3FF) and _is_emoji(after)
            ):
                return []
            if cp == _ZWSP and (
                (before is not None and _is_word_break_script(before))
                or (after is not None and _is_word_break_script(after))
            ):
                return []
        names = ", ".join(sorted({_u(c) for c in cps}))
        return [self._finding("zero_width", location, start, end, n, cps,
                              f"{n} zero-width character(s) {names} at {where}")]
