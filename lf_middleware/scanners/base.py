"""The scanner contract and the scanner registry.

A scanner measures; the policy decides. ``scan`` returns a :class:`ScanResult` with a score in [0, 1], a
status and a short reason. A scanner may also assert a decision (a regex pattern mapped to BLOCK, a tool-policy
rule); the policy then takes the more severe of that and what the thresholds give the score.

Subclasses implement either ``scan`` (async) or ``scan_sync`` (sync, for cheap CPU work: the engine calls
it inline, with no event loop at all). Expensive CPU work belongs in ``scan`` behind ``asyncio.to_thread`` or
the scanner's own executor. Scanners are built once and reused: heavy setup goes in ``__init__``.

Event-loop note: the same instance is used from the caller's loop (``scan_async``) and from the engine's
private loop thread (sync ``scan``). Do not keep loop-bound asyncio primitives (Lock, Semaphore, Queue) on the
instance; key them by ``asyncio.get_running_loop()`` or use thread primitives.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import threading
from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from ..errors import ConfigurationError
from ..types import Message, ScanDecision, ScanResult, ScanStatus, Trace

__all__ = (
    "Scanner",
    "available_scanners",
    "create_scanner",
    "get_scanner_class",
    "load_entry_point_scanners",
    "register_scanner",
    "unregister_scanner",
)

logger = logging.getLogger(__name__)

S = TypeVar("S", bound=type)


class Scanner:
    """Base class for scanners. Override ``scan`` (async) or ``scan_sync`` (sync)."""

    #: registry name; also the ``scanner`` field of results
    name: ClassVar[str] = ""
    #: thresholds the policy uses unless config overrides them (None: the score alone never decides)
    default_hitl_threshold: ClassVar[float | None] = 0.5
    default_block_threshold: ClassVar[float | None] = 0.9
    #: whether sensitivity presets shift the thresholds (score-based classifiers); rule scanners say False
    score_based: ClassVar[bool] = True
    #: whether the scanner needs ``past_trace`` (AlignmentCheck); the engine passes it to every scanner anyway
    requires_full_trace: ClassVar[bool] = False
    #: LlamaFirewall's per-instance threshold, for the scanner's own use (see ``__init__``)
    block_threshold: float | None = None

    def __init__(self, scanner_name: str | None = None, block_threshold: float | None = None) -> None:
        """LlamaFirewall's constructor shape, so its custom scanners port unchanged.

        Args:
            scanner_name: this instance's name (reported in results); default: the class's ``name``.
            block_threshold: kept as ``self.block_threshold`` for the scanner's own use. The policy's thresholds
                come from the class defaults and the configuration, never from this value.
        """
        if scanner_name is not None:
            if not isinstance(scanner_name, str) or not scanner_name.strip():
                raise ConfigurationError(f"scanner_name must be a non-empty string, got {scanner_name!r}")
            self.name = scanner_name  # type: ignore[misc]  # instance name shadows the class's registry name
        if block_threshold is not None and (isinstance(block_threshold, bool)
                                            or not isinstance(block_threshold, (int, float))):
            raise ConfigurationError(f"block_threshold must be a number, got {block_threshold!r}")
        self.block_threshold = block_threshold

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # intermediate bases may declare themselves abstract with `_abstract = True`
        if (cls.scan is Scanner.scan and cls.scan_sync is Scanner.scan_sync and not inspect.isabstract(cls)
                and not cls.__dict__.get("_abstract", False)):
            raise TypeError(f"{cls.__name__} must override scan() (async) or scan_sync() (sync)")

    @property
    def supports_sync(self) -> bool:
        """True when ``scan_sync`` is implemented: the engine then runs this scanner inline."""
        return type(self).scan_sync is not Scanner.scan_sync

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        return self.scan_sync(message, past_trace)

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        raise NotImplementedError(
            f"{type(self).__name__} is async-only: call 'await scanner.scan(...)', or use LlamaFirewall.scan(), "
            "which drives async scanners for you"
        )

    async def scan_batch(
        self, messages: Sequence[Message], past_traces: Sequence[Trace | None] | None = None
    ) -> list[ScanResult]:
        """Scan many messages. Default: ``scan`` each, concurrently. Model scanners override it to batch."""
        traces = list(past_traces) if past_traces is not None else [None] * len(messages)
        if self.supports_sync:
            return [self.scan_sync(m, t) for m, t in zip(messages, traces, strict=True)]
        return list(await asyncio.gather(*(self.scan(m, t) for m, t in zip(messages, traces, strict=True))))

    def close(self) -> None:
        """Release held resources (processes, threads). Default: nothing to release."""

    # helpers for subclasses -------------------------------------------------------------------------------
    def result(
        self,
        *,
        score: float = 0.0,
        reason: str = "",
        decision: ScanDecision = ScanDecision.ALLOW,
        status: ScanStatus = ScanStatus.SUCCESS,
        **details: Any,
    ) -> ScanResult:
        return ScanResult(
            decision=decision, reason=reason, score=float(score), status=status, scanner=self.name, details=details
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"

    def __str__(self) -> str:
        return self.name or type(self).__name__


# ---------------------------------------------------------------------------------------------------------
# Registry. Built-ins are listed by module path and imported on first use, so unused heavy scanners
# (torch, semgrep, LLM clients) are never imported.
_BUILTINS: dict[str, str] = {
    "regex": "lf_middleware.scanners.regex:RegexScanner",
    "hidden_ascii": "lf_middleware.scanners.hidden_ascii:HiddenASCIIScanner",
    "prompt_guard": "lf_middleware.scanners.prompt_guard:PromptGuardScanner",
    "code_shield": "lf_middleware.scanners.code_shield:CodeShieldScanner",
    "agent_alignment": "lf_middleware.scanners.alignment_check:AlignmentCheckScanner",
    "pii_detection": "lf_middleware.scanners.pii_check:PIICheckScanner",
    "tool_policy": "lf_middleware.scanners.tool_policy:ToolPolicyScanner",
}
_ALIASES = {"alignment_check": "agent_alignment"}
_registry: dict[str, type] = {}
_lock = threading.Lock()


def _canonical(name: object) -> str:
    value = getattr(name, "value", name)
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"a scanner name must be a non-empty string or ScannerType, got {name!r}")
    value = value.strip().lower()
    return _ALIASES.get(value, value)


def _validate_scanner_class(cls: object, name: str) -> None:
    if not isinstance(cls, type):
        raise ConfigurationError(f"scanner {name!r}: expected a class, got {type(cls).__name__}")
    scan = getattr(cls, "scan", None)
    if scan is None or not inspect.iscoroutinefunction(scan):
        raise ConfigurationError(
            f"scanner {name!r} ({cls.__name__}) must define 'async def scan(self, message, past_trace=None)'"
        )


def register_scanner(name: str, cls: type | None = None, *, replace: bool = False) -> Any:
    """Register a scanner class under ``name``; usable as ``@register_scanner("my_check")``.

    The class must define ``async def scan(message, past_trace=None)`` (a LlamaFirewall custom scanner
    qualifies). Duplicate names and built-in names are rejected unless ``replace=True``.
    """
    key = _canonical(name)

    def _do(klass: S) -> S:
        _validate_scanner_class(klass, key)
        with _lock:
            if not replace and (key in _registry or key in _BUILTINS):
                raise ConfigurationError(
                    f"a scanner named {key!r} is already registered; pick another name or pass replace=True"
                )
            _registry[key] = klass
        if isinstance(klass, type) and issubclass(klass, Scanner) and not klass.name:
            klass.name = key
        return klass

    if cls is not None:
        return _do(cls)
    return _do


def unregister_scanner(name: str) -> None:
    with _lock:
        _registry.pop(_canonical(name), None)


def available_scanners() -> list[str]:
    """Names accepted by :func:`create_scanner` (built-ins and registered ones)."""
    return sorted(set(_BUILTINS) | set(_registry))


def get_scanner_class(name: object) -> type:
    key = _canonical(name)
    cls = _registry.get(key)
    if cls is not None:
        return cls
    target = _BUILTINS.get(key)
    if target is None:
        raise ConfigurationError(
            f"unknown scanner {key!r}; known scanners: {', '.join(available_scanners())}. "
            "Register your own with lf_middleware.register_scanner()"
        )
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name == module_name:
            raise ConfigurationError(f"scanner {key!r} is not available in this version of lf-middleware") from None
        raise
    return getattr(module, attr)


def create_scanner(name: object, **options: Any) -> Any:
    """Build a scanner by name. Options are passed to its constructor as keywords."""
    cls = get_scanner_class(name)
    try:
        return cls(**options)
    except TypeError as err:
        raise ConfigurationError(f"scanner {_canonical(name)!r}: bad options {sorted(options)}: {err}") from err


def load_entry_point_scanners(group: str = "lf_middleware.scanners") -> list[str]:
    """Opt-in discovery of third-party scanners declared as entry points; returns the names registered."""
    from importlib.metadata import entry_points

    names = []
    for ep in entry_points(group=group):
        register_scanner(ep.name, ep.load())
        names.append(_canonical(ep.name))
    return names


def scanner_name(obj: object) -> str:
    """The name a scanner instance reports (LlamaFirewall scanners carry ``name`` too)."""
    name = getattr(obj, "name", "") or type(obj).__name__
    return str(name)

