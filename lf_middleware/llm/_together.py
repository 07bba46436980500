"""Together backend, through the official ``together`` SDK (async client in the async path)."""

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

__all__ = ("DEFAULT_TOGETHER_MODEL", "TogetherBackend", "missing_key_message")

logger = logging.getLogger(__name__)

DEFAULT_TOGETHER_MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo"


def missing_key_message(what: str, env: str = "TOGETHER_API_KEY") -> str:
    return (
        f"{what} needs a Together API key: set {env} (export {env}=<your key>) or pass "
        "api_key=...; to use another judge pass backend='openai' with base_url=..., or a LangChain chat model "
        "as llm=...; or pass optional=True to skip the check when no key is configured"
    )


class TogetherBackend:
    """Chat completions through ``together.AsyncTogether`` (one client per running event loop).

    The SDK's own retries are turned off: :class:`~lf_middleware.llm.LLMClient` retries with its own policy.
    ``base_url`` (or ``TOGETHER_BASE_URL``) is the server root; the SDK appends ``/v1/chat/completions``.
    """

    name = "together"

    def __init__(
        self,
        *,
        model: str = DEFAULT_TOGETHER_MODEL,
        api_key: str | None = None,
        api_key_env: str | None = None,
        base_url: str | None = None,
        json_mode: JsonMode = "schema",
        temperature: float = 0.0,
        max_tokens: int = 1024,
        what: str = "the LLM scanner",
    ) -> None:
        self._together = require("together", "together", what=what)
        env = api_key_env or "TOGETHER_API_KEY"
        key = api_key if api_key is not None else os.environ.get(env)
        if not key:
            raise MissingCredentialsError(missing_key_message(what, env))
        if not isinstance(model, str) or not model:
            raise ConfigurationError(f"model must be a non-empty model id string, got {model!r}")
        self.model = model
        self._api_key = key
        self._base_url = base_url if base_url is not None else os.environ.get("TOGETHER_BASE_URL")
        self.json_mode = check_json_mode(json_mode)
        self.temperature = float(temperature)
        self.max_tokens = int(max_tokens)
        self._clients: PerLoop[Any] = PerLoop(self._new_client)

    def __repr__(self) -> str:  # never show the key
        return f"TogetherBackend(model={self.model!r}, base_url={self._base_url!r})"

    def _new_client(self) -> Any:
        return self._together.AsyncTogether(api_key=self._api_key, base_url=self._base_url, max_retries=0)

    async def acomplete(self, messages: ChatMessages, *, schema: type | None, timeout: float) -> LLMReply:
        together = self._together
        client = self._clients.get()
        kwargs: dict[str, Any] = {}
        fmt = response_format(schema, self.json_mode)
        if fmt is not None:
            kwargs["response_format"] = fmt
        try:
            completion = await client.chat.completions.create(
                model=self.model,
                messages=[dict(m) for m in messages],
                temperature=self.temperature,
                max_tokens=self.max_tokens,
                timeout=timeout,
                **kwargs,
            )
        except together.APITimeoutError as err:
            raise LLMTimeoutError(f"together did not answer within {timeout:g} s") from err
        except together.APIStatusError as err:
            retry_after = parse_retry_after(err.response.headers.get("retry-after"))
            raise status_error("together", err.status_code, retry_after) from None
        except together.APIConnectionError as err:
            raise LLMCallError(f"cannot reach the Together API: {type(err).__name__}", retryable=True) from None
        usage = usage_from(getattr(completion, "usage", None))
        return LLMReply(
            text=reply_text(getattr(completion, "choices", None)),
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            model=getattr(completion, "model", None) or self.model,
        )

    def close(self) -> None:
        close_per_loop(self._clients, "close")

    async def aclose(self) -> None:
        await aclose_per_loop(self._clients, "close")
