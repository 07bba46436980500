"""Building the engine an adapter object scans with (shared by the handlers, the middleware, the factories)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...engine import LlamaFirewall
from ...errors import ConfigurationError
from ...types import Role

__all__ = ("resolve_firewall",)


def resolve_firewall(
    firewall: LlamaFirewall | None,
    scanners: Mapping[Role | str, Sequence[Any]] | None,
    *,
    who: str,
    factory: str,
    **engine_options: Any,
) -> LlamaFirewall:
    """``firewall`` as given, or one built from ``scanners``; a clear error for neither, both or a wrong type."""
    if firewall is not None and scanners is not None:
        raise ConfigurationError("pass either 'firewall' or 'scanners', not both")
    if firewall is None:
        if scanners is None:
            raise ConfigurationError(
                f"{who} needs scanners: pass firewall=LlamaFirewall(...), scanners={{Role.USER: [...]}}, "
                f"or use {factory}('chatbot' | 'coding_assistant' | 'browsing_agent')"
            )
        return LlamaFirewall(scanners=scanners, **engine_options)
    if not isinstance(firewall, LlamaFirewall):
        raise ConfigurationError(
            f"firewall must be an lf_middleware.LlamaFirewall, got {type(firewall).__name__}; build one with "
            f"LlamaFirewall(scanners={{...}}) or use {factory}(usecase)"
        )
    return firewall
