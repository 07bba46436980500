"""LlamaFirewall's ``utils``: the LLM client of its LLM scanners."""

from __future__ import annotations

from ...._lazy import lazy_exports

__all__ = ("LLMClient",)

__getattr__, __dir__ = lazy_exports(__name__, {"LLMClient": "base_llm"}, globals())
