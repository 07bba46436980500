"""LangChain integration: callback handlers, streaming output guard, agent middleware for ``create_agent``.

Needs the ``langchain`` extra (``pip install lf-middleware[langchain]``). Names are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .callbacks import AsyncGuardCallbackHandler, GuardCallbackHandler, SyncRunWarning
    from .factory import guard_handler, guard_middleware
    from .middleware import GuardMiddleware, GuardState, redact_spans
    from .streaming import StreamPolicy

__all__ = (
    "AsyncGuardCallbackHandler",
    "GuardCallbackHandler",
    "GuardMiddleware",
    "GuardState",
    "StreamPolicy",
    "SyncRunWarning",
    "guard_handler",
    "guard_middleware",
    "redact_spans",
)

_dynamic_imports: dict[str, str] = {
    "AsyncGuardCallbackHandler": "callbacks",
    "GuardCallbackHandler": "callbacks",
    "SyncRunWarning": "callbacks",
    "GuardMiddleware": "middleware",
    "GuardState": "middleware",
    "redact_spans": "middleware",
    "StreamPolicy": "streaming",
    "guard_handler": "factory",
    "guard_middleware": "factory",
}


def __getattr__(name: str) -> Any:
    module_name = _dynamic_imports.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ..._lazy import require

    require("langchain_core", "langchain", what="lf_middleware.adapters.langchain")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
