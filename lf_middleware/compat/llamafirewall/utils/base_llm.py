"""LlamaFirewall's ``LLMClient(model_name, api_base_url, api_key=None, api_key_env_var=None)``.

It speaks to any OpenAI-compatible chat-completions endpoint through our HTTP backend and call policy
(timeout, retries on 429/5xx, concurrency limit), asks for JSON that fits ``output_schema``, and validates the
reply with pydantic. It needs no ``openai`` package, and the async ``call`` never blocks the event loop.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ....errors import ConfigurationError
from ....llm import LLMCallError, MissingCredentialsError, RetryPolicy
from ....llm import LLMClient as _CallPolicy
from ....scanners.custom_check import parse_reply

__all__ = ("LLMClient",)

OutputSchemaT = TypeVar("OutputSchemaT", bound=BaseModel)


class LLMClient(Generic[OutputSchemaT]):
    """Structured calls to one model behind one OpenAI-compatible base URL (e.g. ``https://api.together.xyz/v1``).

    Args:
        model_name: the model the server serves.
        api_base_url: the API root including its version; ``/chat/completions`` is appended.
        api_key: the key itself, or ``api_key_env_var``: the environment variable that holds it (one is needed).
        timeout: seconds per attempt. max_retries: extra attempts on rate limits, 5xx and connection errors.

    Raises:
        ConfigurationError (a ValueError): neither ``api_key`` nor ``api_key_env_var`` was given, or the
            variable is not set.
    """

    def __init__(
        self,
        model_name: str,
        api_base_url: str,
        api_key: str | None = None,
        api_key_env_var: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
    ) -> None:
        if api_key is None and api_key_env_var is not None:
            api_key = os.environ.get(api_key_env_var)
            if not api_key:
                raise MissingCredentialsError(
                    f"{api_key_env_var} is not set in the environment; set it with `export {api_key_env_var}="
                    "<your_api_key>` because your configured scanner requires it"
                )
        elif api_key is None:
            raise ConfigurationError("LLMClient needs api_key=... or api_key_env_var=... (the environment variable "
                                     "that holds the key)")
        self.model_name = model_name
        self.api_base_url = api_base_url
        self._api_key = api_key
        self._timeout = timeout
        self._retry = RetryPolicy(max_retries=max_retries)
        self._clients: dict[float, _CallPolicy] = {}
        self.client: _CallPolicy = self._client_for(0.0)

    def __repr__(self) -> str:  # never shows the key
        return f"LLMClient(model_name={self.model_name!r}, api_base_url={self.api_base_url!r})"

    def _client_for(self, temperature: float) -> _CallPolicy:
        client = self._clients.get(temperature)
        if client is None:
            from ....llm import OpenAICompatibleBackend

            backend = OpenAICompatibleBackend(base_url=self.api_base_url, model=self.model_name, api_key=self._api_key,
                                              json_mode="schema", temperature=temperature,
                                              what=f"LLMClient({self.model_name!r})")
            client = self._clients[temperature] = _CallPolicy(backend, timeout=self._timeout, retry=self._retry)
        return client

    async def call(
        self,
        prompt: str,
        system_prompt: str,
        output_schema: type[OutputSchemaT],
        temperature: float = 0.0,
        additional_messages: Sequence[Mapping[str, str]] | None = None,
    ) -> OutputSchemaT:
        """Send a system prompt, a user prompt and any further messages; return the reply as ``output_schema``.

        Raises:
            LLMCallError: the endpoint failed (after retries), or its reply does not fit ``output_schema``.
        """
        messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt},
                                          {"role": "user", "content": prompt}]
        messages.extend(dict(m) for m in additional_messages or ())
        call, _key = await self._client_for(float(temperature)).complete(messages, schema=output_schema)
        output, problem = parse_reply(output_schema, call.reply.text, call.reply.parsed)
        if output is None:
            raise LLMCallError(f"{self.model_name}: {problem}")
        return output

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
