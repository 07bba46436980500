"""LangGraph integration: guard nodes, guarded tool execution, human review as ``interrupt()``.

    from lf_middleware.adapters.langgraph import GuardedToolNode, GuardNode, GuardState, add_guard

Needs the ``langgraph`` extra (``pip install lf-middleware[langgraph]``).
"""

from __future__ import annotations

from lf_middleware._lazy import require

require("langgraph", "langgraph", what="lf_middleware.adapters.langgraph")
require("langchain_core", "langgraph", what="lf_middleware.adapters.langgraph")

from lf_middleware.hitl import HITLRequest, HITLResponse  # noqa: E402

from ._core import DurableMode  # noqa: E402
from .nodes import GuardNode, add_guard, route_guard  # noqa: E402
from .state import GuardState, merge_guard  # noqa: E402
from .tools import GuardedToolNode  # noqa: E402

__all__ = (
    "DurableMode",
    "GuardNode",
    "GuardState",
    "GuardedToolNode",
    "HITLRequest",
    "HITLResponse",
    "add_guard",
    "merge_guard",
    "route_guard",
)
