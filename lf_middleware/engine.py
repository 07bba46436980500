"""The engine: per-role scanner pipelines, run once-built scanners, apply the policy, aggregate.

``LlamaFirewall`` keeps LlamaFirewall's method names. Each method has a sync and an async twin sharing one
implementation of the pure steps (policy, aggregation); the sync twin runs cheap sync scanners inline and
hands anything async to a private loop thread (never ``asyncio.run`` on the caller's loop).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import policy as _policy
from ._async import run_sync
from .audit import AuditLog
from .config import EngineConfig, ScannerSpec, _format_errors, load_config, parse_config
from .errors import ConfigurationError
from .scanners.base import _canonical, create_scanner, get_scanner_class, scanner_name
from .types import Message, Role, ScanDecision, ScannerType, ScanResult, ScanStatus, Trace, _build_result

__all__ = ("DEFAULT_SCANNERS", "LlamaFirewall", "UseCase", "PREDEFINED_USE_CASES")

logger = logging.getLogger(__name__)


class UseCase(str, Enum):
    """Ready-made pipelines (LlamaFirewall's two, plus a browsing agent)."""

    CHAT_BOT = "chatbot"
    CODING_ASSISTANT = "coding_assistant"
    BROWSING_AGENT = "browsing_agent"


PREDEFINED_USE_CASES: dict[UseCase, dict[Role, list[str]]] = {
    UseCase.CHAT_BOT: {
        Role.USER: ["prompt_guard", "regex", "hidden_ascii"],
        Role.SYSTEM: ["prompt_guard"],
    },
    UseCase.CODING_ASSISTANT: {
        Role.USER: ["regex", "hidden_ascii"],
        Role.ASSISTANT: ["code_shield"],
        Role.TOOL: ["code_shield", "hidden_ascii"],
    },
    UseCase.BROWSING_AGENT: {
        Role.USER: ["prompt_guard", "regex", "hidden_ascii"],
        Role.ASSISTANT: ["tool_policy", "regex"],
        Role.TOOL: ["prompt_guard", "regex", "hidden_ascii"],
    },
}


DEFAULT_SCANNERS: dict[Role, list[str]] = {
    Role.USER: ["prompt_guard"],
    Role.ASSISTANT: ["code_shield"],
    Role.TOOL: ["code_shield", "prompt_guard"],
}
"""What ``LlamaFirewall()`` scans when given neither ``scanners`` nor ``config``: LlamaFirewall 1.0.3's default
pipelines (user input through PromptGuard, model output through CodeShield, tool output through both). System
and memory messages are not scanned (status SKIPPED)."""


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str
    scanner: Any
    policy: _policy.ScannerPolicy
    sync: bool


def _as_message(message: object) -> Message:
    if isinstance(message, Message):
        return message
    # LlamaFirewall's Message (or any object with role/content) ports as-is
    role = getattr(message, "role", None)
    content = getattr(message, "content", None)
    if role is not None and content is not None:
        return Message(role=Role.coerce(getattr(role, "value", role)), content=content,
                       tool_calls=getattr(message, "tool_calls", None))
    raise TypeError(
        f"expected an lf_middleware Message (UserMessage, ToolMessage, ...), got {type(message).__name__}; "
        "wrap text as UserMessage(text)"
    )


def _as_messages(messages: object) -> list[Message]:
    if isinstance(messages, (str, bytes, bytearray, Mapping, Message)) or not isinstance(messages, Sequence):
        raise TypeError(f"scan_batch needs a list of Messages, got {type(messages).__name__}; "
                        "for one message use scan()")
    return [_as_message(m) for m in messages]


def _as_trace(trace: object) -> Trace | None:
    """``None`` or a list of messages. A str, a dict or a lone Message in the trace position is a calling mistake
    (arguments swapped, a message not wrapped in a list) and is refused here. The items are the business of the
    trace-aware scanners, which accept Messages, ``{"role", "content"}`` dicts and LlamaFirewall-shaped objects
    and report anything else as status ERROR."""
    if trace is None or type(trace) is list:
        return trace  # type: ignore[return-value]
    if isinstance(trace, (str, bytes, bytearray, Mapping, Message)) or not isinstance(trace, Sequence):
        raise TypeError(
            f"trace must be a list of Messages (the conversation before the scanned message) or None, "
            f"got {type(trace).__name__}"
        )
    return list(trace)


def _coerce_result(obj: object, name: str) -> ScanResult:
    """Accept our ScanResult or a LlamaFirewall-shaped one (decision/reason/score/status).

    Fields are checked, because the policy trusts them: a status given as the plain string "error" would not be
    ``ScanStatus.ERROR`` (its on_error would never apply), and a NaN score passes no threshold (silent ALLOW).
    Anything invalid raises, and the caller turns that into status ERROR.
    """
    if isinstance(obj, ScanResult):
        if (type(obj.decision) is ScanDecision and type(obj.status) is ScanStatus and type(obj.score) is float
                and math.isfinite(obj.score)):
            return obj if obj.scanner else replace(obj, scanner=name)
        decision, status, score = _checked_fields(obj, name, obj.decision, obj.status, obj.score)
        return replace(obj, decision=decision, status=status, score=score, scanner=obj.scanner or name)
    if not all(hasattr(obj, f) for f in ("decision", "score")):
        raise TypeError(f"scanner {name!r} returned {type(obj).__name__}, not a ScanResult")
    decision, status, score = _checked_fields(obj, name, obj.decision, getattr(obj, "status", ScanStatus.SUCCESS),  # type: ignore[attr-defined]
                                              obj.score)  # type: ignore[attr-defined]
    return ScanResult(decision=decision, reason=str(getattr(obj, "reason", "")), score=score, status=status,
                      scanner=name)


def _checked_fields(obj: object, name: str, decision: object, status: object,
                    score: object) -> tuple[ScanDecision, ScanStatus, float]:
    try:
        d = ScanDecision(getattr(decision, "value", decision))
        s = ScanStatus(getattr(status, "value", status))
        if isinstance(score, bool):
            raise TypeError("score is a bool")
        f = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"scanner {name!r} returned a {type(obj).__name__} with invalid fields (decision={decision!r}, "
            f"status={status!r}, score={score!r}): {err}"
        ) from None
    if not math.isfinite(f):
        raise ValueError(f"scanner {name!r} returned a non-finite score ({f!r}); scores are numbers in [0, 1]")
    return d, s, f


def _scanner_type(name: str) -> ScannerType | str:
    try:
        return ScannerType(name)
    except ValueError:
        return name


_isfinite = math.isfinite
_clock = time.perf_counter


def _with_latency(r: ScanResult, latency_ms: float) -> ScanResult:
    """``dataclasses.replace(r, latency_ms=...)`` without its per-call field introspection (hot path)."""
    return _build_result(r.decision, r.reason, r.score, r.status, r.scanner, latency_ms, r.results, r.details)


def _error_result(name: str, err: BaseException) -> ScanResult:
    return ScanResult(
        decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED,
        status=ScanStatus.ERROR,
        scanner=name,
        reason=f"scanner failed: {type(err).__name__}: {str(err)[:200]}",
    )


class LlamaFirewall:
    """Scan messages with per-role scanner pipelines.

    ``scanners`` maps a role to scanner names (``ScannerType`` or registered names), scanner instances, or
    :class:`ScannerSpec`/dicts with options and thresholds. Alternatively pass ``config`` (an
    :class:`EngineConfig`, a mapping, or a path to a YAML/TOML/JSON file). With neither, the engine runs
    :data:`DEFAULT_SCANNERS` (LlamaFirewall's defaults), never nothing. Scanners are built here, once.
    """

    def __init__(
        self,
        scanners: Mapping[Role | str, Sequence[Any]] | None = None,
        *,
        config: EngineConfig | Mapping[str, Any] | str | Path | None = None,
        preset: str | None = None,
        audit_log: AuditLog | str | Path | None = None,
    ) -> None:
        if config is not None and scanners is not None:
            raise ConfigurationError("pass either 'scanners' or 'config', not both")
        if isinstance(config, (str, Path)):
            cfg = load_config(config)
        elif config is not None:
            cfg = parse_config(config)
        else:
            cfg = EngineConfig()
        if preset is not None:
            if preset not in _policy.PRESETS:
                raise ConfigurationError(f"unknown preset {preset!r}; expected one of {', '.join(_policy.PRESETS)}")
            cfg = cfg.model_copy(update={"preset": preset})
        self.config = cfg
        self._instances: dict[str, Any] = {}
        self._pipelines: dict[Role, tuple[_Slot, ...]] = {}
        if scanners is None and config is None:
            scanners = DEFAULT_SCANNERS
        if scanners is not None:
            if not isinstance(scanners, Mapping):
                raise ConfigurationError(
                    f"'scanners' must map roles to lists of scanners, got {type(scanners).__name__}"
                )
            for role_key, items in scanners.items():
                try:
                    role = Role.coerce(getattr(role_key, "value", role_key))
                except ValueError as err:
                    raise ConfigurationError(f"'scanners': {err}") from None
                if isinstance(items, (str, ScannerType)) or not isinstance(items, Sequence):
                    items = [items]
                self._pipelines[role] = tuple(self._slot(item, role) for item in items)
        else:
            for role, specs in cfg.scanners.items():
                self._pipelines[role] = tuple(self._slot(spec, role) for spec in specs)
        # roles whose every scanner is sync: scan() runs them inline, no event loop at all
        self._sync_roles: dict[Role, bool] = {r: all(s.sync for s in slots) for r, slots in self._pipelines.items()}
        if audit_log is None and cfg.audit_log is not None:
            audit_log = AuditLog(cfg.audit_log.path, include_content=cfg.audit_log.include_content)
        elif isinstance(audit_log, (str, Path)):
            audit_log = AuditLog(audit_log)
        elif audit_log is not None and not callable(getattr(audit_log, "record_scan", None)):
            raise ConfigurationError(
                f"audit_log must be a file path or an AuditLog, got {type(audit_log).__name__}"
            )
        self.audit_log: AuditLog | None = audit_log

    # construction --------------------------------------------------------------------------------------------
    @classmethod
    def from_config(cls, config: EngineConfig | Mapping[str, Any] | str | Path, **kwargs: Any) -> LlamaFirewall:
        return cls(config=config, **kwargs)

    @classmethod
    def from_usecase(cls, usecase: UseCase | str, **kwargs: Any) -> LlamaFirewall:
        try:
            uc = UseCase(getattr(usecase, "value", usecase))
        except ValueError:
            raise ConfigurationError(
                f"unknown use case {usecase!r}; expected one of {', '.join(u.value for u in UseCase)}"
            ) from None
        return cls(scanners=PREDEFINED_USE_CASES[uc], **kwargs)

    def _slot(self, item: Any, role: Role) -> _Slot:
        if isinstance(item, Mapping):
            try:
                item = ScannerSpec.model_validate(dict(item))
            except ValidationError as err:
                raise ConfigurationError(_format_errors(err, f"the scanner spec for role '{role.value}'")) from None
        overrides: dict[str, Any] = {}
        if isinstance(item, ScannerSpec):
            name, options = item.name, item.options
            overrides = item.threshold_overrides()
        elif isinstance(item, (str, ScannerType)):
            name, options = _canonical(item), {}
        elif hasattr(item, "scan"):
            name = scanner_name(item)
            scanner = item
            policy = self._policy_for(type(item), role, {})
            return _Slot(name, scanner, policy, bool(getattr(scanner, "supports_sync", False)))
        else:
            raise ConfigurationError(
                f"role '{role.value}': cannot use {item!r} as a scanner; give a ScannerType, a registered name, "
                "a scanner instance or a {name, options, thresholds} mapping"
            )
        merged = {**self.config.scanner_options.get(name, {}), **options}
        key = name + ":" + json.dumps(merged, sort_keys=True, default=repr)
        scanner = self._instances.get(key)
        if scanner is None:
            scanner = create_scanner(name, **merged)
            self._instances[key] = scanner
        policy = self._policy_for(get_scanner_class(name), role, overrides)
        return _Slot(name, scanner, policy, bool(getattr(scanner, "supports_sync", False)))

    def _policy_for(self, cls: type, role: Role, overrides: Mapping[str, Any]) -> _policy.ScannerPolicy:
        base = _policy.default_policy(cls, preset=self.config.preset, role=role)
        if not overrides:
            return base
        try:
            return replace(base, **{k: v for k, v in overrides.items() if k != "on_error" or v is not None})
        except ValueError as err:
            raise ConfigurationError(f"role '{role.value}', scanner {cls.__name__}: {err}") from None

    # introspection ---------------------------------------------------------------------------------------------
    @property
    def pipelines(self) -> dict[Role, list[str]]:
        """Scanner names per role, as configured."""
        return {role: [s.name for s in slots] for role, slots in self._pipelines.items()}

    @property
    def scanners(self) -> dict[Role, list[ScannerType | str]]:
        """Scanners per role, as LlamaFirewall reports them: a ``ScannerType`` for each built-in, else the
        name. Roles without scanners are left out."""
        return {role: [_scanner_type(s.name) for s in slots] for role, slots in self._pipelines.items() if slots}

    def scanners_for(self, role: Role | str) -> list[Any]:
        return [s.scanner for s in self._pipelines.get(Role.coerce(role), ())]

    def get_scanner(self, name: ScannerType | str) -> Any:
        """The (shared) instance of a configured scanner, by name."""
        key = _canonical(name)
        for slots in self._pipelines.values():
            for slot in slots:
                if slot.name == key:
                    return slot.scanner
        raise KeyError(f"scanner {key!r} is not configured in this engine")

    def close(self) -> None:
        seen: set[int] = set()
        for slots in self._pipelines.values():
            for slot in slots:
                if id(slot.scanner) not in seen and hasattr(slot.scanner, "close"):
                    seen.add(id(slot.scanner))
                    slot.scanner.close()
        if self.audit_log is not None:
            self.audit_log.close()

    # the pure tail shared by every path --------------------------------------------------------------------
    def _finish(self, message: Message, role: Role, results: list[ScanResult], t0: float) -> ScanResult:
        result = _policy.aggregate(results, latency_ms=(time.perf_counter() - t0) * 1000.0)
        if self.audit_log is not None:
            self.audit_log.record_scan(message, result)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("scanned %s message (%d chars): %s in %.3f ms", role.value, len(message.content),
                         result.decision.value, result.latency_ms)
        return result

    def _empty(self, message: Message) -> ScanResult:
        result = _policy.empty_result(message.role)
        if self.audit_log is not None:
            self.audit_log.record_scan(message, result)
        return result

    @staticmethod
    def _call_sync(slot: _Slot, message: Message, trace: Trace | None) -> ScanResult:
        try:
            raw = slot.scanner.scan_sync(message, trace)
            if (type(raw) is not ScanResult or not raw.scanner or type(raw.decision) is not ScanDecision
                    or type(raw.status) is not ScanStatus or type(raw.score) is not float or not _isfinite(raw.score)):
                raw = _coerce_result(raw, slot.name)  # checks every field the policy relies on
        except Exception as err:  # a failing scanner becomes ERROR + on_error, never ALLOW
            logger.warning("scanner %s failed: %s", slot.name, type(err).__name__)
            raw = _error_result(slot.name, err)
        return raw

    @classmethod
    def _run_slot_sync(cls, slot: _Slot, message: Message, trace: Trace | None) -> ScanResult:
        t = time.perf_counter()
        raw = cls._call_sync(slot, message, trace)
        return slot.policy.apply(_with_latency(raw, (time.perf_counter() - t) * 1000.0))

    @staticmethod
    async def _run_slot(slot: _Slot, message: Message, trace: Trace | None) -> ScanResult:
        t = time.perf_counter()
        try:
            raw = _coerce_result(await slot.scanner.scan(message, trace), slot.name)
        except asyncio.CancelledError:
            raise
        except Exception as err:
            logger.warning("scanner %s failed: %s", slot.name, type(err).__name__)
            raw = _error_result(slot.name, err)
        return slot.policy.apply(_with_latency(raw, (time.perf_counter() - t) * 1000.0))

    # scan ---------------------------------------------------------------------------------------------------
    async def scan_async(self, message: Message, trace: Trace | None = None) -> ScanResult:
        message = _as_message(message)
        trace = _as_trace(trace)
        slots = self._pipelines.get(message.role)
        if not slots:
            return self._empty(message)
        t0 = time.perf_counter()
        if len(slots) == 1:
            results = [await self._run_slot(slots[0], message, trace)]
        else:
            results = list(await asyncio.gather(*(self._run_slot(s, message, trace) for s in slots)))
        return self._finish(message, message.role, results, t0)

    def scan(self, message: Message, trace: Trace | None = None) -> ScanResult:
        """Scan one message. Works with or without a running event loop in this thread."""
        if not isinstance(message, Message):
            message = _as_message(message)
        if trace is not None and type(trace) is not list:
            trace = _as_trace(trace)
        role = message.role
        slots = self._pipelines.get(role)
        if not slots:
            return self._empty(message)
        if self._sync_roles[role]:
            if len(slots) == 1:
                return self._scan_one_sync(slots[0], message, trace)
            t0 = time.perf_counter()
            return self._finish(message, role, [self._run_slot_sync(s, message, trace) for s in slots], t0)
        return run_sync(self.scan_async(message, trace))

    def _scan_one_sync(self, slot: _Slot, message: Message, trace: Trace | None) -> ScanResult:
        """The hot path: one sync scanner. Same steps as ``_run_slot_sync`` + ``_finish``, fewer calls; the
        aggregate's latency is the scanner's (the policy step costs well under a microsecond)."""
        t0 = _clock()
        raw = self._call_sync(slot, message, trace)
        ms = (_clock() - t0) * 1000.0
        policy = slot.policy
        if not (raw.status is ScanStatus.SUCCESS and policy.hitl_threshold is None and policy.block_threshold is None):
            raw = policy.apply(raw)  # thresholds or a non-success status to apply; else the asserted decision stands
        # _with_latency, inlined: this path builds two results a scan, and each call layer shows
        timed = _build_result(raw.decision, raw.reason, raw.score, raw.status, raw.scanner, ms, raw.results, raw.details)
        result = _policy.aggregate_one(timed, ms)
        if self.audit_log is not None:
            self.audit_log.record_scan(message, result)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("scanned %s message (%d chars): %s in %.3f ms", message.role.value, len(message.content),
                         result.decision.value, ms)
        return result

    # batch --------------------------------------------------------------------------------------------------
    async def scan_batch_async(
        self, messages: Sequence[Message], traces: Sequence[Trace | None] | None = None
    ) -> list[ScanResult]:
        """Scan many messages; each scanner gets all its messages in one ``scan_batch`` call."""
        msgs = _as_messages(messages)
        trs = self._check_traces(msgs, traces)
        t0 = time.perf_counter()
        # group (message index, slot) by scanner instance, across roles
        groups: dict[int, list[tuple[int, _Slot]]] = {}
        for i, m in enumerate(msgs):
            for slot in self._pipelines.get(m.role, ()):
                groups.setdefault(id(slot.scanner), []).append((i, slot))

        async def _one_group(items: list[tuple[int, _Slot]]) -> list[tuple[int, ScanResult]]:
            scanner = items[0][1].scanner
            name = items[0][1].name
            t = time.perf_counter()
            try:
                raws = await scanner.scan_batch([msgs[i] for i, _ in items], [trs[i] for i, _ in items])
                if len(raws) != len(items):
                    raise RuntimeError(f"scan_batch returned {len(raws)} results for {len(items)} messages")
                raws = [_coerce_result(r, name) for r in raws]
            except asyncio.CancelledError:
                raise
            except Exception as err:  # isolate: fall back to one-by-one so one bad message taints nothing else
                logger.warning("scanner %s batch failed (%s); scanning one by one", name, type(err).__name__)
                return [(i, await self._run_slot(slot, msgs[i], trs[i])) for i, slot in items]
            per = (time.perf_counter() - t) * 1000.0 / max(1, len(items))
            return [(i, slot.policy.apply(replace(r, latency_ms=per))) for (i, slot), r in zip(items, raws, strict=True)]

        per_message: list[list[ScanResult]] = [[] for _ in msgs]
        for chunk in await asyncio.gather(*(_one_group(items) for items in groups.values())):
            for i, r in chunk:
                per_message[i].append(r)
        out = []
        for i, m in enumerate(msgs):
            if not per_message[i]:
                out.append(self._empty(m))
            else:
                order = {s.name: k for k, s in enumerate(self._pipelines[m.role])}
                per_message[i].sort(key=lambda r: order.get(r.scanner, 0))
                out.append(self._finish(m, m.role, per_message[i], t0))
        return out

    def scan_batch(self, messages: Sequence[Message], traces: Sequence[Trace | None] | None = None) -> list[ScanResult]:
        msgs = _as_messages(messages)
        if all(s.sync for m in msgs for s in self._pipelines.get(m.role, ())):
            trs = self._check_traces(msgs, traces)
            return [self.scan(m, t) for m, t in zip(msgs, trs, strict=True)]
        return run_sync(self.scan_batch_async(msgs, traces))

    @staticmethod
    def _check_traces(msgs: list[Message], traces: Sequence[Trace | None] | None) -> list[Trace | None]:
        if traces is None:
            return [None] * len(msgs)
        if isinstance(traces, (str, bytes, Mapping)) or not isinstance(traces, Sequence):
            raise TypeError(f"traces must be a list with one trace (or None) per message, got {type(traces).__name__}")
        if len(traces) != len(msgs):
            raise ValueError(f"got {len(traces)} traces for {len(msgs)} messages; pass one trace (or None) per message")
        return [_as_trace(t) for t in traces]

    # replay ----------------------------------------------------------------------------------------------
    # One loop for both twins: a generator that yields (message, past trace) and is sent each result; it stops
    # at the first non-ALLOW result. ``scan`` / ``scan_async`` are looked up on the instance, so a subclass (the
    # LlamaFirewall-compatible facade) replays with its own semantics.
    def _replay_steps(self, trace: Trace) -> Any:
        if isinstance(trace, (str, bytes, bytearray, Mapping, Message)) or not isinstance(trace, Sequence):
            raise TypeError(f"scan_replay needs a list of Messages, got {type(trace).__name__}")
        result: ScanResult = self._empty_trace()
        for i, message in enumerate(trace):
            result = yield message, list(trace[:i])
            if result.decision is not ScanDecision.ALLOW:
                break
        return result

    def _empty_trace(self) -> ScanResult:
        return ScanResult(status=ScanStatus.SKIPPED, reason="the trace is empty; nothing was checked")

    async def scan_replay_async(self, trace: Trace) -> ScanResult:
        """Scan each message of ``trace`` with the messages before it; return the first non-ALLOW result, or
        the last result when everything is allowed (an empty trace: ALLOW, status SKIPPED)."""
        steps = self._replay_steps(trace)
        try:
            step = next(steps)
            while True:
                step = steps.send(await self.scan_async(*step))
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    def scan_replay(self, trace: Trace) -> ScanResult:
        """Sync twin of :meth:`scan_replay_async`."""
        steps = self._replay_steps(trace)
        try:
            step = next(steps)
            while True:
                step = steps.send(self.scan(*step))
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]

    scan_replies = scan_replay
    scan_replies_async = scan_replay_async

    def scan_replay_build_trace(self, message: Message, stored_trace: Trace | None = None) -> tuple[ScanResult, Trace]:
        """Scan ``message`` against the trace so far. Returns (result, trace): the trace gains the message only
        when the result is ALLOW; a blocked or held message never becomes history (LlamaFirewall's rule)."""
        trace = list(stored_trace or [])
        return self._grow(self.scan(message, trace), message, trace)

    async def scan_replay_build_trace_async(
        self, message: Message, stored_trace: Trace | None = None
    ) -> tuple[ScanResult, Trace]:
        """Async twin of :meth:`scan_replay_build_trace`."""
        trace = list(stored_trace or [])
        return self._grow(await self.scan_async(message, trace), message, trace)

    @staticmethod
    def _grow(result: ScanResult, message: Message, trace: Trace) -> tuple[ScanResult, Trace]:
        if result.decision is ScanDecision.ALLOW:
            return result, [*trace, message]
        return result, trace

    def __repr__(self) -> str:
        roles = ", ".join(f"{r.value}: {[s.name for s in slots]}" for r, slots in self._pipelines.items())
        return f"LlamaFirewall({{{roles}}}, preset={self.config.preset!r})"

