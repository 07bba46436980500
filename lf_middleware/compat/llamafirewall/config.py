"""LlamaFirewall's ``config``: the ``Configuration`` shape and its two predefined use cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from ...engine import UseCase
from ...types import Role, ScannerType

__all__ = ("PREDEFINED_USE_CASES", "Configuration", "UseCase")

Configuration: TypeAlias = Mapping[Role, Sequence[Any]]
"""Role -> scanners: ``ScannerType`` members, names registered with ``register_llamafirewall_scanner``, or
scanner instances."""

PREDEFINED_USE_CASES: Mapping[UseCase, Configuration] = {
    UseCase.CHAT_BOT: {
        Role.USER: [ScannerType.PROMPT_GUARD],
        Role.SYSTEM: [ScannerType.PROMPT_GUARD],
    },
    UseCase.CODING_ASSISTANT: {
        Role.ASSISTANT: [ScannerType.CODE_SHIELD],
        Role.TOOL: [ScannerType.CODE_SHIELD],
    },
}
"""LlamaFirewall 1.0.3's pipelines for its two use cases (ours, in ``lf_middleware.engine``, add regex and
hidden-text scanners and a browsing-agent case)."""
