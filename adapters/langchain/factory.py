"""One-line setup for the common cases: a handler or a middleware for a use case.

>>> handler = guard_handler("chatbot")                      # callbacks=[handler] on any runnable
>>> agent = create_agent(model, tools, middleware=[guard_middleware("browsing_agent", tools=tools)])

The use cases are the engine's (:class:`~lf_middleware.engine.UseCase`): ``chatbot``, ``coding_assistant``,
``browsing_agent``. Pass ``scanners={...}`` (or ``firewall=``) to replace the pipelines while keeping the rest
of the use case's defaults; every other keyword goes to the handler / middleware constructor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...engine import PREDEFINED_USE_CASES, LlamaFirewall, UseCase
from ...errors import ConfigurationError
from ...types import Role
from ._engine import resolve_firewall
from .callbacks import AsyncGuardCallbackHandler, GuardCallbackHandler
from .middleware import GuardMiddleware

__all__ = ("guard_handler", "guard_middleware")


def _usecase(usecase: UseCase | str) -> UseCase:
    try:
        return UseCase(getattr(usecase, "value", usecase))
    except ValueError:
        raise ConfigurationError(
            f"unknown use case {usecase!r}; expected one of {', '.join(u.value for u in UseCase)}"
        ) from None


#: what a use case's pipelines get for a role they leave out: every preset scans model output and tool output
_CHEAP_SCANNERS = ("regex", "hidden_ascii")


def pipelines(uc: UseCase) -> dict[Role, list[str]]:
    """The engine pipelines of a use case for an agent: the use case's own, plus the cheap pattern scanners for
    model output (assistant) and tool output (tool) where it has none."""
    out = {role: list(names) for role, names in PREDEFINED_USE_CASES[uc].items()}
    for role in (Role.ASSISTANT, Role.TOOL):
        out.setdefault(role, list(_CHEAP_SCANNERS))
    return out


def _firewall(uc: UseCase, firewall: LlamaFirewall | None, scanners: Mapping[Role | str, Sequence[Any]] | None,
              options: dict[str, Any], factory: str) -> LlamaFirewall:
    engine_kw = {k: options.pop(k) for k in ("preset", "audit_log") if k in options}
    if firewall is None and scanners is None:
        scanners = pipelines(uc)
    return resolve_firewall(firewall, scanners, who=factory, factory=factory, **engine_kw)


def guard_handler(
    usecase: UseCase | str = UseCase.CHAT_BOT,
    *,
    asynchronous: bool = False,
    firewall: LlamaFirewall | None = None,
    scanners: Mapping[Role | str, Sequence[Any]] | None = None,
    **options: Any,
) -> GuardCallbackHandler | AsyncGuardCallbackHandler:
    """A guard callback handler for ``usecase`` (``asynchronous=True``: the async twin, for ainvoke-only stacks).

    ``preset`` and ``audit_log`` go to the engine; other options to the handler.
    """
    uc = _usecase(usecase)
    engine = _firewall(uc, firewall, scanners, options, "guard_handler")
    cls = AsyncGuardCallbackHandler if asynchronous else GuardCallbackHandler
    return cls(engine, **options)


def guard_middleware(
    usecase: UseCase | str = UseCase.CHAT_BOT,
    *,
    tools: Iterable[object] = (),
    firewall: LlamaFirewall | None = None,
    scanners: Mapping[Role | str, Sequence[Any]] | None = None,
    **options: Any,
) -> GuardMiddleware:
    """A :class:`GuardMiddleware` for ``usecase`` (the Rule of Two is on, as everywhere: declare your tools'
    properties; an undeclared tool counts as A+B+C and needs approval)."""
    uc = _usecase(usecase)
    engine = _firewall(uc, firewall, scanners, options, "guard_middleware")
    return GuardMiddleware(engine, tools=tools, **options)
