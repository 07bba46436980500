"""LlamaFirewall's ``CustomCheckScanner``: an LLM check over a pydantic output schema, with its hooks.

Subclasses implement ``async scan`` and ``_convert_llm_response_to_score`` and call ``_evaluate_with_llm``,
exactly as in LlamaFirewall. One deliberate difference: when the LLM call fails, ``_evaluate_with_llm`` raises
instead of returning ``_get_default_error_response()``, so the engine reports status ERROR and the policy's
``on_error`` decides (by default a human reviews). LlamaFirewall's substitute verdicts fail open for some
checks (its PII check turns an error into "no PII").
"""

from __future__ import annotations

import os
from typing import Generic, TypeVar

from pydantic import BaseModel

from ....llm._together import DEFAULT_TOGETHER_MODEL
from ..utils.base_llm import LLMClient
from .base_scanner import Scanner

__all__ = ("CustomCheckScanner", "default_api_base_url")

OutputSchemaT = TypeVar("OutputSchemaT", bound=BaseModel)

_TOGETHER_V1 = "https://api.together.xyz/v1"


def default_api_base_url() -> str:
    """Together's API (``TOGETHER_BASE_URL`` + ``/v1`` when that variable names another server root)."""
    root = os.environ.get("TOGETHER_BASE_URL")
    return root.rstrip("/") + "/v1" if root else _TOGETHER_V1


class CustomCheckScanner(Scanner, Generic[OutputSchemaT]):
    _abstract = True

    def __init__(
        self,
        scanner_name: str,
        system_prompt: str,
        output_schema: type[OutputSchemaT],
        model_name: str = DEFAULT_TOGETHER_MODEL,
        api_base_url: str | None = None,
        api_key_env_var: str = "TOGETHER_API_KEY",
        temperature: float = 0.0,
        block_threshold: float = 0.0,
    ) -> None:
        super().__init__(scanner_name=scanner_name, block_threshold=block_threshold)
        self.system_prompt = system_prompt
        self.output_schema = output_schema
        self.temperature = temperature
        self.llm: LLMClient[OutputSchemaT] = LLMClient(
            model_name=model_name,
            api_base_url=api_base_url or default_api_base_url(),
            api_key_env_var=api_key_env_var,
        )

    async def _evaluate_with_llm(self, text: str) -> OutputSchemaT:
        """Ask the LLM about ``text`` (the user prompt); errors propagate (see the module docstring)."""
        return await self.llm.call(prompt=text, system_prompt=self.system_prompt, output_schema=self.output_schema,
                                   temperature=self.temperature)

    def _get_default_error_response(self) -> OutputSchemaT:
        """LlamaFirewall's substitute verdict on errors; kept for subclasses, never used by this base."""
        raise NotImplementedError(f"{type(self).__name__} defines no default error response")

    async def _convert_llm_response_to_score(self, response: OutputSchemaT) -> float:
        """The score in [0, 1] of a parsed verdict."""
        raise NotImplementedError(f"{type(self).__name__} must implement _convert_llm_response_to_score")

    def close(self) -> None:
        self.llm.close()
