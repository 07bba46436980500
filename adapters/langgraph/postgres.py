"""Many workers, one PostgreSQL: resume an interrupted thread exactly once.

LangGraph's ``PostgresSaver`` / ``AsyncPostgresSaver`` keep every thread's state (messages, the guard's stored
verdicts, the Rule of Two record) where any worker can resume it. What they do not do is stop two workers from
resuming the *same* interrupt at the same time: both would read the checkpoint that holds the open review,
both would apply the approval, and the approved tool would run twice.

:func:`resume_once` closes that gap with a PostgreSQL advisory lock per thread: the worker that holds the lock
checks that the review it is answering (by interrupt id) is still open, resumes, and releases the lock when
the run has stopped (finished, or at its next interrupt) and its checkpoint is written. Every other worker then
finds that interrupt answered and does nothing. An approval is therefore applied once, to the question it
answers, never to a later review of the same thread.

    with psycopg.connect(url, autocommit=True) as lock_conn:
        result = resume_once(app, lock_conn, thread_id, interrupt_id, {"decisions": [{"type": "approve"}]})

Needs ``langgraph-checkpoint-postgres`` and ``psycopg`` (the ``postgres`` extra).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from langgraph.types import Command

__all__ = ("aresume_once", "athread_lock", "open_interrupts", "resume_once", "thread_lock")

#: advisory-lock namespace, so these locks never collide with an application's own advisory locks
_LOCK_SPACE = "lf_middleware.thread"


def _config(thread_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread_id}}


def _lock_sql(fn: str) -> str:
    return f"SELECT {fn}(hashtextextended(%s, 0))"


@contextmanager
def thread_lock(conn: Any, thread_id: str) -> Iterator[None]:
    """Hold a session advisory lock for ``thread_id`` on ``conn`` (a psycopg connection in autocommit mode)."""
    key = f"{_LOCK_SPACE}:{thread_id}"
    conn.execute(_lock_sql("pg_advisory_lock"), (key,))
    try:
        yield
    finally:
        conn.execute(_lock_sql("pg_advisory_unlock"), (key,))


@asynccontextmanager
async def athread_lock(conn: Any, thread_id: str) -> AsyncIterator[None]:
    """Async twin of :func:`thread_lock` (a psycopg ``AsyncConnection`` in autocommit mode)."""
    key = f"{_LOCK_SPACE}:{thread_id}"
    await conn.execute(_lock_sql("pg_advisory_lock"), (key,))
    try:
        yield
    finally:
        await conn.execute(_lock_sql("pg_advisory_unlock"), (key,))


def open_interrupts(snapshot: Any) -> dict[str, Any]:
    """Interrupt id -> payload for every review a thread's state snapshot is waiting on."""
    return {i.id: i.value for task in snapshot.tasks for i in task.interrupts}


def resume_once(app: Any, lock_conn: Any, thread_id: str, interrupt_id: str, answer: Any) -> Any | None:
    """Resume ``thread_id`` with ``answer`` to ``interrupt_id`` unless that interrupt is no longer open.

    Returns the run's result, or None when the interrupt was already answered (by this or another worker).
    """
    config = _config(thread_id)
    with thread_lock(lock_conn, thread_id):
        if interrupt_id not in open_interrupts(app.get_state(config)):
            return None
        return app.invoke(Command(resume={interrupt_id: answer}), config)


async def aresume_once(app: Any, lock_conn: Any, thread_id: str, interrupt_id: str, answer: Any) -> Any | None:
    """Async twin of :func:`resume_once`."""
    config = _config(thread_id)
    async with athread_lock(lock_conn, thread_id):
        if interrupt_id not in open_interrupts(await app.aget_state(config)):
            return None
        return await app.ainvoke(Command(resume={interrupt_id: answer}), config)
