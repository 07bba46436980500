"""Guard a streamed model response while it streams.

Two mechanisms, because callbacks can only observe:

* :class:`HoldBack` and :class:`GuardedChatModel` (what :func:`guard_model` returns, and what
  ``GuardMiddleware`` puts around the agent's model) **never release text the scanners have not judged**.
  The cheap pattern scanners (secrets, PII, hidden text) read every chunk, and the last ``holdback``
  characters stay back, so a pattern that a later chunk could complete is never released half-way. Model
  scanners (the main engine's assistant pipeline) judge the text at sentence / line / fence boundaries and
  nothing after the last judged boundary is released, with the wait bounded by ``max_chars``. On BLOCK the
  stream ends: the wrapper raises :class:`~lf_middleware.errors.GuardrailBlocked`, or (inside the middleware)
  ends the reply with a withheld notice. This covers ``stream``, ``astream``, ``stream_mode="messages"`` and
  ``astream_events``: they all see the wrapper's chunks only.
* :class:`StreamBuffer` is what the callback handlers use: every token is scanned with the cheap scanners
  (with an overlap into text already checked) and a BLOCK raises from ``on_llm_new_token``, before LangChain
  yields that token. A callback cannot hold text back, so the part of a pattern that arrived in earlier tokens
  has already been yielded: wrap the model with :func:`guard_model` when that matters.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import RunnableBinding

from ...engine import LlamaFirewall
from ...errors import ConfigurationError, GuardrailBlocked
from ...guard import flagged_by, withheld_message_text
from ...scanners.base import get_scanner_class
from ...types import AssistantMessage, Role, ScanDecision, ScanResult

__all__ = ("DEFAULT_STREAM_SCANNERS", "GuardedChatModel", "HoldBack", "StreamBuffer", "StreamPolicy",
           "build_stream_firewall", "guard_model")

logger = logging.getLogger(__name__)

#: cheap scanners used on partial output when none are named
DEFAULT_STREAM_SCANNERS: tuple[str, ...] = ("regex", "hidden_ascii")

_SENTENCE_ENDS = frozenset(".!?\n。！？;")
_FENCE = "```"


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamPolicy:
    """When to scan a growing response.

    Args:
        max_tokens: scan after this many tokens since the last scan, boundary or not.
        max_chars: scan after this many characters since the last scan, boundary or not.
        min_chars: do not scan at a sentence boundary before this many new characters (cuts scans of
            "Hi." fragments); fence closes and budgets ignore it.
        overlap: characters of already-scanned text included at the start of each window.
        holdback: characters a :class:`HoldBack` keeps back for the pattern scanners (at least the longest
            pattern a chunk could be the start of: secrets and PII in the bundled packs are far shorter).
    """

    max_tokens: int = 32
    max_chars: int = 400
    min_chars: int = 16
    overlap: int = 160
    holdback: int = 96

    def __post_init__(self) -> None:
        for label in ("max_tokens", "max_chars"):
            if getattr(self, label) < 1:
                raise ConfigurationError(f"StreamPolicy.{label} must be at least 1, got {getattr(self, label)!r}")
        for label in ("min_chars", "overlap", "holdback"):
            if getattr(self, label) < 0:
                raise ConfigurationError(f"StreamPolicy.{label} must be >= 0, got {getattr(self, label)!r}")


@dataclass(slots=True)
class StreamBuffer:
    """The text of one streamed run so far, and where the last scan stopped."""

    policy: StreamPolicy = field(default_factory=StreamPolicy)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    scanned_to: int = 0
    tokens_since: int = 0
    fences: int = 0
    _text: str = ""

    @property
    def text(self) -> str:
        if len(self._text) != self.length:
            self._text = "".join(self.parts)
        return self._text

    def feed(self, token: str, *, every: bool = False) -> str | None:
        """Add ``token``; return the window to scan when a boundary was reached (``every``: at every token),
        else ``None``."""
        if not token:
            return None
        self.parts.append(token)
        self.length += len(token)
        self.tokens_since += 1
        new_chars = self.length - self.scanned_to
        boundary = False
        if "`" in token:  # a fence may also arrive split over tokens ("``" + "`")
            fences = self.text.count(_FENCE)
            if fences > self.fences:
                boundary = fences % 2 == 0  # a fence just closed
                self.fences = fences
        if not boundary:
            boundary = (
                self.tokens_since >= self.policy.max_tokens
                or new_chars >= self.policy.max_chars
                or (new_chars >= self.policy.min_chars and any(ch in _SENTENCE_ENDS for ch in token))
            )
        return self._take() if boundary or every else None

    def flush(self) -> str | None:
        """The unscanned tail at the end of the stream (``None`` when everything was scanned)."""
        return self._take() if self.length > self.scanned_to else None

    def _take(self) -> str:
        text = self.text
        start = max(0, self.scanned_to - self.policy.overlap)
        self.scanned_to = self.length
        self.tokens_since = 0
        return text[start:]


def token_text(token: object) -> str:
    """The text of an ``on_llm_new_token`` token: a str, or a list of content blocks (v1 output)."""
    if isinstance(token, str):
        return token
    if isinstance(token, list):
        out = []
        for block in token:
            if isinstance(block, str):
                out.append(block)
            elif isinstance(block, dict) and isinstance(block.get("text"), str):
                out.append(block["text"])
        return "".join(out)
    return ""


def build_stream_firewall(scanners: Sequence[object] | None) -> LlamaFirewall | None:
    """An engine that runs ``scanners`` (default: regex + hidden_ascii) on ASSISTANT text.

    Returns ``None`` (stream scanning off, logged once) when the default scanners are not available in this
    installation; naming scanners that do not exist is a :class:`ConfigurationError`.
    """
    if scanners is None:
        names = []
        for name in DEFAULT_STREAM_SCANNERS:
            try:
                get_scanner_class(name)
            except ConfigurationError:
                continue
            names.append(name)
        if not names:
            logger.warning("streaming scan disabled: none of the default stream scanners %s is available; "
                           "pass stream_scanners=[...] to enable it", list(DEFAULT_STREAM_SCANNERS))
            return None
        return LlamaFirewall(scanners={Role.ASSISTANT: names})
    if not scanners:
        return None
    return LlamaFirewall(scanners={Role.ASSISTANT: list(scanners)})


# ------------------------------------------------------------------------------------------------------------
# Hold-back: release only judged text


class HoldBack:
    """The text of one streamed reply, released only once the scanners have judged it.

    ``cheap`` judges the text before any of it is released (a window reaching back ``overlap`` characters into
    released text), in steps of at least ``policy.min_chars``; the last ``policy.holdback`` characters are kept
    back for it. ``full`` (optional: model scanners) runs at
    boundaries (:class:`StreamBuffer`'s rule) and on the whole text at the end; text after the last boundary it
    judged is kept back. A HUMAN_IN_THE_LOOP_REQUIRED verdict from it keeps back everything after that point
    until the end of the stream, where the caller's final scan decides.
    """

    def __init__(self, cheap: LlamaFirewall | None, full: LlamaFirewall | None = None, *,
                 policy: StreamPolicy | None = None) -> None:
        self.cheap, self.full = cheap, full
        self.policy = policy or StreamPolicy()
        self.text = ""
        self.released = 0
        self.judged = 0  # how far the full engine has judged (== len(text) when there is none)
        self.hold_all = False
        self.blocked: ScanResult | None = None
        self._buffer = StreamBuffer(policy=self.policy)

    def _check(self, result: ScanResult) -> None:
        if result.decision is ScanDecision.BLOCK:
            self.blocked = result
            raise GuardrailBlocked(result, f"lf-middleware blocked the streamed reply: {result.reason}")

    def _cheap_window(self) -> AssistantMessage:
        return AssistantMessage(self.text[max(0, self.released - self.policy.overlap):])

    def _full_window(self, upto: int) -> AssistantMessage:
        return AssistantMessage(self.text[max(0, self.judged - self.policy.overlap):upto])

    def _take(self, final: bool = False) -> str:
        limit = len(self.text) if final else len(self.text) - self.policy.holdback
        if self.full is not None and not final:
            limit = min(limit, self.judged)
        if self.hold_all and not final:
            limit = self.released
        if limit <= self.released:
            return ""
        out = self.text[self.released:limit]
        self.released = limit
        return out

    def _due(self) -> bool:
        """Whether ``min_chars`` can be released now: the cheap scan runs only then (text that stays back is
        judged by a later scan before it leaves), which keeps its cost per release, not per chunk."""
        limit = len(self.text) - self.policy.holdback
        if self.full is not None:
            limit = min(limit, self.judged)
        return not self.hold_all and limit - self.released >= max(1, self.policy.min_chars)

    def _after_full(self, result: ScanResult) -> None:
        self._check(result)
        if result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED:
            self.hold_all = True

    def feed(self, chunk: str) -> str:
        """Add a chunk; the text that may be released now (raises :class:`GuardrailBlocked` on BLOCK)."""
        if not chunk:
            return ""
        self.text += chunk
        if self.full is not None and self._buffer.feed(chunk) is not None:
            self._after_full(self.full.scan(self._full_window(len(self.text))))
            self.judged = len(self.text)
        if self.cheap is not None and self._due():
            self._check(self.cheap.scan(self._cheap_window()))
        return self._take() if self._due() else ""

    async def afeed(self, chunk: str) -> str:
        """Async twin of :meth:`feed`."""
        if not chunk:
            return ""
        self.text += chunk
        if self.full is not None and self._buffer.feed(chunk) is not None:
            self._after_full(await self.full.scan_async(self._full_window(len(self.text))))
            self.judged = len(self.text)
        if self.cheap is not None and self._due():
            self._check(await self.cheap.scan_async(self._cheap_window()))
        return self._take() if self._due() else ""

    def finish(self) -> str:
        """The rest of the text once the whole reply was judged (raises on BLOCK)."""
        engine = self.full or self.cheap
        if engine is not None:
            self._check(engine.scan(AssistantMessage(self.text)))
        return self._take(final=True)

    async def afinish(self) -> str:
        """Async twin of :meth:`finish`."""
        engine = self.full or self.cheap
        if engine is not None:
            self._check(await engine.scan_async(AssistantMessage(self.text)))
        return self._take(final=True)


def _unbind(model: Any) -> tuple[BaseChatModel, dict[str, Any]]:
    if isinstance(model, BaseChatModel):
        return model, {}
    if isinstance(model, RunnableBinding) and isinstance(model.bound, BaseChatModel):
        return model.bound, dict(model.kwargs)
    raise ConfigurationError(
        f"guard_model needs a LangChain chat model (or one bound with tools), got {type(model).__name__}")


def _chunk(text: str, like: ChatGenerationChunk | None = None) -> ChatGenerationChunk:
    msg = like.message if like is not None else None
    extra: dict[str, Any] = {}
    if isinstance(msg, AIMessageChunk):
        extra = {"tool_call_chunks": msg.tool_call_chunks, "response_metadata": msg.response_metadata,
                 "usage_metadata": msg.usage_metadata, "id": msg.id}
    return ChatGenerationChunk(message=AIMessageChunk(content=text, **extra))


class GuardedChatModel(BaseChatModel):
    """A chat model whose streamed text is released only after the scanners judged it (see :class:`HoldBack`).

    ``on_block="raise"`` raises :class:`GuardrailBlocked` (nothing unsafe was released); ``"withhold"`` ends the
    reply with a withheld notice instead and drops its tool calls (what ``GuardMiddleware`` uses, so the agent
    state gets a safe message). Non-streamed calls go to the inner model and, with ``raise``, are scanned whole.
    """

    inner: BaseChatModel
    bound: dict[str, Any] = {}
    cheap: Any = None
    full: Any = None
    policy: StreamPolicy = StreamPolicy()
    on_block: str = "raise"

    @property
    def _llm_type(self) -> str:
        return f"lf-guarded-{self.inner._llm_type}"

    def bind_tools(self, tools: Any, **kwargs: Any) -> GuardedChatModel:  # type: ignore[override]
        inner, bound = _unbind(self.inner.bind_tools(tools, **kwargs))
        return self.model_copy(update={"inner": inner, "bound": {**self.bound, **bound}})

    def _hold(self) -> HoldBack:
        return HoldBack(self.cheap, self.full, policy=self.policy)

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        result = self.inner._generate(messages, stop=stop, **{**self.bound, **kwargs})
        if self.on_block == "raise":
            hold = self._hold()
            hold.text = "".join(g.message.text for g in result.generations if g.message is not None)
            hold.finish()
        return result

    async def _agenerate(self, messages: Any, stop: Any = None, run_manager: Any = None,
                         **kwargs: Any) -> ChatResult:
        result = await self.inner._agenerate(messages, stop=stop, **{**self.bound, **kwargs})
        if self.on_block == "raise":
            hold = self._hold()
            hold.text = "".join(g.message.text for g in result.generations if g.message is not None)
            await hold.afinish()
        return result

    def _blocked(self, hold: HoldBack, err: GuardrailBlocked) -> ChatGenerationChunk:
        if self.on_block == "raise":
            raise err
        return _chunk(("\n" if hold.released else "") + withheld_message_text(Role.ASSISTANT, err.result))

    def _stream(self, messages: Any, stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        hold = self._hold()
        last = None
        try:
            for last in self.inner._stream(messages, stop=stop, **{**self.bound, **kwargs}):
                yield _chunk(hold.feed(last.text), last)
            yield _chunk(hold.finish())
        except GuardrailBlocked as err:
            logger.info("streamed reply stopped (%s)", flagged_by(err.result))
            yield self._blocked(hold, err)

    async def _astream(self, messages: Any, stop: Any = None, run_manager: Any = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        hold = self._hold()
        try:
            async for last in self.inner._astream(messages, stop=stop, **{**self.bound, **kwargs}):
                yield _chunk(await hold.afeed(last.text), last)
            yield _chunk(await hold.afinish())
        except GuardrailBlocked as err:
            logger.info("streamed reply stopped (%s)", flagged_by(err.result))
            yield self._blocked(hold, err)


def guard_model(model: Any, firewall: LlamaFirewall | None = None, *, stream_scanners: Sequence[Any] | None = None,
                policy: StreamPolicy | None = None, on_block: str = "raise") -> GuardedChatModel:
    """Wrap a chat model so that streamed text is released only after the scanners judged it.

    ``firewall``'s assistant pipeline judges at boundaries and at the end (model scanners); the cheap
    ``stream_scanners`` (default regex + hidden_ascii) read every chunk.
    """
    if on_block not in ("raise", "withhold"):
        raise ConfigurationError(f"on_block must be 'raise' or 'withhold', got {on_block!r}")
    inner, bound = _unbind(model)
    if isinstance(inner, GuardedChatModel):
        return inner
    full = firewall if firewall is not None and firewall.scanners_for(Role.ASSISTANT) else None
    return GuardedChatModel(inner=inner, bound=bound, cheap=build_stream_firewall(stream_scanners), full=full,
                            policy=policy or StreamPolicy(), on_block=on_block)
