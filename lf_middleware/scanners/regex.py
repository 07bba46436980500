"""The ``regex`` scanner: named pattern packs (prompt injection, secrets, PII) plus user patterns.

Each pattern maps to a decision (BLOCK, HUMAN_IN_THE_LOOP_REQUIRED, or ALLOW for report-only). The scanner
asserts the most severe decision among its matches; it is not score-based, so sensitivity presets leave it
alone. It scans the message content and every tool call's name and string arguments (tool calls are where
secrets leave an agent).

Hostile input: the shipped patterns are linear-time (bounded quantifiers, no nested unbounded repeats,
lookbehind-anchored runs), and user patterns with nested unbounded quantifiers are refused at construction
unless the pattern says ``"allow_nested_quantifiers": true``.

Reasons name the category, pattern and location and show a short excerpt; secrets and PII are masked (the
first characters, then ``***``). ``details["matches"]`` lists ``{name, category, pack, decision, location,
start, end}``, never the matched text.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from .._regex_check import nested_unbounded
from .._text import NormalView, excerpt, mask, normalised_view
from ..errors import ConfigurationError
from ..types import Message, ScanDecision, ScanResult, Trace, severity
from ._patterns import PACKS, PatternDef
from ._segments import message_segments
from .base import Scanner

__all__ = ("RegexScanner", "DEFAULT_PACKS")

logger = logging.getLogger(__name__)

DEFAULT_PACKS: tuple[str, ...] = ("injection", "secrets", "pii")

_SCORES = {ScanDecision.ALLOW: 0.0, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED: 0.5, ScanDecision.BLOCK: 1.0}
_BY_SEVERITY = {severity(d): d for d in ScanDecision}
_DECISION_ALIASES = {"hitl": ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, "human": ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED}
_FLAG_LETTERS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "a": re.ASCII}
_USER_KEYS = frozenset({"name", "pattern", "regex", "decision", "flags", "category", "sensitive", "description",
                        "allow_nested_quantifiers"})


def _decision(value: object, where: str) -> ScanDecision:
    if isinstance(value, ScanDecision):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _DECISION_ALIASES:
            return _DECISION_ALIASES[key]
        try:
            return ScanDecision(key)
        except ValueError:
            pass
    raise ConfigurationError(
        f"{where}: decision must be 'block', 'human_in_the_loop_required' or 'allow', got {value!r}"
    )


def _flags(value: object, where: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ConfigurationError(f"{where}: flags must be letters like 'im', flag names or an int, got {value!r}")
    if isinstance(value, int):
        return value
    items: Iterable[Any]
    if isinstance(value, str):
        if value.isalpha() and all(c in _FLAG_LETTERS for c in value.lower()):
            return sum(_FLAG_LETTERS[c] for c in set(value.lower()))
        items = [v for v in re.split(r"[|,\s]+", value) if v]
    elif isinstance(value, Sequence):
        items = value
    else:
        raise ConfigurationError(f"{where}: flags must be a string, a list of flag names or an int, got {value!r}")
    out = 0
    for item in items:
        flag = getattr(re.RegexFlag, str(item).upper().removeprefix("RE."), None)
        if not isinstance(flag, re.RegexFlag):
            if isinstance(item, str) and item.lower() in _FLAG_LETTERS:
                flag = re.RegexFlag(_FLAG_LETTERS[item.lower()])
            else:
                raise ConfigurationError(
                    f"{where}: unknown regex flag {item!r}; use IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII "
                    "(or the letters i, m, s, x, a)"
                )
        out |= flag
    return out


def _sre() -> tuple[Any, Any]:
    try:
        from re import _constants as c  # type: ignore[attr-defined]  # Python >= 3.11
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse  # type: ignore[no-redef]
    return sre_parse, c


def _literal_gate(pattern: str, flags: int) -> tuple[frozenset[str] | None, int]:
    """A cheap necessary condition for ``pattern`` to match: a set of lowercase literals, one of which every
    match contains (checked on the lowercased text before the regex runs), and the length of a run of digits
    every match contains (0: none required). ``(None, 0)`` when nothing can be derived: the regex always runs."""
    sre_parse, c = _sre()
    literal, branch, subpattern, repeats = c.LITERAL, c.BRANCH, c.SUBPATTERN, (c.MAX_REPEAT, c.MIN_REPEAT)

    def best(factors: list[frozenset[str]]) -> frozenset[str] | None:
        factors = [f for f in factors if f and all(f)]
        if not factors:
            return None
        return max(factors, key=lambda f: (min(len(s) for s in f), -len(f)))

    def seq(items: Any) -> tuple[frozenset[str] | None, int]:
        factors: list[frozenset[str]] = []
        run: list[str] = []
        digit = 0

        def flush() -> None:
            if run:
                factors.append(frozenset({"".join(run).lower()}))
                run.clear()

        for op, av in items:
            if op is literal:
                run.append(chr(av))
                continue
            flush()
            if op is branch:
                subs = [seq(b) for b in av[1]]
                if all(f is not None for f, _ in subs):
                    factors.append(frozenset().union(*(f for f, _ in subs)))  # type: ignore[arg-type]
                digit = max(digit, min(d for _, d in subs))
            elif op is subpattern:
                f, d = seq(av[-1])
                if f is not None:
                    factors.append(f)
                digit = max(digit, d)
            elif op in repeats and av[0] >= 1:
                f, d = seq(av[2])
                if f is not None:
                    factors.append(f)
                sub = list(av[2])
                if len(sub) == 1 and sub[0][0] is c.IN and sub[0][1] == [(c.CATEGORY, c.CATEGORY_DIGIT)]:
                    d = min(av[0], 64)  # \d{n}: a run of n digits is required
                digit = max(digit, d)
            elif op is c.IN and len(av) == 1 and av[0] == (c.CATEGORY, c.CATEGORY_DIGIT):
                digit = max(digit, 1)
        flush()
        return best(factors), digit

    try:
        return seq(sre_parse.parse(pattern, flags))
    except Exception:  # an exotic construct: no gate, the regex always runs
        return None, 0


# characters that re.IGNORECASE equates with ASCII letters but str.lower() does not map to them
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_DIGIT_RUN = re.compile(r"\d+")
_DIGIT_WINDOW_MIN_LEN = 2_048  # texts longer than this scan digit patterns only around runs of digits
_MAX_WINDOW_WIDTH = 16_384
_MAX_WINDOWS = 512
_WINDOW_MIN_LEN = 16_384  # texts longer than this are scanned in windows around each pattern's keywords


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    category: str
    pack: str
    decision: ScanDecision
    validator: Any
    sensitive: bool


@dataclass(frozen=True, slots=True)
class _Unit:
    """One compiled pattern and its gate (the literals one of which must be present for it to match)."""

    regex: re.Pattern[str]
    spec: _Spec
    keywords: frozenset[str] | None
    needs_digits: int  # length of a digit run every match contains (0: none)
    #: the longest match possible (None: unbounded or very long); lets long texts be scanned in windows
    width: int | None = None
    #: for a case-insensitive pattern written in lowercase: the same pattern without IGNORECASE, run on the
    #: lowercased text when that text is ASCII (same offsets; a literal prefix then makes the search fast)
    low_regex: re.Pattern[str] | None = None

    severity: int = 0  # of the spec's decision; stored, as the scan loop reads it for every candidate

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", severity(self.spec.decision))


def _max_width(source: str, flags: int) -> int | None:
    sre_parse, _ = _sre()
    try:
        width = sre_parse.parse(source, flags).getwidth()[1]
    except Exception:
        return None
    return width if width <= _MAX_WINDOW_WIDTH else None


def _unit(source: str, flags: int, spec: _Spec, *, ignore_case_source: str | None = None) -> _Unit:
    keywords, digit = _literal_gate(source, flags)
    low = None
    if ignore_case_source is not None and ignore_case_source == ignore_case_source.lower():
        low = re.compile(ignore_case_source, flags & ~re.IGNORECASE)
    return _Unit(re.compile(source, flags), spec, keywords, digit, _max_width(source, flags), low)


def _weakest_keywords(units: list[_Unit]) -> list[_Unit]:
    """Replace each keyword that contains a shorter keyword with that shorter one (a weaker but still necessary
    condition), so fewer distinct literals are searched per text."""
    from dataclasses import replace

    all_keys = sorted({k for u in units for k in u.keywords or ()}, key=len)
    kept: list[str] = []
    mapping: dict[str, str] = {}
    for k in all_keys:
        sub = next((s for s in kept if s in k), None)
        if sub is None:
            kept.append(k)
            mapping[k] = k
        else:
            mapping[k] = sub
    return [u if u.keywords is None else replace(u, keywords=frozenset(mapping[k] for k in u.keywords)) for u in units]


_Candidates = tuple[list[int], str, "list[tuple[int, int]] | None"]
#: one text to match: (location, raw text, text matched — the raw text or its view, candidates, view or None)
_Work = tuple[str, str, str, _Candidates, "NormalView | None"]


class _SharedGate(NamedTuple):
    regex: re.Pattern[str]  # an alternation of the patterns it stands for
    needle: bytes  # the shortest digit run every match holds, as it appears in a digit probe
    margin: int | None  # how far before that run a match can start (None: unbounded)


def _shared_gate(units: list[_Unit]) -> _SharedGate | None:
    """One alternation of several ungated digit patterns: a single search that finds none of them rules them
    all out (most texts with digits hold no card or phone number), where each alone would cost a full pass.
    None when there is nothing to share or the patterns cannot be joined (groups, differing flags)."""
    flags = {u.regex.flags for u in units}
    if len(units) < 2 or len(flags) != 1 or any(u.regex.groups for u in units) or any(f & re.VERBOSE for f in flags):
        return None
    try:
        # joined bare (a pattern's own top-level "|" joins the union as well), so the parser can factor the
        # common prefix out of the branches: "\d(?<!\w\d)" is tested once a position, not once a pattern
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Python 3.10 only warns about inline flags a join moves mid-pattern
            regex = re.compile("|".join(u.regex.pattern for u in units), flags.pop())
    except (re.error, Warning):
        return None
    widths = [u.width for u in units]
    margin = None if None in widths else max(w for w in widths if w is not None) + 2
    return _SharedGate(regex, b"0" * min(u.needs_digits for u in units), margin)


def _needs_fold(text: str) -> bool:
    return "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text


_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")


def _digit_probe(text: str) -> bytes | None:
    r"""Where ``text`` can hold digit runs, for the digit gates: ASCII text as bytes with every digit turned
    into ``0``, so a run of ``n`` digits is ``b"0" * n in probe`` (one C pass, a third of a regex search). Other
    text, where ``\d`` also matches non-ASCII digits: ``b""`` (no run of any length) when it holds no digit,
    else None (any run may be there)."""
    if text.isascii():
        return text.encode("ascii").translate(_ZERO_DIGITS)
    return None if _DIGIT_RUN.search(text) is not None else b""


def _digit_windows(runs: list[tuple[int, int]], n: int, width: int, length: int) -> list[tuple[int, int]] | None:
    """Merged spans around the digit runs at least ``n`` long (every match of a pattern that needs such a
    run lies within ``width`` of one); None when there are too many to be worth it."""
    margin = width + 2
    merged: list[tuple[int, int]] = []
    for a, b in runs:
        if b - a < n:
            continue
        lo, hi = max(0, a - margin), min(length, b + margin)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            if len(merged) >= _MAX_WINDOWS:
                return None
            merged.append((lo, hi))
    return merged


def _trie_regex(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by common prefixes, so a regex tries one branch per character."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return emit(root)


def _windows(low: str, keywords: frozenset[str], width: int) -> list[tuple[int, int]] | None:
    """Merged spans around every occurrence of the keywords, wide enough to hold any match that contains one;
    None when the keywords occur so often that scanning the whole text is simpler."""
    n = len(low)
    margin = width + 16
    spans: list[tuple[int, int]] = []
    for k in keywords:
        pos = low.find(k)
        while pos >= 0:
            if len(spans) >= _MAX_WINDOWS:
                return None
            spans.append((max(0, pos - margin), min(n, pos + len(k) + margin)))
            pos = low.find(k, pos + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _mask(text: str) -> str:
    return f"'{mask(text)}' ({len(text)} chars)"


class RegexScanner(Scanner):
    """Match named pattern packs and user patterns; each match asserts its pattern's decision.

    Args:
        packs: shipped packs to load: ``injection``, ``secrets``, ``pii``, ``llamafirewall_default``.
        patterns: user patterns, either ``[{"name", "pattern", "decision", "flags", "category", "sensitive"}]``
            or LlamaFirewall's ``{name: regex}`` mapping (each BLOCKs).
        pack_decisions: override the decision of every pattern of a pack, e.g. ``{"pii": "allow"}``
            (report-only) or ``{"pii": "block"}``.
        exclude: pattern names to leave out (e.g. ``["phone_us"]``).
        max_reported: how many matches ``details["matches"]`` lists (the decision always covers all).

    Raises:
        ConfigurationError: unknown pack or pattern name, a bad decision or flag, a user regex that does not
            compile, matches the empty string, or nests unbounded quantifiers.
    """

    name: ClassVar[str] = "regex"
    default_hitl_threshold: ClassVar[float | None] = None
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False
    #: its time is linear in the input (no model, no I/O): the engine runs it inline, outside the timeout
    linear_time: ClassVar[bool] = True

    def __init__(
        self,
        *,
        packs: Sequence[str] | None = DEFAULT_PACKS,
        patterns: Sequence[Mapping[str, Any]] | Mapping[str, str] | None = None,
        pack_decisions: Mapping[str, ScanDecision | str] | None = None,
        exclude: Sequence[str] = (),
        max_reported: int = 20,
    ) -> None:
        if isinstance(packs, str):
            packs = [packs]
        packs = list(packs or ())
        unknown = [p for p in packs if p not in PACKS]
        if unknown:
            raise ConfigurationError(
                f"regex: unknown pattern pack(s) {unknown}; available packs: {', '.join(PACKS)}"
            )
        overrides = {}
        for pack, value in (pack_decisions or {}).items():
            if pack not in PACKS:
                raise ConfigurationError(f"regex: pack_decisions names unknown pack {pack!r}; available: {', '.join(PACKS)}")
            overrides[pack] = _decision(value, f"regex: pack_decisions[{pack!r}]")
        if isinstance(exclude, str):
            exclude = [exclude]
        excluded = set(exclude)
        known_names = {p.name for pack in packs for p in PACKS[pack]}
        missing = sorted(excluded - known_names)
        if missing:
            raise ConfigurationError(f"regex: exclude names pattern(s) not in the loaded packs: {missing}")
        if not isinstance(max_reported, int) or max_reported < 1:
            raise ConfigurationError(f"regex: max_reported must be a positive int, got {max_reported!r}")
        self.max_reported = max_reported
        self.packs = tuple(dict.fromkeys(packs))
        units: list[_Unit] = []
        for pack in self.packs:
            defs = [p for p in PACKS[pack] if p.name not in excluded]
            if defs:
                units.extend(self._compile_pack(pack, defs, overrides.get(pack)))
        self._user_names: list[str] = []
        for spec in self._user_specs(patterns, known_names):
            units.append(spec)
        if not units:
            raise ConfigurationError("regex: no patterns configured; load a pack or pass patterns=[...]")
        # most severe units first, so a BLOCK is found before the scan stops collecting detail
        units = _weakest_keywords(units)
        units.sort(key=lambda u: -u.severity)
        self._units: tuple[_Unit, ...] = tuple(units)
        gated: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            for k in u.keywords or ():
                gated.setdefault(k, []).append(i)
        self._keyword_units = {k: tuple(v) for k, v in gated.items()}
        # one pass finds every keyword present (a lookahead, so overlapping keywords are all seen)
        self._gate = re.compile("(?=(" + _trie_regex(gated) + "))", re.DOTALL) if len(gated) > 32 else None
        self._few_keywords = tuple(self._keyword_units.items()) if self._gate is None else ()
        self._always = tuple(i for i, u in enumerate(units) if u.keywords is None and not u.needs_digits)
        self._digit_only = tuple(i for i, u in enumerate(units) if u.keywords is None and u.needs_digits)
        self._small_gates = (
            tuple((next(iter(u.keywords)) if u.keywords is not None and len(u.keywords) == 1 else None,
                   tuple(u.keywords) if u.keywords is not None else None, b"0" * u.needs_digits) for u in units)
            if len(units) <= 16 else None
        )
        self._needs_digits = tuple(u.needs_digits for u in units)
        self._digit_gate = _shared_gate([units[i] for i in self._digit_only])
        self._any_digits = any(self._needs_digits)
        self._clean = self.result(reason="no pattern matched")

    # construction -------------------------------------------------------------------------------------------
    @staticmethod
    def _compile_pack(pack: str, defs: Sequence[PatternDef], override: ScanDecision | None) -> list[_Unit]:
        return [
            _unit(f"(?i:{d.regex})" if d.ignore_case else d.regex, 0,
                  _Spec(d.name, d.category, pack, override or d.decision, d.validator, d.sensitive),
                  ignore_case_source=d.regex if d.ignore_case else None)
            for d in defs
        ]

    def _user_specs(
        self, patterns: Sequence[Mapping[str, Any]] | Mapping[str, str] | None, pack_names: set[str]
    ) -> Iterable[_Unit]:
        if patterns is None:
            return
        if isinstance(patterns, Mapping):  # LlamaFirewall style {name: regex}
            items: list[Any] = [{"name": k, "pattern": v} for k, v in patterns.items()]
        elif isinstance(patterns, (str, bytes)) or not isinstance(patterns, Sequence):
            raise ConfigurationError(
                f"regex: patterns must be a list of {{name, pattern, decision}} objects or a {{name: regex}} "
                f"mapping, got {type(patterns).__name__}"
            )
        else:
            items = list(patterns)
        seen: set[str] = set()
        for k, item in enumerate(items):
            where = f"regex: patterns[{k}]"
            if not isinstance(item, Mapping):
                raise ConfigurationError(f"{where} must be an object with 'name' and 'pattern', got {type(item).__name__}")
            extra = sorted(set(item) - _USER_KEYS)
            if extra:
                raise ConfigurationError(f"{where}: unknown key(s) {extra}; allowed: {sorted(_USER_KEYS)}")
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ConfigurationError(f"{where}: 'name' must be a non-empty string, got {name!r}")
            where = f"regex: pattern {name!r}"
            if name in seen or name in pack_names:
                raise ConfigurationError(f"{where}: the name is already used; pattern names must be unique")
            seen.add(name)
            source = item.get("pattern", item.get("regex"))
            if not isinstance(source, str) or not source:
                raise ConfigurationError(f"{where}: 'pattern' must be a non-empty regular expression string, got {source!r}")
            flags = _flags(item.get("flags"), where)
            try:
                compiled = re.compile(source, flags)
            except re.error as err:
                pos = f" at position {err.pos}" if err.pos is not None else ""
                raise ConfigurationError(f"{where} does not compile: {err.msg}{pos} in {source!r}") from None
            except (TypeError, ValueError, OverflowError) as err:
                raise ConfigurationError(f"{where}: bad flags {item.get('flags')!r}: {err}") from None
            if compiled.match("") is not None:
                raise ConfigurationError(
                    f"{where} matches the empty string, so it would flag every message; require at least one character"
                )
            if not item.get("allow_nested_quantifiers", False) and nested_unbounded(source, flags):
                raise ConfigurationError(
                    f"{where} nests unbounded quantifiers (like '(a+)+' or '(\\w+\\s?)*'), which can take exponential "
                    "time on hostile input; bound the inner or outer repeat (e.g. '{1,50}') or set "
                    "'allow_nested_quantifiers': true if you have checked it"
                )
            decision = _decision(item.get("decision", ScanDecision.BLOCK), where)
            category = item.get("category", "custom")
            if not isinstance(category, str) or not category:
                raise ConfigurationError(f"{where}: 'category' must be a non-empty string, got {category!r}")
            spec = _Spec(name, category, "user", decision, None, bool(item.get("sensitive", False)))
            self._user_names.append(name)
            yield _unit(source, flags, spec, ignore_case_source=source if flags & re.IGNORECASE else None)

    # scanning -----------------------------------------------------------------------------------------------
    @property
    def pattern_names(self) -> list[str]:
        """Names of every loaded pattern (packs and user patterns)."""
        return [u.spec.name for u in self._units]

    def _candidates(self, text: str) -> tuple[list[int], str, list[tuple[int, int]] | None]:
        """The patterns whose gates pass on ``text`` (indices, in severity order), the folded text, and the
        digit runs of a long text (spans) when some candidate needs one."""
        low = text.lower() if text.isascii() or not _needs_fold(text) else text.translate(_FOLD).lower()
        if self._small_gates is not None and len(text) <= _DIGIT_WINDOW_MIN_LEN:
            # a few patterns: test each gate in order, no sets (the like-for-like pack, small user sets)
            out: list[int] = []
            probed = False
            probe: bytes | None = None
            shared: bool | None = None  # the shared digit gate's verdict, once asked
            for i, (one, keywords, needle) in enumerate(self._small_gates):
                if one is not None:
                    if one not in low:
                        continue
                elif keywords is not None:
                    for k in keywords:
                        if k in low:
                            break
                    else:
                        continue
                if needle:
                    if not probed:
                        probe, probed = _digit_probe(text), True
                    if probe is not None and needle not in probe:
                        continue
                    gate = self._digit_gate
                    if keywords is None and gate is not None:
                        if shared is None:
                            # start just before the first digit run a match needs: the regex engine walks
                            # text to its first digit at several ns a character, bytes.find at a fraction
                            start = 0
                            if probe is not None and gate.margin is not None:
                                start = max(0, probe.find(gate.needle) - gate.margin)
                            shared = gate.regex.search(text, start) is not None
                        if not shared:
                            continue
                out.append(i)
            return out, low, None
        picked = set(self._always)
        if self._gate is not None:
            table = self._keyword_units
            for k in set(self._gate.findall(low)):
                picked.update(table[k])
        else:  # a handful of keywords: substring tests beat one regex pass
            for k, idx in self._few_keywords:
                if k in low:
                    picked.update(idx)
        picked.update(self._digit_only)
        runs: list[tuple[int, int]] | None = None
        if picked and self._any_digits:
            needs = self._needs_digits
            wanted = {needs[i] for i in picked}
            wanted.discard(0)
            if wanted:
                if len(text) > _DIGIT_WINDOW_MIN_LEN:  # long: find the runs once, scan windows around them
                    runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
                    longest = max((b - a for a, b in runs), default=0)
                    missing = {n for n in wanted if n > longest}
                else:  # short: which digit runs are there at all
                    probe = _digit_probe(text)
                    missing = {n for n in wanted if probe is not None and b"0" * n not in probe}
                if missing:
                    picked = {i for i in picked if needs[i] not in missing}
        return sorted(picked), low, runs

    def _work(self, location: str, text: str) -> Iterator[_Work]:
        """The raw text and, when it differs (invisible characters, fullwidth or other compatibility forms,
        look-alike letters of other scripts), its normalised view, each with the patterns whose gates pass."""
        first = self._candidates(text)
        if first[0]:
            yield location, text, text, first, None
        view = normalised_view(text, confusables=True)
        if view is not None:
            again = self._candidates(view.text)
            if again[0]:
                yield location, text, view.text, again, view

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        if not message.tool_calls:  # the common case: content only
            text = message.content
            if not text:
                return self._clean
            if text.isascii():  # no normalised view to add; return early when no gate passes
                first = self._candidates(text)
                if not first[0]:
                    return self._clean
                work: Iterable[_Work] = (("content", text, text, first, None),)
            else:
                work = self._work("content", text)
        else:
            work = (w for loc, t in message_segments(message) if t for w in self._work(loc, t))
        found: list[dict[str, Any]] = []
        notes: list[str] = []
        seen: set[tuple[str, str, int, int]] = set()  # a match found in both the raw text and its view
        total = 0
        worst = -1
        cap = self.max_reported
        units = self._units
        for location, raw, text, (candidates, low, runs), view in work:
            dedupe = not raw.isascii()  # the raw text and its normalised view may both hold a match
            same = len(low) == len(text)
            use_low = same and text.isascii()
            windowed = same and len(text) > _WINDOW_MIN_LEN
            for i in candidates:
                unit = units[i]
                level = unit.severity
                if total >= cap and worst >= level:
                    continue  # nothing this pattern can add to the decision, and the report is full
                spec = unit.spec
                validator = spec.validator
                spans = None
                if unit.width is not None:
                    if runs is not None and unit.needs_digits:
                        spans = _digit_windows(runs, unit.needs_digits, unit.width, len(text))
                    elif windowed and unit.keywords is not None:
                        spans = _windows(low, unit.keywords, unit.width)
                if use_low and unit.low_regex is not None:
                    rx, subject = unit.low_regex, low
                else:
                    rx, subject = unit.regex, text
                matches = (rx.finditer(subject) if spans is None else
                           (m for a, b in spans for m in rx.finditer(subject, a, b)))
                for m in matches:
                    if validator is not None and not validator(text[m.start() : m.end()]):
                        continue
                    start, end = m.span() if view is None else view.span(*m.span())
                    if dedupe:
                        key = (location, spec.name, start, end)
                        if key in seen:
                            continue
                        seen.add(key)
                    total += 1
                    if level > worst:
                        worst = level
                    if len(found) < cap:
                        where = f"{location}[{start}:{end}]"
                        found.append({"name": spec.name, "category": spec.category, "pack": spec.pack,
                                      "decision": spec.decision.value, "location": where,
                                      "start": start, "end": end, "normalised": view is not None})
                        if len(notes) < 3:
                            shown = (_mask(raw[start:end]) if spec.sensitive
                                     else excerpt(raw, start, end, limit=40))
                            if view is not None:
                                shown += " (read through its normalised view)"
                            notes.append(f"{spec.category}/{spec.name} at {where} {shown}")
                    else:
                        break  # report full; this pattern already counted at its level
        if not total:
            return self._clean
        decision = _BY_SEVERITY[worst]
        more = total - len(notes)
        reason = "; ".join(notes) + (f"; and {more} more match(es)" if more > 0 else "")
        if decision is ScanDecision.ALLOW:
            reason = "report-only matches: " + reason
        return self.result(score=_SCORES[decision], reason=reason, decision=decision, matches=found,
                           match_count=total)
