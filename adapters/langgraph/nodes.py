"""The guard node: scan the newest messages of a ``messages`` state, route on the verdict, review by a person.

Wiring (what :func:`add_guard` does)::

    guard = GuardNode(engine, name="input_guard")
    builder.add_node("input_guard", guard)
    builder.add_node("input_guard_review", guard.review_node(next="agent"))
    builder.add_conditional_edges("input_guard", guard.router(next="agent", on_block=END))

The guard scans the messages added since its last pass (user, AI — content and each tool call — and tool
messages, as configured) and **stores** its verdict in ``lf_guard`` (and each tool call's verdict in
``lf_verdicts``); it never interrupts itself. The router sends ALLOW to ``next``, BLOCK to ``on_block`` (the
guard has added a message explaining why), and HUMAN_IN_THE_LOOP_REQUIRED to the review node, which calls
``interrupt()`` with the stored verdict — so resuming reads the same verdict the person was shown. A tool
call's review is left to :class:`GuardedToolNode`, which reuses the cached per-call verdicts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableLambda
from langgraph.errors import GraphInterrupt
from langgraph.graph import END
from langgraph.types import Command, interrupt

from lf_middleware import hitl as _hitl
from lf_middleware import policy as _policy
from lf_middleware._text import content_hash, excerpt
from lf_middleware.errors import ConfigurationError
from lf_middleware.guard import review_description
from lf_middleware.rule_of_two import RuleOfTwo, RuleOfTwoConfig
from lf_middleware.types import Message, Role, ScanDecision, ScanResult

from .._messages import answered_ids, last_ai_index, role_of, tool_calls_of
from ._core import (
    DurableMode,
    Guard,
    call_message,
    default_reviewer,
    error_message,
    explain,
    message_key,
    text_of,
    thread_of,
    to_lf,
    trace_of,
)
from .state import GUARD_KEY, RULE_KEY, VERDICTS_KEY, check_state

if TYPE_CHECKING:
    from langchain_core.runnables import RunnableConfig

__all__ = ("GuardNode", "add_guard", "route_guard")

logger = logging.getLogger(__name__)

_ROLE_NAMES = {"user": Role.USER, "human": Role.USER, "assistant": Role.ASSISTANT, "ai": Role.ASSISTANT,
               "tool": Role.TOOL, "system": Role.SYSTEM}


_Job = tuple[str, int, Message, "dict[str, Any] | None"]


def _roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    out = set()
    for r in roles:
        key = getattr(r, "value", r)
        if key not in _ROLE_NAMES:
            raise ConfigurationError(f"unknown role {r!r} for a guard node; use user, assistant, tool or system")
        out.add(_ROLE_NAMES[key])
    return frozenset(out)


def _decision_of(state: Any) -> ScanDecision | None:
    g = state.get(GUARD_KEY) if isinstance(state, Mapping) else getattr(state, GUARD_KEY, None)
    verdict = (g or {}).get("verdict")
    if not verdict:
        return None
    return ScanDecision(verdict["decision"])


def _getter(state: Any) -> Any:
    if isinstance(state, Mapping):
        return state.get
    return lambda key: getattr(state, key, None)


def route_guard(state: Any, *, next: str, on_block: str = END, review: str) -> str:
    """Where to go after a guard node: ``next`` on ALLOW, ``on_block`` on BLOCK, ``review`` on HITL."""
    decision = _decision_of(state)
    if decision is None or decision is ScanDecision.ALLOW:
        return next
    if decision is ScanDecision.BLOCK:
        return on_block
    return review


def _dangling_answers(messages: Sequence[BaseMessage], reason: str) -> list[ToolMessage]:
    """Error answers for tool calls of the last AI message that have none (a stopped run leaves none open)."""
    idx = last_ai_index(messages)
    if idx < 0:
        return []
    answered = answered_ids(messages, idx)
    return [error_message(c, f"Not run: {reason}") for c in tool_calls_of(messages[idx]) if c["id"] not in answered]


class GuardNode(RunnableLambda[Any, dict[str, Any]]):
    """A graph node that scans new messages and stores its verdict for :meth:`router`. Sync and async.

    Args:
        engine: the :class:`~lf_middleware.LlamaFirewall` (its per-role pipelines decide what is scanned).
        roles: which new messages to scan (default user, assistant and tool).
        tools: the agent's tools (for Rule-of-Two declarations used on tool calls and outputs).
        rule_of_two: a :class:`RuleOfTwo`, a config, or False.
        name: the node name (the review node is ``f"{name}_review"`` unless told otherwise).
        explain_block: on BLOCK, add an AI message saying what was stopped and why (and error answers for any
            open tool calls), so the run ends with something readable.
    """

    def __init__(
        self,
        engine: Any = None,
        *,
        roles: Iterable[Role | str] = ("user", "assistant", "tool"),
        tools: Iterable[object] = (),
        rule_of_two: RuleOfTwo | RuleOfTwoConfig | Mapping[str, Any] | bool | None = None,
        name: str = "guard",
        messages_key: str = "messages",
        explain_block: bool = True,
        allowed_decisions: Sequence[_hitl.DecisionType] = ("approve", "edit", "reject", "respond"),
        durable: DurableMode = "auto",
    ) -> None:
        self.roles = _roles(roles)
        self.guard = Guard(engine, tools=tools, rule_of_two=rule_of_two, name=name, durable=durable,
                           allowed_decisions=allowed_decisions, roles=sorted(self.roles, key=lambda r: r.value))
        self.messages_key = messages_key
        self.explain_block = explain_block
        self.node_name = name
        super().__init__(self._run, afunc=self._arun, name=name)

    # what to scan ----------------------------------------------------------------------------------------------
    def _new(self, state: Any) -> tuple[list[BaseMessage], list[tuple[int, BaseMessage]], list[str]]:
        messages = list((state.get(self.messages_key) if isinstance(state, Mapping)
                         else getattr(state, self.messages_key, None)) or [])
        check_state(state, f"GuardNode {self.node_name!r}")
        g = (state.get(GUARD_KEY) if isinstance(state, Mapping) else getattr(state, GUARD_KEY, None)) or {}
        seen = set(g.get("scanned", ()))
        new: list[tuple[int, BaseMessage]] = []
        keys: list[str] = []
        for i in range(len(messages) - 1, -1, -1):
            key = message_key(messages[i])
            if key in seen:
                break
            keys.append(key)
            if role_of(messages[i]) in self.roles:
                new.append((i, messages[i]))
        new.reverse()
        return messages, new, keys

    def _jobs(self, messages: list[BaseMessage], new: list[tuple[int, BaseMessage]]) -> list[_Job]:
        """(kind, index, message to scan, tool call) for each scan to run."""
        jobs: list[_Job] = []
        for i, m in new:
            lf = to_lf(m)
            if lf is None:
                continue
            if lf.role is Role.ASSISTANT:
                if lf.content or not lf.tool_calls:
                    jobs.append(("content", i, Message(role=Role.ASSISTANT, content=lf.content), None))
                for call in lf.tool_calls or ():
                    jobs.append(("call", i, call_message(call), call))
            else:
                jobs.append(("content", i, lf, None))
        return jobs

    @staticmethod
    def _trace(messages: list[BaseMessage], i: int, role: Role) -> list[Message]:
        return trace_of(messages[:i])  # the session's history: budgets and trace-aware scanners need it

    def _run(self, state: Any, config: RunnableConfig | None = None) -> dict[str, Any]:
        messages, new, keys = self._new(state)
        jobs = self._jobs(messages, new)
        results = [self.guard.scan(msg, self._trace(messages, i, msg.role)) for _, i, msg, _ in jobs]
        return self._update(state, messages, jobs, results, keys)

    async def _arun(self, state: Any, config: RunnableConfig | None = None) -> dict[str, Any]:
        messages, new, keys = self._new(state)
        jobs = self._jobs(messages, new)
        results = [await self.guard.ascan(msg, self._trace(messages, i, msg.role)) for _, i, msg, _ in jobs]
        return self._update(state, messages, jobs, results, keys)

    def _update(self, state: Any, messages: list[BaseMessage], jobs: list[_Job], results: list[ScanResult],
                keys: list[str]) -> dict[str, Any]:
        get = _getter(state)
        rule_state = get(RULE_KEY)
        verdicts: dict[str, Any] = {}
        flagged: list[dict[str, Any]] = []
        message_results: list[ScanResult] = []
        for (kind, i, _msg, call), res in zip(jobs, results, strict=True):
            m = messages[i]
            if kind == "call":
                if call and call.get("id"):
                    verdicts = _hitl.remember_verdict(verdicts, call["id"],
                                                      _hitl.fingerprint_of(call), res)
                if res.decision is not ScanDecision.BLOCK:
                    continue  # reviewing a tool call is GuardedToolNode's job; a BLOCK stops the turn here
            message_results.append(res)
            if isinstance(m, ToolMessage):
                rule_state = self.guard.note_output(rule_state, m.name or "", m.tool_call_id, text_of(m.content), res)
            if res.decision is not ScanDecision.ALLOW:
                text = text_of(m.content)
                flagged.append({
                    "key": message_key(m), "id": m.id, "index": i, "role": _msg.role.value,
                    "length": len(text), "sha256": content_hash(text), "excerpt": excerpt(text, limit=120),
                    "result": _hitl.result_to_dict(res),
                })
        verdict = (_policy.aggregate(message_results) if message_results
                   else ScanResult(reason="no new messages to scan"))
        update: dict[str, Any] = {
            GUARD_KEY: {"scanned": keys, "verdict": _hitl.result_to_dict(verdict), "flagged": flagged,
                        "node": self.node_name},
        }
        if rule_state is not None or self.guard.rule is not None:
            update[RULE_KEY] = rule_state if rule_state is not None else {}
        if verdicts:
            update[VERDICTS_KEY] = verdicts
        if verdict.decision is ScanDecision.BLOCK and self.explain_block:
            what = " and ".join(sorted({f["role"] + " message" for f in flagged})) or "message"
            added = [*_dangling_answers(messages, "the run was stopped by lf-middleware"),
                     explain(ScanDecision.BLOCK, what, verdict.reason)]
            update[self.messages_key] = added
            update[GUARD_KEY]["scanned"] = keys + [message_key(m) for m in added]
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("guard %s scanned %d message(s): %s", self.node_name, len(jobs), verdict.decision.value)
        return update

    # routing and review ----------------------------------------------------------------------------------------
    def router(self, *, next: str, on_block: str = END, review: str | None = None) -> Any:
        """A function for ``add_conditional_edges`` after this node (see :func:`route_guard`)."""
        review = review or f"{self.node_name}_review"

        def _route(state: Any) -> str:
            return route_guard(state, next=next, on_block=on_block, review=review)

        _route.__name__ = f"route_{self.node_name}"
        return _route

    def review_node(self, *, next: str, on_block: str = END, rescan: str | None = None) -> RunnableLambda[Any, Command[Any]]:
        """The node that asks a person about what the guard flagged (reads the stored verdict; no rescan).

        approve → ``next`` (``clear_taint: true`` also clears a tainted session); reject → ``on_block`` with an
        explanatory message; respond → ``on_block`` with the reviewer's text as the assistant's reply;
        edit (user messages) → the message is replaced (same id) and the guard (``rescan``) scans it again.
        """
        rescan = rescan or self.node_name
        guard, key = self, self.messages_key

        def _review(state: Any, config: RunnableConfig | None = None) -> Command[Any]:
            get = _getter(state)
            g = get(GUARD_KEY) or {}
            flagged = [f for f in g.get("flagged", ()) if f["result"]["decision"] != ScanDecision.ALLOW.value]
            if not flagged:
                return Command(goto=next)
            actions: list[_hitl.ActionRequest] = []
            configs: list[_hitl.ReviewConfig] = []
            for f in flagged:
                name = f"accept_{f['role']}_message"
                allowed = [d for d in guard.guard.allowed_decisions if d != "edit" or f["role"] == "user"]
                res = _hitl.result_from_dict(f["result"])
                actions.append({
                    "name": name,
                    "args": {"message_id": f["id"], "role": f["role"], "length": f["length"], "sha256": f["sha256"],
                             "excerpt": f["excerpt"]},
                    "description": review_description(f"this {f['role']} message", res),
                    "tool_call_id": "",
                    "scan": f["result"],
                })
                configs.append({"action_name": name, "allowed_decisions": allowed})
            request: _hitl.HITLRequest = {
                "action_requests": actions, "review_configs": configs,
                "lf_middleware": {"version": _hitl.PAYLOAD_VERSION, "node": guard.node_name, "stage": "messages",
                                  "verdict": g.get("verdict"), "rule_of_two": _hitl.jsonable(get(RULE_KEY) or {}),
                                  "thread_id": thread_of(config)},
            }
            try:
                resume = interrupt(request, response_schema=_hitl.response_schema(request))
            except GraphInterrupt:
                _hitl.audit_interrupt(guard.guard.audit_log, request, thread_id=thread_of(config),
                                      where=f"{guard.node_name}:messages")
                raise
            decisions = _hitl.decisions_from(resume, request)
            return guard._apply(state, get, flagged, actions, decisions, config, next=next, on_block=on_block,
                                rescan=rescan, key=key)

        return RunnableLambda(_review, name=f"{self.node_name}_review")

    def _apply(self, state: Any, get: Any, flagged: list[dict[str, Any]], actions: list[_hitl.ActionRequest],
               decisions: list[_hitl.Decision], config: Any, *,
               next: str, on_block: str, rescan: str, key: str) -> Command[Any]:
        fallback = default_reviewer(config)
        messages = list(get(key) or [])
        rule_state = get(RULE_KEY)
        kinds = []
        edits: list[BaseMessage] = []
        reply: str | None = None
        for f, action, d in zip(flagged, actions, decisions, strict=True):
            who = _hitl.reviewer_of(d, fallback)
            kinds.append(d["type"])
            if d["type"] == "approve" and d.get("clear_taint") and self.guard.rule is not None:
                from lf_middleware.rule_of_two import clear_taint

                rule_state = clear_taint(rule_state, cleared_by=who, note="cleared at message review")
            if d["type"] == "edit":
                new_text = _hitl.edited_text(d)
                orig = messages[f["index"]] if f["index"] < len(messages) else None
                edits.append(HumanMessage(content=new_text, id=getattr(orig, "id", None) or f["id"]))
            if d["type"] == "respond":
                reply = d["message"]
            _hitl.audit_decision(self.guard.audit_log, action, d, reviewer=who, thread_id=thread_of(config),
                                 outcome=d["type"])
        update: dict[str, Any] = {}
        if rule_state is not None:
            update[RULE_KEY] = rule_state
        if "reject" in kinds or "respond" in kinds:
            added: list[BaseMessage] = [*_dangling_answers(messages, "a reviewer stopped the run")]
            if reply is not None:
                added.append(AIMessage(content=reply, response_metadata={"lf_middleware": {"reviewer_reply": True}}))
            else:
                reasons = "; ".join(f["result"]["reason"] for f in flagged)
                added.append(explain(ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, "run after review", reasons))
            update[key] = added
            update[GUARD_KEY] = {"verdict": _hitl.result_to_dict(ScanResult(
                decision=ScanDecision.BLOCK, reason="rejected by a reviewer", scanner="reviewer"))}
            return Command(goto=on_block, update=update)
        if edits:
            update[key] = edits
            return Command(goto=rescan, update=update)
        update[GUARD_KEY] = {"verdict": _hitl.result_to_dict(ScanResult(reason="approved by a reviewer",
                                                                          scanner="reviewer"))}
        return Command(goto=next, update=update)


def add_guard(
    builder: Any,
    name: str = "guard",
    *,
    next: str,
    on_block: str = END,
    engine: Any = None,
    **options: Any,
) -> GuardNode:
    """Add a :class:`GuardNode` called ``name``, its review node ``f"{name}_review"`` and the routing edges to a
    ``StateGraph`` builder. Add the edges *into* ``name`` yourself. Returns the guard node."""
    node = GuardNode(engine, name=name, **options)
    builder.add_node(name, node)
    builder.add_node(f"{name}_review", node.review_node(next=next, on_block=on_block),
                     destinations=tuple(dict.fromkeys((next, on_block, name))))
    builder.add_conditional_edges(name, node.router(next=next, on_block=on_block),
                                  [next, on_block, f"{name}_review"])
    return node
