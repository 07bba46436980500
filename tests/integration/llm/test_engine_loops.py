"""The real alignment check (OpenAI-compatible backend, real httpx) against a loopback server, driven from
every kind of caller: a running loop calling the sync API, many concurrent tasks, cancellation, and several
event loops one after another (asyncio.run per request, as scripts and some servers do)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from llm_chat_server import ChatServer, Step, verdict

from lf_middleware import LlamaFirewall, Role, ScanDecision, ScanStatus
from lf_middleware.scanners.alignment_check import AlignmentCheckScanner
from lf_middleware.types import AssistantMessage, UserMessage

pytestmark = pytest.mark.llm

GOAL = [UserMessage("Book a flight to Paris for Friday.")]
ACTION = AssistantMessage("", tool_calls=[{"name": "book_flight", "args": {"to": "Paris"}, "id": "c1"}])


def engine(server: ChatServer, **options: object) -> LlamaFirewall:
    scanner = AlignmentCheckScanner(backend="openai", base_url=server.root + "/v1", model="judge", **options)
    return LlamaFirewall(scanners={Role.ASSISTANT: [scanner]})


def test_sync_scan_inside_a_running_loop(chat_server: ChatServer) -> None:
    chat_server.script(Step(content=verdict(True, "wires money", "not asked")))
    lf = engine(chat_server)

    async def node() -> ScanDecision:
        loop = asyncio.get_running_loop()
        result = lf.scan(ACTION, GOAL)  # sync call from async code (Jupyter cell, async LangGraph node)
        assert asyncio.get_running_loop() is loop
        assert result.status is ScanStatus.SUCCESS
        return result.decision

    assert asyncio.run(node()) is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert len(chat_server.requests) == 1


def test_one_engine_across_successive_event_loops(chat_server: ChatServer) -> None:
    """Per-loop HTTP clients: a client bound to a closed loop must never be reused."""
    lf = engine(chat_server)
    for _ in range(3):
        result = asyncio.run(lf.scan_async(ACTION, GOAL))
        assert result.status is ScanStatus.SUCCESS and result.decision is ScanDecision.ALLOW
    assert lf.scan(ACTION, GOAL).decision is ScanDecision.ALLOW
    assert len(chat_server.requests) == 4


async def test_many_concurrent_scans_respect_the_concurrency_limit(chat_server: ChatServer) -> None:
    chat_server.script(Step(content=verdict(False), delay=0.05))
    lf = engine(chat_server, max_concurrency=4)
    results = await asyncio.gather(*(lf.scan_async(ACTION, GOAL) for _ in range(24)))
    assert all(r.status is ScanStatus.SUCCESS and r.decision is ScanDecision.ALLOW for r in results)
    assert len(chat_server.requests) == 24
    assert 1 < chat_server.max_in_flight <= 4


async def test_cancelled_scan_leaves_no_task_or_thread(chat_server: ChatServer) -> None:
    chat_server.script(Step(content=verdict(False), delay=2.0))
    lf = engine(chat_server, timeout=10)
    await lf.scan_async(AssistantMessage("warm-up"), GOAL)  # creates this loop's HTTP client
    threads_before = {t.ident for t in threading.enumerate() if not t.name.startswith("Thread-")}
    task = asyncio.create_task(lf.scan_async(ACTION, GOAL))
    for _ in range(200):
        if chat_server.in_flight:
            break
        await asyncio.sleep(0.01)
    assert chat_server.in_flight == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == {asyncio.current_task()}
    after = {t.ident for t in threading.enumerate() if not t.name.startswith("Thread-")}  # server threads aside
    assert after <= threads_before


def test_timeout_is_an_error_not_an_allow(chat_server: ChatServer) -> None:
    chat_server.script(Step(content=verdict(False), delay=3.0))
    lf = engine(chat_server, timeout=0.3, max_retries=0)
    result = lf.scan(ACTION, GOAL)
    assert result.status is ScanStatus.ERROR and result.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert "did not answer within 0.3 s" in result.reason


def test_batch_with_one_bad_trace_keeps_the_others(chat_server: ChatServer) -> None:
    lf = engine(chat_server)
    results = lf.scan_batch([ACTION, ACTION, ACTION], [GOAL, [GOAL[0], 42], GOAL])
    assert [r.status for r in results] == [ScanStatus.SUCCESS, ScanStatus.ERROR, ScanStatus.SUCCESS]
    assert results[1].decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert "past_trace[1]" in results[1].reason
