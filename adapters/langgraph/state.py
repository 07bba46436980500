"""Graph state keys the guards read and write, with their reducers.

Add them to your own state by subclassing :class:`GuardState` (a ``MessagesState`` with the guard keys) or by
copying the annotated keys. Every value is plain JSON data, so any checkpointer (``InMemorySaver``,
``SqliteSaver``, ``PostgresSaver``) persists it per thread; each reducer merges updates from parallel branches.

* ``lf_rule_of_two`` — the session's :class:`~lf_middleware.rule_of_two.RuleOfTwoState` (sticky A/B/C marks,
  taint, approvals), reduced by :func:`~lf_middleware.rule_of_two.merge_states`;
* ``lf_verdicts`` — scan verdicts keyed by ``tool_call_id`` (with a fingerprint of the call): written by a
  :class:`GuardNode` for every call it scanned (before any review, and reused by the tool node), and by the
  tool node for the calls it did not simply allow (reviewed, blocked, or validated by the auditor);
* ``lf_rejections`` — how often each exact call (name + arguments) was rejected, to stop re-asking;
* ``lf_guard`` — what the guard node scanned last and its verdict (read by :func:`route_guard`);
* ``lf_hooks`` — the state of :class:`~lf_middleware.guard.GuardHook` plug-ins (e.g. provenance of values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from langgraph.graph.message import add_messages
from typing_extensions import NotRequired, TypedDict

from lf_middleware.guard import STATE_KEYS, merge_hooks
from lf_middleware.hitl import merge_counts, merge_verdicts
from lf_middleware.rule_of_two import RuleOfTwoState, merge_states

__all__ = (
    "GuardState",
    "GUARD_KEY",
    "HOOKS_KEY",
    "REJECTIONS_KEY",
    "RULE_KEY",
    "VERDICTS_KEY",
    "merge_guard",
)

RULE_KEY = STATE_KEYS["rule_of_two"]
VERDICTS_KEY = STATE_KEYS["verdicts"]
REJECTIONS_KEY = STATE_KEYS["rejections"]
HOOKS_KEY = STATE_KEYS["hooks"]
GUARD_KEY = "lf_guard"
_SCANNED_LIMIT = 1024


GUARD_KEYS = (RULE_KEY, VERDICTS_KEY, REJECTIONS_KEY, GUARD_KEY)


def check_state(state: Any, who: str) -> None:
    """Fail loudly when the graph state cannot hold the guard keys (LangGraph drops unknown keys silently, so
    the Rule-of-Two record would be lost after every step)."""
    if isinstance(state, Mapping):
        missing = [k for k in GUARD_KEYS if k not in state]
    else:
        missing = [k for k in GUARD_KEYS if not hasattr(state, k)]
    if missing:
        from lf_middleware.errors import ConfigurationError

        raise ConfigurationError(
            f"{who} needs the guard keys {', '.join(missing)} in the graph state, or the Rule-of-Two record and "
            "cached verdicts would be dropped after every step. Build the graph with StateGraph(GuardState) "
            "(from lf_middleware.adapters.langgraph) or add GuardState's annotated keys to your state class."
        )


def merge_guard(left: Mapping[str, Any] | None, right: Mapping[str, Any] | None) -> dict[str, Any]:
    """Reducer for ``lf_guard``: the newest verdict wins; the ids of scanned messages accumulate (bounded)."""
    if not right:
        return dict(left or {})
    if not left:
        return dict(right)
    scanned = list(dict.fromkeys([*left.get("scanned", ()), *right.get("scanned", ())]))[-_SCANNED_LIMIT:]
    return {**left, **right, "scanned": scanned}


class GuardState(TypedDict):
    """``messages`` (with ``add_messages``) plus the guard keys. Subclass it to add your own keys."""

    messages: Annotated[list[Any], add_messages]
    lf_rule_of_two: NotRequired[Annotated[RuleOfTwoState, merge_states]]
    lf_verdicts: NotRequired[Annotated[dict[str, Any], merge_verdicts]]
    lf_rejections: NotRequired[Annotated[dict[str, int], merge_counts]]
    lf_guard: NotRequired[Annotated[dict[str, Any], merge_guard]]
    lf_hooks: NotRequired[Annotated[dict[str, Any], merge_hooks]]
