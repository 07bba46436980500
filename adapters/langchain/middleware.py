"""Agent middleware for LangChain's ``create_agent``: scan, route through the Rule of Two, ask a human.

:class:`GuardMiddleware` puts the engine at every point of the agent loop. Each hook has a sync and an async
twin; the logic is written once, as a generator that yields what it needs (a scan, the next handler, an
auditor check) and the twins only differ in how they perform that I/O.

===================  ===================================================================================
hook                 what it does
===================  ===================================================================================
``before_agent``     scans the new user input of this turn and stores each verdict in state
``before_model``     acts on those verdicts: BLOCK withholds the message and jumps to the end with an
                     explanation; redaction replaces the flagged spans; HITL asks a person (one batched
                     ``interrupt``)
``wrap_model_call``  scans the model's reply: its text, and each tool call (scanners + the Rule of Two,
                     threaded through the calls of the turn). A blocked call gets a
                     ``ToolMessage(status="error")`` with the reason, so it never runs and the model can
                     recover. Every verdict is stored in state, keyed by ``tool_call_id``, in the same
                     node as the model's message
``after_model``      one batched ``interrupt`` for the calls (and response text) whose stored verdict is
                     HUMAN_IN_THE_LOOP_REQUIRED; applies approve / edit / reject / respond
``wrap_tool_call``   right before a tool runs: the stored verdict (or a fresh scan for a call never vetted),
                     the Rule of Two marks; after it runs: scans the output, withholds or redacts it, and
                     marks the session (a flagged output taints it)
===================  ===================================================================================

Why scan and ask in different hooks: on resume LangGraph runs an interrupted node again from its first line.
The verdict a person answers is therefore stored in state by an earlier node (``before_agent`` for input,
the model node for tool calls) and read back by the node that interrupts, so a nondeterministic scanner (an
LLM auditor) cannot change the question after it was asked. This is the rule the LangGraph adapter follows,
with the same payload (:mod:`lf_middleware.hitl`, the ``HumanInTheLoopMiddleware`` shape).

State keys (all ``PrivateStateAttr``, kept by the checkpointer, hidden from the agent's input/output schema):
``lf_rule_of_two`` (the tracker's record), ``lf_verdicts`` (the verdict cache), ``lf_rejections`` and
``lf_hooks``, each with a reducer so parallel tool calls can update them together.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Generator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain.agents.middleware.types import (
    AgentMiddleware,
    AgentState,
    ExtendedModelResponse,
    ModelRequest,
    ModelResponse,
    PrivateStateAttr,
    hook_config,
)
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages import ToolMessage as LCToolMessage
from langgraph.types import Command, interrupt
from typing_extensions import NotRequired

from ... import hitl as _hitl
from ..._text import content_hash
from ...engine import LlamaFirewall
from ...guard import (
    DEFAULT_MAX_REJECTIONS,
    SENSITIVE_CATEGORIES,
    STATE_KEYS,
    Ask,
    Forward,
    Guard,
    GuardConfig,
    GuardHook,
    Outcome,
    Session,
    flagged_by,
    held_call_text,
    merge_hooks,
    message_fingerprint,
    normalize_call,
    session_of,
    session_update,
    withheld_message_text,
    withheld_output_text,
)
from ...guard import redact as redact_spans
from ...rule_of_two import RuleOfTwo, RuleOfTwoConfig, RuleOfTwoState, merge_states
from ...types import AssistantMessage, Message, Role, ScanDecision, ScanResult, Trace
from .._messages import answer_call, answered_ids, content_text, last_ai_index, to_lf_message, tool_calls_of
from ._engine import resolve_firewall
from .streaming import guard_model

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

__all__ = ("DEFAULT_REDACT_CATEGORIES", "GuardMiddleware", "GuardState", "redact_spans")

logger = logging.getLogger(__name__)

R2_KEY = STATE_KEYS["rule_of_two"]
VERDICTS_KEY = STATE_KEYS["verdicts"]
_INPUT_DECISIONS: tuple[_hitl.DecisionType, ...] = ("approve", "edit", "reject", "respond")
_RESPONSE_DECISIONS: tuple[_hitl.DecisionType, ...] = ("approve", "reject")


class GuardState(AgentState[Any]):
    """The agent state keys this middleware adds (private: not part of the agent's input or output)."""

    lf_rule_of_two: NotRequired[Annotated[RuleOfTwoState, PrivateStateAttr, merge_states]]
    lf_verdicts: NotRequired[Annotated[dict[str, _hitl.VerdictEntry], PrivateStateAttr, _hitl.merge_verdicts]]
    lf_rejections: NotRequired[Annotated[dict[str, int], PrivateStateAttr, _hitl.merge_counts]]
    lf_hooks: NotRequired[Annotated[dict[str, Any], PrivateStateAttr, merge_hooks]]


ToolOutputReview = Literal["withhold", "pass"]
"""What a HUMAN_IN_THE_LOOP_REQUIRED verdict on a tool output does: ``withhold`` the output from the model
(default; the session is tainted either way), or ``pass`` it on and rely on the taint, which makes every later
state-changing call ask a person."""


_Step = Generator[Any, Any, Any]


#: span categories redaction may rewrite; anything else flagged (an injection phrase) still blocks
DEFAULT_REDACT_CATEGORIES: frozenset[str] = SENSITIVE_CATEGORIES


# ------------------------------------------------------------------------------------------------------------
# Small pure helpers


def _trace(messages: Iterable[Any]) -> Trace:
    out: Trace = []
    for m in messages:
        try:
            lf = to_lf_message(m)
        except TypeError:
            continue
        if lf is not None:
            out.append(lf)
    return out


def _input_key(message: BaseMessage, text: str) -> str:
    """Cache key of a user message: its id (add_messages gives every message one), else its content hash."""
    return f"input:{message.id or content_hash(text)}"


def _thread_id() -> str | None:
    try:
        from langgraph.config import get_config

        return (get_config().get("configurable") or {}).get("thread_id")
    except Exception:  # outside a graph run there is no config; the audit record just has no thread
        return None


class GuardMiddleware(AgentMiddleware[GuardState, Any, Any]):
    """Guard a ``create_agent`` agent with the lf-middleware engine and the Rule of Two.

    Args:
        firewall: the engine (or pass ``scanners``, a role → scanner names mapping).
        rule_of_two: on unless ``False``: ``None`` (default) or ``True`` use the engine's ``rule_of_two``
            config section (an empty or missing one means the defaults); or pass a :class:`RuleOfTwoConfig`,
            a mapping or a ready :class:`RuleOfTwo`.
        tools: the agent's tools, for their Rule-of-Two declarations (tool objects met at run time are read
            too).
        redact: redaction instead of blocking for scanners that report spans (``details["spans"]``): ``True``
            for any such scanner, or a collection of scanner names. The flagged spans become
            ``[REDACTED:<name>]`` and the agent keeps going, provided every flagged span is of a category in
            ``redact_categories`` (default ``pii`` and ``secret``; an injection phrase still blocks). Applies to user input, response text and tool
            output (tool-call arguments are blocked, not rewritten).
        tool_output_review: see :data:`ToolOutputReview`.
        max_rejections: a call a reviewer rejected this many times (same tool, same arguments, this thread) is
            rejected again without asking, so a model that repeats it cannot keep a person busy forever.
        blocked_input_message: what the user reads when their input is blocked (``{scanners}`` and
            ``{reason}`` are filled in).
        stream_guard: wrap the agent's model with :func:`~lf_middleware.adapters.langchain.streaming.guard_model`
            so a streamed reply is released only once judged (default on).
        hooks: :class:`~lf_middleware.guard.GuardHook` plug-ins: extra checks on each call, and records of what
            each output brought into the session (kept in ``lf_hooks``).
    """

    state_schema = GuardState

    def __init__(
        self,
        firewall: LlamaFirewall | None = None,
        *,
        scanners: Mapping[Role | str, Sequence[Any]] | None = None,
        rule_of_two: RuleOfTwo | RuleOfTwoConfig | Mapping[str, Any] | bool | None = None,
        tools: Iterable[object] = (),
        redact: bool | Collection[str] = False,
        redact_categories: Collection[str] = DEFAULT_REDACT_CATEGORIES,
        tool_output_review: ToolOutputReview = "withhold",
        max_rejections: int = DEFAULT_MAX_REJECTIONS,
        blocked_input_message: str = (
            "I can't act on that message: lf-middleware blocked it ({scanners}). Please rephrase your request."
        ),
        stream_guard: bool = True,
        hooks: Iterable[GuardHook] = (),
    ) -> None:
        super().__init__()
        firewall = resolve_firewall(firewall, scanners, who="GuardMiddleware", factory="guard_middleware")
        self.firewall = firewall
        self.tools = list(tools)
        config = GuardConfig(max_rejections=max_rejections, tool_output_review=tool_output_review,
                             redact=redact,  # type: ignore[arg-type]
                             redact_categories=redact_categories)  # type: ignore[arg-type]
        self.guard = Guard.build(firewall, tools=self.tools, rule_of_two=rule_of_two, config=config, hooks=hooks,
                                 who="GuardMiddleware")
        self.rule_of_two = self.guard.rule
        self.redact_categories = self.guard.config.redact_categories
        self.blocked_input_message = blocked_input_message
        self.stream_guard = stream_guard

    # ---------------------------------------------------------------------------------------------------------
    # before_agent: scan this turn's input, store verdicts

    def _new_inputs(self, messages: Sequence[Any]) -> list[tuple[int, Any]]:
        start = last_ai_index(messages) + 1
        return [(i, m) for i, m in enumerate(messages[start:], start)
                if isinstance(m, BaseMessage) and not isinstance(m, (AIMessage, LCToolMessage))]

    def _scan_inputs(self, state: Mapping[str, Any]) -> _Step:
        messages = list(state.get("messages") or [])
        items = [(_input_key(m, lf.content), lf, _trace(messages[:i])) for i, m in self._new_inputs(messages)
                 if (lf := to_lf_message(m)) is not None]
        return (yield from self.guard.messages_step(state.get(VERDICTS_KEY), items))

    def _before_agent(self, state: Mapping[str, Any]) -> _Step:
        entries = yield from self._scan_inputs(state)
        return {VERDICTS_KEY: entries} if entries else None

    # ---------------------------------------------------------------------------------------------------------
    # before_model: act on the input verdicts

    def _before_model(self, state: Mapping[str, Any]) -> _Step:
        messages = list(state.get("messages") or [])
        inputs = self._new_inputs(messages)
        if not inputs:
            return None
        fresh = yield from self._scan_inputs(state)  # inputs not seen by before_agent (normally none)
        cache = _hitl.merge_verdicts(state.get(VERDICTS_KEY), fresh)
        update: dict[str, Any] = {VERDICTS_KEY: fresh} if fresh else {}
        replaced: list[BaseMessage] = []
        review: list[tuple[BaseMessage, ScanResult]] = []
        actions: list[_hitl.ActionRequest] = []
        for _, m in inputs:
            lf = to_lf_message(m)
            text = lf.content if lf is not None else ""
            verdict = _hitl.recall_verdict(cache, _input_key(m, text), message_fingerprint(lf)) if lf else None
            if verdict is None or verdict.decision is ScanDecision.ALLOW:
                continue
            judged = self.guard.message(Role.USER, text, verdict)
            if judged.action == "redact" and isinstance(m.content, str):
                replaced.append(m.model_copy(update={"content": judged.text}))
                continue
            if judged.action in ("block", "redact") or judged.request is None:
                return self._end_turn(update, replaced, m, verdict)
            review.append((m, verdict))
            actions.append({**judged.request, "args": {"message_id": m.id, **judged.request["args"]},
                            "tool_call_id": _input_key(m, text)})
        if review:
            decisions = self._ask(Ask(actions, _INPUT_DECISIONS, state.get(R2_KEY), "messages"))
            for (m, verdict), decision in zip(review, decisions, strict=True):
                kind = decision["type"]
                if kind == "approve":
                    continue
                if kind == "edit":
                    replaced.append(m.model_copy(update={"content": _hitl.edited_text(decision)}))
                    continue
                if kind == "respond":
                    return self._end_turn(update, replaced, m, verdict, answer=decision["message"])
                return self._end_turn(update, replaced, m, verdict, answer=decision.get("message"))
        if replaced:
            update["messages"] = replaced
        return update or None

    def _end_turn(self, update: dict[str, Any], replaced: list[BaseMessage], message: BaseMessage,
                  verdict: ScanResult, answer: str | None = None) -> dict[str, Any]:
        withheld = message.model_copy(update={"content": withheld_message_text(Role.USER, verdict)})
        text = answer or self.blocked_input_message.format(scanners=flagged_by(verdict), reason=verdict.reason)
        logger.info("input %s: ending the turn (%s)", verdict.decision.value, flagged_by(verdict))
        return {**update, "messages": [*replaced, withheld, AIMessage(content=text)], "jump_to": "end"}

    # ---------------------------------------------------------------------------------------------------------
    # wrap_model_call: scan the reply and judge its calls (the core guard); store the outcomes with the reply

    def _tool_props(self, tools: Sequence[Any]) -> Callable[[str], Any]:
        assert self.rule_of_two is not None
        rule = self.rule_of_two
        by_name = {getattr(t, "name", None): t for t in tools}
        return lambda name: rule.properties_for(by_name.get(name, name))

    def _model_call(self, request: ModelRequest) -> _Step:
        if self.stream_guard:  # streamed text is released only once judged (stream, messages mode, events)
            request = request.override(model=guard_model(request.model, self.firewall, on_block="withhold"))
        response = yield Forward(request)
        if isinstance(response, ExtendedModelResponse):  # an inner middleware's command: keep it as is
            inner, command = response.model_response, response.command
        elif isinstance(response, AIMessage):
            inner, command = ModelResponse(result=[response]), None
        else:
            inner, command = response, None
        idx = last_ai_index(inner.result)
        if idx < 0:
            return response
        ai = cast(AIMessage, inner.result[idx])
        trace = _trace(request.messages)
        text = content_text(ai.content)
        calls = tool_calls_of(ai)
        if not text and not calls:
            return response
        session = session_of(request.state or {})
        before = session
        new_ai = ai
        extra: list[BaseMessage] = []
        if text:
            text_result = yield from self.guard.scan_step(AssistantMessage(text), trace)
            judged = self.guard.message(Role.ASSISTANT, text, text_result)
            if judged.action == "redact" and isinstance(ai.content, str):
                new_ai = new_ai.model_copy(update={"content": judged.text})
            elif judged.action == "block" or (judged.action == "redact"):
                # the reply itself is unsafe: replace it, and drop its calls (they came with unsafe text)
                logger.info("model reply blocked (%s)", flagged_by(text_result))
                new_ai = new_ai.model_copy(update={"content": judged.text, "tool_calls": [],
                                                   "invalid_tool_calls": []})
                calls = []
            elif judged.action == "ask" and ai.id:
                session = {**session, "verdicts": _hitl.remember_verdict(
                    session["verdicts"], f"response:{ai.id}", message_fingerprint(AssistantMessage(text)), text_result)}
        if calls:
            props = self._tool_props(request.tools) if self.rule_of_two is not None else None
            outcomes, session = yield from self.guard.calls_step(session, calls, trace, props)
            for o in outcomes:
                if o.action == "block":
                    logger.info("tool call %s blocked (%s)", (o.call or {}).get("name"), flagged_by(o.verdict))
                    extra.append(answer_call(o.call or {}, o.text))
        result_msgs = list(inner.result)
        result_msgs[idx] = new_ai
        out = ModelResponse(result=[*result_msgs, *extra], structured_response=inner.structured_response)
        changes = session_update(before, session)
        if not changes and command is None:
            return out
        update = dict(command.update) if command is not None and isinstance(command.update, Mapping) else {}
        for key, value in changes.items():
            update[key] = _hitl.merge_verdicts(update.get(key), value) if key == VERDICTS_KEY else value
        return ExtendedModelResponse(model_response=out, command=Command(update=update))

    # ---------------------------------------------------------------------------------------------------------
    # after_model: one batched interrupt for what needs a person

    def _pending_calls(self, state: Mapping[str, Any], ai: AIMessage, trace: Trace) -> _Step:
        """The outcomes of this reply's unanswered calls, judged by the core against the current session."""
        answered = answered_ids(list(state.get("messages") or []), last_ai_index(list(state.get("messages") or [])))
        calls = [c for c in tool_calls_of(ai) if c["id"] and c["id"] not in answered]
        if not calls:
            return [], session_of(state)
        props = self._tool_props(self.tools) if self.rule_of_two is not None else None
        return (yield from self.guard.calls_step(session_of(state), calls, trace, props))

    def _after_model(self, state: Mapping[str, Any]) -> _Step:
        messages = list(state.get("messages") or [])
        idx = last_ai_index(messages)
        if idx < 0:
            return None
        ai = cast(AIMessage, messages[idx])
        before = session_of(state)
        trace = _trace(messages[:idx])
        outcomes, session = yield from self._pending_calls(state, ai, trace)
        text = content_text(ai.content)
        lead: list[_hitl.ActionRequest] = []  # the reply's own text, when the scanners sent it to a person
        verdict = _hitl.recall_verdict(session["verdicts"], f"response:{ai.id}", message_fingerprint(AssistantMessage(text))
                                       ) if text and ai.id else None
        if verdict is not None and verdict.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED:
            judged = self.guard.message(Role.ASSISTANT, text, verdict)
            lead.append({**judged.request, "tool_call_id": f"response:{ai.id}"})  # type: ignore[typeddict-item]
        first, outcomes, session = yield from self.guard.review_step(session, outcomes, trace, lead=lead,
                                                                     lead_allowed=_RESPONSE_DECISIONS)
        new_ai = ai
        if first and first[0]["type"] == "reject":
            new_ai = ai.model_copy(update={"content": first[0].get("message") or
                                           "[response withheld by lf-middleware after review]"})
        return self._after_update(before, session, ai, new_ai, outcomes, [])

    def _after_update(self, before: Session, session: Session, ai: AIMessage, new_ai: AIMessage,
                      outcomes: Sequence[Outcome], _: Any) -> dict[str, Any] | None:
        tool_msgs: list[BaseMessage] = []
        new_calls = [dict(c) for c in ai.tool_calls or ()]
        for o in outcomes:
            call = o.call or {}
            if o.action == "block":
                tool_msgs.append(answer_call(call, o.text))
            elif o.action == "respond":
                tool_msgs.append(answer_call(call, o.text, status="success"))
            elif o.action == "allow":
                for c in new_calls:
                    if c.get("id") == call.get("id"):
                        c["name"], c["args"] = call["name"], dict(call.get("args") or {})
        update: dict[str, Any] = {}
        for key, value in session_update(before, session).items():
            update[key] = value
        if new_calls != [dict(c) for c in ai.tool_calls or ()] or new_ai is not ai:
            new_ai = new_ai.model_copy(update={"tool_calls": new_calls})
            update["messages"] = [new_ai, *tool_msgs]
        elif tool_msgs:
            update["messages"] = tool_msgs
        return update or None

    def hitl_when(self, request: Any) -> bool:
        """A ``when`` predicate for LangChain's ``HumanInTheLoopMiddleware`` in the same agent (see
        :meth:`human_in_the_loop`, which sets it): False for a call this guard answered (blocked) or asks about
        itself, so a person is asked once per call and never about a blocked one; True for the rest."""
        state = request.state or {}
        messages = list(state.get("messages") or [])
        idx = last_ai_index(messages)
        cid = str(request.tool_call.get("id") or "")
        if idx < 0 or cid in answered_ids(messages, idx):
            return False  # the guard answered it already (blocked)
        calls = tool_calls_of(messages[idx])
        props = self._tool_props(self.tools) if self.rule_of_two is not None else None
        outcomes = self.guard.judged(session_of(state), calls, _trace(messages[:idx]), properties=props,
                                     before_review=True)
        mine = next((o for o in outcomes or () if (o.call or {}).get("id") == cid), None)
        return mine is None or mine.action == "allow"  # not judged by this guard: the other middleware decides

    def human_in_the_loop(self, interrupt_on: Mapping[str, bool | Mapping[str, Any]],
                          **options: Any) -> HumanInTheLoopMiddleware:
        """LangChain's ``HumanInTheLoopMiddleware`` for the same agent, set up so that a person is asked once
        per call: each tool's ``when`` is this guard's :meth:`hitl_when` (and your own ``when``, if given). Put
        it after the guard::

            guard = GuardMiddleware(engine)
            agent = create_agent(model, tools, middleware=[guard, guard.human_in_the_loop({"send_email": True})])

        ``interrupt_on`` and ``options`` are those of ``HumanInTheLoopMiddleware``."""
        configs: dict[str, bool | dict[str, Any]] = {}
        for name, on in interrupt_on.items():
            if on is False:
                configs[name] = False
                continue
            conf = {"allowed_decisions": list(_hitl.ALL_DECISIONS)} if on is True else dict(on)
            theirs = conf.get("when")
            conf["when"] = self.hitl_when if theirs is None else (
                lambda req, theirs=theirs: self.hitl_when(req) and theirs(req))
            configs[name] = conf
        return HumanInTheLoopMiddleware(configs, **options)  # type: ignore[arg-type]

    def _ask(self, ask: Ask) -> list[dict[str, Any]]:
        """One interrupt; the validated decisions (as plain dicts), one per action, in order."""
        request = ask.request(node=self.name, thread_id=_thread_id())  # the LangGraph adapter's keys
        _hitl.audit_interrupt(self.firewall.audit_log, request, thread_id=_thread_id(), where=self.name)
        # LangGraph checks the answer against the schema before saving it: a wrong answer (say, the wrong number
        # of decisions, or a malformed value) raises to the caller and the thread stays at this question
        answer = interrupt(request, response_schema=_hitl.response_schema(request))
        decisions = [dict(d) for d in _hitl.decisions_from(answer, request)]
        for action, d in zip(request["action_requests"], decisions, strict=True):
            _hitl.audit_decision(self.firewall.audit_log, action, d, reviewer=_hitl.reviewer_of(d),
                                 thread_id=_thread_id(), outcome=d["type"])
        return decisions

    # ---------------------------------------------------------------------------------------------------------
    # wrap_tool_call: enforce at execution, scan the output

    def _tool_call(self, request: Any) -> _Step:
        call = normalize_call(request.tool_call)
        state = request.state or {}
        session = session_of(state)
        before = session
        trace = _trace(list(state.get("messages") or []))
        props = (lambda _n: self.rule_of_two.properties_for(request.tool or call["name"])) if (  # type: ignore[union-attr]
            self.rule_of_two is not None) else None
        # judged again against the session as it is now (an earlier call's output may have tainted it); the
        # stored scan is reused, an approval counts only for this exact call
        outcomes, session = yield from self.guard.calls_step(session, [call], trace, props)
        o = outcomes[0]
        if o.action == "block":
            return answer_call(call, o.text)
        if o.action != "allow":
            return answer_call(call, held_call_text(call, o.verdict))
        session = self.guard.ran(session, call, approved_by=o.approved_by,
                                 properties=props(call["name"]) if props else None)
        result = yield Forward(request)
        out_msgs = self._tool_messages(result)
        replaced: list[BaseMessage] = []
        if out_msgs:
            lf_out: list[Message] = [to_lf_message(m) or AssistantMessage("") for m in out_msgs]
            scans = yield from self.guard.scans_step(lf_out, [[*trace, *lf_out[:k]] for k in range(len(lf_out))])
            for m, lf, scan in zip(out_msgs, lf_out, scans, strict=True):
                judged, session = self.guard.output(session, call, lf.content, scan)
                if judged.action == "redact" and isinstance(m.content, str):
                    replaced.append(m.model_copy(update={"content": judged.text}))
                elif judged.action in ("withhold", "redact"):
                    logger.info("tool output of %s withheld (%s)", call["name"], flagged_by(scan))
                    text = judged.text if judged.action == "withhold" else withheld_output_text(
                        call, scan, injection=False)
                    replaced.append(m.model_copy(update={"status": "error", "content": text}))
        return self._with_state(result, replaced, session_update(before, session))

    @staticmethod
    def _tool_messages(result: Any) -> list[LCToolMessage]:
        if isinstance(result, LCToolMessage):
            return [result]
        if isinstance(result, Command) and isinstance(result.update, Mapping):
            return [m for m in result.update.get("messages") or () if isinstance(m, LCToolMessage)]
        return []

    @staticmethod
    def _with_state(result: Any, replaced: list[BaseMessage], changes: Mapping[str, Any]) -> Any:
        by_id = {m.id or id(m): m for m in replaced}
        if isinstance(result, LCToolMessage):
            out = replaced[0] if replaced else result
            return Command(update={"messages": [out], **changes}) if changes else out
        if isinstance(result, Command) and isinstance(result.update, Mapping):
            update = dict(result.update)
            if replaced:
                update["messages"] = [by_id.get(m.id or id(m), m) if isinstance(m, LCToolMessage) else m
                                      for m in update.get("messages") or ()]
            update.update(changes)
            return Command(graph=result.graph, update=update, resume=result.resume, goto=result.goto)
        return result

    # ---------------------------------------------------------------------------------------------------------
    # the hooks

    def before_agent(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Scan this turn's new user input and store the verdicts (acted on in ``before_model``)."""
        return self.guard.drive(self._before_agent(state))

    async def abefore_agent(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Async twin of :meth:`before_agent`."""
        return await self.guard.adrive(self._before_agent(state))

    @hook_config(can_jump_to=["end"])
    def before_model(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """BLOCK → withhold the input and end the turn with an explanation; HITL → ask; redact if enabled."""
        return self.guard.drive(self._before_model(state))

    @hook_config(can_jump_to=["end"])
    async def abefore_model(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Async twin of :meth:`before_model`."""
        return await self.guard.adrive(self._before_model(state))

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], Any]) -> Any:
        """Call the model, scan its reply and judge its tool calls, store the outcomes with the reply."""
        return self.guard.drive(self._model_call(request), handler)

    async def awrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], Awaitable[Any]]) -> Any:
        """Async twin of :meth:`wrap_model_call`."""
        return await self.guard.adrive(self._model_call(request), handler)

    def after_model(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """One batched interrupt for the calls the guard sends to a person."""
        return self.guard.drive(self._after_model(state), self._ask)

    async def aafter_model(self, state: GuardState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Async twin of :meth:`after_model`."""
        return await self.guard.adrive(self._after_model(state), self._ask)

    def wrap_tool_call(self, request: Any, handler: Callable[[Any], LCToolMessage | Command[Any]]) -> Any:
        """Enforce the guard's outcome for the call, run the tool, judge its output."""
        return self.guard.drive(self._tool_call(request), handler)

    async def awrap_tool_call(self, request: Any, handler: Callable[[Any], Awaitable[LCToolMessage | Command[Any]]]
                              ) -> Any:
        """Async twin of :meth:`wrap_tool_call`."""
        return await self.guard.adrive(self._tool_call(request), handler)
