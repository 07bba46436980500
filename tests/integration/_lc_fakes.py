"""Test doubles for the LangChain adapter tests: a scripted chat model and small registered scanners.

Fakes, not mocks: the chat model is a real ``BaseChatModel`` (callbacks, streaming and ``create_agent`` treat
it like any provider), and the scanners are real registered ``Scanner`` subclasses run by the real engine.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from lf_middleware import register_scanner
from lf_middleware.scanners.base import Scanner
from lf_middleware.types import ScanDecision

INJECTION = "ignore previous instructions"
NEEDS_REVIEW = "wire the money"


class ScriptedChatModel(BaseChatModel):
    """Answers with the scripted messages in order and records every input it was given."""

    script: list[Any]
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    produced: list[str] = Field(default_factory=list)
    index: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted-test-model"

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.seen.append(list(messages))
        if self.index >= len(self.script):
            raise AssertionError(f"the script has only {len(self.script)} turns; call {self.index + 1} was made")
        item = self.script[self.index]
        self.index += 1
        return AIMessage(content=item) if isinstance(item, str) else item

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages)
        for token in re.split(r"(\s)", str(message.content)):
            if not token:
                continue
            self.produced.append(token)
            yield ChatGenerationChunk(message=AIMessageChunk(content=token))


@register_scanner("lc_test_injection", replace=True)
class InjectionTestScanner(Scanner):
    """BLOCK on an injection phrase, HITL on a phrase that needs review; error on a poison marker."""

    default_hitl_threshold = None
    default_block_threshold = None
    score_based = False

    def scan_sync(self, message, past_trace=None):
        text = message.content.lower()
        if "\x00boom" in text or "kaboom" in text:
            raise RuntimeError("scanner crashed on purpose")
        at = text.find(INJECTION)
        if at >= 0:
            return self.result(score=1.0, decision=ScanDecision.BLOCK, reason=f"injection phrase at {at}",
                               spans=[{"start": at, "end": at + len(INJECTION), "category": "injection"}])
        if NEEDS_REVIEW in text:
            return self.result(score=0.6, decision=ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, reason="risky transfer")
        return self.result(score=0.0, reason="clean")


_SECRET = re.compile(r"sk-[A-Za-z0-9]{8,}|[\w.+-]+@[\w-]+\.[\w.]+")


@register_scanner("lc_test_secret", replace=True)
class SecretTestScanner(Scanner):
    """BLOCK on an API-key-like token or an email address, reporting each span in ``details['spans']``."""

    default_hitl_threshold = None
    default_block_threshold = None
    score_based = False

    def scan_sync(self, message, past_trace=None):
        spans = [{"start": m.start(), "end": m.end(), "category": "secret" if m.group().startswith("sk-") else "pii",
                  "name": "api_key" if m.group().startswith("sk-") else "email"}
                 for m in _SECRET.finditer(message.content)]
        if spans:
            return self.result(score=1.0, decision=ScanDecision.BLOCK, reason=f"{len(spans)} sensitive span(s)",
                               spans=spans)
        return self.result(reason="clean")


@register_scanner("lc_test_probe", replace=True)
class TraceProbeScanner(Scanner):
    """Allows everything and records (role, content, contents of past_trace) for every scan."""

    default_hitl_threshold = None
    default_block_threshold = None
    score_based = False
    requires_full_trace = True
    calls: list[tuple[str, str, list[str]]] = []
    _lock = threading.Lock()

    def scan_sync(self, message, past_trace=None):
        with self._lock:
            type(self).calls.append((message.role.value, message.content, [m.content for m in past_trace or []]))
        return self.result(reason="probe")


@register_scanner("lc_test_async_slow", replace=True)
class AsyncSlowScanner(Scanner):
    """An async-only scanner that yields to the loop (so concurrent runs interleave)."""

    default_hitl_threshold = None
    default_block_threshold = None
    score_based = False

    async def scan(self, message, past_trace=None):
        import asyncio

        await asyncio.sleep(0.001)
        if INJECTION in message.content.lower():
            return self.result(score=1.0, decision=ScanDecision.BLOCK, reason="injection (async)")
        return self.result(reason="clean")
