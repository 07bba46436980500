"""LangChain callback handlers that scan what goes into and out of models and tools, and abort on BLOCK.

Two twins share one bookkeeping core (:class:`_GuardCore`): :class:`GuardCallbackHandler` (sync,
``BaseCallbackHandler``) and :class:`AsyncGuardCallbackHandler` (``AsyncCallbackHandler``). What each hook
scans, and as which role:

==========================  ===============================================================  ============
hook                        what                                                             role
==========================  ===============================================================  ============
``on_chat_model_start``     every chat message going into the model not yet in this trace    by message
``on_llm_start``            every prompt string going into a completion model                USER
``on_llm_new_token``        the growing streamed output, at boundaries (cheap scanners)      ASSISTANT
``on_llm_end``              the model's output, tool calls included                          ASSISTANT
``on_tool_start``           the tool call (name + arguments), unless already scanned          ASSISTANT
``on_tool_end``             the tool's output                                                TOOL
==========================  ===============================================================  ============

Each run tree (one ``invoke`` of a chain, agent or graph) keeps its own trace, keyed by the root run id, so
trace-aware scanners (AlignmentCheck) see the user's goal and the latest action; concurrent runs never mix.
The tree is dropped when its root run ends (or errors), and at most ``max_trees`` trees are kept, so a
long-lived handler does not grow.

Callbacks can only observe and abort. BLOCK raises :class:`~lf_middleware.errors.GuardrailBlocked`;
HUMAN_IN_THE_LOOP_REQUIRED raises :class:`~lf_middleware.errors.HumanApprovalRequired` (no person can be
asked from a callback). Both carry the ``ScanResult``. The handlers set ``raise_error = True``: without it
LangChain logs and swallows handler exceptions and a BLOCK would silently become ALLOW. To rewrite messages,
return an error to the model, or ask a human, use :mod:`lf_middleware.adapters.langchain.middleware` (for
``create_agent``) or the LangGraph adapter instead.

LangChain cannot propagate an exception from an *async* handler's coroutine driven by a *sync* run
(``invoke`` / ``stream``): it runs the coroutine on a throwaway loop and swallows what it raises. So that the
guard still fails closed there, :class:`AsyncGuardCallbackHandler` notices when LangChain's sync dispatcher
looks up one of its hooks and hands it the sync twin's hook (same state, same engine), whose exception
LangChain does propagate; it also warns once (:class:`SyncRunWarning`) that the sync handler is the better fit.

LangChain logs every exception a handler raises ("Error in GuardCallbackHandler.on_tool_start callback")
before re-raising it; a guard's own BLOCK / HITL is the expected outcome, not an error, so those records are
dropped by a filter on that one logger (other errors keep being logged).
"""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler

from ..._text import content_hash
from ...engine import LlamaFirewall
from ...errors import ConfigurationError, GuardrailBlocked, HumanApprovalRequired
from ...guard import warn_unscanned
from ...types import AssistantMessage, Message, Role, ScanDecision, ScanResult, Trace, severity
from .._messages import to_lf_message, tool_call_message, tool_output_message
from ._engine import resolve_firewall
from .streaming import StreamBuffer, StreamPolicy, build_stream_firewall, token_text

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage
    from langchain_core.outputs import LLMResult

__all__ = ("AsyncGuardCallbackHandler", "GuardCallbackHandler", "SyncRunWarning")

logger = logging.getLogger(__name__)

_SYNC_DRIVER = ("_run_coros", "langchain_core.callbacks.manager")
_SYNC_DISPATCH = ("handle_event", "langchain_core.callbacks.manager")
_HOOKS = frozenset({"on_chain_start", "on_chain_end", "on_chain_error", "on_chat_model_start", "on_llm_start",
                    "on_llm_new_token", "on_stream_event", "on_llm_end", "on_llm_error", "on_tool_start",
                    "on_tool_end", "on_tool_error"})


class _QuietGuardOutcomes(logging.Filter):
    """Drop LangChain's "Error in <our handler>.<hook> callback: GuardrailBlocked(...)" records: a guard's
    BLOCK / HITL is raised on purpose and reaches the caller as the exception itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        ours = (len(args) == 3 and str(record.msg).startswith("Error in %s.%s callback")
                and args[0] in ("GuardCallbackHandler", "AsyncGuardCallbackHandler")
                and str(args[2]).startswith(("GuardrailBlocked(", "HumanApprovalRequired(")))
        return not ours


logging.getLogger(_SYNC_DISPATCH[1]).addFilter(_QuietGuardOutcomes())


class SyncRunWarning(RuntimeWarning):
    """An async guard handler is driven by a sync LangChain run and cannot abort it."""


@dataclass(slots=True)
class _Tree:
    """One run tree: its trace, what is already in it, and the tool calls already scanned."""

    trace: Trace = field(default_factory=list)
    seen: set[tuple[str, str, tuple[str, ...]]] = field(default_factory=set)
    scanned_calls: set[tuple[str, str]] = field(default_factory=set)
    streams: dict[UUID, StreamBuffer] = field(default_factory=dict)
    runs: set[UUID] = field(default_factory=set)


def _message_key(message: Message) -> tuple[str, str, tuple[str, ...]]:
    """Identity of a message inside one trace: role, content hash and tool-call ids."""
    ids = tuple(str(c.get("id", "")) for c in message.tool_calls or ())
    return (message.role.value, content_hash(message.content), ids)


def _call_key(call_id: str, args: object) -> tuple[str, str]:
    return (call_id, content_hash(repr(sorted(args.items())) if isinstance(args, Mapping) else repr(args)))


@dataclass(frozen=True, slots=True)
class _Pending:
    """Messages to scan for one event: each with the trace before it."""

    messages: list[Message]
    traces: list[Trace]
    event: str


class _GuardCore:
    """Bookkeeping shared by the sync and async handlers: run trees, what to scan, what a verdict means."""

    def __init__(
        self,
        firewall: LlamaFirewall,
        *,
        stream_firewall: LlamaFirewall | None,
        stream_policy: StreamPolicy,
        raise_on_hitl: bool,
        max_trees: int,
    ) -> None:
        if max_trees < 1:
            raise ConfigurationError(f"max_trees must be at least 1, got {max_trees!r}")
        self.firewall = firewall
        self.stream_firewall = stream_firewall
        self.stream_policy = stream_policy
        self.raise_on_hitl = raise_on_hitl
        self.max_trees = max_trees
        self._lock = threading.Lock()
        self._root: dict[UUID, UUID] = {}  # run id -> root run id, for every open run we saw start
        self._trees: OrderedDict[UUID, _Tree] = OrderedDict()

    # run-tree bookkeeping -------------------------------------------------------------------------------------
    def start(self, run_id: UUID, parent_run_id: UUID | None) -> _Tree:
        with self._lock:
            # an unknown parent (the handler was attached below the root) keys the tree by that parent
            root = run_id if parent_run_id is None else self._root.get(parent_run_id, parent_run_id)
            self._root[run_id] = root
            tree = self._tree(root)
            tree.runs.add(run_id)
            return tree

    def tree_of(self, run_id: UUID, parent_run_id: UUID | None) -> _Tree:
        with self._lock:
            root = self._root.get(run_id)
            if root is None:
                root = self._root.get(parent_run_id, parent_run_id) if parent_run_id is not None else run_id
            return self._tree(root)

    def _tree(self, root: UUID) -> _Tree:
        tree = self._trees.get(root)
        if tree is None:
            tree = self._trees[root] = _Tree()
            while len(self._trees) > self.max_trees:  # bound memory for trees whose root we never see end
                _, evicted = self._trees.popitem(last=False)
                for run in evicted.runs:
                    self._root.pop(run, None)
        else:
            self._trees.move_to_end(root)
        return tree

    def end(self, run_id: UUID) -> None:
        """Forget a finished run; when it is the root of its tree, drop the whole tree."""
        with self._lock:
            root = self._root.pop(run_id, None)
            if root is None or root == run_id:
                tree = self._trees.pop(run_id, None)
                if tree is not None:
                    for run in tree.runs:
                        self._root.pop(run, None)
            else:
                tree = self._trees.get(root)
                if tree is not None:
                    tree.streams.pop(run_id, None)
                    tree.runs.discard(run_id)

    @property
    def open_trees(self) -> int:
        """How many run trees are held (0 once every run has ended)."""
        with self._lock:
            return len(self._trees)

    def trace_for(self, run_id: UUID) -> Trace:
        """A copy of the trace of the tree ``run_id`` belongs to (for inspection and tests)."""
        with self._lock:
            tree = self._trees.get(self._root.get(run_id, run_id))
            return list(tree.trace) if tree is not None else []

    # what to scan ---------------------------------------------------------------------------------------------
    def new_messages(self, tree: _Tree, messages: Sequence[Message | None], event: str) -> _Pending:
        """The messages not yet in the tree's trace; each is appended, and paired with the trace before it."""
        out: list[Message] = []
        traces: list[Trace] = []
        with self._lock:
            for message in messages:
                if message is None:
                    continue
                key = _message_key(message)
                if key in tree.seen:
                    continue
                tree.seen.add(key)
                traces.append(list(tree.trace))
                tree.trace.append(message)
                out.append(message)
                for call in message.tool_calls or ():
                    if call.get("id"):
                        tree.scanned_calls.add(_call_key(call["id"], call.get("args", {})))
        return _Pending(out, traces, event)

    def tool_call(self, tree: _Tree, name: str, args: object, tool_call_id: str | None) -> _Pending:
        message = tool_call_message(name, args, tool_call_id)
        if tool_call_id:
            call = message.tool_calls[0] if message.tool_calls else {}
            with self._lock:
                if _call_key(tool_call_id, call.get("args", {})) in tree.scanned_calls:
                    return _Pending([], [], "on_tool_start")  # scanned with the model output already
        return self.new_messages(tree, [message], "on_tool_start")

    def stream_window(self, tree: _Tree, run_id: UUID, token: object) -> str | None:
        if self.stream_firewall is None:
            return None
        text = token_text(token)
        if not text:
            return None
        with self._lock:
            buf = tree.streams.get(run_id)
            if buf is None:
                buf = tree.streams[run_id] = StreamBuffer(policy=self.stream_policy)
            return buf.feed(text, every=True)  # every token: a callback cannot hold text back

    def stream_tail(self, tree: _Tree, run_id: UUID) -> str | None:
        with self._lock:
            buf = tree.streams.pop(run_id, None)
        return buf.flush() if buf is not None and self.stream_firewall is not None else None

    # verdicts -----------------------------------------------------------------------------------------------
    @staticmethod
    def worst(results: Sequence[ScanResult]) -> ScanResult | None:
        worst: ScanResult | None = None
        for r in results:
            if worst is None or severity(r.decision) > severity(worst.decision):
                worst = r
        return worst

    def enforce(self, result: ScanResult | None, where: str, role: Role | str) -> None:
        """Raise for BLOCK (and for HITL unless ``raise_on_hitl`` is off)."""
        if result is None or result.decision is ScanDecision.ALLOW:
            return
        role_name = getattr(role, "value", role)
        if result.decision is ScanDecision.BLOCK:
            logger.info("blocked %s content at %s (%s)", role_name, where, result.scanner or "engine")
            raise GuardrailBlocked(result, f"lf-middleware blocked {role_name} content at {where}: {result.reason}")
        if self.raise_on_hitl:
            logger.info("human approval required for %s content at %s", role_name, where)
            raise HumanApprovalRequired(
                result,
                f"lf-middleware needs human approval for {role_name} content at {where}: {result.reason}. "
                "Callbacks cannot ask a person; use GuardMiddleware with create_agent or the LangGraph adapter "
                "to pause for approval",
            )


def _delta_text(event: object) -> str:
    """The text of a v3 ``content-block-delta`` event (``{"delta": {"type": "text-delta", "text": ...}}``)."""
    if not isinstance(event, Mapping) or event.get("event") != "content-block-delta":
        return ""
    delta = event.get("delta")
    if isinstance(delta, Mapping) and delta.get("type") == "text-delta" and isinstance(delta.get("text"), str):
        return delta["text"]
    return ""


def _chat_messages(messages: list[list[BaseMessage]]) -> list[Message | None]:
    return [to_lf_message(m) for batch in messages for m in batch]


def _llm_outputs(response: LLMResult) -> list[Message | None]:
    out: list[Message | None] = []
    for generations in response.generations:
        for gen in generations:
            message = getattr(gen, "message", None)
            out.append(to_lf_message(message) if message is not None else AssistantMessage(gen.text or ""))
    return out


def _role_of(pending: _Pending, results: Sequence[ScanResult], worst: ScanResult | None) -> Role:
    for message, result in zip(pending.messages, results, strict=True):
        if result is worst:
            return message.role
    return pending.messages[0].role if pending.messages else Role.USER


def _stream_engine(stream: bool, stream_scanners: Sequence[Any] | None,
                   stream_firewall: LlamaFirewall | None) -> LlamaFirewall | None:
    if not stream:
        return None
    if stream_firewall is not None:
        return stream_firewall
    return build_stream_firewall(stream_scanners)


class _HandlerOptions:
    """Constructor and introspection shared by both handlers (keyword-only options; see GuardCallbackHandler)."""

    _core: _GuardCore

    def __init__(
        self,
        firewall: LlamaFirewall | None = None,
        *,
        scanners: Mapping[Role | str, Sequence[Any]] | None = None,
        stream: bool = True,
        stream_scanners: Sequence[Any] | None = None,
        stream_firewall: LlamaFirewall | None = None,
        stream_policy: StreamPolicy | None = None,
        raise_on_hitl: bool = True,
        max_trees: int = 1024,
        run_inline: bool = True,
    ) -> None:
        engine = resolve_firewall(firewall, scanners, who="a guard handler", factory="guard_handler")
        warn_unscanned(engine, (Role.USER, Role.ASSISTANT, Role.TOOL), who=type(self).__name__)
        self._core = _GuardCore(
            engine,
            stream_firewall=_stream_engine(stream, stream_scanners, stream_firewall),
            stream_policy=stream_policy or StreamPolicy(),
            raise_on_hitl=raise_on_hitl,
            max_trees=max_trees,
        )
        self.run_inline = run_inline
        #: verdicts that could not be enforced (an async handler driven by a sync run); see SyncRunWarning
        self.violations: list[ScanResult] = []
        self._warned = False

    @property
    def firewall(self) -> LlamaFirewall:
        return self._core.firewall

    @property
    def open_trees(self) -> int:
        """Run trees currently held; 0 after every run has finished."""
        return self._core.open_trees

    def trace_for(self, run_id: UUID) -> Trace:
        """A copy of the trace kept for the run tree ``run_id`` belongs to."""
        return self._core.trace_for(run_id)


class GuardCallbackHandler(_HandlerOptions, BaseCallbackHandler):
    """Sync guard handler: scans model and tool traffic and raises on BLOCK / HITL.

    Args:
        firewall: the engine to scan with (or pass ``scanners``, a role → scanner-names mapping).
        stream: scan streamed output at boundaries with cheap scanners and stop the stream on BLOCK.
        stream_scanners: scanner names for streamed text (default ``regex`` + ``hidden_ascii``).
        stream_firewall: a ready engine for streamed text (instead of ``stream_scanners``).
        stream_policy: when to scan a stream (:class:`StreamPolicy`).
        raise_on_hitl: raise :class:`HumanApprovalRequired` on HITL (default); ``False`` lets HITL pass and
            only logs it.
        max_trees: most run trees kept at once (oldest evicted first).
        run_inline: under an async run, call this handler on the event loop instead of a worker thread
            (default True: cheap scanners finish faster inline; set False for slow sync scanners).
    """

    raise_error: bool = True

    # scanning ------------------------------------------------------------------------------------------------
    def _scan(self, pending: _Pending, started: UUID | None = None) -> None:
        """Scan and enforce. ``started``: the run whose start hook this is; LangChain sends no end/error
        event for a run whose start hook raised, so it is forgotten here."""
        if not pending.messages:
            return
        core = self._core
        try:
            if len(pending.messages) == 1:
                results = [core.firewall.scan(pending.messages[0], pending.traces[0])]
            else:
                results = core.firewall.scan_batch(pending.messages, pending.traces)
            worst = core.worst(results)
            core.enforce(worst, pending.event, _role_of(pending, results, worst))
        except BaseException:
            if started is not None:
                core.end(started)
            raise

    def _scan_stream(self, text: str | None, where: str) -> None:
        if text is None or self._core.stream_firewall is None:
            return
        result = self._core.stream_firewall.scan(AssistantMessage(text))
        if result.decision is ScanDecision.BLOCK:
            self._core.enforce(result, where, Role.ASSISTANT)

    # chain events: only bookkeeping --------------------------------------------------------------------------
    def on_chain_start(self, serialized: dict[str, Any] | None, inputs: Any, *, run_id: UUID,
                       parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._core.start(run_id, parent_run_id)

    def on_chain_end(self, outputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._core.end(run_id)

    def on_chain_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                       **kwargs: Any) -> None:
        self._core.end(run_id)

    # model events --------------------------------------------------------------------------------------------
    def on_chat_model_start(self, serialized: dict[str, Any] | None, messages: list[list[BaseMessage]], *,
                            run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        tree = self._core.start(run_id, parent_run_id)
        self._scan(self._core.new_messages(tree, _chat_messages(messages), "on_chat_model_start"),
                         run_id)

    def on_llm_start(self, serialized: dict[str, Any] | None, prompts: list[str], *, run_id: UUID,
                     parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        tree = self._core.start(run_id, parent_run_id)
        self._scan(self._core.new_messages(tree, [Message(Role.USER, p) for p in prompts], "on_llm_start"),
                         run_id)

    def on_llm_new_token(self, token: Any, *, chunk: Any = None, run_id: UUID, parent_run_id: UUID | None = None,
                         **kwargs: Any) -> None:
        tree = self._core.tree_of(run_id, parent_run_id)
        self._scan_stream(self._core.stream_window(tree, run_id, token), "on_llm_new_token")

    def on_stream_event(self, event: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                        **kwargs: Any) -> None:
        """``stream_events(version="v3")`` text deltas go through the same streaming guard as tokens."""
        text = _delta_text(event)
        if text:
            tree = self._core.tree_of(run_id, parent_run_id)
            self._scan_stream(self._core.stream_window(tree, run_id, text), "on_stream_event")

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, parent_run_id: UUID | None = None,
                   **kwargs: Any) -> None:
        core = self._core
        tree = core.tree_of(run_id, parent_run_id)
        try:
            self._scan_stream(core.stream_tail(tree, run_id), "on_llm_end")
            self._scan(core.new_messages(tree, _llm_outputs(response), "on_llm_end"))
        finally:
            core.end(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                     **kwargs: Any) -> None:
        self._core.end(run_id)

    # tool events ---------------------------------------------------------------------------------------------
    def on_tool_start(self, serialized: dict[str, Any] | None, input_str: str, *, run_id: UUID,
                      parent_run_id: UUID | None = None, inputs: dict[str, Any] | None = None,
                      **kwargs: Any) -> None:
        tree = self._core.start(run_id, parent_run_id)
        name = (serialized or {}).get("name") or kwargs.get("name") or "tool"
        self._scan(self._core.tool_call(tree, name, inputs if inputs is not None else input_str,
                                        kwargs.get("tool_call_id")), run_id)

    def on_tool_end(self, output: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        core = self._core
        tree = core.tree_of(run_id, parent_run_id)
        try:
            message = tool_output_message(output, name=kwargs.get("name"))
            self._scan(core.new_messages(tree, [message], "on_tool_end"))
        finally:
            core.end(run_id)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                      **kwargs: Any) -> None:
        self._core.end(run_id)


def _looked_up_by_sync_dispatch() -> bool:
    """True when the caller of ``__getattribute__`` is LangChain's sync ``handle_event``."""
    frame = sys._getframe(2)
    return frame.f_code.co_name == _SYNC_DISPATCH[0] and frame.f_globals.get("__name__") == _SYNC_DISPATCH[1]


def _driven_by_sync_run() -> bool:
    """True when this coroutine runs inside LangChain's sync ``handle_event`` fallback (``_run_coros``)."""
    frame: FrameType | None = sys._getframe(1)
    for _ in range(64):
        if frame is None:
            return False
        code = frame.f_code
        if code.co_name == _SYNC_DRIVER[0] and frame.f_globals.get("__name__") == _SYNC_DRIVER[1]:
            return True
        frame = frame.f_back
    return False


class AsyncGuardCallbackHandler(_HandlerOptions, AsyncCallbackHandler):
    """Async twin of :class:`GuardCallbackHandler`, for ``ainvoke`` / ``astream`` runs. Same options.

    It runs inline on the event loop (``run_inline = True``) so the guard finishes before the model or tool
    proceeds. Under a sync run it cannot abort (see the module docs): it warns once with
    :class:`SyncRunWarning` and appends each would-be violation to :attr:`violations`.
    """

    raise_error: bool = True
    run_inline: bool = True

    def __init__(self, firewall: LlamaFirewall | None = None, **options: Any) -> None:
        super().__init__(firewall, **options)
        with warnings.catch_warnings():  # the handler itself has just warned about its engine
            warnings.simplefilter("ignore")
            twin = GuardCallbackHandler(self._core.firewall, stream=False)
        twin._core = self._core  # one state: the trees and the stream buffers are shared
        twin.violations = self.violations
        self._sync_twin = twin

    def __getattribute__(self, name: str) -> Any:
        if name in _HOOKS and _looked_up_by_sync_dispatch():  # a sync run: use the twin, whose errors propagate
            self_ = object.__getattribute__(self, "_sync_twin")
            object.__getattribute__(self, "_warn_sync")()
            return getattr(self_, name)
        return object.__getattribute__(self, name)

    def _warn_sync(self) -> None:
        if not self._warned:
            self._warned = True
            text = ("AsyncGuardCallbackHandler is attached to a sync LangChain run (invoke/stream); it scans with "
                    "its sync twin there so that BLOCK still stops the run. Use GuardCallbackHandler for sync runs.")
            warnings.warn(text, SyncRunWarning, stacklevel=3)

    def _check_driver(self) -> bool:
        if not _driven_by_sync_run():
            return False
        if not self._warned:
            self._warned = True
            text = ("AsyncGuardCallbackHandler is attached to a sync LangChain run (invoke/stream): LangChain "
                    "swallows exceptions from async handlers there, so this guard can only record violations, "
                    "not stop the run. Use GuardCallbackHandler for sync runs, or call ainvoke/astream.")
            logger.warning(text)
            warnings.warn(text, SyncRunWarning, stacklevel=2)
        return True

    async def _scan(self, pending: _Pending, started: UUID | None = None) -> None:
        if not pending.messages:
            return
        core = self._core
        try:
            if len(pending.messages) == 1:
                results = [await core.firewall.scan_async(pending.messages[0], pending.traces[0])]
            else:
                results = await core.firewall.scan_batch_async(pending.messages, pending.traces)
            worst = core.worst(results)
            self._enforce(worst, pending.event, _role_of(pending, results, worst))
        except BaseException:
            if started is not None:
                core.end(started)
            raise

    def _enforce(self, result: ScanResult | None, where: str, role: Role) -> None:
        try:
            self._core.enforce(result, where, role)
        except (GuardrailBlocked, HumanApprovalRequired) as err:
            if self._check_driver():
                self.violations.append(err.result)
            raise

    async def _scan_stream(self, text: str | None, where: str) -> None:
        if text is None or self._core.stream_firewall is None:
            return
        result = await self._core.stream_firewall.scan_async(AssistantMessage(text))
        if result.decision is ScanDecision.BLOCK:
            self._enforce(result, where, Role.ASSISTANT)

    async def on_chain_start(self, serialized: dict[str, Any] | None, inputs: Any, *, run_id: UUID,
                             parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._check_driver()
        self._core.start(run_id, parent_run_id)

    async def on_chain_end(self, outputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                           **kwargs: Any) -> None:
        self._core.end(run_id)

    async def on_chain_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                             **kwargs: Any) -> None:
        self._core.end(run_id)

    async def on_chat_model_start(self, serialized: dict[str, Any] | None, messages: list[list[BaseMessage]], *,
                                  run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._check_driver()
        tree = self._core.start(run_id, parent_run_id)
        await self._scan(self._core.new_messages(tree, _chat_messages(messages), "on_chat_model_start"),
                         run_id)

    async def on_llm_start(self, serialized: dict[str, Any] | None, prompts: list[str], *, run_id: UUID,
                           parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self._check_driver()
        tree = self._core.start(run_id, parent_run_id)
        await self._scan(self._core.new_messages(tree, [Message(Role.USER, p) for p in prompts], "on_llm_start"),
                         run_id)

    async def on_llm_new_token(self, token: Any, *, chunk: Any = None, run_id: UUID,
                               parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        tree = self._core.tree_of(run_id, parent_run_id)
        await self._scan_stream(self._core.stream_window(tree, run_id, token), "on_llm_new_token")

    async def on_stream_event(self, event: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                              **kwargs: Any) -> None:
        text = _delta_text(event)
        if text:
            tree = self._core.tree_of(run_id, parent_run_id)
            await self._scan_stream(self._core.stream_window(tree, run_id, text), "on_stream_event")

    async def on_llm_end(self, response: LLMResult, *, run_id: UUID, parent_run_id: UUID | None = None,
                         **kwargs: Any) -> None:
        core = self._core
        tree = core.tree_of(run_id, parent_run_id)
        try:
            await self._scan_stream(core.stream_tail(tree, run_id), "on_llm_end")
            await self._scan(core.new_messages(tree, _llm_outputs(response), "on_llm_end"))
        finally:
            core.end(run_id)

    async def on_llm_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                           **kwargs: Any) -> None:
        self._core.end(run_id)

    async def on_tool_start(self, serialized: dict[str, Any] | None, input_str: str, *, run_id: UUID,
                            parent_run_id: UUID | None = None, inputs: dict[str, Any] | None = None,
                            **kwargs: Any) -> None:
        self._check_driver()
        tree = self._core.start(run_id, parent_run_id)
        name = (serialized or {}).get("name") or kwargs.get("name") or "tool"
        await self._scan(self._core.tool_call(tree, name, inputs if inputs is not None else input_str,
                                              kwargs.get("tool_call_id")), run_id)

    async def on_tool_end(self, output: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                          **kwargs: Any) -> None:
        core = self._core
        tree = core.tree_of(run_id, parent_run_id)
        try:
            message = tool_output_message(output, name=kwargs.get("name"))
            await self._scan(core.new_messages(tree, [message], "on_tool_end"))
        finally:
            core.end(run_id)

    async def on_tool_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                            **kwargs: Any) -> None:
        self._core.end(run_id)
