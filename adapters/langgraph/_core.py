"""Shared machinery of the LangGraph guards: message conversion, scanning, review and audit.

Sync and async twins differ only in how scanners are awaited; decisions, payloads and state updates are
computed by the same functions.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.errors import GraphInterrupt
from langgraph.types import interrupt

from lf_middleware import hitl as _hitl
from lf_middleware._text import content_hash
from lf_middleware.engine import LlamaFirewall
from lf_middleware.errors import ConfigurationError
from lf_middleware.guard import (
    DEFAULT_MAX_REJECTIONS,
    Ask,
    GuardConfig,
    GuardHook,
    Outcome,
    Session,
    call_message,
    new_session,
)
from lf_middleware.guard import Guard as CoreGuard
from lf_middleware.rule_of_two import RuleOfTwo, RuleOfTwoConfig
from lf_middleware.types import Message, Role, ScanDecision, ScanResult, Trace

from .._messages import answer_call, content_text, role_of, to_lf_message

logger = logging.getLogger(__name__)

DurableMode = Literal["auto", "always", "never"]
"""When verdicts are computed inside a LangGraph durable task (so a resumed node gets the same ones back):
``auto`` when a checkpointer is in use and a scanner may be nondeterministic, ``always``, or ``never``."""

# built-in scanners whose verdict is a pure function of the input (no sampling, no remote call)
DETERMINISTIC_SCANNERS = frozenset({"regex", "hidden_ascii", "code_shield", "tool_policy", "pii_detection",
                                    "prompt_guard"})

#: messages longer than this are scanned on a worker thread in async graphs (sync scanners run inline otherwise)
OFFLOAD_CHARS = 32_000


# ------------------------------------------------------------------------------------------------------------
# conversion (the shared conversions in .._messages, with this adapter's view: data blocks kept as JSON, an AI
# message's content as written, only human/ai/tool/system messages)


def text_of(content: Any) -> str:
    """The text of a LangChain message content (a string, or a list of blocks: text parts and data blocks)."""
    return content_text(content, data_blocks=True)


def to_lf(message: BaseMessage) -> Message | None:
    """An lf-middleware message for a LangChain one (None for roles the scanners do not know)."""
    if role_of(message) is None:
        return None
    return to_lf_message(message, render_calls=False, data_blocks=True)


def trace_of(messages: Sequence[BaseMessage]) -> Trace:
    return [m for m in (to_lf(x) for x in messages) if m is not None]


def error_message(call: Mapping[str, Any], text: str) -> ToolMessage:
    """An error answer to a call that did not run (with an id, so the guard can mark it as scanned)."""
    return answer_call(call, text, id=new_id())


def message_key(message: BaseMessage) -> str:
    """Identifies a message *and its content* (an edited message with the same id is scanned again)."""
    return f"{getattr(message, 'id', None) or ''}:{content_hash(text_of(message.content))}"


def thread_of(config: Mapping[str, Any] | None) -> str | None:
    conf = (config or {}).get("configurable") or {}
    tid = conf.get("thread_id")
    return str(tid) if tid is not None else None


def default_reviewer(config: Mapping[str, Any] | None) -> str:
    conf = (config or {}).get("configurable") or {}
    for key in ("reviewer", "user_id"):
        value = conf.get(key)
        if isinstance(value, str) and value:
            return value
    return "unknown"


def new_id() -> str:
    return f"lf-{uuid.uuid4().hex[:20]}"


# ------------------------------------------------------------------------------------------------------------
# the guard: the core protocol plus what LangGraph needs (durable verdicts, one batched interrupt, audit)


class Guard:
    """:class:`lf_middleware.guard.Guard` with LangGraph's I/O, shared by :class:`GuardNode` and
    :class:`GuardedToolNode`. Every decision is the core's; this class only asks (``interrupt``) and audits."""

    def __init__(
        self,
        engine: LlamaFirewall | None = None,
        *,
        tools: Iterable[object] = (),
        rule_of_two: RuleOfTwo | RuleOfTwoConfig | Mapping[str, Any] | bool | None = None,
        durable: DurableMode = "auto",
        max_rejections: int = DEFAULT_MAX_REJECTIONS,
        allowed_decisions: Sequence[_hitl.DecisionType] = _hitl.ALL_DECISIONS,
        withhold_flagged_outputs: bool = True,
        name: str = "",
        hooks: Iterable[GuardHook] = (),
        roles: Iterable[Role] = (Role.ASSISTANT, Role.TOOL),
    ) -> None:
        if engine is not None and not isinstance(engine, LlamaFirewall):
            raise ConfigurationError(
                f"engine must be an lf_middleware.LlamaFirewall, got {type(engine).__name__}"
            )
        if durable not in ("auto", "always", "never"):
            raise ConfigurationError(f"durable must be 'auto', 'always' or 'never', got {durable!r}")
        config = GuardConfig(max_rejections=max_rejections, allowed_decisions=tuple(allowed_decisions),
                             tool_output_review="withhold" if withhold_flagged_outputs else "pass")
        self.core = CoreGuard.build(engine, tools=list(tools), rule_of_two=rule_of_two, config=config, hooks=hooks,
                                    who=name or "the LangGraph guard", roles=roles)
        self.engine = engine
        self.rule = self.core.rule
        self.durable = durable
        self.allowed_decisions = list(config.allowed_decisions)
        self.name = name
        self.audit_log = engine.audit_log if engine is not None else None

    # scanner facts ---------------------------------------------------------------------------------------
    def _scanners(self, role: Role) -> list[Any]:
        return self.engine.scanners_for(role) if self.engine is not None else []

    def deterministic(self) -> bool:
        """True when re-running the pre-execution assessment gives the same verdicts."""
        for s in self._scanners(Role.ASSISTANT):
            flag = getattr(s, "deterministic", None)
            if flag is None:
                flag = getattr(s, "name", "") in DETERMINISTIC_SCANNERS
            if not flag:
                return False
        return not (self.rule is not None and self.rule.config.escalation == "alignment_check")

    def use_durable(self, config: Mapping[str, Any] | None) -> bool:
        if self.durable == "never":
            return False
        if thread_of(config) is None:  # no checkpointer: no interrupt can resume, nothing to persist
            return False
        return self.durable == "always" or not self.deterministic()

    def blocking(self, message: Message) -> bool:
        """Whether scanning ``message`` should leave the event loop: a large message with inline (sync)
        scanners, or a scanner that says ``blocking = True``."""
        scanners = self._scanners(message.role)
        if any(getattr(s, "blocking", False) for s in scanners):
            return True
        return len(message.content) > OFFLOAD_CHARS and any(getattr(s, "supports_sync", False) for s in scanners)

    # scanning (always with the session's history: budgets and trace-aware scanners need it) ------------------
    def scan(self, message: Message, trace: Trace) -> ScanResult:
        return self.core.scan(message, trace)

    async def ascan(self, message: Message, trace: Trace) -> ScanResult:
        if self.blocking(message):
            return await asyncio.to_thread(self.core.scan, message, trace)
        return await self.core.ascan(message, trace)

    # review ----------------------------------------------------------------------------------------------------
    def question(self, ask: Ask, config: Mapping[str, Any] | None,
                 audit_queue: list[tuple[Any, ...]] | None = None) -> list[_hitl.Decision]:
        """Ask a person (one interrupt) the core's question; the validated decisions, one per action, in order.

        Raises ``ValueError`` when the resume value does not fit the request (checked by LangGraph before it
        is saved: the thread stays at the question and can be resumed again with a correct answer).

        Audit records: with ``audit_queue``, decision records wait in the queue and are written by
        :meth:`flush_audit` when the node finishes, or when a later interrupt in the same pass is raised.
        """
        request = ask.request(node=self.name, thread_id=thread_of(config))
        try:
            resume = interrupt(request, response_schema=_hitl.response_schema(request))
        except GraphInterrupt:  # first pass: record that a person is being asked, then let LangGraph pause
            self.flush_audit(audit_queue)
            _hitl.audit_interrupt(self.audit_log, request, thread_id=thread_of(config),
                                  where=f"{self.name}:{ask.stage}")
            raise
        if audit_queue:
            audit_queue.clear()  # the pass that asked this question already wrote the earlier answers
        decisions = _hitl.decisions_from(resume, request)
        fallback = default_reviewer(config)
        records = [(action, d, _hitl.reviewer_of(d, fallback), thread_of(config), d["type"])
                   for action, d in zip(request["action_requests"], decisions, strict=True)]
        if audit_queue is None:
            self.flush_audit(records)
        else:
            audit_queue.extend(records)
        return decisions

    def flush_audit(self, queue: list[tuple[Any, ...]] | None) -> None:
        """Write queued decision records (see :meth:`question`) and empty the queue."""
        if not queue:
            return
        for action, d, who, thread, outcome in queue:
            _hitl.audit_decision(self.audit_log, action, d, reviewer=who, thread_id=thread, outcome=outcome)
        queue.clear()

    def note_output(self, rule_state: Any, name: str, tool_call_id: str, text: str, scan: ScanResult) -> Any:
        """The Rule-of-Two record after a tool output (only an injection finding taints)."""
        if self.rule is None:
            return rule_state
        session: Session = {**new_session(), "rule_of_two": rule_state}
        _, after = self.core.output(session, {"name": name, "args": {}, "id": tool_call_id}, text, scan)
        return after["rule_of_two"]


def output_message(msg: ToolMessage, outcome: Outcome) -> ToolMessage:
    """The message the model gets for a judged tool output."""
    scan = outcome.verdict
    info = {"decision": scan.decision.value, "score": float(scan.score), "scanner": scan.scanner,
            "withheld": outcome.action == "withhold", "redacted": outcome.action == "redact"}
    meta = {**(msg.response_metadata or {}), "lf_middleware": info}
    update: dict[str, Any] = {"response_metadata": meta, "id": msg.id or new_id()}
    if outcome.action == "withhold":
        update.update(content=outcome.text, status="error")
    elif outcome.action == "redact":
        update["content"] = outcome.text
    return msg.model_copy(update=update)


def explain(decision: ScanDecision, what: str, reason: str) -> AIMessage:
    """The message a guard adds when it stops a run."""
    verb = "blocked" if decision is ScanDecision.BLOCK else "stopped"
    return AIMessage(content=f"I can't continue: lf-middleware {verb} the {what} ({reason}).", id=new_id(),
                     response_metadata={"lf_middleware": {"decision": decision.value}})


__all__ = [
    "DETERMINISTIC_SCANNERS",
    "DurableMode",
    "Guard",
    "output_message",
    "call_message",
    "error_message",
    "explain",
    "message_key",
    "text_of",
    "to_lf",
    "trace_of",
]
