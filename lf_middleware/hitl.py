"""Human-review payloads, decisions and verdict caching shared by the LangGraph and LangChain adapters.

Framework-neutral: plain JSON data (TypedDicts) and pure helpers; nothing here imports LangChain or LangGraph.

The request/decision shapes follow LangChain's ``HumanInTheLoopMiddleware`` so existing review UIs render
them: an interrupt value is a :class:`HITLRequest` (``action_requests`` + ``review_configs``, one entry per
pending tool call, in order) and the answer is ``{"decisions": [...]}`` with one decision per action:
``{"type": "approve"}``, ``{"type": "edit", "edited_action": {"name", "args"}}``, ``{"type": "reject",
"message"?}`` or ``{"type": "respond", "message"}``. We add, under keys such UIs ignore, the scan result and
Rule-of-Two state (``lf_middleware`` on the request and ``scan``/``tool_call_id`` on each action). A decision
may carry ``reviewer`` (who decided; it goes to the audit log) and, on approve, ``clear_taint: true``.

Verdict cache: a graph node that interrupts runs again from its first line on resume. The verdict that caused
the question is stored (keyed by ``tool_call_id`` and a fingerprint of the call) before the interrupt and read
back on resume, so a nondeterministic scanner cannot change the question the human answered.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from .types import ScanDecision, ScanResult, ScanStatus

try:  # NotRequired is in typing from 3.11
    from typing import NotRequired
except ImportError:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired

__all__ = (
    "Action",
    "ActionRequest",
    "ApproveDecision",
    "Decision",
    "DecisionType",
    "EditDecision",
    "HITLRequest",
    "HITLResponse",
    "PAYLOAD_VERSION",
    "RejectDecision",
    "RespondDecision",
    "ReviewConfig",
    "VerdictEntry",
    "action_request",
    "audit_decision",
    "audit_interrupt",
    "call_fingerprint",
    "check_resume",
    "fingerprint_of",
    "hitl_request",
    "jsonable",
    "merge_counts",
    "merge_verdicts",
    "parse_decisions",
    "recall_verdict",
    "decisions_from",
    "edited_text",
    "rejection_text",
    "response_schema",
    "remember_verdict",
    "result_from_dict",
    "result_to_dict",
    "reviewer_of",
)

PAYLOAD_VERSION = 1
_CACHE_LIMIT = 256

DecisionType = Literal["approve", "edit", "reject", "respond"]
"""What a reviewer may answer for one action (LangChain's four decision types)."""

ALL_DECISIONS: tuple[DecisionType, ...] = ("approve", "edit", "reject", "respond")


class Action(TypedDict):
    """A tool call as a reviewer sees or edits it."""

    name: str
    args: dict[str, Any]


class ActionRequest(TypedDict):
    """One pending tool call under review. ``scan`` is the verdict that asked for review (a ScanResult dict)."""

    name: str
    args: dict[str, Any]
    description: NotRequired[str]
    tool_call_id: NotRequired[str]
    scan: NotRequired[dict[str, Any]]


class ReviewConfig(TypedDict):
    action_name: str
    allowed_decisions: list[DecisionType]
    args_schema: NotRequired[dict[str, Any]]


class HITLRequest(TypedDict):
    """The interrupt value: one entry in each list per pending action, in the order decisions must follow."""

    action_requests: list[ActionRequest]
    review_configs: list[ReviewConfig]
    lf_middleware: NotRequired[dict[str, Any]]


class ApproveDecision(TypedDict):
    type: Literal["approve"]
    reviewer: NotRequired[str]
    clear_taint: NotRequired[bool]


class EditDecision(TypedDict):
    type: Literal["edit"]
    edited_action: Action
    reviewer: NotRequired[str]


class RejectDecision(TypedDict):
    type: Literal["reject"]
    message: NotRequired[str]
    reviewer: NotRequired[str]


class RespondDecision(TypedDict):
    type: Literal["respond"]
    message: str
    reviewer: NotRequired[str]


Decision = ApproveDecision | EditDecision | RejectDecision | RespondDecision


class HITLResponse(TypedDict):
    decisions: list[Decision]


class VerdictEntry(TypedDict):
    """A cached verdict: the call it was about (fingerprint), the scanners' ScanResult as a dict, and (when an
    auditor validated a Rule-of-Two escalation) the auditor's combined result."""

    fingerprint: str
    result: dict[str, Any]
    at: float
    auditor: NotRequired[dict[str, Any]]


# ------------------------------------------------------------------------------------------------------------
# JSON forms of ScanResult


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of ``value`` (enums by value, sets as sorted lists, unknown objects as str)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, ScanResult):
        return result_to_dict(value)
    enum_value = getattr(value, "value", None)
    if enum_value is not None and isinstance(enum_value, (str, int)) and type(value).__module__ != "builtins":
        return enum_value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


def result_to_dict(result: ScanResult) -> dict[str, Any]:
    """``ScanResult.to_dict()`` made strictly JSON-safe (details included)."""
    out = result.to_dict()
    if "details" in out:
        out["details"] = jsonable(out["details"])
    if result.results:
        out["scanners"] = [result_to_dict(r) for r in result.results]
    return out


def result_from_dict(data: Mapping[str, Any]) -> ScanResult:
    """Rebuild a :class:`ScanResult` from :func:`result_to_dict` output (cached verdicts, payloads)."""
    if not isinstance(data, Mapping) or "decision" not in data:
        raise ValueError("a stored scan result must be a dict with at least a 'decision' key")
    return ScanResult(
        decision=ScanDecision(data["decision"]),
        reason=str(data.get("reason", "")),
        score=float(data.get("score", 0.0)),
        status=ScanStatus(data.get("status", "success")),
        scanner=str(data.get("scanner", "")),
        latency_ms=float(data.get("latency_ms", 0.0)),
        results=tuple(result_from_dict(r) for r in data.get("scanners", ())),
        details=dict(data.get("details") or {}),
    )


# ------------------------------------------------------------------------------------------------------------
# Requests


def call_fingerprint(name: str, args: Mapping[str, Any] | None) -> str:
    """A stable fingerprint of a tool call's name and arguments (sha256 of canonical JSON, 24 hex digits)."""
    blob = json.dumps([name, jsonable(dict(args or {}))], sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("ascii")).hexdigest()[:24]


def fingerprint_of(call: Mapping[str, Any]) -> str:
    """:func:`call_fingerprint` of a ``{"name", "args", ...}`` tool-call dict."""
    return call_fingerprint(str(call.get("name", "")), call.get("args") or {})


def action_request(
    call: Mapping[str, Any], result: ScanResult, *, description: str | None = None
) -> ActionRequest:
    """The review entry for one pending tool call (``call`` is ``{"name", "args", "id"}``)."""
    if description is None:
        description = (
            f"lf-middleware: {result.decision.value.replace('_', ' ')} for tool '{call['name']}': "
            f"{result.reason or 'no reason given'}"
        )
    return {
        "name": str(call["name"]),
        "args": jsonable(dict(call.get("args") or {})),
        "description": description,
        "tool_call_id": str(call.get("id") or ""),
        "scan": result_to_dict(result),
    }


def hitl_request(
    actions: Sequence[ActionRequest],
    *,
    allowed: Sequence[DecisionType] | Mapping[str, Sequence[DecisionType]] = ALL_DECISIONS,
    rule_of_two: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> HITLRequest:
    """One batched request for ``actions``. ``allowed`` is one list for all, or per tool name."""
    configs: list[ReviewConfig] = []
    for a in actions:
        allow = allowed.get(a["name"], ALL_DECISIONS) if isinstance(allowed, Mapping) else allowed
        configs.append({"action_name": a["name"], "allowed_decisions": list(allow)})
    meta: dict[str, Any] = {"version": PAYLOAD_VERSION}
    if rule_of_two is not None:
        meta["rule_of_two"] = jsonable(dict(rule_of_two))
    if extra:
        meta.update(jsonable(dict(extra)))
    return {"action_requests": list(actions), "review_configs": configs, "lf_middleware": meta}


# ------------------------------------------------------------------------------------------------------------
# Decisions


MAX_RESUME_DEPTH = 12
"""How deeply a resume value may nest (the decisions list, a decision, an edited call, its arguments...)."""
MAX_RESUME_CHARS = 256_000
"""How large a resume value may be, as compact JSON."""


def check_resume(resume: Any) -> None:
    """Refuse a resume value that is not plain JSON data of bounded depth and size, before anything runs.

    Raises ``ValueError`` saying what was wrong and how to answer instead.
    """
    if resume is None:
        raise ValueError("the resume value is empty (Command(resume=None)); answer the question with "
                         "Command(resume={'decisions': [{'type': 'approve'}, ...]}), one decision per action")

    def walk(value: Any, depth: int, where: str) -> None:
        if depth > MAX_RESUME_DEPTH:
            raise ValueError(f"the resume value nests deeper than {MAX_RESUME_DEPTH} levels (at {where}); "
                             "send only the decisions and plain arguments")
        if value is None or isinstance(value, (bool, int, float, str)):
            return
        if isinstance(value, Mapping):
            for k, v in value.items():
                if not isinstance(k, str):
                    raise ValueError(f"the resume value has a non-string key {k!r} at {where}")
                walk(v, depth + 1, f"{where}.{k}")
            return
        if isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(v, depth + 1, f"{where}[{i}]")
            return
        if hasattr(value, "model_dump"):
            walk(value.model_dump(), depth, where)
            return
        raise ValueError(f"the resume value holds a {type(value).__name__} at {where}; send plain JSON data "
                         "(dicts, lists, strings, numbers, booleans, null)")

    walk(resume, 0, "resume")
    size = len(json.dumps(resume.model_dump() if hasattr(resume, "model_dump") else resume, ensure_ascii=False,
                          separators=(",", ":")))
    if size > MAX_RESUME_CHARS:
        raise ValueError(f"the resume value is {size} characters of JSON, over the limit of {MAX_RESUME_CHARS}; "
                         "send only the decisions")


def parse_decisions(resume: Any, request: HITLRequest) -> list[Decision]:
    """Validate a resume value against ``request``: one well-formed, allowed decision per action, in order.

    Accepts ``{"decisions": [...]}`` (LangChain's shape) or a bare list. Raises ``ValueError`` naming what is
    wrong; a count mismatch gives both numbers.
    """
    check_resume(resume)
    if isinstance(resume, Mapping):
        if "decisions" not in resume:
            raise ValueError(
                f"resume value must be {{'decisions': [...]}}, got a dict with keys {sorted(map(str, resume))}"
            )
        decisions = resume["decisions"]
    else:
        decisions = resume
    if not isinstance(decisions, Sequence) or isinstance(decisions, (str, bytes)):
        raise ValueError(
            f"resume with Command(resume={{'decisions': [...]}}); got {type(decisions).__name__} instead of a list"
        )
    expected = len(request["action_requests"])
    if len(decisions) != expected:
        raise ValueError(
            f"Number of human decisions ({len(decisions)}) does not match number of pending tool calls "
            f"({expected}); send exactly one decision per action request, in order"
        )
    out: list[Decision] = []
    for i, (d, action, cfg) in enumerate(zip(decisions, request["action_requests"], request["review_configs"], strict=True)):
        where = f"decision {i} (tool '{action['name']}')"
        if not isinstance(d, Mapping):
            raise ValueError(f"{where} must be a dict like {{'type': 'approve'}}, got {type(d).__name__}")
        kind = d.get("type")
        if kind not in ALL_DECISIONS:
            raise ValueError(f"{where}: unknown type {kind!r}; expected one of {', '.join(ALL_DECISIONS)}")
        if kind not in cfg["allowed_decisions"]:
            raise ValueError(f"{where}: '{kind}' is not allowed here; allowed: {', '.join(cfg['allowed_decisions'])}")
        if kind == "edit":
            edited = d.get("edited_action")
            if (
                not isinstance(edited, Mapping)
                or not isinstance(edited.get("name"), str)
                or not edited.get("name")
                or not isinstance(edited.get("args", {}), Mapping)
            ):
                raise ValueError(f"{where}: an edit needs 'edited_action': {{'name': str, 'args': dict}}")
        if kind == "respond" and not isinstance(d.get("message"), str):
            raise ValueError(f"{where}: a respond decision needs a 'message' string (the tool result to return)")
        if kind == "reject" and d.get("message") is not None and not isinstance(d.get("message"), str):
            raise ValueError(f"{where}: a reject 'message' must be a string")
        if d.get("reviewer") is not None and not isinstance(d.get("reviewer"), str):
            raise ValueError(f"{where}: 'reviewer' must be a string")
        out.append(dict(d))  # type: ignore[arg-type]
    return out


def response_schema(request: HITLRequest) -> type:
    """A pydantic model that checks a resume value against ``request`` (as :func:`parse_decisions` does).

    Pass it as ``interrupt(request, response_schema=...)``: LangGraph validates the answer *before* saving it,
    so a wrong answer (e.g. the wrong number of decisions) raises a ``ValueError`` naming both numbers to the
    caller and the thread stays at the question, ready for a correct answer. Read the result with
    :func:`decisions_from`.
    """
    from pydantic import BaseModel, ConfigDict, model_validator

    class HITLAnswer(BaseModel):
        model_config = ConfigDict(extra="allow")
        decisions: list[dict[str, Any]]

        @model_validator(mode="before")
        @classmethod
        def _check(cls, data: Any) -> Any:
            check_resume(data)
            if isinstance(data, Sequence) and not isinstance(data, (str, bytes, Mapping)):
                data = {"decisions": list(data)}
            parse_decisions(data, request)
            return data

    return HITLAnswer


def decisions_from(answer: Any, request: HITLRequest) -> list[Decision]:
    """The decisions of a resume value (a validated :func:`response_schema` model, a dict or a list)."""
    if hasattr(answer, "model_dump"):
        answer = answer.model_dump()
    return parse_decisions(answer, request)


def edited_text(decision: Mapping[str, Any]) -> str:
    """The new text of an ``edit`` decision on a message review (``edited_action.args.content``)."""
    text = (decision["edited_action"].get("args") or {}).get("content")
    if not isinstance(text, str):
        raise ValueError("an edit of a user message needs edited_action.args.content (the new text, a string)")
    return text


def rejection_text(name: str, tool_call_id: str, message: str | None = None) -> str:
    """What the model reads when a reviewer rejects its call."""
    if message:
        return f"A reviewer rejected the call to '{name}': {message}"
    return (
        f"A reviewer rejected the call to '{name}' (id {tool_call_id}); it was not executed. Do not call it "
        "again unless the user asks for it."
    )


def reviewer_of(decision: Mapping[str, Any], default: str = "unknown") -> str:
    who = decision.get("reviewer")
    return who if isinstance(who, str) and who else default


# ------------------------------------------------------------------------------------------------------------
# Verdict cache and counters (state values with pure reducers)


def remember_verdict(
    cache: Mapping[str, VerdictEntry] | None,
    tool_call_id: str,
    fingerprint: str,
    result: ScanResult,
    *,
    auditor: ScanResult | None = None,
) -> dict[str, VerdictEntry]:
    """A new cache with ``result`` stored for ``tool_call_id`` (bounded; oldest entries drop first)."""
    if not tool_call_id:
        raise ValueError("a verdict can only be cached for a tool call with an id")
    out = dict(cache or {})
    out.pop(tool_call_id, None)
    entry: VerdictEntry = {"fingerprint": fingerprint, "result": result_to_dict(result), "at": time.time()}
    if auditor is not None:
        entry["auditor"] = result_to_dict(auditor)
    out[tool_call_id] = entry
    while len(out) > _CACHE_LIMIT:
        out.pop(next(iter(out)))
    return out


def recall_verdict(
    cache: Mapping[str, VerdictEntry] | None, tool_call_id: str, fingerprint: str, *, part: str = "result"
) -> ScanResult | None:
    """The cached verdict for this exact call, or None (a different call under the same id does not match).
    ``part="auditor"`` reads the auditor's cached result instead of the scanners'."""
    if not cache or not tool_call_id:
        return None
    entry = cache.get(tool_call_id)
    if not entry or entry.get("fingerprint") != fingerprint or part not in entry:
        return None
    return result_from_dict(entry[part])  # type: ignore[literal-required]


def merge_verdicts(
    left: Mapping[str, VerdictEntry] | None, right: Mapping[str, VerdictEntry] | None
) -> dict[str, VerdictEntry]:
    """Reducer for a verdict cache in graph state: entries from ``right`` win; bounded."""
    out = dict(left or {})
    for k, v in (right or {}).items():
        out.pop(k, None)
        out[k] = v
    while len(out) > _CACHE_LIMIT:
        out.pop(next(iter(out)))
    return out


def merge_counts(left: Mapping[str, int] | None, right: Mapping[str, int] | None) -> dict[str, int]:
    """Reducer for counters keyed by call fingerprint (e.g. rejections): the larger count wins; a value of
    0 or less on the right resets the key."""
    out = dict(left or {})
    for k, v in (right or {}).items():
        if v <= 0:
            out.pop(k, None)
        else:
            out[k] = max(int(v), int(out.get(k, 0)))
    while len(out) > _CACHE_LIMIT:
        out.pop(next(iter(out)))
    return out


# ------------------------------------------------------------------------------------------------------------
# Audit records


def audit_interrupt(audit_log: Any, request: HITLRequest, *, thread_id: str | None = None, where: str = "") -> None:
    """Write one ``hitl_interrupt`` record (tool names, ids, decisions and reasons; no arguments)."""
    if audit_log is None:
        return
    audit_log.write({
        "event": "hitl_interrupt",
        "thread_id": thread_id,
        "where": where,
        "actions": [
            {
                "tool": a["name"],
                "tool_call_id": a.get("tool_call_id", ""),
                "decision": a.get("scan", {}).get("decision"),
                "reason": a.get("scan", {}).get("reason", ""),
                "args_sha256": call_fingerprint(a["name"], a["args"]),
            }
            for a in request["action_requests"]
        ],
    })


def audit_decision(
    audit_log: Any,
    action: Mapping[str, Any],
    decision: Mapping[str, Any],
    *,
    reviewer: str,
    thread_id: str | None = None,
    outcome: str = "",
) -> None:
    """Write one ``hitl_decision`` record: who decided what about which call, and when (the ``time`` field)."""
    if audit_log is None:
        return
    rec: dict[str, Any] = {
        "event": "hitl_decision",
        "thread_id": thread_id,
        "reviewer": reviewer,
        "decision": decision.get("type"),
        "tool": action.get("name"),
        "tool_call_id": action.get("tool_call_id") or action.get("id") or "",
        "args_sha256": call_fingerprint(str(action.get("name")), action.get("args") or {}),
        "outcome": outcome,
    }
    if decision.get("type") == "edit":
        edited = decision.get("edited_action") or {}
        rec["edited_tool"] = edited.get("name")
        rec["edited_args_sha256"] = call_fingerprint(str(edited.get("name")), edited.get("args") or {})
    if decision.get("message"):
        rec["message_length"] = len(str(decision.get("message")))
    if decision.get("clear_taint"):
        rec["clear_taint"] = True
    audit_log.write(rec)
