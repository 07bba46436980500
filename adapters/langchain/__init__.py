"""LangChain integration: callback handlers, streaming output guard, agent middleware for ``create_agent``.

Needs the ``langchain`` extra (``pip install lf-middleware[langchain]``). Names are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports, require

if TYPE_CHECKING:
    from .callbacks import AsyncGuardCallbackHandler, GuardCallbackHandler, SyncRunWarning
    from .factory import guard_handler, guard_middleware
    from .middleware import GuardMiddleware, GuardState, redact_spans
    from .streaming import GuardedChatModel, StreamPolicy, guard_model

__all__ = (
    "AsyncGuardCallbackHandler",
    "GuardCallbackHandler",
    "GuardMiddleware",
    "GuardState",
    "GuardedChatModel",
    "StreamPolicy",
    "SyncRunWarning",
    "guard_handler",
    "guard_middleware",
    "guard_model",
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
    "GuardedChatModel": "streaming",
    "guard_model": "streaming",
    "guard_handler": "factory",
    "guard_middleware": "factory",
}


def _check_installed() -> None:
    require("langchain_core", "langchain", what="lf_middleware.adapters.langchain")


__getattr__, __dir__ = lazy_exports(__name__, _dynamic_imports, globals(), before=_check_installed)
