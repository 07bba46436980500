"""Any LangChain chat model as the judge (ChatOllama, ChatOpenAI pointed at vLLM, ChatTogether, ...).

Uses ``with_structured_output(schema, include_raw=True)`` when the model supports it, so the reply arrives
already parsed and validated; models without it (``NotImplementedError``) get a plain ``ainvoke`` and the text
goes through the tolerant JSON parser like any other backend.
"""

from __future__ import annotations

import logging
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError
from ._core import ChatMessages, LLMCallError, LLMReply, parse_retry_after, status_error

__all__ = ("LangChainBackend",)

logger = logging.getLogger(__name__)


def _usage(message: Any) -> tuple[int | None, int | None]:
    meta = getattr(message, "usage_metadata", None) or {}
    pt, ct = meta.get("input_tokens"), meta.get("output_tokens")
    return (pt if isinstance(pt, int) else None, ct if isinstance(ct, int) else None)


def _content_text(message: Any) -> str | None:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        parts = [b if isinstance(b, str) else b.get("text", "") for b in content if isinstance(b, (str, dict))]
        return "".join(parts)
    return None


class LangChainBackend:
    """Wraps a ``langchain_core`` ``BaseChatModel``.

    Args:
        llm: the chat model instance.
        structured: True to require ``with_structured_output``, False to never use it, None (default) to use
            it when the model supports it.
    """

    name = "langchain"

    def __init__(self, *, llm: Any, structured: bool | None = None, what: str = "the LLM scanner") -> None:
        require("langchain_core", "langchain", what=what)
        from langchain_core.language_models import BaseChatModel

        if not isinstance(llm, BaseChatModel):
            raise ConfigurationError(
                f"llm must be a LangChain chat model (a langchain_core BaseChatModel such as ChatOllama), "
                f"got {type(llm).__name__}"
            )
        self.llm = llm
        self.structured = structured
        self.model = str(getattr(llm, "model", None) or getattr(llm, "model_name", None) or type(llm).__name__)
        self._structured_cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"LangChainBackend(llm={type(self.llm).__name__}, model={self.model!r})"

    def _runnable(self, schema: type | None) -> Any:
        if schema is None or self.structured is False:
            return None
        key = f"{schema.__module__}.{schema.__qualname__}"
        if key in self._structured_cache:
            return self._structured_cache[key]
        try:
            runnable = self.llm.with_structured_output(schema, include_raw=True)
        except Exception as err:  # NotImplementedError (no tool calling) or a model-specific refusal
            if self.structured:
                raise ConfigurationError(
                    f"{type(self.llm).__name__} cannot give structured output ({type(err).__name__}); pass "
                    "structured=None to fall back to JSON in the reply text"
                ) from None
            logger.debug("%s: no structured output (%s); parsing JSON from the reply text",
                         type(self.llm).__name__, type(err).__name__)
            runnable = None
        self._structured_cache[key] = runnable
        return runnable

    async def acomplete(self, messages: ChatMessages, *, schema: type | None, timeout: float) -> LLMReply:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        lc_messages = [kinds[m["role"]](content=m["content"]) for m in messages]
        runnable = self._runnable(schema)
        try:
            if runnable is not None:
                out = await runnable.ainvoke(lc_messages)
                raw = out.get("raw") if isinstance(out, dict) else None
                pt, ct = _usage(raw)
                parsed = out.get("parsed") if isinstance(out, dict) else out
                text = _content_text(raw) if raw is not None else None
                if parsed is None and out.get("parsing_error") is not None:
                    logger.debug("structured output did not parse (%s); trying the reply text",
                                 type(out["parsing_error"]).__name__)
                return LLMReply(text=text, parsed=parsed, prompt_tokens=pt, completion_tokens=ct, model=self.model)
            reply = await self.llm.ainvoke(lc_messages)
        except (LLMCallError, ConfigurationError):
            raise
        except Exception as err:  # provider errors: map HTTP statuses, keep content out of the message
            status = getattr(err, "status_code", None)
            if isinstance(status, int):
                response = getattr(err, "response", None)
                headers = getattr(response, "headers", None) or {}
                raise status_error(self.model, status, parse_retry_after(headers.get("retry-after"))) from None
            raise LLMCallError(f"{type(self.llm).__name__} failed: {type(err).__name__}") from err
        pt, ct = _usage(reply)
        return LLMReply(text=_content_text(reply), prompt_tokens=pt, completion_tokens=ct, model=self.model)

    def close(self) -> None:
        """Nothing to release: the chat model belongs to the caller."""
