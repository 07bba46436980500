"""Data-flow guard: where did each argument of a tool call come from?

Prompt injection steers an agent's *actions*: the attacker's IBAN, e-mail address or URL appears inside
untrusted content (often inside the very span a scanner flagged) and never in what the user asked. This module
keeps a cheap index of the distinctive values that entered a session (user turns, the system prompt, each tool
output with its Rule-of-Two properties and any flagged span) and, for every tool call, traces each argument to
its sources:

* ``user`` — the user's messages or the system prompt;
* ``trusted`` — the output of a tool that does not exercise Property A (untrusted input) and was not flagged;
* ``untrusted`` — only the output of a tool that exercises A (or a flagged output, outside the flagged span);
* ``flagged`` — only the span of an output that a scanner flagged as injection;
* ``nowhere`` — no source holds it: the model made it (or transformed what it read beyond recognition).

**Sinks** are the arguments through which an action can be steered: recipients, destinations, URLs, amounts,
accounts, paths to write. A tool declares them with :func:`sinks` (decorator, or LangChain
``metadata={"lf_sinks": [...]}``) or the configuration (``rule_of_two.provenance.sinks``, name → arguments with
globs, like ``rule_of_two.tools``). When a tool declares none, the sinks are inferred from the argument names
(``to``, ``recipient``, ``iban``, ``url``, ``path``, ``amount``...) and from the values (an argument holding an
e-mail address, URL, IBAN or long number), for tools that exercise Property C only.

**Policy** (per origin, per sink): a sink traced only to a flagged span → block; only to untrusted content →
ask (allow in the ``permissive`` preset); model-made → allow (ask in ``strict``). When *every* sink argument of a
call is traced to the user or to trusted content, the Rule of Two's verdict for that call is relaxed: the user
asked for exactly this recipient, so a read-then-write session needs no question. Free-text arguments (bodies,
messages) are not sinks, but a URL, address or number in them that only a flagged span holds is blocked.

The state is plain JSON (``{"v", "step", "sources": [...], "seen": [...], "lost": bool}``), bounded in size,
and functions never mutate their input. :class:`Provenance` is the guard hook (see
:class:`lf_middleware.guard.GuardHook`); :func:`record`, :func:`trace_call` and :func:`judge` are the pure parts.

Limits (see ``docs/rule_of_two.md``): a value the model transforms (spells out, re-encodes, splits across
arguments, or builds from parts) is traced as model-made, not to its source; a value that both the user and an
attacker wrote counts as the user's; the index holds normalised tokens, not text, so a multi-word value is
traced word by word.

This module imports only the core; never LangChain or LangGraph.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigurationError
from .rule_of_two import Property, attach_declaration, config_error, read_declaration, tool_name
from .types import Message, Role, ScanDecision, ScanResult, ScanStatus

if TYPE_CHECKING:
    from .guard import Session

__all__ = (
    "NAME",
    "Origin",
    "Provenance",
    "ProvenanceConfig",
    "ProvenanceState",
    "explain",
    "extract",
    "judge",
    "new_state",
    "record",
    "record_messages",
    "sink_arguments",
    "sinks",
    "trace_call",
)

NAME = "provenance"
METADATA_KEY = "lf_sinks"
_ATTR = "__lf_sinks__"
_VERSION = 1

Origin = Literal["user", "trusted", "untrusted", "flagged", "nowhere"]
Action = Literal["allow", "ask", "block"]

#: how much a source is believed, best first (a token's origin is its best source)
_TRUST = {"user": 0, "system": 0, "trusted": 1, "untrusted": 2, "flagged": 3}
#: how bad an argument's origin is, worst last (an argument's origin is its worst token's)
_RISK: dict[str, int] = {"user": 0, "trusted": 1, "nowhere": 2, "untrusted": 3, "flagged": 4}
_DECISION = {"allow": ScanDecision.ALLOW, "ask": ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, "block": ScanDecision.BLOCK}

PRESETS: dict[str, dict[str, Action]] = {
    "balanced": {"flagged": "block", "untrusted": "ask", "nowhere": "allow"},
    "strict": {"flagged": "block", "untrusted": "block", "nowhere": "ask"},
    "permissive": {"flagged": "block", "untrusted": "allow", "nowhere": "allow"},
}


# ------------------------------------------------------------------------------------------------------------
# Configuration and declarations


class SinkPolicy(BaseModel):
    """What a sink argument's origin leads to (unset: the preset's answer)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    flagged: Action | None = None
    untrusted: Action | None = None
    nowhere: Action | None = None


class ProvenanceConfig(BaseModel):
    """The ``rule_of_two.provenance`` section of the engine configuration.

    ``sinks`` maps tool names (exact or globs, like ``rule_of_two.tools``) to their sink arguments: a list of
    names, or a mapping name → :class:`SinkPolicy` overrides. ``[]`` declares a tool with no sinks (its calls
    are never relaxed).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    preset: Literal["balanced", "strict", "permissive"] = "balanced"
    flagged: Action | None = None
    untrusted: Action | None = None
    nowhere: Action | None = None
    relax_rule_of_two: bool = True
    """Relax the Rule of Two's verdict on a call whose every sink argument is traced to the user or trusted
    content (and that has at least one)."""
    infer: bool = True
    """Infer sinks of undeclared tools that exercise C from argument names and values."""
    sinks: dict[str, dict[str, SinkPolicy]] = Field(default_factory=dict)
    max_sources: int = Field(default=512, ge=8)
    max_chars: int = Field(default=2_000_000, ge=10_000)
    """Bound on the indexed tokens per session (characters); older tool outputs are dropped past it."""
    max_source_chars: int = Field(default=200_000, ge=1_000)
    """Bound on the indexed tokens of one message or output (characters); the rest is not indexed."""

    @classmethod
    def from_any(cls, value: ProvenanceConfig | Mapping[str, Any] | bool | None) -> ProvenanceConfig:
        if value is None or value is True:
            return cls()
        if value is False:
            return cls(enabled=False)
        if isinstance(value, ProvenanceConfig):
            return value
        if not isinstance(value, Mapping):
            raise ConfigurationError(
                f"rule_of_two.provenance must be a mapping or a bool, got {type(value).__name__}")
        data = dict(value)
        if "sinks" in data:
            data["sinks"] = _sink_map(data["sinks"])
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise config_error(err, "rule_of_two.provenance") from None

    def action(self, origin: str, sink: SinkPolicy | None = None) -> Action:
        """What a sink argument of this origin leads to (the sink's override, the section's, the preset's)."""
        if origin in ("user", "trusted"):
            return "allow"
        return (getattr(sink, origin, None) if sink is not None else None) or getattr(self, origin) \
            or PRESETS[self.preset][origin]

    def declared(self, tool: str) -> dict[str, SinkPolicy] | None:
        if tool in self.sinks:
            return self.sinks[tool]
        for pattern, args in self.sinks.items():
            if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(tool, pattern):
                return args
        return None


def _sink_map(value: Any) -> Any:
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"rule_of_two.provenance.sinks must map tool names to argument lists, got {type(value).__name__}; "
            "e.g. sinks: {send_money: [iban, amount]}")
    return {str(tool): _sink_args(tool, args) for tool, args in value.items()}


def _sink_args(tool: Any, args: Any) -> dict[str, Any]:
    if isinstance(args, str):
        args = [args]
    if isinstance(args, Mapping):
        return {str(k): (v or {}) for k, v in args.items()}
    if isinstance(args, Iterable):
        return {str(a): {} for a in args}
    raise ConfigurationError(f"the sinks of {tool!r} must be a list of argument names or a mapping, got {args!r}")


def sinks(*arguments: str, **policies: Mapping[str, str]) -> Callable[[Any], Any]:
    """Declare a tool's sink arguments: ``@sinks("iban", "amount")``, or with per-sink overrides
    ``@sinks(url={"untrusted": "block"})``. ``@sinks()`` declares a tool with none. Works like
    :func:`lf_middleware.rule_of_two.exercises` (plain functions, LangChain tools, ``metadata["lf_sinks"]``)."""
    declared = {**{a: {} for a in arguments}, **{k: dict(v) for k, v in policies.items()}}
    for name, pol in declared.items():
        SinkPolicy.model_validate(pol)  # fail at declaration, naming nothing unknown
        if not name:
            raise ConfigurationError("a sink argument name must be non-empty")

    def _decorate(obj: Any) -> Any:
        return attach_declaration(obj, _ATTR, METADATA_KEY, declared, declared)

    return _decorate


# ------------------------------------------------------------------------------------------------------------
# Extraction: the distinctive values of a text, normalised

_EMAIL = re.compile(r"[\w.+%-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_URL = re.compile(r"\b(?:https?|ftp|wss?)://[^\s<>\"'`]{1,2000}", re.I)
_TLDS = ("com|net|org|io|co|dev|app|ai|info|biz|me|us|uk|de|fr|eu|ru|cn|xyz|site|online|top|edu|gov|ch|nl|"
         "es|it|se|no|ca|au|jp|in|br|pl|cc|tv|ly|to|sh|gg|link|cloud|tech|shop|store|live|pro|int|mil|example|test|"
         "internal|local")
_HOST = re.compile(rf"(?<![\w@.-])(?:[A-Za-z0-9-]{{1,63}}\.){{1,8}}(?:{_TLDS})(?![\w-])", re.I)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_IBAN_HINT = re.compile(r"[A-Z]{2}\d{2}")  # cheap test first: most texts hold no IBAN
# ``\+?\d`` spelled as two branches that each start with a fixed character set, which lets ``re`` skip ahead
# to candidate characters (2x faster on prose), with the same matches
_DIGITS = re.compile(r"(?:\+\d|\d)[\d \-().]{4,40}\d")
_PATH = re.compile(r"(?:[A-Za-z]:\\|~|\.{1,2})?(?:[/\\][\w.\-]{1,255}){1,32}|[\w.\-]{1,255}(?:/[\w.\-]{1,255}){1,32}")
_DECIMAL = re.compile(r"\d+\.\d{1,2}")  # an amount (1250.50), not an account or phone number
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?")
_NUMBER = re.compile(r"\d[\d,.]{0,30}")
_WORD = re.compile(r"[^\W_]\w*(?:['-]\w+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NON_DIGIT = re.compile(r"\D")
_DRIVE = re.compile(r"[A-Za-z]:/")
_TRAILING = ".,;:!?)]}'\""

Kind = Literal["email", "url", "host", "iban", "digits", "path", "number", "word"]
#: kinds that identify a recipient, destination or account on their own
STRUCTURED: frozenset[str] = frozenset({"email", "url", "host", "iban", "digits", "path"})


def _norm_number(raw: str) -> str:
    s = raw.rstrip(",.")
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if s.count(".") == 1 and "," not in s:
        s = s.rstrip("0").rstrip(".")
    return s.lstrip("0") or "0"


def _host_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def _norm_url(raw: str) -> str:
    url = raw.rstrip(_TRAILING)
    scheme, _, rest = url.partition("://")
    host, sep, tail = rest.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    out = f"{scheme.lower()}://{host}{sep}{tail}"
    return out.rstrip("/")


def extract(text: str) -> dict[str, Kind]:
    """The distinctive values of ``text``, normalised → their kind (structured kinds win over words).

    E-mail addresses (lower case), URLs (scheme and host lower case, no trailing slash) and their hosts (no
    ``www.``), bare host names, IBANs (upper case, no spaces), long digit runs such as card, account and phone
    numbers (digits only; not an amount such as ``1250.50``), file paths (and their last part), numbers (no thousands separators or trailing
    decimal zeros) and words (lower case).
    """
    low = text.lower()
    if low.isalpha():  # one plain word (a common argument value): nothing else can match
        return {low: "word"}
    out: dict[str, Kind] = dict.fromkeys(_WORD.findall(low), "word")
    for raw in dict.fromkeys(_NUMBER.findall(text)):
        out[_norm_number(raw)] = "number"
    chunks = text.split()
    rest = text
    if "://" in text:  # URLs (and the hosts they name) first, then out of the way
        for c in chunks:
            if "://" in c:
                for raw in _URL.findall(c):
                    url = _norm_url(raw)
                    out[url] = "url"
                    out[_host_of(url)] = "host"
        chunks = [c for c in chunks if "://" not in c]
        rest = " ".join(chunks)
    for raw in _EMAIL.findall(" ".join(c for c in chunks if "@" in c)):
        e = raw.lower().rstrip(_TRAILING)
        out[e] = "email"
        out[e.rsplit("@", 1)[1]] = "host"
    ibans = _IBAN.findall(rest) if _IBAN_HINT.search(rest) else []
    for raw in ibans:
        out[raw.replace(" ", "").upper()] = "iban"
    if ibans:
        rest = _IBAN.sub(" ", rest)
    for m in _DIGITS.finditer(rest):
        raw, start, end = m.group(), m.start(), m.end()
        if (start and (rest[start - 1].isalnum() or rest[start - 1] in "_.,")) or \
                (end < len(rest) and (rest[end].isalnum() or rest[end] == "_")):
            continue
        digits = _NON_DIGIT.sub("", raw)
        if len(digits) >= 6 and not _DATE.fullmatch(raw.strip()) and not _DECIMAL.fullmatch(raw):
            out[digits] = "digits"
    # hosts and paths only in the chunks that can hold one (most of a text is plain words)
    chunks = [c for c in chunks if "@" not in c]
    for raw in _HOST.findall(" ".join(c for c in chunks if "." in c).lower()):
        out[raw[4:] if raw.startswith("www.") else raw] = "host"
    for chunk in chunks:
        if "/" not in chunk and "\\" not in chunk:
            continue
        for raw in _PATH.findall(chunk):
            p = raw.rstrip(_TRAILING).replace("\\", "/")
            if "/" in p.strip("/") or p.startswith(("/", "~", "./", "../")) or _DRIVE.match(p):
                if p.startswith("./"):
                    p = p[2:]
                out[p] = "path"
                base = p.rstrip("/").rsplit("/", 1)[-1]
                if "." in base:
                    out[base.lower()] = "path"
    out.pop("", None)
    return out


def _key_tokens(value: str) -> dict[str, Kind]:
    """The tokens an argument value is traced by: its structured values when it has any (a URL counts by its
    host: who receives the data), else its numbers and words. Digit-only words are the pieces of a number
    written with separators (``1,250.50`` gives ``1``, ``250``, ``50``): the number itself is traced, not its
    pieces, or an amount the user gave would count as untrusted for a ``5`` seen in a web page."""
    toks = extract(value)
    structured = {t: k for t, k in toks.items() if k in STRUCTURED}
    if not structured:
        return {t: k for t, k in toks.items() if k != "word" or not t.isdigit()} or toks
    urls = {t for t, k in structured.items() if k == "url"}
    hosts_of_urls = {_host_of(u) for u in urls}
    emails_hosts = {t.rsplit("@", 1)[1] for t, k in structured.items() if k == "email"}
    # a URL is traced by its host; an e-mail address by itself (its domain is not a separate claim)
    return {t: k for t, k in structured.items()
            if k != "url" and not (k == "host" and t in emails_hosts and t not in hosts_of_urls)
            and not (k == "path" and any(t in u for u in urls))} or structured


# ------------------------------------------------------------------------------------------------------------
# State


class Source(TypedDict):
    """One indexed message or tool output: what it is and its tokens (``"\\n"``-joined, ``"\\n"`` around)."""

    kind: str  # user | system | trusted | untrusted
    tool: str | None
    step: int
    flagged_by: str | None
    t: str
    f: str  # tokens inside the flagged span(s)
    cut: bool  # not every token was indexed


class ProvenanceState(TypedDict):
    v: int
    step: int
    sources: list[Source]
    seen: list[str]  # digests of the user/system messages already indexed
    lost: bool  # an untrusted source was dropped or cut: unknown values may come from it


def new_state() -> ProvenanceState:
    return {"v": _VERSION, "step": 0, "sources": [], "seen": [], "lost": False}


def _coerce(state: Mapping[str, Any] | None) -> ProvenanceState:
    if state is None:
        return new_state()
    if not isinstance(state, Mapping) or not isinstance(state.get("sources"), list):
        raise ValueError(f"a provenance state must be a dict from new_state(), got {type(state).__name__}")
    return {"v": _VERSION, "step": int(state.get("step") or 0), "sources": state["sources"],
            "seen": list(state.get("seen") or []), "lost": bool(state.get("lost"))}


def _joined(tokens: Iterable[str], limit: int) -> tuple[str, bool]:
    tokens = list(tokens)
    whole = "\n".join(tokens)
    if len(whole) + 2 <= limit:  # the usual case: everything fits
        return (f"\n{whole}\n" if tokens else "\n"), False
    out, size, cut = [], 1, False
    for t in tokens:
        size += len(t) + 1
        if size > limit:
            cut = True
            break
        out.append(t)
    return ("\n" + "\n".join(out) + "\n") if out else "\n", cut


def _flagged_ranges(text: str, verdict: ScanResult | None, pad: int) -> list[tuple[int, int]] | None:
    """Character ranges of ``text`` the flagging scanners pointed at (padded); the whole text when a flagging
    scanner gave no offsets; None when nothing flagged it as injection."""
    if verdict is None or verdict.decision is ScanDecision.ALLOW:
        return None
    from .guard import is_injection  # the one definition of "an injection finding" (lazy: guard imports us)

    if not is_injection(verdict):
        return None
    leaves = [r for r in _leaves(verdict) if r.decision is not ScanDecision.ALLOW and r.status is not ScanStatus.ERROR]
    ranges: list[tuple[int, int]] = []
    for r in leaves:
        found = _offsets(r.details or {})
        if not found:
            return [(0, len(text))]
        ranges.extend((max(0, s - pad), min(len(text), e + pad)) for s, e in found)
    return ranges or [(0, len(text))]


def _offsets(details: Mapping[str, Any]) -> list[tuple[int, int]]:
    out = []
    span = details.get("span")
    if isinstance(span, Sequence) and len(span) == 2 and all(isinstance(x, int) for x in span) and span[1] > span[0]:
        out.append((span[0], span[1]))
    for key in ("matches", "spans", "findings"):
        items = details.get(key)
        if not isinstance(items, Sequence) or isinstance(items, (str, bytes)):
            continue
        for m in items:
            if not isinstance(m, Mapping) or m.get("decision") == ScanDecision.ALLOW.value:
                continue
            loc = m.get("location")
            if isinstance(loc, str) and not loc.startswith("content"):
                continue
            s, e = m.get("start"), m.get("end")
            if isinstance(s, int) and isinstance(e, int) and e > s:
                out.append((s, e))
    return out


def _leaves(result: ScanResult) -> list[ScanResult]:
    if not result.results:
        return [result]
    return [leaf for r in result.results for leaf in _leaves(r)]


def record(state: Mapping[str, Any] | None, *, kind: str, text: str, tool: str | None = None,
           verdict: ScanResult | None = None, config: ProvenanceConfig | None = None) -> ProvenanceState:
    """The state after a message or tool output entered the session (a new state; the input is not changed).

    ``kind``: ``user``, ``system``, ``trusted`` or ``untrusted``; a ``verdict`` with an injection finding makes
    the source untrusted and indexes the flagged span(s) apart.
    """
    if kind not in _TRUST or kind == "flagged":
        raise ValueError(f"kind must be 'user', 'system', 'trusted' or 'untrusted', got {kind!r}")
    cfg = config or ProvenanceConfig()
    st = _coerce(state)
    ranges = _flagged_ranges(text, verdict, pad=_SPAN_PAD)
    if ranges is not None:
        kind = "untrusted" if kind == "trusted" else kind
    tokens, cut = _joined(extract(text), cfg.max_source_chars)
    flagged = ""
    if ranges is not None:
        inside: dict[str, None] = {}
        for s, e in ranges:
            inside.update(dict.fromkeys(extract(text[s:e])))
        flagged, _ = _joined(inside, cfg.max_source_chars)
    step = st["step"] + 1
    src: Source = {"kind": kind, "tool": tool, "step": step, "flagged_by": _flagger(verdict) if ranges else None,
                   "t": tokens, "f": flagged, "cut": cut}
    sources = [*st["sources"], src]
    lost = st["lost"] or (cut and kind == "untrusted")
    # bound the session: drop the oldest tool outputs (never the user's words) past the limits
    total = sum(len(s["t"]) + len(s["f"]) for s in sources)
    while (len(sources) > cfg.max_sources or total > cfg.max_chars) and any(s["kind"] not in ("user", "system")
                                                                            for s in sources):
        i = next(i for i, s in enumerate(sources) if s["kind"] not in ("user", "system"))
        dropped = sources.pop(i)
        total -= len(dropped["t"]) + len(dropped["f"])
        lost = lost or dropped["kind"] == "untrusted"
    return {"v": _VERSION, "step": step, "sources": sources, "seen": st["seen"], "lost": lost}


_SPAN_PAD = 400
"""Characters around a flagged span that count as inside it (an instruction names its target nearby)."""
_SEEN_LIMIT = 4096


def _flagger(verdict: ScanResult | None) -> str | None:
    if verdict is None:
        return None
    names = [r.scanner for r in _leaves(verdict) if r.decision is not ScanDecision.ALLOW and r.scanner]
    return "+".join(dict.fromkeys(names)) or "a scanner"


def record_messages(state: Mapping[str, Any] | None, messages: Iterable[Message], *,
                    config: ProvenanceConfig | None = None) -> ProvenanceState:
    """Index the user and system messages of ``messages`` not indexed yet (known by digest)."""
    st = _coerce(state)
    seen = set(st["seen"])
    out: ProvenanceState | None = None
    for m in messages:
        if m.role not in (Role.USER, Role.SYSTEM) or not m.content:
            continue
        digest = hashlib.blake2b(f"{m.role.value}\0{m.content}".encode(), digest_size=12).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        out = record(out or st, kind=m.role.value, text=m.content, config=config)
        out = {**out, "seen": [*out["seen"], digest][-_SEEN_LIMIT:]}
    return out or st


# ------------------------------------------------------------------------------------------------------------
# Tracing


@dataclass(frozen=True, slots=True)
class Trail:
    """Where one argument's value came from."""

    argument: str
    value: str
    origin: Origin
    sink: bool
    token: str = ""
    """The token that decided the origin (the worst one)."""
    sources: tuple[Source, ...] = ()
    """The sources of that token (for the explanation)."""
    policy: SinkPolicy | None = field(default=None, compare=False)


class _Index:
    """A session's sources searched as one string: one scan per token, not one per source. A hit belongs to
    the source it starts in (every source's tokens are wrapped in ``\n`` and no token holds one, so a hit
    never spans two sources)."""

    __slots__ = ("sources", "starts", "text")

    def __init__(self, st: ProvenanceState) -> None:
        self.sources = st["sources"]
        self.text = "".join(s["t"] for s in self.sources)
        self.starts = list(accumulate((len(s["t"]) for s in self.sources), initial=0))

    def holders(self, needle: str) -> tuple[Source, ...]:
        out = []
        i = self.text.find(needle)
        while i >= 0:
            k = bisect_right(self.starts, i) - 1
            out.append(self.sources[k])
            i = self.text.find(needle, self.starts[k + 1])
        return tuple(out)


def _origin_of(token: str, st: ProvenanceState, index: _Index | None = None) -> tuple[str, tuple[Source, ...]]:
    needle = f"\n{token}\n"
    hits = (index or _Index(st)).holders(needle)
    if not hits:
        return ("untrusted" if st["lost"] else "nowhere"), ()
    best = min(hits, key=lambda s: _TRUST[s["kind"]])
    if best["kind"] in ("user", "system"):
        return "user", tuple(h for h in hits if h["kind"] in ("user", "system"))
    if best["kind"] == "trusted":
        return "trusted", tuple(h for h in hits if h["kind"] == "trusted")
    if all(needle in s["f"] for s in hits):
        return "flagged", hits
    return "untrusted", hits


def _scalars(value: Any, path: str, depth: int = 0) -> Iterable[tuple[str, str]]:
    if depth > 6:
        return
    if isinstance(value, Mapping):
        for k, v in list(value.items())[:200]:
            yield from _scalars(v, f"{path}.{k}" if path else str(k), depth + 1)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value[:200]):
            yield from _scalars(v, f"{path}[{i}]", depth + 1)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, float):
        yield path, (repr(int(value)) if value.is_integer() else repr(value))
    else:
        yield path, str(value)[:4000]


_SINK_WORDS = frozenset({
    "to", "cc", "bcc", "recipient", "recipients", "receiver", "email", "emails", "address", "addresses", "iban",
    "account", "accounts", "acct", "card", "phone", "url", "urls", "uri", "link", "endpoint", "webhook", "host",
    "domain", "destination", "dest", "target", "path", "file", "filename", "filepath", "dir", "directory",
    "folder", "amount", "payee", "beneficiary", "channel", "user", "users", "username", "member", "members",
    "attendee", "attendees", "participant", "participants", "invitee", "invitees", "repo", "repository",
    "remote", "contact", "contacts", "number", "bic", "swift", "sort", "routing", "wallet", "handle",
})
_CONTENT_WORDS = frozenset({
    "body", "content", "contents", "text", "message", "subject", "description", "note", "notes", "title",
    "summary", "query", "q", "comment", "comments", "prompt", "reason", "memo", "caption", "html", "markdown",
})


@lru_cache(maxsize=1024)
def _name_words(name: str) -> tuple[str, ...]:
    last = re.split(r"[.\[]", name)[-1] if "[" not in name.split(".")[-1] else name.split(".")[-1].split("[")[0]
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", last)
    return tuple(w for w in re.split(r"[\W_]+", spaced.lower()) if w)


def sink_arguments(args: Mapping[str, Any], declared: Mapping[str, SinkPolicy] | None, *, infer: bool,
                   exercises_c: bool) -> dict[str, SinkPolicy | None]:
    """The sink arguments of one call (top-level names) → their policy override.

    Declared sinks win; else, for a tool that exercises C, names that say recipient / destination / amount /
    account / path (and not body / message / text), and any argument whose value holds an e-mail address, URL,
    IBAN or long number.
    """
    if declared is not None:
        return {k: v for k, v in declared.items() if k in args}
    if not infer or not exercises_c:
        return {}
    out: dict[str, SinkPolicy | None] = {}
    for name, value in args.items():
        words = _name_words(str(name))
        if any(w in _CONTENT_WORDS for w in words):
            continue
        if any(w in _SINK_WORDS for w in words):
            out[str(name)] = None
            continue
        if any(k in STRUCTURED and k != "path" for _, v in _scalars(value, "") for k in extract(v).values()):
            out[str(name)] = None
    return out


def trace_call(state: Mapping[str, Any] | None, args: Mapping[str, Any],
               sink_args: Mapping[str, SinkPolicy | None]) -> list[Trail]:
    """Trace every scalar of a call's arguments: sinks by all their key tokens, other arguments by their
    structured values only (a URL or account in a message body)."""
    st = _coerce(state)
    index = _Index(st)
    out = []
    for name, value in args.items():
        name = str(name)
        sink = name in sink_args
        for path, scalar in _scalars(value, name):
            toks = _key_tokens(scalar)
            if not sink:
                toks = {t: k for t, k in toks.items() if k in STRUCTURED}
            if not toks:
                continue
            worst: tuple[str, str, tuple[Source, ...]] | None = None
            for tok in toks:
                origin, srcs = _origin_of(tok, st, index)
                if worst is None or _RISK[origin] > _RISK[worst[0]]:
                    worst = (origin, tok, srcs)
            assert worst is not None
            out.append(Trail(argument=path, value=scalar, origin=worst[0], sink=sink,  # type: ignore[arg-type]
                             token=worst[1], sources=worst[2], policy=sink_args.get(name)))
    return out


def _mask(value: str) -> str:
    v = " ".join(value.split())
    if _EMAIL.fullmatch(v):
        local, domain = v.split("@", 1)
        return f"{local[:3]}…@{domain}" if len(local) > 3 else v
    if _URL.match(v):
        return f"{v.split('://', 1)[0]}://{_host_of(v)}/…" if len(v) > 40 else v
    if len(v) > 12 or (sum(ch.isdigit() for ch in v) >= 6):
        return v[:4] + "…"
    return v


def _where(trail: Trail) -> str:
    def one(s: Source) -> str:
        if s["kind"] == "system":
            return "the system prompt"
        if s["kind"] == "user":
            return f"the user's message (step {s['step']})"
        return f"the output of `{s['tool'] or 'a tool'}` (step {s['step']})"

    srcs = list(trail.sources)[:3]
    listed = ", ".join(one(s) for s in srcs) + (" and others" if len(trail.sources) > 3 else "")
    if trail.origin == "nowhere":
        return "appears in nothing the session received (the model made it)"
    if trail.origin == "untrusted" and not srcs:
        return "was not found, and untrusted content too large to index fully entered the session"
    if trail.origin == "flagged":
        by = srcs[0]["flagged_by"] or "a scanner"
        return f"appears only in {listed}, in the span {by} flagged"
    if trail.origin == "untrusted":
        return f"appears only in untrusted content: {listed}"
    if trail.origin == "trusted":
        return f"comes from trusted content: {listed}"
    return f"comes from {listed}"


def explain(trail: Trail) -> str:
    """``recipient `DE89…` appears only in the output of `read_file` (step 3), in the span prompt_guard flagged``."""
    return f"{trail.argument} `{_mask(trail.value)}` {_where(trail)}"


def judge(trails: Sequence[Trail], config: ProvenanceConfig, *, has_sinks: bool) -> ScanResult:
    """One verdict for a call from its arguments' trails.

    Each sink's origin gives an action (:meth:`ProvenanceConfig.action`); a non-sink value counts only when a
    flagged span alone holds it. ALLOW with ``details["relax_rule_of_two"]`` when the call has sink arguments
    and every one is traced to the user or trusted content.
    """
    worst: Action = "allow"
    why: list[str] = []
    order = {"allow": 0, "ask": 1, "block": 2}
    for t in trails:
        if not t.sink and t.origin != "flagged":
            continue
        act = config.action(t.origin, t.policy)
        if act != "allow":
            why.append(explain(t))
            if order[act] > order[worst]:
                worst = act
    sink_trails = [t for t in trails if t.sink]
    relax = (config.relax_rule_of_two and has_sinks and bool(sink_trails)
             and all(t.origin in ("user", "trusted") for t in sink_trails) and worst == "allow")
    details: dict[str, Any] = {
        "arguments": [{"argument": t.argument, "origin": t.origin, "sink": t.sink, "value": _mask(t.value),
                       "sources": [{"kind": s["kind"], "tool": s["tool"], "step": s["step"]} for s in t.sources[:5]]}
                      for t in trails[:50]],
        "relax_rule_of_two": relax,
    }
    if worst != "allow":
        return ScanResult(decision=_DECISION[worst], reason="; ".join(why), score=1.0 if worst == "block" else 0.5,
                          status=ScanStatus.SUCCESS, scanner=NAME, details=details)
    reason = ("every sink argument comes from the user or trusted content: "
              + "; ".join(explain(t) for t in sink_trails[:4])) if relax else \
        ("no sink arguments" if not sink_trails else "no sink argument comes only from untrusted content")
    return ScanResult(decision=ScanDecision.ALLOW, reason=reason, status=ScanStatus.SUCCESS, scanner=NAME,
                      details=details)


# ------------------------------------------------------------------------------------------------------------
# The guard hook


class Provenance:
    """The guard hook (:class:`lf_middleware.guard.GuardHook`): indexes what enters the session and traces
    every tool call's arguments. ``properties`` gives a tool's Rule-of-Two properties (None: every tool output
    is untrusted and every tool may act); ``tools`` are tool objects whose :func:`sinks` declarations count.
    """

    name = NAME

    def __init__(self, config: ProvenanceConfig | Mapping[str, Any] | bool | None = None, *,
                 properties: Callable[[str], Iterable[Property]] | None = None, tools: Iterable[object] = ()) -> None:
        self.config = ProvenanceConfig.from_any(config)
        self._properties = properties
        self._declared: dict[str, dict[str, SinkPolicy]] = {}
        for t in tools:
            raw = read_declaration(t, _ATTR, METADATA_KEY)
            if raw is not None:
                self._declared[tool_name(t)] = {k: SinkPolicy.model_validate(v or {})
                                                for k, v in _sink_args(tool_name(t), raw).items()}

    def _props(self, tool: str) -> frozenset[Property]:
        if self._properties is None:
            return frozenset(Property)
        return frozenset(self._properties(tool))

    def sinks_of(self, tool: str, args: Mapping[str, Any]) -> dict[str, SinkPolicy | None]:
        declared = self.config.declared(tool)
        if declared is None:
            declared = self._declared.get(tool)
        return sink_arguments(args, declared, infer=self.config.infer, exercises_c=Property.C in self._props(tool))

    # GuardHook ---------------------------------------------------------------------------------------------
    def record_messages(self, state: Any, messages: Iterable[Message]) -> ProvenanceState:
        return record_messages(state, messages, config=self.config)

    def record_output(self, state: Any, call: Mapping[str, Any], text: str, verdict: ScanResult) -> ProvenanceState:
        tool = str(call.get("name") or "")
        kind = "untrusted" if Property.A in self._props(tool) else "trusted"
        return record(state, kind=kind, text=text, tool=tool, verdict=verdict, config=self.config)

    def check_call(self, state: Any, call: Mapping[str, Any], session: Session | None = None) -> ScanResult:
        args = call.get("args") or {}
        sink_args = self.sinks_of(str(call.get("name") or ""), args)
        return judge(trace_call(state, args, sink_args), self.config, has_sinks=bool(sink_args))
