"""Driving coroutines from sync code without touching the caller's event loop.

Sync engine methods may be called from inside a running loop (a Jupyter cell, an async LangGraph node). They
never call ``asyncio.run`` there: coroutines go to one private event loop that runs on a daemon thread for the
life of the process.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ("run_sync",)


class _LoopThread:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is not None and self._thread is not None and self._thread.is_alive():
                return self._loop
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def _run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            thread = threading.Thread(target=_run, name="lf-middleware-loop", daemon=True)
            thread.start()
            ready.wait()
            self._loop, self._thread = loop, thread
            atexit.register(self.stop)
            return loop

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(loop.stop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        loop = self._loop if self._loop is not None else self._start()
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError(
                "a sync lf-middleware method was called from inside an async scanner; use the async method "
                "('await lf.scan_async(...)') there"
            )
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(timeout)
        except BaseException:
            # the caller gave up (timeout, KeyboardInterrupt, its own cancellation): stop the work on the private
            # loop too, so no scan keeps running (and calling LLM backends) with nobody waiting for it
            future.cancel()
            raise


_runner = _LoopThread()


def _reset_after_fork() -> None:
    # a forked child has the parent's loop object but not its thread: a coroutine handed to that loop would
    # never run and the sync caller would wait forever (prefork servers that warmed the engine up in the parent)
    _runner._loop = None
    _runner._thread = None
    _runner._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def run_sync(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coro`` to completion from sync code, whether or not this thread has a running loop."""
    return _runner.run(coro, timeout)
