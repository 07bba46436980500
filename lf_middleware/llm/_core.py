"""The backend contract and the call policy every LLM backend shares.

A backend does one thing: send chat messages, return the reply text (or an already-structured object) and the
token counts. :class:`LLMClient` wraps any backend with what each call needs around it: a per-call timeout,
bounded retries with exponential backoff and jitter on 429/5xx (honouring ``Retry-After``), a concurrency limit,
an optional LRU cache keyed by the rendered prompt, and token/latency accounting.

Event loops: a client is shared by the caller's loop and the engine's private loop thread, so it keeps no
loop-bound asyncio primitive on itself; semaphores (and the backends' async HTTP clients) are kept per running
loop in a :class:`PerLoop` map.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import json
import logging
import random
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from ..errors import ConfigurationError, ScannerError

__all__ = (
    "LLMBackend",
    "LLMCallError",
    "LLMCallResult",
    "LLMClient",
    "LLMReply",
    "LLMTimeoutError",
    "MissingCredentialsError",
    "PerLoop",
    "RetryPolicy",
    "parse_retry_after",
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

ChatMessages = Sequence[Mapping[str, str]]
"""``[{"role": "system"|"user"|"assistant", "content": str}, ...]``"""


class LLMCallError(ScannerError):
    """An LLM call failed at run time. ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None,
                 retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.retryable = retryable


class MissingCredentialsError(ConfigurationError):
    """No API key was configured for a backend that needs one (scanners with ``optional=True`` skip instead)."""


class LLMTimeoutError(LLMCallError):
    """The LLM did not answer within the per-call timeout."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LLMReply:
    """What a backend returns: the reply text, or an object the backend already parsed (structured output)."""

    text: str | None = None
    parsed: Any = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LLMCallResult:
    """A reply plus how it was obtained (for the result's details)."""

    reply: LLMReply
    latency_ms: float
    attempts: int
    cached: bool = False

    def accounting(self) -> dict[str, Any]:
        return {
            "model": self.reply.model,
            "prompt_tokens": self.reply.prompt_tokens,
            "completion_tokens": self.reply.completion_tokens,
            "latency_ms": round(self.latency_ms, 3),
            "attempts": self.attempts,
            "cached": self.cached,
        }


@runtime_checkable
class LLMBackend(Protocol):
    """One chat call. Raise :class:`LLMCallError` (``retryable`` for 429/5xx/connection errors) on failure.

    ``schema`` is a pydantic model class the reply should follow: backends that can constrain output to it (JSON
    schema mode, LangChain ``with_structured_output``) do; the others ask for JSON and return text.
    ``timeout`` is the per-attempt budget in seconds; :class:`LLMClient` also enforces it.
    """

    name: str
    model: str

    async def acomplete(self, messages: ChatMessages, *, schema: type | None, timeout: float) -> LLMReply: ...

    def close(self) -> None: ...


class PerLoop(Generic[T]):
    """One value per running event loop, created on first use; dropped when the loop is garbage collected."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._values: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        with self._lock:
            value = self._values.get(loop)
            if value is None:
                # values may hold their loop strongly (a semaphore, a connection pool), which would keep the
                # weak key alive: drop entries of closed loops whenever a new loop shows up
                for old in [lp for lp in self._values if lp.is_closed()]:
                    del self._values[old]
                value = self._factory()
                self._values[loop] = value
            return value

    def items(self) -> list[tuple[asyncio.AbstractEventLoop, T]]:
        with self._lock:
            return list(self._values.items())

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def pop_current(self) -> T | None:
        """Remove and return the running loop's value (None when it has none)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            return self._values.pop(loop, None)


async def _within(coro: Any, seconds: float) -> Any:
    """Await ``coro`` with a deadline; ``asyncio.timeout`` (3.11+) avoids the extra task ``wait_for`` makes."""
    timeout_cm = getattr(asyncio, "timeout", None)
    if timeout_cm is None:  # Python 3.10
        return await asyncio.wait_for(coro, seconds)
    async with timeout_cm(seconds):
        return await coro


def close_per_loop(values: PerLoop[Any], method: str) -> None:
    """Close per-loop async clients: schedule ``await client.<method>()`` on each loop still running."""
    for loop, client in values.items():
        if loop.is_closed() or not loop.is_running():
            continue
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(_start_close, loop, client, method)
    values.clear()


async def aclose_per_loop(values: PerLoop[Any], method: str) -> None:
    """Close the running loop's client properly (awaited) and schedule the others' closing."""
    client = values.pop_current()
    if client is not None:
        await getattr(client, method)()
    close_per_loop(values, method)


def _start_close(loop: asyncio.AbstractEventLoop, client: Any, method: str) -> None:
    task = loop.create_task(getattr(client, method)())
    # best effort: a loop that shuts down first makes the close fail; that must not surface as noise
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """Bounded retries: ``max_retries`` more attempts after the first, on retryable errors only.

    The delay before retry *n* (0-based) is ``min(max_delay, base_delay * 2**n)`` scaled by a random factor in
    [0.5, 1.0] (jitter); a ``Retry-After`` from the server replaces it when larger, up to ``max_retry_after``
    (a server asking for a longer wait fails the call instead of stalling the agent). Timeouts are retried
    only with ``retry_on_timeout``.
    """

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0
    retry_on_timeout: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0 or self.max_retries > 10:
            raise ConfigurationError(f"max_retries must be an int between 0 and 10, got {self.max_retries!r}")
        for label in ("base_delay", "max_delay", "max_retry_after"):
            value = getattr(self, label)
            if not isinstance(value, (int, float)) or value < 0:
                raise ConfigurationError(f"{label} must be a number >= 0, got {value!r}")

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.max_retries:
            return None
        backoff = min(self.max_delay, self.base_delay * (2**attempt)) * (0.5 + 0.5 * rng.random())
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(backoff, retry_after)
        return backoff


class _LRU:
    """A small thread-safe LRU map (bounded; size 0 disables it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, LLMReply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> LLMReply | None:
        if self.size <= 0:
            return None
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: LLMReply) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class LLMClient:
    """A backend plus the call policy (timeout, retries, concurrency limit, cache, accounting).

    Args:
        backend: any :class:`LLMBackend`.
        timeout: seconds per attempt.
        retry: the :class:`RetryPolicy`.
        max_concurrency: calls in flight at once, per running event loop.
        cache_size: entries of the LRU cache keyed by the rendered prompt (0: no cache). Only successful,
            parseable replies should be stored; the caller decides with ``store``.
    """

    def __init__(
        self,
        backend: LLMBackend,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 8,
        cache_size: int = 0,
        seed: int | None = None,
    ) -> None:
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool) or max_concurrency < 1:
            raise ConfigurationError(f"max_concurrency must be an int >= 1, got {max_concurrency!r}")
        if not isinstance(cache_size, int) or isinstance(cache_size, bool) or cache_size < 0:
            raise ConfigurationError(f"cache_size must be an int >= 0 (0 disables the cache), got {cache_size!r}")
        self.backend = backend
        self.timeout = float(timeout)
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self._semaphores: PerLoop[asyncio.Semaphore] = PerLoop(lambda: asyncio.Semaphore(max_concurrency))
        self._cache = _LRU(cache_size)
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()

    def cache_key(self, messages: ChatMessages, schema: type | None) -> str:
        payload = json.dumps(
            [self.backend.name, self.backend.model, getattr(schema, "__qualname__", None),
             [[m.get("role"), m.get("content")] for m in messages]],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()

    def cache_put(self, key: str, reply: LLMReply) -> None:
        self._cache.put(key, reply)

    @property
    def cache_len(self) -> int:
        return len(self._cache)

    async def complete(self, messages: ChatMessages, *, schema: type | None = None) -> tuple[LLMCallResult, str]:
        """Call the backend under the policy. Returns the result and its cache key (see :meth:`cache_put`).

        Raises:
            LLMTimeoutError: an attempt ran past ``timeout`` (and timeouts are not retried, or retries ran out).
            LLMCallError: the backend failed and retries ran out or the error is not retryable.
        """
        key = self.cache_key(messages, schema) if self._cache.size > 0 else ""
        hit = self._cache.get(key)
        if hit is not None:
            return LLMCallResult(reply=hit, latency_ms=0.0, attempts=0, cached=True), key
        t0 = time.perf_counter()
        attempt = 0
        semaphore = self._semaphores.get()
        while True:
            try:
                async with semaphore:  # held per attempt, not while backing off
                    reply = await _within(self.backend.acomplete(messages, schema=schema, timeout=self.timeout),
                                          self.timeout)
                return LLMCallResult(reply=reply, latency_ms=(time.perf_counter() - t0) * 1000.0,
                                     attempts=attempt + 1), key
            except (asyncio.TimeoutError, LLMTimeoutError) as err:
                failure: LLMCallError = LLMTimeoutError(
                    f"{self.backend.name} did not answer within {self.timeout:g} s", retryable=False
                )
                failure.__cause__ = err
                retryable = self.retry.retry_on_timeout
            except LLMCallError as err:
                failure, retryable = err, err.retryable
            except Exception as err:  # a backend bug or an unmapped client error: an ERROR, never a verdict
                failure = LLMCallError(f"{self.backend.name} failed: {type(err).__name__}")
                failure.__cause__ = err
                retryable = False
            wait = self.retry.delay(attempt, failure.retry_after, self._random()) if retryable else None
            if wait is None:
                if attempt:
                    failure.args = (f"{failure.args[0]} (after {attempt + 1} attempts)",)
                raise failure
            logger.debug("%s call failed (status %s); retry %d in %.2f s", self.backend.name,
                         failure.status, attempt + 1, wait)
            attempt += 1
            await asyncio.sleep(wait)

    def _random(self) -> random.Random:
        with self._rng_lock:
            return random.Random(self._rng.random())

    def close(self) -> None:
        self.backend.close()

    async def aclose(self) -> None:
        """Close the backend's client for the running loop (awaited) and the rest (scheduled)."""
        aclose = getattr(self.backend, "aclose", None)
        if aclose is not None:
            await aclose()
        else:
            self.backend.close()


@dataclass(slots=True)
class _Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def usage_from(obj: Any) -> _Usage:
    """Token counts from an OpenAI-shaped ``usage`` (object or dict); missing values stay None."""
    if obj is None:
        return _Usage()
    get = obj.get if isinstance(obj, Mapping) else (lambda k, d=None: getattr(obj, k, d))
    pt, ct = get("prompt_tokens", None), get("completion_tokens", None)
    return _Usage(pt if isinstance(pt, int) else None, ct if isinstance(ct, int) else None)


def status_error(backend: str, status: int, retry_after: float | None) -> LLMCallError:
    """The error for an HTTP status: 429 and 5xx are retryable; 401/403 name the key; others are not retried."""
    if status in (401, 403):
        return LLMCallError(f"{backend} rejected the credentials (HTTP {status}); check the API key", status=status)
    retryable = status == 429 or status >= 500
    return LLMCallError(f"{backend} answered HTTP {status}", status=status, retry_after=retry_after,
                        retryable=retryable)
