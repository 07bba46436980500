"""lf-middleware: guardrails for LangChain and LangGraph agents.

The public surface is imported lazily (``_dynamic_imports``), so ``import lf_middleware`` needs only pydantic.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from ._lazy import lazy_exports

try:
    __version__ = version("lf-middleware")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from .audit import AuditLog
    from .config import EngineConfig, ScannerSpec, load_config
    from .engine import LlamaFirewall, UseCase
    from .errors import (
        ConfigurationError,
        GuardrailBlocked,
        GuardrailTriggered,
        HumanApprovalRequired,
        LfMiddlewareError,
        MissingDependencyError,
        ModelLoadError,
        ScannerError,
    )
    from .policy import ScannerPolicy
    from .rule_of_two import Property, RuleOfTwo, RuleOfTwoConfig, classify_agent, exercises
    from .scanners.base import Scanner, available_scanners, create_scanner, register_scanner
    from .types import (
        AssistantMessage,
        MemoryMessage,
        Message,
        Role,
        ScanDecision,
        ScannerType,
        ScanResult,
        ScanStatus,
        SystemMessage,
        ToolMessage,
        Trace,
        UserMessage,
    )

__all__ = (
    "AssistantMessage",
    "AuditLog",
    "ConfigurationError",
    "EngineConfig",
    "GuardrailBlocked",
    "GuardrailTriggered",
    "HumanApprovalRequired",
    "LfMiddlewareError",
    "LlamaFirewall",
    "MemoryMessage",
    "Message",
    "MissingDependencyError",
    "ModelLoadError",
    "Property",
    "Role",
    "RuleOfTwo",
    "RuleOfTwoConfig",
    "ScanDecision",
    "ScanResult",
    "ScanStatus",
    "Scanner",
    "ScannerError",
    "ScannerPolicy",
    "ScannerSpec",
    "ScannerType",
    "SystemMessage",
    "ToolMessage",
    "Trace",
    "UseCase",
    "UserMessage",
    "__version__",
    "available_scanners",
    "classify_agent",
    "create_scanner",
    "exercises",
    "load_config",
    "register_scanner",
)

_dynamic_imports: dict[str, str] = {
    "AssistantMessage": "types",
    "MemoryMessage": "types",
    "Message": "types",
    "Role": "types",
    "ScanDecision": "types",
    "ScanResult": "types",
    "ScanStatus": "types",
    "ScannerType": "types",
    "SystemMessage": "types",
    "ToolMessage": "types",
    "Trace": "types",
    "UserMessage": "types",
    "AuditLog": "audit",
    "EngineConfig": "config",
    "ScannerSpec": "config",
    "load_config": "config",
    "LlamaFirewall": "engine",
    "UseCase": "engine",
    "ConfigurationError": "errors",
    "GuardrailBlocked": "errors",
    "GuardrailTriggered": "errors",
    "HumanApprovalRequired": "errors",
    "LfMiddlewareError": "errors",
    "MissingDependencyError": "errors",
    "ModelLoadError": "errors",
    "ScannerError": "errors",
    "ScannerPolicy": "policy",
    "Property": "rule_of_two",
    "RuleOfTwo": "rule_of_two",
    "RuleOfTwoConfig": "rule_of_two",
    "classify_agent": "rule_of_two",
    "exercises": "rule_of_two",
    "Scanner": "scanners.base",
    "available_scanners": "scanners.base",
    "create_scanner": "scanners.base",
    "register_scanner": "scanners.base",
}


__getattr__, __dir__ = lazy_exports(__name__, _dynamic_imports, globals())
