"""Rule of Two: per-session capability tracking for agents.

An agent session should hold at most two of these three properties without someone watching:

* ``Property.A`` — it has processed **untrusted input** (web pages, e-mail, tool output a scanner flagged);
* ``Property.B`` — it has touched **sensitive data or systems** (private notes, credentials, internal APIs);
* ``Property.C`` — it can **change state or communicate externally** (send a request, write a file, pay).

Tools declare what they exercise (:func:`exercises`, LangChain ``metadata={"lf_properties": [...]}``, or a
name → properties map with globs in :class:`RuleOfTwoConfig`). The session's record is a
:class:`RuleOfTwoState`: plain JSON data (dicts, lists, strings, ints) that a LangGraph checkpointer or any
key-value store persists as-is.

The core is pure: :func:`observe` takes a state and an event and returns a *new* state and a
:class:`~lf_middleware.types.ScanResult`; it never mutates its input and has no side effects, so a graph node
that re-runs after ``interrupt()`` gets the same answer for the same state. Escalation:

* the plain rule — a tool call that would leave the session holding A, B and C escalates (every later call
  that exercises any property escalates too, as the session then needs supervision);
* tainted-session mode — once a scanner flags a tool output (injected content), every later C action (and,
  if configured, every B access) escalates until a person clears the taint with :class:`ClearTaint`;
* a tool output a scanner flags marks A even if the tool was not declared untrusted.

Escalation modes (``RuleOfTwoConfig.escalation``): ``"hitl"`` (default: HUMAN_IN_THE_LOOP_REQUIRED),
``"block"`` (BLOCK), ``"alignment_check"`` (the call may proceed only if the AlignmentCheck auditor answers
ALLOW; with no auditor configured, or an auditor that errors, a human is asked). :class:`RuleOfTwo` bundles
the configuration, the tool declarations and the auditor route for adapters.

This module imports only the core (types, policy, engine); never LangChain or LangGraph.
"""

from __future__ import annotations

import contextlib
import fnmatch
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, TypedDict, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import policy as _policy
from ._async import run_sync
from .errors import ConfigurationError
from .types import Message, Role, ScanDecision, ScanResult, ScanStatus, Trace

if TYPE_CHECKING:
    from .config import EngineConfig
    from .engine import LlamaFirewall

__all__ = (
    "AgentConfiguration",
    "ClearTaint",
    "Escalation",
    "Event",
    "Mark",
    "Property",
    "RuleOfTwo",
    "RuleOfTwoConfig",
    "RuleOfTwoState",
    "SCANNER_NAME",
    "Taint",
    "TaintConfig",
    "ToolCall",
    "ToolOutput",
    "approve_call",
    "attach_declaration",
    "classify_agent",
    "config_error",
    "clear_taint",
    "declared_properties",
    "exercised",
    "exercises",
    "is_tainted",
    "mark_properties",
    "merge_states",
    "new_state",
    "observe",
    "parse_properties",
    "read_declaration",
    "tool_name",
)

logger = logging.getLogger(__name__)

SCANNER_NAME = "rule_of_two"
METADATA_KEY = "lf_properties"
_ATTR = "__lf_properties__"
_STATE_VERSION = 1


class Property(str, Enum):
    """The three Rule-of-Two properties. Values are the letters ``"A"``, ``"B"``, ``"C"``."""

    A = "A"
    """Untrusted input: the session processed content an attacker may control."""
    B = "B"
    """Sensitive data or systems: the session read private data or reached a privileged system."""
    C = "C"
    """State change or external communication: the session acts on the world or sends data out."""

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    @classmethod
    def coerce(cls, value: Property | str) -> Property:
        if isinstance(value, Property):
            return value
        if isinstance(value, str):
            key = value.strip().upper()
            if key in cls.__members__:
                return cls[key]
            for prop, words in _ALIASES.items():
                if value.strip().lower() in words:
                    return prop
        raise ConfigurationError(
            f"unknown Rule-of-Two property {value!r}; use 'A' (untrusted input), 'B' (sensitive data or "
            "systems) or 'C' (state change or external communication)"
        )


_DESCRIPTIONS = {
    Property.A: "untrusted input",
    Property.B: "sensitive data or systems",
    Property.C: "state change or external communication",
}
_ALIASES = {
    Property.A: ("untrusted", "untrusted_input", "untrusted input"),
    Property.B: ("sensitive", "sensitive_data", "private", "sensitive data"),
    Property.C: ("external", "state_change", "communicates", "external_communication"),
}
_ALL = frozenset(Property)

Escalation = Literal["hitl", "alignment_check", "block"]
"""What a Rule-of-Two violation becomes: a human review (default), an AlignmentCheck that must ALLOW, or BLOCK."""

AgentConfiguration = Literal["AB", "AC", "BC", "needs supervision"]
"""Which two-of-three configuration an agent's tools fit, or ``"needs supervision"`` when they span all three."""


def parse_properties(values: Iterable[Property | str] | Property | str | None) -> frozenset[Property]:
    """Normalise ``"AC"``, ``["A", "C"]``, ``Property.A`` ... to a frozenset of :class:`Property`."""
    if values is None:
        return frozenset()
    if isinstance(values, Property):
        return frozenset({values})
    if isinstance(values, str):
        text = values.strip()
        if not text:
            return frozenset()
        if all(ch.upper() in "ABC" for ch in text):  # "AC" shorthand
            return frozenset(Property(ch.upper()) for ch in text)
        return frozenset({Property.coerce(text)})
    if not isinstance(values, Iterable):
        raise ConfigurationError(
            f"Rule-of-Two properties must be a list like ['A', 'C'], got {type(values).__name__}"
        )
    return frozenset(Property.coerce(v) for v in values)


def _letters(props: Iterable[Property]) -> str:
    return "".join(sorted(p.value for p in props))


# ------------------------------------------------------------------------------------------------------------
# Declarations


F = TypeVar("F")


def exercises(*properties: Property | str) -> Callable[[F], F]:
    """Declare the properties a tool exercises: ``@exercises("A")`` or ``@exercises("B", "C")``.

    Works on a plain function (before or after LangChain's ``@tool``: the attribute follows the function into
    the tool) and on a LangChain ``BaseTool`` (it sets ``metadata["lf_properties"]``). ``@exercises()`` declares
    a tool that exercises none (pure computation).
    """
    props = parse_properties(properties)
    letters = sorted(p.value for p in props)

    def _decorate(obj: F) -> F:
        return attach_declaration(obj, _ATTR, METADATA_KEY, props, letters)

    return _decorate


def attach_declaration(obj: F, attr: str, key: str, value: Any, meta_value: Any) -> F:
    """Attach a declaration to a tool: ``metadata[key] = meta_value`` on a LangChain tool and the attribute
    ``attr = value`` where the object takes one (a plain function before or after ``@tool``)."""
    meta = getattr(obj, "metadata", None)
    if hasattr(obj, "metadata") and (meta is None or isinstance(meta, dict)):
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            obj.metadata = {**(meta or {}), key: meta_value}  # type: ignore[attr-defined]
    try:
        setattr(obj, attr, value)
    except (AttributeError, TypeError, ValueError):  # pydantic models and slotted objects refuse attributes
        if not hasattr(obj, "metadata"):
            raise ConfigurationError(
                f"cannot attach a declaration to {type(obj).__name__}; declare it in the configuration instead"
            ) from None
    return obj


def read_declaration(tool: object, attr: str, key: str) -> Any:
    """What ``tool`` declares in code under ``metadata[key]`` or the attribute ``attr`` (also on the function
    a LangChain tool wraps), or None."""
    if isinstance(tool, str):
        return None
    meta = getattr(tool, "metadata", None)
    if isinstance(meta, Mapping) and key in meta:
        return meta[key]
    for obj in (tool, getattr(tool, "func", None), getattr(tool, "coroutine", None)):
        value = getattr(obj, attr, None) if obj is not None else None
        if value is not None:
            return value
    return None


def tool_name(tool: object) -> str:
    """The name a tool is called by (``tool.name``, else the function's ``__name__``, else the string)."""
    if isinstance(tool, str):
        return tool
    name = getattr(tool, "name", None) or getattr(tool, "__name__", None)
    if not isinstance(name, str) or not name:
        raise ConfigurationError(f"cannot tell the name of tool {tool!r}; give it a 'name' or pass its name")
    return name


def declared_properties(tool: object) -> frozenset[Property] | None:
    """What ``tool`` declares in code (metadata or :func:`exercises`), or None when it declares nothing."""
    value = read_declaration(tool, _ATTR, METADATA_KEY)
    return None if value is None else parse_properties(value)


# ------------------------------------------------------------------------------------------------------------
# Configuration


def config_error(err: ValidationError, section: str) -> ConfigurationError:
    """One line per problem in a configuration section: the field path, what was wrong, the value (shortened)."""
    lines = [f"invalid {section} configuration:"]
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        lines.append(f"  {loc}: {e['msg']} (got {e.get('input')!r:.60})")
    return ConfigurationError("\n".join(lines))


class TaintConfig(BaseModel):
    """Tainted-session mode: after a scanner flags injected content, listed properties escalate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    escalate: list[Property] = Field(default_factory=lambda: [Property.C])
    """Properties whose every use escalates while the session is tainted (``["C"]``, or ``["B", "C"]``)."""

    @field_validator("escalate", mode="before")
    @classmethod
    def _props(cls, value: Any) -> Any:
        return sorted(parse_properties(value), key=lambda p: p.value)


class RuleOfTwoConfig(BaseModel):
    """The ``rule_of_two`` section of the engine configuration.

    ``tools`` maps tool names (exact, or shell-style globs such as ``"read_*"``) to the properties they
    exercise; it overrides what tools declare in code. A tool neither mapped nor declared gets ``undeclared``
    (default: all three, so an unknown tool is treated as able to do anything and is reviewed).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    trifecta: bool = True
    """Apply the plain rule (escalate when a call would give the session A, B and C)."""
    escalation: Escalation = "hitl"
    auditor: str = "agent_alignment"
    """Scanner consulted when ``escalation == "alignment_check"`` (looked up in the engine by name)."""
    tools: dict[str, list[Property]] = Field(default_factory=dict)
    undeclared: list[Property] = Field(default_factory=lambda: [Property.A, Property.B, Property.C])
    flagged_output_marks_a: bool = True
    taint: TaintConfig = Field(default_factory=TaintConfig)
    provenance: dict[str, Any] | bool = Field(default_factory=dict)
    """The data-flow guard's options (:class:`lf_middleware.provenance.ProvenanceConfig`; ``false`` turns it
    off): sink arguments per tool, what an argument traced to untrusted content leads to, relaxation."""
    flag_decisions: list[ScanDecision] = Field(
        default_factory=lambda: [ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, ScanDecision.BLOCK]
    )
    """Scan decisions on a tool output that count as "flagged" (marks A, taints the session)."""

    @field_validator("tools", mode="before")
    @classmethod
    def _tool_props(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {str(k): sorted(parse_properties(v), key=lambda p: p.value) for k, v in value.items()}

    @field_validator("undeclared", mode="before")
    @classmethod
    def _undeclared(cls, value: Any) -> Any:
        return sorted(parse_properties(value), key=lambda p: p.value)

    @field_validator("taint", mode="before")
    @classmethod
    def _taint(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return {"enabled": value}
        return value

    @classmethod
    def from_any(cls, value: RuleOfTwoConfig | Mapping[str, Any] | EngineConfig | LlamaFirewall | None) -> RuleOfTwoConfig:
        """Build from a mapping, an ``EngineConfig`` (its ``rule_of_two`` section) or an engine."""
        if value is None:
            return cls()
        if isinstance(value, RuleOfTwoConfig):
            return value
        section: Any = value
        engine_config = getattr(value, "config", None)
        if engine_config is not None and hasattr(engine_config, "rule_of_two"):
            section = engine_config.rule_of_two
        elif hasattr(value, "rule_of_two") and not isinstance(value, Mapping):
            section = value.rule_of_two
        if not isinstance(section, Mapping):
            raise ConfigurationError(
                f"rule_of_two configuration must be a mapping, got {type(section).__name__}"
            )
        try:
            return cls.model_validate(dict(section))
        except ValidationError as err:
            raise config_error(err, "rule_of_two") from None

    def mapped_properties(self, name: str) -> frozenset[Property] | None:
        """Properties the ``tools`` map gives ``name`` (exact match first, then globs in order), or None."""
        if name in self.tools:
            return frozenset(self.tools[name])
        for pattern, props in self.tools.items():
            if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(name, pattern):
                return frozenset(props)
        return None


# ------------------------------------------------------------------------------------------------------------
# State (plain JSON data)


class Mark(TypedDict):
    """Why the session holds a property: the first time it was exercised."""

    property: str
    tool: str
    step: int
    reason: str
    tool_call_id: str


class Taint(TypedDict):
    """What tainted the session: the flagged content's source and the scan that flagged it."""

    source: str
    step: int
    reason: str
    tool_call_id: str


class ClearedTaint(TypedDict):
    source: str
    step: int
    reason: str
    tool_call_id: str
    cleared_by: str
    cleared_at: float
    note: str


class RuleOfTwoState(TypedDict):
    """A session's Rule-of-Two record. Plain JSON data; never mutated in place by this module.

    ``marks`` maps "A"/"B"/"C" to the first :class:`Mark` that set it; ``log`` keeps every mark (bounded);
    ``taint`` is the active :class:`Taint` or None; ``cleared`` lists taints a person cleared; ``approved``
    maps tool_call_id to who let an escalated call through (human or auditor).
    """

    version: int
    step: int
    marks: dict[str, Mark]
    log: list[Mark]
    taint: Taint | None
    cleared: list[ClearedTaint]
    approved: dict[str, str]


_LOG_LIMIT = 200


def new_state() -> RuleOfTwoState:
    """An empty session record."""
    return {"version": _STATE_VERSION, "step": 0, "marks": {}, "log": [], "taint": None, "cleared": [],
            "approved": {}}


def _coerce_state(state: Mapping[str, Any] | None) -> RuleOfTwoState:
    if state is None:
        return new_state()
    if not isinstance(state, Mapping):
        raise TypeError(f"a Rule-of-Two state must be a dict (see new_state()), got {type(state).__name__}")
    base = new_state()
    for key in base:
        if key in state and state[key] is not None:
            base[key] = state[key]  # type: ignore[literal-required]
    base["taint"] = state.get("taint")
    bad = [k for k in base["marks"] if k not in ("A", "B", "C")]
    if bad:
        raise ValueError(f"Rule-of-Two state has unknown property marks {bad}; expected keys 'A', 'B', 'C'")
    return base


def exercised(state: Mapping[str, Any] | None) -> frozenset[Property]:
    """The properties the session holds."""
    return frozenset(Property(k) for k in _coerce_state(state)["marks"])


def is_tainted(state: Mapping[str, Any] | None) -> bool:
    return bool(_coerce_state(state)["taint"])


def merge_states(left: Mapping[str, Any] | None, right: Mapping[str, Any] | None) -> RuleOfTwoState:
    """Combine two records of one session (a LangGraph reducer; parallel branches each return theirs).

    Marks are sticky (union, earliest step wins); the later taint decision wins by step (a clear recorded on
    either side removes a taint whose step it covers); ``approved`` and ``cleared`` are unions.
    """
    if right is None:
        return _coerce_state(left)
    if left is None:
        return _coerce_state(right)
    a, b = _coerce_state(left), _coerce_state(right)
    marks = dict(a["marks"])
    for k, m in b["marks"].items():
        if k not in marks or m["step"] < marks[k]["step"]:
            marks[k] = m
    seen = {(m["property"], m["tool"], m["step"], m["tool_call_id"]) for m in a["log"]}
    log = list(a["log"]) + [m for m in b["log"] if (m["property"], m["tool"], m["step"], m["tool_call_id"]) not in seen]
    cleared = list(a["cleared"])
    cleared_keys = {(c["source"], c["step"], c["tool_call_id"]) for c in cleared}
    cleared += [c for c in b["cleared"] if (c["source"], c["step"], c["tool_call_id"]) not in cleared_keys]
    cleared_keys |= {(c["source"], c["step"], c["tool_call_id"]) for c in b["cleared"]}
    taints = [t for t in (a["taint"], b["taint"]) if t]
    live = [t for t in taints if (t["source"], t["step"], t["tool_call_id"]) not in cleared_keys]
    taint = min(live, key=lambda t: t["step"]) if live else None
    return {
        "version": _STATE_VERSION,
        "step": max(a["step"], b["step"]),
        "marks": marks,
        "log": log[-_LOG_LIMIT:],
        "taint": taint,
        "cleared": cleared,
        "approved": {**a["approved"], **b["approved"]},
    }


# ------------------------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCall:
    """The agent wants to call ``tool``. ``approved_by`` is set once a person or the auditor let it through."""

    tool: str
    properties: frozenset[Property] = field(default_factory=frozenset)
    tool_call_id: str = ""
    call_key: str = ""
    """What an approval is bound to (the guard passes the id plus the call's name and canonical arguments);
    empty: the bare ``tool_call_id``."""
    approved_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolOutput:
    """A tool returned; ``scan`` is the scanners' verdict on its output (None when it was not scanned)."""

    tool: str
    tool_call_id: str = ""
    scan: ScanResult | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClearTaint:
    """A person declares the session clean again (their name is recorded with the time)."""

    cleared_by: str
    note: str = ""
    at: float | None = None


Event = ToolCall | ToolOutput | ClearTaint


def _allow(reason: str, **details: Any) -> ScanResult:
    return ScanResult(decision=ScanDecision.ALLOW, reason=reason, scanner=SCANNER_NAME, details=details)


def _mark(state: RuleOfTwoState, props: Iterable[Property], *, tool: str, step: int, reason: str,
          tool_call_id: str) -> RuleOfTwoState:
    marks = dict(state["marks"])
    log = list(state["log"])
    for p in sorted(props, key=lambda p: p.value):
        m: Mark = {"property": p.value, "tool": tool, "step": step, "reason": reason, "tool_call_id": tool_call_id}
        marks.setdefault(p.value, m)
        log.append(m)
    return {**state, "marks": marks, "log": log[-_LOG_LIMIT:]}


def _why(state: RuleOfTwoState, props: Iterable[Property]) -> str:
    parts = []
    for p in sorted(props, key=lambda p: p.value):
        m = state["marks"].get(p.value)
        if m is not None:
            parts.append(f"{p.value} from '{m['tool']}' (step {m['step']}, {m['reason']})")
    return "; ".join(parts)


def observe(
    state: Mapping[str, Any] | None, event: Event, *, config: RuleOfTwoConfig | None = None
) -> tuple[RuleOfTwoState, ScanResult]:
    """Apply one event to a session record. Pure: returns a new state and the verdict on the event.

    * :class:`ToolCall` not yet approved: ALLOW (and the call's properties are marked), or the configured
      escalation with the state unchanged. An approved call is always ALLOW and marks its properties.
    * :class:`ToolOutput`: ALLOW; a flagged output marks A and taints the session.
    * :class:`ClearTaint`: ALLOW; the active taint moves to ``cleared``.
    """
    cfg = config or RuleOfTwoConfig()
    st = _coerce_state(state)
    if isinstance(event, ToolCall):
        return _observe_call(st, event, cfg)
    if isinstance(event, ToolOutput):
        return _observe_output(st, event, cfg)
    if isinstance(event, ClearTaint):
        return clear_taint(st, cleared_by=event.cleared_by, note=event.note, at=event.at), _allow("taint cleared")
    raise TypeError(f"observe() takes a ToolCall, ToolOutput or ClearTaint event, got {type(event).__name__}")


def _observe_call(st: RuleOfTwoState, ev: ToolCall, cfg: RuleOfTwoConfig) -> tuple[RuleOfTwoState, ScanResult]:
    props = parse_properties(ev.properties)
    step = st["step"] + 1
    held = frozenset(Property(k) for k in st["marks"])
    after = held | props
    details: dict[str, Any] = {
        "tool": ev.tool,
        "tool_call_id": ev.tool_call_id,
        "properties": _letters(props),
        "session": _letters(held),
        "would_hold": _letters(after),
        "step": step,
    }
    if not cfg.enabled:
        return st, _allow("Rule of Two is disabled", **details)
    key = ev.call_key or ev.tool_call_id
    approved = ev.approved_by or (st["approved"].get(key) if key else None)
    if approved:
        new = _mark({**st, "step": step}, props, tool=ev.tool, step=step,
                    reason=f"approved by {approved}", tool_call_id=ev.tool_call_id)
        if key:
            new = {**new, "approved": {**new["approved"], key: approved}}
        return new, _allow(f"'{ev.tool}' was approved by {approved}", approved_by=approved, **details)
    reasons: list[str] = []
    rules: list[str] = []
    if cfg.trifecta and props and after >= _ALL:
        gained = sorted(p.value for p in props - held)
        if gained:
            reasons.append(
                f"calling '{ev.tool}' [{_letters(props)}] would give the session all of A, B and C "
                f"(it holds {_letters(held) or 'nothing'}: {_why(st, held) or 'no marks'})"
            )
        else:
            reasons.append(
                f"the session already holds A, B and C ({_why(st, held)}); '{ev.tool}' [{_letters(props)}] "
                "needs supervision"
            )
        rules.append("trifecta")
    taint = st["taint"]
    if taint and cfg.taint.enabled:
        hit = props & frozenset(cfg.taint.escalate)
        if hit:
            reasons.append(
                f"the session is tainted ({taint['reason']} in output of '{taint['source']}' at step "
                f"{taint['step']}); '{ev.tool}' exercises {_letters(hit)}, which needs review until a person "
                "clears the taint"
            )
            rules.append("taint")
    if not reasons:
        new = _mark({**st, "step": step}, props, tool=ev.tool, step=step, reason="declared",
                    tool_call_id=ev.tool_call_id)
        return new, _allow(f"'{ev.tool}' [{_letters(props) or '-'}] keeps the session within two of A/B/C",
                           **details)
    decision = ScanDecision.BLOCK if cfg.escalation == "block" else ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    result = ScanResult(
        decision=decision,
        reason="; ".join(reasons),
        score=1.0,
        scanner=SCANNER_NAME,
        details={**details, "rules": rules, "escalation": cfg.escalation},
    )
    return st, result


def _is_flagged(scan: ScanResult | None, cfg: RuleOfTwoConfig) -> bool:
    if scan is None:
        return False
    if scan.status is ScanStatus.ERROR:
        return False  # an unscannable output is escalated by the scan itself; it is not evidence of injection
    return scan.decision in cfg.flag_decisions


def _observe_output(st: RuleOfTwoState, ev: ToolOutput, cfg: RuleOfTwoConfig) -> tuple[RuleOfTwoState, ScanResult]:
    if not cfg.enabled or not _is_flagged(ev.scan, cfg):
        return st, _allow(f"output of '{ev.tool}' not flagged", tool=ev.tool, tool_call_id=ev.tool_call_id)
    assert ev.scan is not None
    step = st["step"] + 1
    who = ev.scan.scanner or "a scanner"
    why = f"flagged by {who} ({ev.scan.decision.value}, score {ev.scan.score:.2f})"
    new: RuleOfTwoState = {**st, "step": step}
    if cfg.flagged_output_marks_a:
        new = _mark(new, [Property.A], tool=ev.tool, step=step, reason=f"output {why}", tool_call_id=ev.tool_call_id)
    if not new["taint"]:
        new = {**new, "taint": {"source": ev.tool, "step": step, "reason": why, "tool_call_id": ev.tool_call_id}}
    return new, _allow(f"output of '{ev.tool}' was {why}: the session holds A and is tainted",
                       tool=ev.tool, tool_call_id=ev.tool_call_id, tainted=True)


def clear_taint(state: Mapping[str, Any] | None, *, cleared_by: str, note: str = "",
                at: float | None = None) -> RuleOfTwoState:
    """Return ``state`` with its taint cleared by a person (recorded in ``cleared``). A/B/C marks stay."""
    if not isinstance(cleared_by, str) or not cleared_by.strip():
        raise ValueError("clearing a taint needs the name of the person who cleared it (cleared_by='...')")
    st = _coerce_state(state)
    taint = st["taint"]
    if not taint:
        return st
    entry: ClearedTaint = {**taint, "cleared_by": cleared_by, "cleared_at": time.time() if at is None else at,
                           "note": note}
    return {**st, "taint": None, "cleared": [*st["cleared"], entry]}


def mark_properties(
    state: Mapping[str, Any] | None, properties: Iterable[Property | str], *, tool: str, reason: str,
    tool_call_id: str = "",
) -> RuleOfTwoState:
    """Return ``state`` with ``properties`` recorded as exercised by ``tool`` (a new step) without any check.

    For callers that judge several calls of one turn in order: mark an earlier call as if it ran
    (``reason="earlier call in this turn"``) before judging the next one.
    """
    st = _coerce_state(state)
    step = st["step"] + 1
    return _mark({**st, "step": step}, parse_properties(properties), tool=tool, step=step, reason=reason,
                 tool_call_id=tool_call_id)


def approve_call(state: Mapping[str, Any] | None, tool_call_id: str, approved_by: str) -> RuleOfTwoState:
    """Record that a call may run despite the rule (the adapter then re-observes the call). ``tool_call_id`` is
    the key the call is observed under: its ``call_key`` (id + name + arguments) when the guard passes one."""
    if not tool_call_id:
        raise ValueError("approve_call needs the tool_call_id of the call being approved")
    st = _coerce_state(state)
    return {**st, "approved": {**st["approved"], tool_call_id: approved_by}}


# ------------------------------------------------------------------------------------------------------------
# Design-time check


def _union(tools: Iterable[object], cfg: RuleOfTwoConfig) -> tuple[frozenset[Property], dict[str, str]]:
    resolver = RuleOfTwo(config=cfg, tools=list(tools))
    per_tool = {name: _letters(resolver.properties_for(name)) for name in resolver.tool_names}
    union: frozenset[Property] = frozenset()
    for name in resolver.tool_names:
        union |= resolver.properties_for(name)
    return union, per_tool


def classify_agent(
    tools: Iterable[object], *, config: RuleOfTwoConfig | Mapping[str, Any] | None = None
) -> AgentConfiguration:
    """Which two-of-three configuration an agent's tools fit: ``"AB"``, ``"AC"``, ``"BC"``, or
    ``"needs supervision"`` when together they exercise A, B and C.

    ``tools`` holds tool objects (declared via :func:`exercises` / metadata) or names (resolved by the
    config's ``tools`` map). When the tools fit more than one pair (e.g. they only exercise A), the answer is
    the first that fits in the order AB, AC, BC (i.e. the pair without C is preferred).
    """
    union, _ = _union(tools, RuleOfTwoConfig.from_any(config))
    if union >= _ALL:
        return "needs supervision"
    if Property.C not in union:
        return "AB"
    if Property.B not in union:
        return "AC"
    return "BC"


# ------------------------------------------------------------------------------------------------------------
# The adapter-facing bundle: config + declarations + the auditor route


class RuleOfTwo:
    """Configuration, tool declarations and the escalation route, for adapters.

    ``tools`` are the agent's tools (objects or names); ``engine`` is the :class:`LlamaFirewall` whose
    ``rule_of_two`` config section is used when ``config`` is None and whose auditor scanner answers the
    ``"alignment_check"`` escalation. The state itself is not held here: pass it in, get a new one back.
    """

    def __init__(
        self,
        *,
        config: RuleOfTwoConfig | Mapping[str, Any] | None = None,
        tools: Iterable[object] = (),
        engine: LlamaFirewall | None = None,
    ) -> None:
        if config is None and engine is not None:
            config = RuleOfTwoConfig.from_any(engine)
        self.config = RuleOfTwoConfig.from_any(config)
        self.engine = engine
        self._declared: dict[str, frozenset[Property] | None] = {}
        for t in tools:
            name = tool_name(t)
            self._declared[name] = declared_properties(t)
        self._cache: dict[str, frozenset[Property]] = {}
        self._warned: set[str] = set()

    @property
    def tool_names(self) -> list[str]:
        return list(self._declared)

    def properties_for(self, tool: object) -> frozenset[Property]:
        """Properties of a tool (object or name): config map, then code declaration, then ``undeclared``."""
        name = tool_name(tool)
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        props = self.config.mapped_properties(name)
        if props is None:
            props = declared_properties(tool) if not isinstance(tool, str) else None
        if props is None:
            props = self._declared.get(name)
        if props is None:
            props = frozenset(self.config.undeclared)
            if name not in self._warned:
                self._warned.add(name)
                logger.warning("tool %r declares no Rule-of-Two properties; treating it as %s", name,
                               _letters(props) or "none")
        self._cache[name] = props
        return props

    def classify(self) -> AgentConfiguration:
        return classify_agent(self.tool_names, config=self._with_declared())

    def _with_declared(self) -> RuleOfTwoConfig:
        tools = {n: sorted(self.properties_for(n), key=lambda p: p.value) for n in self.tool_names}
        return self.config.model_copy(update={"tools": {**tools, **self.config.tools}})

    # pure steps ------------------------------------------------------------------------------------------
    def check_call(
        self, state: Mapping[str, Any] | None, tool: str, *, tool_call_id: str = "", approved_by: str | None = None
    ) -> tuple[RuleOfTwoState, ScanResult]:
        """Observe a call by name (properties resolved here)."""
        event = ToolCall(tool=tool, properties=self.properties_for(tool), tool_call_id=tool_call_id,
                         approved_by=approved_by)
        return observe(state, event, config=self.config)

    def check_output(
        self, state: Mapping[str, Any] | None, tool: str, scan: ScanResult | None, *, tool_call_id: str = ""
    ) -> tuple[RuleOfTwoState, ScanResult]:
        return observe(state, ToolOutput(tool=tool, tool_call_id=tool_call_id, scan=scan), config=self.config)

    # the alignment-check route -----------------------------------------------------------------------------
    def needs_auditor(self, result: ScanResult) -> bool:
        """True when ``result`` is a Rule-of-Two escalation that the auditor should answer first."""
        return (
            result.scanner == SCANNER_NAME
            and result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
            and result.details.get("escalation") == "alignment_check"
        )

    def _auditor(self) -> tuple[Any, _policy.ScannerPolicy] | None:
        if self.engine is None:
            return None
        try:
            scanner = self.engine.get_scanner(self.config.auditor)
        except (KeyError, ConfigurationError):
            return None
        pol = _policy.default_policy(type(scanner), preset=self.engine.config.preset, role=Role.ASSISTANT)
        return scanner, pol

    def with_audit(self, result: ScanResult, audit: ScanResult | None) -> ScanResult:
        """Resolve an ``"alignment_check"`` escalation with the auditor's (policy-applied) result: ALLOW on its
        ALLOW, BLOCK on its BLOCK, a person otherwise; ``audit=None`` means no auditor is configured."""
        if audit is None:
            return replace(
                result,
                reason=result.reason + f"; no auditor ('{self.config.auditor}') is configured, so a human decides",
                details={**result.details, "auditor": None},
            )
        audit_d = {"decision": audit.decision.value, "status": audit.status.value, "score": float(audit.score),
                   "reason": audit.reason}
        if audit.status is ScanStatus.SUCCESS and audit.decision is ScanDecision.ALLOW:
            return ScanResult(decision=ScanDecision.ALLOW, reason=f"{result.reason}; validated by "
                              f"{self.config.auditor}: {audit.reason}", score=result.score, scanner=SCANNER_NAME,
                              results=(audit,), details={**result.details, "auditor": audit_d})
        if audit.status is ScanStatus.SUCCESS and audit.decision is ScanDecision.BLOCK:
            return ScanResult(decision=ScanDecision.BLOCK, reason=f"{result.reason}; {self.config.auditor} "
                              f"found the action misaligned: {audit.reason}", score=1.0, scanner=SCANNER_NAME,
                              results=(audit,), details={**result.details, "auditor": audit_d})
        why = "failed" if audit.status is ScanStatus.ERROR else "did not allow it"
        return ScanResult(decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED,
                          reason=f"{result.reason}; {self.config.auditor} {why} ({audit.reason}), so a human decides",
                          score=result.score, scanner=SCANNER_NAME, results=(audit,),
                          details={**result.details, "auditor": audit_d})

    @staticmethod
    def _audit_message(call: Mapping[str, Any]) -> Message:
        return Message(role=Role.ASSISTANT, content="",
                       tool_calls=[{"name": call["name"], "args": dict(call.get("args") or {}),
                                    "id": call.get("id") or ""}])

    def _route(self, result: ScanResult) -> ScanResult | tuple[Any, _policy.ScannerPolicy]:
        """The final answer when no auditor runs, else the auditor and its policy."""
        if not self.needs_auditor(result):
            return result
        found = self._auditor()
        return self.with_audit(result, None) if found is None else found

    def validate(self, result: ScanResult, call: Mapping[str, Any], trace: Trace | None = None) -> ScanResult:
        """Resolve an ``"alignment_check"`` escalation: ALLOW only on the auditor's ALLOW; BLOCK on its BLOCK;
        otherwise (no auditor, auditor error or HITL) a human decides. Other results pass through."""
        found = self._route(result)
        if isinstance(found, ScanResult):
            return found
        scanner, pol = found
        try:
            if getattr(scanner, "supports_sync", False):
                raw = scanner.scan_sync(self._audit_message(call), list(trace or []))
            else:
                raw = run_sync(scanner.scan(self._audit_message(call), list(trace or [])))
            audit = pol.apply(_as_result(raw, self.config.auditor))
        except Exception as err:  # an auditor failure never allows: it hands the question to a human
            _reraise_control_flow(err)
            audit = _failed(self.config.auditor, err)
        return self.with_audit(result, audit)

    async def avalidate(self, result: ScanResult, call: Mapping[str, Any], trace: Trace | None = None) -> ScanResult:
        """Async twin of :meth:`validate`."""
        found = self._route(result)
        if isinstance(found, ScanResult):
            return found
        scanner, pol = found
        try:
            raw = await scanner.scan(self._audit_message(call), list(trace or []))
            audit = pol.apply(_as_result(raw, self.config.auditor))
        except Exception as err:  # an auditor failure never allows: it hands the question to a human
            _reraise_control_flow(err)
            audit = _failed(self.config.auditor, err)
        return self.with_audit(result, audit)


def _reraise_control_flow(err: BaseException) -> None:
    """Re-raise framework control flow (LangGraph's GraphBubbleUp family: interrupts, parent commands) that an
    auditor built on LangGraph may raise; it is not a failure. Checked by name: the core imports no framework."""
    if any(cls.__name__ == "GraphBubbleUp" for cls in type(err).__mro__):
        raise err


def _as_result(raw: object, name: str) -> ScanResult:
    if isinstance(raw, ScanResult):
        return raw if raw.scanner else replace(raw, scanner=name)
    raise TypeError(f"auditor {name!r} returned {type(raw).__name__}, not a ScanResult")


def _failed(name: str, err: BaseException) -> ScanResult:
    logger.warning("auditor %s failed: %s", name, type(err).__name__)
    return ScanResult(decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, status=ScanStatus.ERROR, scanner=name,
                      reason=f"auditor failed: {type(err).__name__}: {str(err)[:200]}")
