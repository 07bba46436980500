"""Streaming never leaks what it blocks: a secret split over several chunks never reaches the caller, through
``stream``, ``astream``, ``stream_mode="messages"`` and ``astream_events``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("langchain")

from _lc_fakes import ScriptedChatModel  # noqa: E402
from langchain.agents import create_agent  # noqa: E402
from langchain_core.messages import AIMessageChunk, HumanMessage  # noqa: E402
from langchain_core.outputs import ChatGenerationChunk  # noqa: E402
from lf_middleware.adapters.langchain import GuardMiddleware, guard_handler  # noqa: E402
from lf_middleware.adapters.langchain.streaming import HoldBack, StreamPolicy, guard_model  # noqa: E402

from lf_middleware import LlamaFirewall, Role  # noqa: E402
from lf_middleware.errors import GuardrailBlocked  # noqa: E402

KEY = "AKIAIOSFODNN7EXAMPLE"
PIECES = ["Sure. ", "Your key is A", "KIAIOSF", "ODNN7EX", "AMPLE and", " that is all", "."]
ROLES = {Role.USER: ["regex"], Role.ASSISTANT: ["regex", "hidden_ascii"], Role.TOOL: ["regex"]}


class ChunkyChatModel(ScriptedChatModel):
    """Streams its replies in the given pieces (so a secret arrives split over chunks)."""

    pieces: list[str] = PIECES

    def _stream(self, messages: Any, stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        self._next(messages)
        for piece in self.pieces:
            self.produced.append(piece)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager is not None:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def _model(turns: int = 1) -> ChunkyChatModel:
    return ChunkyChatModel(script=["".join(PIECES)] * turns)


def _leaked(texts: list[str]) -> bool:
    joined = "".join(texts)
    return any(KEY[:n] in joined for n in (4, len(KEY))) and "AKIA" in joined


def test_the_unguarded_model_would_leak() -> None:  # the fake really splits the key
    texts = [c.content for c in _model().stream("hi")]
    assert _leaked(texts) and KEY not in "".join(texts[:3])


def test_guard_model_stream_and_astream_release_nothing_unsafe() -> None:
    model = guard_model(_model(), LlamaFirewall(scanners=ROLES))
    got: list[str] = []
    with pytest.raises(GuardrailBlocked):
        for c in model.stream("hi"):
            got.append(c.content)
    assert not _leaked(got)


async def test_guard_model_astream_and_events() -> None:
    model = guard_model(_model(), LlamaFirewall(scanners=ROLES))
    got: list[str] = []
    with pytest.raises(GuardrailBlocked):
        async for c in model.astream("hi"):
            got.append(c.content)
    assert not _leaked(got)
    events: list[str] = []
    with pytest.raises(GuardrailBlocked):
        async for ev in guard_model(_model(), LlamaFirewall(scanners=ROLES)).astream_events("hi", version="v2"):
            if ev["event"] == "on_chat_model_stream":
                events.append(ev["data"]["chunk"].content)
    assert not _leaked(events)


@pytest.mark.parametrize("mode", ["messages", "events"])
async def test_middleware_streams_release_nothing_unsafe(mode: str) -> None:
    agent = create_agent(_model(2), tools=[], middleware=[GuardMiddleware(scanners=ROLES)])
    got: list[str] = []
    if mode == "messages":
        for chunk, _meta in agent.stream({"messages": [HumanMessage("my key?")]}, stream_mode="messages"):
            if isinstance(chunk, AIMessageChunk):
                got.append(str(chunk.content))
    else:
        async for ev in agent.astream_events({"messages": [HumanMessage("my key?")]}, version="v2"):
            if ev["event"] == "on_chat_model_stream":
                got.append(str(ev["data"]["chunk"].content))
    assert got and not _leaked(got)
    assert "withheld by lf-middleware" in "".join(got)
    final = agent.invoke({"messages": [HumanMessage("my key?")]})["messages"][-1]
    assert KEY not in str(final.content)


def test_callback_handler_stops_the_chunk_that_completes_a_secret() -> None:
    # a callback cannot hold text back, but it judges every chunk: the chunk holding the secret is not yielded
    model = ScriptedChatModel(script=[f"Sure. Your key is {KEY} and that is all."])
    got: list[str] = []
    with pytest.raises(GuardrailBlocked):
        for c in model.stream("hi", config={"callbacks": [guard_handler(scanners=ROLES)]}):
            got.append(c.content)
    assert KEY not in "".join(got) and "and" not in got


def test_hold_back_is_bounded_and_model_scanners_judge_at_boundaries() -> None:
    seen: list[str] = []

    class Full:
        def scan(self, message: Any) -> Any:
            seen.append(message.content)
            return LlamaFirewall(scanners=ROLES).scan(message)

    hold = HoldBack(LlamaFirewall(scanners={Role.ASSISTANT: ["regex"]}), Full(),  # type: ignore[arg-type]
                    policy=StreamPolicy(holdback=8, max_chars=40))
    released = [hold.feed("word " * 3) for _ in range(20)]
    assert seen and max(len(w) for w in seen) <= 160 + 40 + 15  # judged in bounded windows (overlap + budget)
    assert len(hold.text) - hold.released <= 40 + 15  # never more than a window (+ a chunk) held back
    assert "".join(released) + hold.finish() == hold.text
