"""The engine: per-role scanner pipelines, run once-built scanners, apply the policy, aggregate.

``LlamaFirewall`` keeps LlamaFirewall's method names. Each method has a sync and an async twin sharing one
implementation of the pure steps (policy, aggregation); the sync twin runs cheap sync scanners inline and
hands anything async to a private loop thread (never ``asyncio.run`` on the caller's loop).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from . import policy as _policy
from ._async import run_sync
from ._text import excerpt
from .audit import AuditLog
from .config import EngineConfig, ScannerSpec, load_config, parse_config
from .errors import ConfigurationError
from .scanners.base import _canonical, create_scanner, get_scanner_class, scanner_name
from .types import Message, Role, ScanDecision, ScanResult, ScanStatus, ScannerType, Trace

__all__ = ("LlamaFirewall", "UseCase", "PREDEFINED_USE_CASES")

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


def _coerce_result(obj: object, name: str) -> ScanResult:
    """Accept our ScanResult or a LlamaFirewall-shaped one (decision/reason/score/status)."""
    if isinstance(obj, ScanResult):
        return obj if obj.scanner else replace(obj, scanner=name)
    try:
        decision = ScanDecision(getattr(obj.decision, "value", obj.decision))  # type: ignore[attr-defined]
        status = ScanStatus(getattr(getattr(obj, "status", "success"), "value", getattr(obj, "status", "success")))
        return ScanResult(decision=decision, reason=str(getattr(obj, "reason", "")),
                          score=float(getattr(obj, "score", 0.0)), status=status, scanner=name)
    except Exception as err:
        raise TypeError(f"scanner {name!r} returned {type(obj).__name__}, not a ScanResult") from err


_new = object.__new__
_set = object.__setattr__


def _with_latency(r: ScanResult, latency_ms: float) -> ScanResult:
    """``dataclasses.replace(r, latency_ms=...)`` without its per-call field introspection (hot path)."""
    new = _new(ScanResult)
    _set(new, "decision", r.decision)
    _set(new, "reason", r.reason)
    _set(new, "score", r.score)
    _set(new, "status", r.status)
    _set(new, "scanner", r.scanner)
    _set(new, "latency_ms", latency_ms)
    _set(new, "results", r.results)
    _set(new, "details", r.details)
    return new


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
    :class:`EngineConfig`, a mapping, or a path to a YAML/TOML/JSON file).
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
        if scanners is not None:
            if not isinstance(scanners, Mapping):
                raise ConfigurationError(
                    f"'scanners' must map roles to lists of scanners, got {type(scanners).__name__}"
                )
            for role, items in scanners.items():
                if isinstance(items, (str, ScannerType)) or not isinstance(items, Sequence):
                    items = [items]
                self._pipelines[Role.coerce(getattr(role, "value", role))] = tuple(
                    self._slot(item, Role.coerce(getattr(role, "value", role))) for item in items
                )
        else:
            for role, specs in cfg.scanners.items():
                self._pipelines[role] = tuple(self._slot(spec, role) for spec in specs)
        # roles whose every scanner is sync: scan() runs them inline, no event loop at all
        self._sync_roles: dict[Role, bool] = {r: all(s.sync for s in slots) for r, slots in self._pipelines.items()}
        if audit_log is None and cfg.audit_log is not None:
            audit_log = AuditLog(cfg.audit_log.path, include_content=cfg.audit_log.include_content)
        elif isinstance(audit_log, (str, Path)):
            audit_log = AuditLog(audit_log)
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
            except Exception as err:
                raise ConfigurationError(f"scanner spec for role '{role.value}': {err}") from None
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
            if type(raw) is not ScanResult or not raw.scanner:
                raw = _coerce_result(raw, slot.name)
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
        t0 = time.perf_counter()
        raw = self._call_sync(slot, message, trace)
        ms = (time.perf_counter() - t0) * 1000.0
        policy = slot.policy
        if not (raw.status is ScanStatus.SUCCESS and policy.hitl_threshold is None and policy.block_threshold is None):
            raw = policy.apply(raw)  # thresholds or a non-success status to apply; else the asserted decision stands
        result = _policy.aggregate_one(_with_latency(raw, ms), ms)
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
        msgs = [_as_message(m) for m in messages]
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
            return [(i, slot.policy.apply(replace(r, latency_ms=per))) for (i, slot), r in zip(items, raws)]

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
        msgs = [_as_message(m) for m in messages]
        if all(s.sync for m in msgs for s in self._pipelines.get(m.role, ())):
            trs = self._check_traces(msgs, traces)
            return [self.scan(m, t) for m, t in zip(msgs, trs)]
        return run_sync(self.scan_batch_async(msgs, traces))

    @staticmethod
    def _check_traces(msgs: list[Message], traces: Sequence[Trace | None] | None) -> list[Trace | None]:
        if traces is None:
            return [None] * len(msgs)
        if len(traces) != len(msgs):
            raise ValueError(f"got {len(traces)} traces for {len(msgs)} messages; pass one trace (or None) per message")
        return list(traces)

    # replay -------------------------------------------------------------------------------------------------
    async def scan_replay_async(self, trace: Trace) -> ScanResult:
        """Scan each message of ``trace`` with the messages before it; return the first non-ALLOW result, or
        the last result when everything is allowed."""
        if not trace:
            raise ValueError("scan_replay needs a non-empty trace")
        result: ScanResult | None = None
        for i, message in enumerate(trace):
            result = await self.scan_async(message, list(trace[:i]))
            if result.decision is not ScanDecision.ALLOW:
                return result
        assert result is not None
        return result

    def scan_replay(self, trace: Trace) -> ScanResult:
        if not trace:
            raise ValueError("scan_replay needs a non-empty trace")
        result: ScanResult | None = None
        for i, message in enumerate(trace):
            result = self.scan(message, list(trace[:i]))
            if result.decision is not ScanDecision.ALLOW:
                return result
        assert result is not None
        return result

    scan_replies = scan_replay
    scan_replies_async = scan_replay_async

    def scan_replay_build_trace(self, message: Message, stored_trace: Trace | None = None) -> tuple[ScanResult, Trace]:
        """Scan ``message`` against the trace so far and return (result, trace with the message appended)."""
        trace = list(stored_trace or [])
        result = self.scan(message, trace)
        return result, [*trace, _as_message(message)]

    async def scan_replay_build_trace_async(
        self, message: Message, stored_trace: Trace | None = None
    ) -> tuple[ScanResult, Trace]:
        trace = list(stored_trace or [])
        result = await self.scan_async(message, trace)
        return result, [*trace, _as_message(message)]

    def __repr__(self) -> str:
        roles = ", ".join(f"{r.value}: {[s.name for s in slots]}" for r, slots in self._pipelines.items())
        return f"LlamaFirewall({{{roles}}}, preset={self.config.preset!r})"


def describe_text(text: str) -> str:
    """Length and a short excerpt, for error messages about content."""
    return f"{len(text)} chars, starting {excerpt(text, limit=24)}"
