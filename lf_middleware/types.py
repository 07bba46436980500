"""Core vocabulary: enums and message/result dataclasses.

Values match LlamaFirewall 1.0.3 (``llamafirewall_data_types``); ``lf_middleware.compat.llamafirewall``
re-exports them under LlamaFirewall's module paths. The enums also subclass ``str`` so
``ScanDecision.BLOCK == "block"`` holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeAlias

__all__ = (
    "AssistantMessage",
    "MemoryMessage",
    "Message",
    "Role",
    "ScanDecision",
    "ScanResult",
    "ScanStatus",
    "ScannerType",
    "SystemMessage",
    "ToolMessage",
    "Trace",
    "UserMessage",
    "severity",
)


class Role(str, Enum):
    """Where a message comes from."""

    TOOL = "tool"
    USER = "user"
    ASSISTANT = "assistant"
    MEMORY = "memory"
    SYSTEM = "system"

    @classmethod
    def coerce(cls, value: Role | str) -> Role:
        if isinstance(value, Role):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            names = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role {value!r}; expected one of: {names}") from None


class ScannerType(str, Enum):
    """Built-in scanners, by their LlamaFirewall names (plus ``tool_policy``)."""

    CODE_SHIELD = "code_shield"
    PROMPT_GUARD = "prompt_guard"
    AGENT_ALIGNMENT = "agent_alignment"
    ALIGNMENT_CHECK = "agent_alignment"  # alias of AGENT_ALIGNMENT
    HIDDEN_ASCII = "hidden_ascii"
    PII_DETECTION = "pii_detection"
    REGEX = "regex"
    TOOL_POLICY = "tool_policy"

    @classmethod
    def _missing_(cls, value: object) -> ScannerType | None:
        if isinstance(value, str) and value.lower() == "alignment_check":
            return cls.AGENT_ALIGNMENT
        return None


class ScanDecision(str, Enum):
    ALLOW = "allow"
    HUMAN_IN_THE_LOOP_REQUIRED = "human_in_the_loop_required"
    BLOCK = "block"


class ScanStatus(str, Enum):
    SUCCESS = "success"
    ERROR = "error"
    FAILURE = "error"  # alias of ERROR
    SKIPPED = "skipped"


_SEVERITY = {ScanDecision.ALLOW: 0, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED: 1, ScanDecision.BLOCK: 2}


def severity(decision: ScanDecision) -> int:
    """Order decisions: BLOCK (2) beats HUMAN_IN_THE_LOOP_REQUIRED (1) beats ALLOW (0)."""
    return _SEVERITY[decision]


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a scan concluded.

    A scanner returns one (``scanner`` names it); the engine returns an aggregate whose ``results`` holds each
    scanner's result, already passed through the policy. ``reason`` never carries the scanned text wholesale:
    category, score, location and a short excerpt at most.

    The first four fields are LlamaFirewall's and may be given by position (``ScanResult(decision, reason,
    score, status)``); the rest are keyword-only. Equality (and the hash) compares those four only: timing
    (``latency_ms``) and provenance (``scanner``, ``results``, ``details``) never make two verdicts differ.
    """

    decision: ScanDecision = ScanDecision.ALLOW
    reason: str = ""
    score: float = 0.0
    status: ScanStatus = ScanStatus.SUCCESS
    scanner: str = field(default="", kw_only=True, compare=False)
    latency_ms: float = field(default=0.0, kw_only=True, compare=False)
    results: tuple[ScanResult, ...] = field(default=(), kw_only=True, compare=False)
    details: Mapping[str, Any] = field(default_factory=dict, kw_only=True, compare=False)

    @property
    def is_allowed(self) -> bool:
        return self.decision is ScanDecision.ALLOW

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (the CLI's output object and the interrupt payload use it)."""
        out: dict[str, Any] = {
            "decision": self.decision.value,
            "score": float(self.score),
            "status": self.status.value,
            "reason": self.reason,
        }
        if self.scanner:
            out["scanner"] = self.scanner
        out["latency_ms"] = round(float(self.latency_ms), 3)
        if self.results:
            out["scanners"] = [r.to_dict() for r in self.results]
        if self.details:
            out["details"] = dict(self.details)
        return out


_SETTERS = tuple(ScanResult.__dict__[f].__set__ for f in ScanResult.__slots__)  # type: ignore[attr-defined]
assert [f for f in ScanResult.__slots__] == [  # type: ignore[attr-defined]
    "decision", "reason", "score", "status", "scanner", "latency_ms", "results", "details"]
_new = object.__new__


def _build_result(decision: ScanDecision, reason: str, score: float, status: ScanStatus, scanner: str,
                  latency_ms: float, results: tuple[ScanResult, ...], details: Mapping[str, Any]) -> ScanResult:
    """A ScanResult from all eight fields, written straight through its slot descriptors: what the frozen
    dataclass ``__init__`` does at under half the cost (the engine's hot path builds two per scan). For
    internal callers that pass fields already checked."""
    d, rs, sc, st, sn, lt, res, dt = _SETTERS
    out = _new(ScanResult)
    d(out, decision)
    rs(out, reason)
    sc(out, score)
    st(out, status)
    sn(out, scanner)
    lt(out, latency_ms)
    res(out, results)
    dt(out, details)
    return out


def _check_content(content: object, cls_name: str) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, (bytes, bytearray)):
        raise TypeError(
            f"{cls_name} content must be str, got {type(content).__name__}; decode it first "
            "(e.g. data.decode('utf-8', errors='replace'))"
        )
    raise TypeError(f"{cls_name} content must be str, got {type(content).__name__}; pass '' for an empty message")


@dataclass(slots=True)
class Message:
    """A message in an agent's trace. ``tool_calls`` is set on assistant messages that call tools.

    A tool call is a dict ``{"name": str, "args": dict, "id": str}`` (LangChain's shape; OpenAI's
    ``{"function": {"name", "arguments"}}`` is accepted and normalised).
    """

    role: Role
    content: str
    tool_calls: list[dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        self.role = Role.coerce(self.role)
        self.content = _check_content(self.content, type(self).__name__)
        if self.tool_calls is not None:
            if not isinstance(self.tool_calls, Sequence) or isinstance(self.tool_calls, (str, bytes)):
                raise TypeError(f"tool_calls must be a list of dicts, got {type(self.tool_calls).__name__}")
            self.tool_calls = [normalize_tool_call(c) for c in self.tool_calls]

    def __str__(self) -> str:
        return f"{self.role}: {self.content}"


def normalize_tool_call(call: object) -> dict[str, Any]:
    """Return ``{"name", "args", "id"}`` for a LangChain- or OpenAI-shaped tool call."""
    if not isinstance(call, Mapping):
        raise TypeError(f"a tool call must be a dict with 'name' and 'args', got {type(call).__name__}")
    if "function" in call and isinstance(call["function"], Mapping):
        import json

        fn = call["function"]
        raw = fn.get("arguments", {})
        if isinstance(raw, str):
            try:
                args = json.loads(raw) if raw.strip() else {}
            except ValueError:
                args = {"__raw__": raw}
        else:
            args = raw
        fn_name = fn.get("name")
        # a missing or non-string name stays "" (never the string "None"), so a tool policy refuses the call
        return {"name": fn_name if isinstance(fn_name, str) else "", "args": dict(args) if isinstance(args, Mapping) else {"__raw__": args},
                "id": str(call.get("id") or "")}
    name = call.get("name")
    if not isinstance(name, str) or not name:
        raise TypeError(f"a tool call needs a non-empty string 'name', got {name!r}")
    args = call.get("args", call.get("arguments", {}))
    if not isinstance(args, Mapping):
        args = {"__raw__": args}
    return {"name": name, "args": dict(args), "id": str(call.get("id") or "")}


class SystemMessage(Message):
    def __init__(self, content: str) -> None:
        Message.__init__(self, Role.SYSTEM, content)


class UserMessage(Message):
    def __init__(self, content: str) -> None:
        Message.__init__(self, Role.USER, content)


class AssistantMessage(Message):
    def __init__(self, content: str, tool_calls: list[dict[str, Any]] | None = None) -> None:
        Message.__init__(self, Role.ASSISTANT, content, tool_calls)


class ToolMessage(Message):
    def __init__(self, content: str, *, name: str | None = None, tool_call_id: str | None = None) -> None:
        Message.__init__(self, Role.TOOL, content)
        # kept out of the dataclass fields (slots) to stay value-compatible with LlamaFirewall's ToolMessage
        object.__setattr__(self, "tool_calls", None)
        self._meta = {"name": name, "tool_call_id": tool_call_id}

    __slots__ = ("_meta",)

    @property
    def name(self) -> str | None:
        return self._meta["name"]

    @property
    def tool_call_id(self) -> str | None:
        return self._meta["tool_call_id"]


class MemoryMessage(Message):
    def __init__(self, content: str) -> None:
        Message.__init__(self, Role.MEMORY, content)


Trace: TypeAlias = list[Message]
