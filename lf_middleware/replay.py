"""Replay recorded agent sessions through the full guard: what would it have done to them?

:func:`replay_session` walks a recorded trace message by message and judges each step exactly as the adapters
judge it live, with the same :class:`~lf_middleware.guard.Guard` (scanners with the session's history, tool
policy, Rule of Two, stored verdicts): a withheld tool output stays withheld (the later steps see the notice,
not the output), a call the guard would ask about is counted as asked and does not run (replay never approves),
a blocked call does not run.

A trace is a list of ``{"role": "user"|"assistant"|"tool"|"system", "content": str, "tool_calls"?: [...]}``;
a tool call may be LangChain-shaped (``{"name", "args", "id"}``), OpenAI-shaped (``{"id", "type":
"function", "function": {"name", "arguments": "<json>"}}``) or ``{"function": name, "args": {...}}``. A tool
message names its call with ``tool_call_id`` (else the oldest unanswered call of the turn) and may carry
``name``.

Each step is ``{"index", "role", "tool"?, "decision", "reason", "marks"}``: ``index`` is the message's
position in the trace (an assistant message gives one step for its text, if any, then one per tool call),
``decision`` the guard's (``allow``, ``human_in_the_loop_required``, ``block``), ``marks`` the Rule-of-Two
properties the session holds after the step (e.g. ``"AB"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .guard import Guard, Outcome, Session, new_session, normalize_call
from .types import Message, Role, ScanDecision, Trace

__all__ = ("parse_trace", "replay_session")

_ROLES = {"user": Role.USER, "assistant": Role.ASSISTANT, "tool": Role.TOOL, "system": Role.SYSTEM}


def parse_trace(trace: Any) -> list[dict[str, Any]]:
    """Check a recorded trace and normalise its tool calls; raises ``ValueError`` naming the bad message."""
    if not isinstance(trace, Sequence) or isinstance(trace, (str, bytes)):
        raise ValueError(f"'trace' must be a list of messages, got {type(trace).__name__}")
    out = []
    for i, m in enumerate(trace):
        if not isinstance(m, Mapping):
            raise ValueError(f"trace[{i}] must be an object with 'role' and 'content', got {type(m).__name__}")
        role = m.get("role")
        if role not in _ROLES:
            raise ValueError(f"trace[{i}].role must be one of {', '.join(_ROLES)}, got {role!r}")
        content = m.get("content", "")
        if content is None:
            content = ""
        if not isinstance(content, str):
            raise ValueError(f"trace[{i}].content must be a string, got {type(content).__name__}")
        calls = m.get("tool_calls") or []
        if not isinstance(calls, Sequence) or isinstance(calls, (str, bytes)):
            raise ValueError(f"trace[{i}].tool_calls must be a list")
        if calls and role != "assistant":
            raise ValueError(f"trace[{i}] has tool_calls but role {role!r}; only assistant messages call tools")
        norm = []
        for j, c in enumerate(calls):
            try:
                call = normalize_call(c)
            except ValueError as err:
                raise ValueError(f"trace[{i}].tool_calls[{j}]: {err}") from None
            norm.append({**call, "id": call["id"] or f"replay-{i}-{j}"})
        entry: dict[str, Any] = {"role": role, "content": content, "tool_calls": norm}
        if role == "tool":
            entry["tool_call_id"] = str(m.get("tool_call_id") or "")
            entry["name"] = str(m.get("name") or "")
        out.append(entry)
    return out


def _marks(session: Session) -> str:
    return "".join(sorted(((session["rule_of_two"] or {}).get("marks") or {}).keys()))


def _decision(outcome: Outcome) -> str:
    """ALLOW when the thing goes on unchanged; else the verdict that made the guard step in."""
    return ScanDecision.ALLOW.value if outcome.action == "allow" else outcome.verdict.decision.value


def _reason(outcome: Outcome) -> str:
    if outcome.action in ("block", "withhold"):
        return outcome.text
    if outcome.action == "redact":
        return f"redacted: {outcome.verdict.reason}"
    return outcome.verdict.reason


def replay_session(guard: Guard, trace: Any) -> dict[str, Any]:
    """``{"steps": [...], "first_stop": index | None}`` for one recorded session (see the module docstring)."""
    messages = parse_trace(trace)
    session = new_session()
    seen: Trace = []  # what the agent would have seen so far (withheld outputs replaced)
    steps: list[dict[str, Any]] = []
    pending: dict[str, dict[str, Any]] = {}  # calls of the last assistant turn, by id
    ran: set[str] = set()
    for i, m in enumerate(messages):
        role = _ROLES[m["role"]]
        if role is Role.TOOL:
            cid = m["tool_call_id"] or next(iter(pending), "")
            call = pending.pop(cid, None) or {"name": m["name"] or "tool", "args": {}, "id": cid}
            msg = Message(role=Role.TOOL, content=m["content"])
            scan = guard.scan(msg, list(seen))
            outcome, session = guard.output(session, call, m["content"], scan)
            step = {"index": i, "role": "tool", "tool": call["name"], "decision": _decision(outcome),
                    "reason": _reason(outcome), "marks": _marks(session)}
            if call["id"] not in ran:
                step["reason"] = f"(the guard did not let this call run) {step['reason']}"
            steps.append(step)
            shown = outcome.text if outcome.action in ("withhold", "redact") else m["content"]
            seen.append(Message(role=Role.TOOL, content=shown))
            continue
        if m["content"] or role is not Role.ASSISTANT:
            msg = Message(role=role, content=m["content"])
            outcome = guard.message(role, m["content"], guard.scan(msg, list(seen)))
            steps.append({"index": i, "role": m["role"], "decision": _decision(outcome), "reason": _reason(outcome),
                          "marks": _marks(session)})
        if m["tool_calls"]:
            outcomes, session = guard.assess_calls(session, m["tool_calls"], list(seen))
            pending = {c["id"]: c for c in m["tool_calls"]}
            for o in outcomes:
                call = o.call or {}
                if o.action == "allow":
                    session = guard.ran(session, call)
                    ran.add(call["id"])
                steps.append({"index": i, "role": "assistant", "tool": call.get("name"),
                              "decision": _decision(o), "reason": _reason(o) if o.action != "ask" else
                              f"a person would be asked: {o.verdict.reason}", "marks": _marks(session)})
        seen.append(Message(role=role, content=m["content"], tool_calls=m["tool_calls"] or None))
    first = next((s["index"] for s in steps if s["decision"] != ScanDecision.ALLOW.value), None)
    return {"steps": steps, "first_stop": first}
