"""LlamaFirewall's ``LlamaFirewall`` on our engine, with LlamaFirewall's semantics where they differ from ours.

What this facade keeps from LlamaFirewall 1.0.3, and why each differs from ``lf_middleware.LlamaFirewall``:

* The constructor only stores the configuration; a role's scanners are built the first time a message of that
  role is scanned (then reused), so a missing ``TOGETHER_API_KEY`` surfaces at scan time.
* A role with no scanners gives ALLOW / SUCCESS / ``"default"``. The result's ``details["unscanned"]`` says
  nothing was checked, and a warning is logged once per role. (Ours: status SKIPPED.)
* ``scan`` joins several scanners' reasons as ``"ScannerType.X: reason - score: s"``; ``scan_async`` returns the
  verdict of one scanner, or ALLOW ``"default"``.
* ``ScannerType`` members map to the LlamaFirewall-shaped scanners of ``.scanners`` (the ``llamafirewall_default``
  regex pack, CodeShield blocking every issue, ...); registered names and scanner instances are used as given.

What stays ours: every scanner runs through our engine, so a scanner exception or status ERROR becomes the
policy's ``on_error`` decision (HUMAN_IN_THE_LOOP_REQUIRED by default), never an ALLOW; scanners of a message
run concurrently and are built once; sync methods work inside a running event loop.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ...audit import AuditLog
from ...engine import DEFAULT_SCANNERS
from ...engine import LlamaFirewall as _Engine
from ...errors import ConfigurationError
from ...scanners import base as _base
from ...types import Message, Role, ScanDecision, ScannerType, ScanResult, ScanStatus, Trace
from .config import PREDEFINED_USE_CASES, Configuration, UseCase

__all__ = ("LlamaFirewall", "create_scanner", "register_llamafirewall_scanner")

LOG = logging.getLogger(__name__)

_S = TypeVar("_S", bound=type)

#: LlamaFirewall's scanner for each ScannerType (module under ``.scanners``, class)
_BUILTIN: dict[ScannerType, tuple[str, str]] = {
    ScannerType.CODE_SHIELD: ("code_shield_scanner", "CodeShieldScanner"),
    ScannerType.HIDDEN_ASCII: ("hidden_ascii_scanner", "HiddenASCIIScanner"),
    ScannerType.PROMPT_GUARD: ("prompt_guard_scanner", "PromptGuardScanner"),
    ScannerType.AGENT_ALIGNMENT: ("experimental.alignmentcheck_scanner", "AlignmentCheckScanner"),
    ScannerType.PII_DETECTION: ("experimental.piicheck_scanner", "PIICheckScanner"),
    ScannerType.REGEX: ("regex_scanner", "RegexScanner"),
}
#: names this module registered: LlamaFirewall lets a name be registered again (a re-run notebook cell)
_REGISTERED: set[str] = set()
_UNSCANNED = "no scanners are configured for role '{}'; nothing was checked"


def register_llamafirewall_scanner(scanner_name: str) -> Callable[[_S], _S]:
    """Class decorator: register a LlamaFirewall-style scanner under ``scanner_name`` (in our one registry, so
    ``lf_middleware.LlamaFirewall`` can use it too). Built-in names cannot be taken."""

    def decorator(scanner_class: _S) -> _S:
        if not (isinstance(scanner_class, type) and issubclass(scanner_class, _base.Scanner)):
            raise ConfigurationError(
                f"[LlamaFirewall] registered class must be a subclass of Scanner, got {scanner_class!r}"
            )
        _base.register_scanner(scanner_name, scanner_class, replace=scanner_name in _REGISTERED)
        _REGISTERED.add(scanner_name)
        return scanner_class

    return decorator


def create_scanner(scanner_type: ScannerType | str | _base.Scanner) -> Any:
    """Build the scanner LlamaFirewall builds for ``scanner_type`` (a scanner instance is used as it is)."""
    if isinstance(scanner_type, _base.Scanner) or (
        hasattr(scanner_type, "scan") and not isinstance(scanner_type, (str, type))
    ):
        return scanner_type
    try:
        member: ScannerType | None = ScannerType(getattr(scanner_type, "value", scanner_type))
    except ValueError:
        member = None
    if member in _BUILTIN:
        module, cls = _BUILTIN[member]  # type: ignore[index]
        return getattr(importlib.import_module(f"{__package__}.scanners.{module}"), cls)()
    if isinstance(scanner_type, str):
        return _base.create_scanner(scanner_type)  # registered scanners (ConfigurationError names the known ones)
    raise ConfigurationError(
        f"[LlamaFirewall] unknown scanner type {scanner_type!r}; use a ScannerType or a name registered with "
        "register_llamafirewall_scanner"
    )


def _coerce_role(value: object) -> Role | None:
    try:
        return Role.coerce(getattr(value, "value", value))  # type: ignore[arg-type]
    except ValueError:
        return None


def _role_of(message: object) -> Role | None:
    """The role of a message, or None for a bad one (the engine then reports it)."""
    return _coerce_role(getattr(message, "role", None))


#: LlamaFirewall's defaults, spelled as LlamaFirewall spells them (ScannerType members; system and memory empty)
_LF_DEFAULTS: Configuration = {
    **{role: [ScannerType(name) for name in names] for role, names in DEFAULT_SCANNERS.items()},
    Role.SYSTEM: [],
    Role.MEMORY: [],
}


class LlamaFirewall(_Engine):
    """``LlamaFirewall(scanners=None)``: LlamaFirewall's defaults when ``scanners`` is empty or None.

    ``preset`` and ``audit_log`` are our engine's options (sensitivity presets, the JSON-lines audit log).
    """

    def __init__(
        self,
        scanners: Configuration | None = None,
        *,
        preset: str | None = None,
        audit_log: AuditLog | str | Path | None = None,
    ) -> None:
        super().__init__(scanners={}, preset=preset, audit_log=audit_log)
        self._configuration: Configuration = scanners or {role: list(items) for role, items in _LF_DEFAULTS.items()}
        if not isinstance(self._configuration, Mapping):
            raise ConfigurationError(
                f"'scanners' must map roles to lists of scanners, got {type(self._configuration).__name__}"
            )
        self._labels: dict[Role, list[str]] = {}
        self._build_lock = threading.Lock()
        self._warned: set[Role] = set()

    @classmethod
    def from_usecase(cls, usecase: UseCase | str, **kwargs: Any) -> LlamaFirewall:
        try:
            config = PREDEFINED_USE_CASES[UseCase(getattr(usecase, "value", usecase))]
        except (ValueError, KeyError):
            raise ConfigurationError(
                f"use case {usecase!r} is not predefined with any scanners; LlamaFirewall's are "
                f"{', '.join(u.value for u in PREDEFINED_USE_CASES)}"
            ) from None
        return cls(scanners=config, **kwargs)

    @property
    def scanners(self) -> Configuration:  # type: ignore[override]
        """The configuration as given (LlamaFirewall's attribute). A role's scanners are built from it at the
        role's first scan; changing the mapping after that has no effect (build a new firewall)."""
        return self._configuration

    # scanners are built per role, on first use ------------------------------------------------------------
    def _ensure(self, role: Role | None) -> None:
        if role is None or role in self._pipelines:
            return
        with self._build_lock:
            if role in self._pipelines:
                return
            items = next((v for k, v in self._configuration.items() if _coerce_role(k) is role), None) or ()
            if isinstance(items, (str, ScannerType)) or not isinstance(items, Sequence):
                items = [items]
            instances = [self._instance(item) for item in items]
            slots = tuple(self._slot(scanner, role) for scanner in instances)
            self._labels[role] = [f"{item}" for item in items]
            self._sync_roles[role] = all(s.sync for s in slots)
            self._pipelines[role] = slots  # last: readers check this first

    def _instance(self, item: Any) -> Any:
        """One instance per scanner kind, shared by the roles that use it."""
        key = f"{getattr(item, 'value', item)}" if isinstance(item, str) else None
        if key is not None and key in self._instances:
            return self._instances[key]
        scanner = create_scanner(item)
        if key is not None:
            self._instances[key] = scanner
        return scanner

    def _empty(self, message: Message) -> ScanResult:
        role = message.role
        if role not in self._warned:
            self._warned.add(role)
            LOG.warning("no scanners are configured for %s messages; they pass unscanned with LlamaFirewall's "
                        "'default' ALLOW (details['unscanned'] marks such results)", role.value)
        result = self._default_allow(_UNSCANNED.format(role.value))
        if self.audit_log is not None:
            self.audit_log.record_scan(message, result)
        return result

    def _empty_trace(self) -> ScanResult:
        return self._default_allow("the trace is empty; nothing was checked")

    @staticmethod
    def _default_allow(why: str) -> ScanResult:
        return ScanResult(ScanDecision.ALLOW, "default", 0.0, ScanStatus.SUCCESS, details={"unscanned": why})

    # LlamaFirewall-shaped results -------------------------------------------------------------------------
    def _joined(self, role: Role, result: ScanResult) -> ScanResult:
        """``scan``'s result: one scanner's verdict as it gave it; several: their reasons joined."""
        parts = result.results
        if not parts:
            return result
        if len(parts) == 1:
            return replace(result, reason=parts[0].reason.strip(), score=parts[0].score)
        labels = self._labels.get(role) or [p.scanner for p in parts]
        reason = "; ".join(f"{label}: {p.reason.strip()} - score: {p.score}" for label, p in zip(labels, parts, strict=False))
        same = [p.score for p in parts if p.decision is result.decision] if result.decision is ScanDecision.BLOCK else []
        return replace(result, reason=reason, score=max(same or [p.score for p in parts]))

    @staticmethod
    def _first(result: ScanResult) -> ScanResult:
        """``scan_async``'s result: the first scanner whose verdict is the final one, or ALLOW "default"."""
        if not result.results:
            return result
        if result.decision is ScanDecision.ALLOW:
            return replace(result, reason="default", score=0.0)
        one = next(p for p in result.results if p.decision is result.decision)
        return replace(result, reason=one.reason, score=one.score, status=one.status)

    def scan(self, input: Message, trace: Trace | None = None) -> ScanResult:  # noqa: A002 (LlamaFirewall's name)
        role = _role_of(input)
        self._ensure(role)
        result = super().scan(input, trace)
        return self._joined(role, result) if role is not None else result

    async def scan_async(self, input: Message, trace: Trace | None = None) -> ScanResult:  # noqa: A002
        self._ensure(_role_of(input))
        return self._first(await super().scan_async(input, trace))

    async def scan_batch_async(
        self, messages: Sequence[Message], traces: Sequence[Trace | None] | None = None
    ) -> list[ScanResult]:
        roles = [_role_of(m) for m in messages] if isinstance(messages, Sequence) else []
        for role in set(roles):
            self._ensure(role)
        results = await super().scan_batch_async(messages, traces)
        return [self._joined(role, r) if role is not None else r for role, r in zip(roles, results, strict=True)]

    def scan_batch(self, messages: Sequence[Message], traces: Sequence[Trace | None] | None = None) -> list[ScanResult]:
        roles = [_role_of(m) for m in messages] if isinstance(messages, Sequence) else []
        for role in set(roles):
            self._ensure(role)
        results = super().scan_batch(messages, traces)
        return [self._joined(role, r) if role is not None else r for role, r in zip(roles, results, strict=True)]
