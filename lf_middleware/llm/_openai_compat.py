"""Any OpenAI-compatible chat-completions endpoint by base URL (vLLM, llama.cpp server, Ollama's /v1, gateways).

Speaks the protocol with ``httpx`` directly (no ``openai`` package needed): ``POST {base_url}/chat/completions``,
where ``base_url`` is the API root including its version, e.g. ``http://localhost:8000/v1``.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError
from ._core import (
    ChatMessages,
    LLMCallError,
    LLMReply,
    LLMTimeoutError,
    MissingCredentialsError,
    PerLoop,
    aclose_per_loop,
    close_per_loop,
    parse_retry_after,
    status_error,
    usage_from,
)
from ._openai_shape import JsonMode, check_json_mode, reply_text, response_format

__all__ = ("OpenAICompatibleBackend",)

logger = logging.getLogger(__name__)


class OpenAICompatibleBackend:
    """Chat completions over HTTP with ``httpx.AsyncClient`` (one per running event loop).

    Args:
        base_url: the API root, e.g. ``http://localhost:8000/v1`` (``/chat/completions`` is appended).
        model: the model name the server expects.
        api_key: sent as ``Authorization: Bearer``; ``api_key_env`` names an environment variable to read
            it from instead. Local servers usually need none.
        json_mode: see :data:`~lf_middleware.llm.JsonMode`; many local servers only accept ``json_object``.
        headers: extra request headers.
    """

    name = "openai_compatible"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        api_key_env: str | None = None,
        json_mode: JsonMode = "json_object",
        temperature: float = 0.0,
        max_tokens: int = 1024,
        headers: dict[str, str] | None = None,
        what: str = "the LLM scanner",
    ) -> None:
        self._httpx = require("httpx", "together", what=what)
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base_url must be an http(s) URL such as 'http://localhost:8000/v1', got {base_url!r}"
            )
        if not isinstance(model, str) or not model:
            raise ConfigurationError(f"model must be a non-empty model name for {base_url}, got {model!r}")
        if api_key is None and api_key_env:
            api_key = os.environ.get(api_key_env)
            if not api_key:
                raise MissingCredentialsError(
                    f"{what}: environment variable {api_key_env} is not set (export {api_key_env}=<your key>); "
                    "or pass optional=True to skip the check when no key is configured"
                )
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.json_mode = check_json_mode(json_mode)
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._clients: PerLoop[Any] = PerLoop(lambda: self._httpx.AsyncClient(headers=self._headers))

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatibleBackend(base_url={self.base_url!r}, model={self.model!r})"

    async def acomplete(self, messages: ChatMessages, *, schema: type | None, timeout: float) -> LLMReply:
        httpx = self._httpx
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        fmt = response_format(schema, self.json_mode)
        if fmt is not None:
            body["response_format"] = fmt
        client = self._clients.get()
        try:
            response = await client.post(f"{self.base_url}/chat/completions", json=body, timeout=timeout)
        except httpx.TimeoutException as err:
            raise LLMTimeoutError(f"{self.base_url} did not answer within {timeout:g} s") from err
        except httpx.TransportError as err:
            raise LLMCallError(f"cannot reach {self.base_url}: {type(err).__name__}", retryable=True) from None
        if response.status_code >= 400:
            raise status_error(self.base_url, response.status_code,
                               parse_retry_after(response.headers.get("retry-after")))
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            raise LLMCallError(f"{self.base_url} answered with a body that is not JSON "
                               f"({len(response.content)} bytes)") from None
        if not isinstance(data, dict):
            raise LLMCallError(f"{self.base_url} answered JSON that is not an object ({type(data).__name__})")
        usage = usage_from(data.get("usage"))
        model = data.get("model")
        return LLMReply(text=reply_text(data.get("choices")), prompt_tokens=usage.prompt_tokens,
                        completion_tokens=usage.completion_tokens,
                        model=model if isinstance(model, str) else self.model)

    def close(self) -> None:
        close_per_loop(self._clients, "aclose")

    async def aclose(self) -> None:
        await aclose_per_loop(self._clients, "aclose")


