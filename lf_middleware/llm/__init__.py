"""LLM backends for the LLM scanners (AlignmentCheck, custom checks), behind one small interface.

- :class:`TogetherBackend`: the default; the ``together`` SDK's async client (``TOGETHER_API_KEY``,
  ``TOGETHER_BASE_URL``).
- :class:`OpenAICompatibleBackend`: any OpenAI-compatible ``/chat/completions`` endpoint by base URL (httpx).
- :class:`LangChainBackend`: any LangChain chat model (ChatOllama, ChatOpenAI on vLLM, ...), with structured
  output when the model supports it.

:class:`LLMClient` adds the call policy (timeout, retries with backoff, concurrency limit, cache, accounting).
Heavy SDKs are imported only when a backend is built.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError
from ._core import (
    LLMBackend,
    LLMCallError,
    LLMCallResult,
    LLMClient,
    LLMReply,
    LLMTimeoutError,
    MissingCredentialsError,
    PerLoop,
    RetryPolicy,
    parse_retry_after,
)
from ._json import json_candidates

__all__ = (
    "BACKENDS",
    "LLMBackend",
    "LLMCallError",
    "LLMCallResult",
    "LLMClient",
    "LLMReply",
    "LLMTimeoutError",
    "LangChainBackend",
    "MissingCredentialsError",
    "OpenAICompatibleBackend",
    "PerLoop",
    "RetryPolicy",
    "TogetherBackend",
    "json_candidates",
    "make_backend",
    "parse_retry_after",
)

_dynamic_imports = {
    "TogetherBackend": "._together",
    "OpenAICompatibleBackend": "._openai_compat",
    "LangChainBackend": "._langchain",
}

BACKENDS = ("together", "openai", "langchain")
"""Names accepted by :func:`make_backend` (``openai`` means any OpenAI-compatible endpoint)."""


def __getattr__(name: str) -> Any:
    module = _dynamic_imports.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def make_backend(
    backend: str | LLMBackend | None = None,
    *,
    llm: Any = None,
    model: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    json_mode: str | None = None,
    what: str = "the LLM scanner",
    **kwargs: Any,
) -> LLMBackend:
    """Build a backend from a name (or pass an instance through).

    ``backend`` defaults to ``"langchain"`` when ``llm`` is given, else ``"together"``. ``"openai"`` (alias
    ``"openai_compatible"``) needs ``base_url`` and ``model``.
    """
    if backend is not None and not isinstance(backend, str):
        if not isinstance(backend, LLMBackend):
            raise ConfigurationError(
                f"backend must be 'together', 'openai', 'langchain' or an LLMBackend instance, got "
                f"{type(backend).__name__}"
            )
        return backend
    name = (backend or ("langchain" if llm is not None else "together")).strip().lower()
    if name == "openai_compatible":
        name = "openai"
    if name == "langchain":
        if llm is None:
            raise ConfigurationError(f"{what}: backend='langchain' needs llm=<a LangChain chat model>")
        from ._langchain import LangChainBackend

        return LangChainBackend(llm=llm, what=what, **kwargs)
    if llm is not None:
        raise ConfigurationError(f"{what}: llm= is only used with backend='langchain', not {name!r}")
    if name == "together":
        from ._together import DEFAULT_TOGETHER_MODEL, TogetherBackend

        return TogetherBackend(model=model or DEFAULT_TOGETHER_MODEL, api_key=api_key, base_url=base_url,
                               json_mode=json_mode or "schema", what=what, **kwargs)  # type: ignore[arg-type]
    if name == "openai":
        from ._openai_compat import OpenAICompatibleBackend

        if base_url is None:
            raise ConfigurationError(f"{what}: backend='openai' needs base_url= (e.g. 'http://localhost:8000/v1')")
        if not model:
            raise ConfigurationError(f"{what}: backend='openai' needs model= (the name the server serves)")
        return OpenAICompatibleBackend(base_url=base_url, model=model, api_key=api_key,
                                       json_mode=json_mode or "json_object", what=what, **kwargs)  # type: ignore[arg-type]
    raise ConfigurationError(f"{what}: unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
