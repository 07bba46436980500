"""Guarded tool execution: a drop-in :class:`~langgraph.prebuilt.ToolNode` that checks calls and outputs.

Before any tool of a turn runs, every pending call is assessed: the engine's assistant-role scanners read its
name and arguments, and the Rule of Two judges it against the session record. ALLOW runs; BLOCK answers the
model with an error ``ToolMessage``; HUMAN_IN_THE_LOOP_REQUIRED calls of the turn go to a person in **one**
``interrupt()`` shaped like LangChain's ``HumanInTheLoopMiddleware`` request. After the approved calls ran,
each output is scanned (tool role) before the model sees it: a flagged output is withheld and marks the
session A (and taints it).

Interrupts re-run the node from its first line on resume. The verdicts are therefore computed once and read
back: from ``lf_verdicts`` when a :class:`GuardNode` upstream already scanned the calls (stored in state
before any interrupt), or from a LangGraph durable task that the checkpointer saves before the interrupt
(when a scanner may be nondeterministic; see ``durable``). Deterministic scanners and the pure Rule of Two
give the same answer on a re-run by construction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage, ToolMessage
from langgraph.func import task
from langgraph.prebuilt import ToolNode
from langgraph.types import Command

from lf_middleware import hitl as _hitl
from lf_middleware.errors import ConfigurationError
from lf_middleware.guard import (
    DEFAULT_MAX_REJECTIONS,
    GuardHook,
    Outcome,
    Session,
    merge_sessions,
    new_session,
    session_of,
    session_update,
)
from lf_middleware.guard import Guard as CoreGuard
from lf_middleware.rule_of_two import RuleOfTwo, RuleOfTwoConfig
from lf_middleware.types import Message, ScanResult

from .._messages import answer_call, answered_ids, last_ai_index, tool_calls_of, tool_output_message
from ._core import DurableMode, Guard, default_reviewer, error_message, new_id, output_message, text_of, trace_of
from .state import GUARD_KEY, RULE_KEY, check_state

if TYPE_CHECKING:
    from langchain_core.runnables import RunnableConfig
    from langgraph.runtime import Runtime

__all__ = ("GuardedToolNode",)

logger = logging.getLogger(__name__)

_EDIT_NOTICE = ("Note: a reviewer replaced this tool call before it ran; the call in your message is not the one "
                "that executed. Executed instead: {name} with arguments {args}.")


@task(name="lf_assess_tool_calls")  # type: ignore[arg-type]  # langgraph's task() typing rejects plain params
def _assess_task(guard: CoreGuard, calls: list[dict[str, Any]], session: Session,
                 trace: list[Message]) -> dict[str, Any]:
    outcomes, after = guard.assess_calls(session, calls, trace)
    return {"outcomes": [o.to_json() for o in outcomes], "session": after}


@task(name="lf_aassess_tool_calls")  # type: ignore[arg-type]
async def _aassess_task(guard: CoreGuard, calls: list[dict[str, Any]], session: Session,
                        trace: list[Message]) -> dict[str, Any]:
    outcomes, after = await guard.aassess_calls(session, calls, trace)
    return {"outcomes": [o.to_json() for o in outcomes], "session": after}


def _state_get(state: Any, key: str) -> Any:
    if isinstance(state, Mapping):
        return state.get(key)
    return getattr(state, key, None)


class GuardedToolNode(ToolNode):
    """``ToolNode`` with scanning, the Rule of Two and human review. Same constructor plus guard options.

    Args:
        tools: the tools, as for ``ToolNode``; their Rule-of-Two declarations (``@exercises`` or
            ``metadata={"lf_properties": [...]}``) are read here.
        engine: the :class:`~lf_middleware.LlamaFirewall` whose assistant-role scanners check call arguments
            and tool-role scanners check outputs; its ``rule_of_two`` config section and audit log are used.
        rule_of_two: a :class:`RuleOfTwo`, a config (mapping or :class:`RuleOfTwoConfig`), or False to turn
            the rule off.
        durable: ``"auto"`` (default), ``"always"`` or ``"never"`` — see :data:`DurableMode`.
        max_rejections: after this many rejections of the exact same call (name and arguments), a repeat is
            answered with an error message instead of asking again.
        allowed_decisions: decisions offered to the reviewer (default approve, edit, reject, respond).
        withhold_flagged_outputs: withhold outputs the scanners send to review (BLOCK is always withheld).
        hooks: :class:`~lf_middleware.guard.GuardHook` plug-ins: extra checks on each call, and records of what
            each output brought into the session (kept in ``lf_hooks``).

    The graph state needs the keys of :class:`~lf_middleware.adapters.langgraph.GuardState`.
    """

    def __init__(
        self,
        tools: Sequence[Any],
        *,
        engine: Any = None,
        rule_of_two: RuleOfTwo | RuleOfTwoConfig | Mapping[str, Any] | bool | None = None,
        durable: DurableMode = "auto",
        max_rejections: int = DEFAULT_MAX_REJECTIONS,
        allowed_decisions: Sequence[_hitl.DecisionType] = _hitl.ALL_DECISIONS,
        withhold_flagged_outputs: bool = True,
        hooks: Iterable[GuardHook] = (),
        name: str = "tools",
        messages_key: str = "messages",
        **tool_node_options: Any,
    ) -> None:
        super().__init__(tools, name=name, messages_key=messages_key, **tool_node_options)
        self.guard = Guard(engine, tools=list(self.tools_by_name.values()), rule_of_two=rule_of_two, durable=durable,
                           max_rejections=max_rejections, allowed_decisions=allowed_decisions,
                           withhold_flagged_outputs=withhold_flagged_outputs, name=name, hooks=hooks)

    # input handling ------------------------------------------------------------------------------------------
    def _pending(self, input: Any) -> tuple[list[BaseMessage], int, list[dict[str, Any]]] | None:
        if isinstance(input, list):
            if self.guard.rule is not None:
                raise ConfigurationError(
                    "GuardedToolNode got a bare message list: the Rule-of-Two record needs graph state. Run it as a "
                    "node of StateGraph(GuardState), or pass rule_of_two=False for scanning only"
                )
            messages = input
        elif isinstance(input, Mapping) or hasattr(input, self._messages_key):
            if isinstance(input, Mapping) and input.get("__type") == "tool_call_with_context":
                raise ConfigurationError(
                    "GuardedToolNode reviews all calls of a turn together and cannot run one call per Send(); "
                    "route the whole state to it (tools_condition) instead of Send-ing single tool calls"
                )
            messages = _state_get(input, self._messages_key) or []
            check_state(input, "GuardedToolNode")
        else:
            raise ConfigurationError(f"GuardedToolNode expects the graph state (a dict with "
                                     f"'{self._messages_key}'), got {type(input).__name__}")
        idx = last_ai_index(messages)
        if idx < 0:
            raise ValueError(f"GuardedToolNode found no AIMessage in '{self._messages_key}'; it runs after a model turn")
        answered = answered_ids(messages, idx)
        calls = [c for c in tool_calls_of(messages[idx]) if c["id"] not in answered]
        if not calls:
            return None
        return list(messages), idx, calls

    def _with_calls(self, input: Any, messages: list[BaseMessage], idx: int, calls: list[dict[str, Any]]) -> Any:
        ai = messages[idx]
        new_ai = ai.model_copy(update={"tool_calls": [{**c, "type": "tool_call"} for c in calls]})
        msgs = [*messages[:idx], new_ai, *messages[idx + 1:]]
        if isinstance(input, list):
            return msgs
        if isinstance(input, Mapping):
            return {**input, self._messages_key: msgs}
        return input.model_copy(update={self._messages_key: msgs}) if hasattr(input, "model_copy") else input

    # the twins -------------------------------------------------------------------------------------------------
    def _func(self, input: Any, config: RunnableConfig, runtime: Runtime) -> Any:
        t = self._begin(input, config)
        if t is None:
            return self._empty(input)
        g = self.guard
        if t.durable:
            data = _assess_task(g.core, t.calls, t.session, t.trace).result()  # type: ignore[arg-type]
            outcomes, session = _from_json(data)
        else:
            outcomes, session = g.core.assess_calls(t.session, t.calls, t.trace)
        review = g.core.review_step(session, outcomes, t.trace, reviewer=default_reviewer(config))
        _, outcomes, session = g.core.drive(review, lambda ask: g.question(ask, config, t.audits))
        to_run = [o.call for o in outcomes if o.action == "allow" and o.call]
        results = super()._func(self._with_calls(input, t.messages, t.idx, to_run), config, runtime) if to_run else None
        outputs = _tool_messages(results)
        scans = [g.scan(tool_output_message(m, data_blocks=True), t.trace) for m in outputs]
        return self._finish(t, outcomes, session, results, outputs, scans)

    async def _afunc(self, input: Any, config: RunnableConfig, runtime: Runtime) -> Any:
        t = self._begin(input, config)
        if t is None:
            return self._empty(input)
        g = self.guard
        if t.durable:
            outcomes, session = _from_json(await _aassess_task(g.core, t.calls, t.session, t.trace))  # type: ignore[arg-type]
        else:
            outcomes, session = await g.core.aassess_calls(t.session, t.calls, t.trace)
        review = g.core.review_step(session, outcomes, t.trace, reviewer=default_reviewer(config))
        _, outcomes, session = await g.core.adrive(review, lambda ask: g.question(ask, config, t.audits))
        to_run = [o.call for o in outcomes if o.action == "allow" and o.call]
        results = (await super()._afunc(self._with_calls(input, t.messages, t.idx, to_run), config, runtime)
                   if to_run else None)
        outputs = _tool_messages(results)
        scans = [await g.ascan(tool_output_message(m, data_blocks=True), t.trace) for m in outputs]
        return self._finish(t, outcomes, session, results, outputs, scans)

    # shared pure steps --------------------------------------------------------------------------------------------
    def _empty(self, input: Any) -> Any:
        return [] if isinstance(input, list) else {self._messages_key: []}

    def _begin(self, input: Any, config: RunnableConfig) -> _Turn | None:
        pending = self._pending(input)
        if pending is None:
            return None
        messages, idx, calls = pending
        return _Turn(input=input, messages=messages, idx=idx, calls=calls,
                     session=session_of(input) if not isinstance(input, list) else new_session(),
                     trace=trace_of(messages), durable=self.guard.use_durable(config))

    def _finish(self, t: _Turn, outcomes: list[Outcome], session: Session, results: Any,
                outputs: list[ToolMessage], scans: list[ScanResult]) -> Any:
        g = self.guard
        g.flush_audit(t.audits)
        input, calls = t.input, t.calls
        own: list[ToolMessage] = []
        for o in outcomes:
            if o.action == "respond":
                own.append(answer_call(o.call or {}, o.text, status="success", id=new_id()))
            elif o.action != "allow":  # block (including rejected and repeated calls); an "ask" never gets here
                own.append(error_message(o.call or {}, o.text))
        # the calls of a turn run side by side: each is recorded (and its output judged) from the same session,
        # and the records are merged, as LangGraph merges parallel branches (and as the middleware's are)
        branches: dict[str, Session] = {}
        for o in outcomes:
            if o.action == "allow" and o.call:
                branches[o.call.get("id") or ""] = g.core.ran(session, o.call, approved_by=o.approved_by)
        replaced: dict[int, ToolMessage] = {}
        by_id = {(o.call or {}).get("id"): o for o in outcomes}
        for m, scan in zip(outputs, scans, strict=True):
            o = by_id.get(m.tool_call_id)
            call = (o.call if o is not None else None) or {"name": m.name or "", "args": {}, "id": m.tool_call_id}
            judged, branches[m.tool_call_id] = g.core.output(branches.get(m.tool_call_id, session), call,
                                                            text_of(m.content), scan)
            new = output_message(m, judged)
            if o is not None and _was_edited(o, calls):
                note = _EDIT_NOTICE.format(name=call["name"], args=json.dumps(_hitl.jsonable(call["args"])))
                new = new.model_copy(update={"content": f"{note}\n\n{text_of(new.content)}"})
            replaced[id(m)] = new
        session = merge_sessions(session, list(branches.values()))
        update: dict[str, Any] = session_update(t.session, session)
        if self.guard.rule is not None:
            update[RULE_KEY] = session["rule_of_two"] or {}
        mapped = _map_tool_messages(results, lambda m: replaced.get(id(m), m))
        ids = [m.id for m in own] + [replaced[id(m)].id for m in outputs if id(m) in replaced]
        update[GUARD_KEY] = {"scanned": [i for i in ids if i]}
        if mapped is None:
            update[self._messages_key] = own
            return own if isinstance(input, list) else update
        if isinstance(mapped, dict):
            update[self._messages_key] = _in_call_order(calls, own + list(mapped.get(self._messages_key, [])))
            return [*update[self._messages_key]] if isinstance(input, list) else update
        if isinstance(mapped, list) and isinstance(input, list) and all(isinstance(x, BaseMessage) for x in mapped):
            return _in_call_order(calls, own + mapped)
        # a list of Commands and updates (tools that returned Command)
        update[self._messages_key] = own
        return [*mapped, update]


@dataclass(slots=True)
class _Turn:
    """One visit of the node: the pending calls and the session they are judged against."""

    input: Any
    messages: list[BaseMessage]
    idx: int
    calls: list[dict[str, Any]]
    session: Session
    trace: list[Message]
    durable: bool
    audits: list[tuple[Any, ...]] = field(default_factory=list)


def _from_json(data: Mapping[str, Any]) -> tuple[list[Outcome], Session]:
    return [Outcome.from_json(o) for o in data["outcomes"]], data["session"]


def _was_edited(o: Outcome, calls: list[dict[str, Any]]) -> bool:
    call = o.call or {}
    orig = next((c for c in calls if c.get("id") == call.get("id")), None)
    return orig is not None and (orig["name"] != call.get("name") or orig["args"] != call.get("args"))


def _in_call_order(calls: list[dict[str, Any]], messages: Iterable[BaseMessage]) -> list[BaseMessage]:
    order = {c.get("id"): i for i, c in enumerate(calls)}
    msgs = list(messages)
    return sorted(msgs, key=lambda m: order.get(getattr(m, "tool_call_id", None), len(order)))


def _tool_messages(results: Any) -> list[ToolMessage]:
    out: list[ToolMessage] = []

    def _collect(m: ToolMessage) -> ToolMessage:
        out.append(m)
        return m

    _map_tool_messages(results, _collect)
    return out


def _map_tool_messages(results: Any, fn: Callable[[ToolMessage], ToolMessage]) -> Any:
    """Apply ``fn`` to every ToolMessage in a ToolNode result (dict, list, or Commands with updates)."""
    if results is None:
        return None
    if isinstance(results, ToolMessage):
        return fn(results)
    if isinstance(results, dict):
        return {k: _map_tool_messages(v, fn) if isinstance(v, (list, ToolMessage)) else v for k, v in results.items()}
    if isinstance(results, list):
        return [_map_tool_messages(x, fn) for x in results]
    if isinstance(results, Command) and isinstance(results.update, dict):
        return Command(graph=results.graph, update=_map_tool_messages(results.update, fn), resume=results.resume,
                       goto=results.goto)
    return results
