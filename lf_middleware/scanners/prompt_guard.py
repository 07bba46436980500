"""PromptGuard: a prompt-injection / jailbreak classifier over the whole input.

The scanner turns text into a malicious-class probability with a :class:`ClassifierBackend`:

- ``model=None`` (and no ``backend``): the embedded offline default, which needs no download;
- ``model="promptguard-2-86m"`` / ``"promptguard-2-22m"`` (or their hub ids), any compatible
  ``AutoModelForSequenceClassification`` hub id, or a local folder: a transformers model, loaded once per
  process (see :mod:`._hf_classifier`) and scored over overlapping windows;
- ``remote={"url": ..., ...}`` (or just the URL): a classifier served over HTTP with the protocol of
  text-embeddings-inference's ``/predict`` (see :mod:`.prompt_guard_remote`); windows stay on this side;
- ``backend=...``: anything implementing the protocol.

Scoring: 2-label heads (PromptGuard 2) give ``softmax(logits / T)[malicious]``; 3-label heads (PromptGuard 1:
benign / injection / jailbreak) give ``1 - p(benign)`` and name the likelier malicious label. The score of a
text is the maximum over its windows, and the reason says which character span scored it.

Space-insertion evasion ("I g n o r e  a l l  p r e v i o u s") is countered by a whitespace-normalised
copy of the text: when normalisation changes the text, both are scored and the higher score is kept, so
normalisation can only raise a score (see ``docs/prompt_guard.md``).

Concurrent ``scan`` calls are micro-batched: a worker thread takes every text already queued and, when
the previous collection found more than one caller, waits up to ``max_batch_wait_ms`` for more, then
scores them in one backend call. It is a thread, not an asyncio object,
so one scanner serves any number of event loops and threads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._text import INVISIBLE_CLASS, OffsetMap, content_hash, excerpt, normalised_view
from ..errors import ConfigurationError, ModelLoadError
from ..models import ModelSpec
from ..types import Message, ScanResult, ScanStatus, Trace
from ._classifier import ClassifierBackend, TextScore
from .base import Scanner

__all__ = ("PromptGuardScanner", "normalize_spacing")

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------
# Whitespace normalisation

#: four or more one-character "words" separated by 1-3 blanks ("i g n o r e"); each repetition is anchored
#: by a lookahead, so a failed attempt costs O(1) and the scan stays linear on adversarial input
_SPACED_RUN = r"(?<!\S)\S(?!\S)(?:[ \t]{1,3}\S(?!\S)){3,}"
#: characters that split words without showing
_INVISIBLE = f"[{INVISIBLE_CLASS}]"
_NORMALIZE = re.compile(f"(?P<run>{_SPACED_RUN})|(?P<inv>{_INVISIBLE}+)")


def normalize_spacing(text: str) -> tuple[str, OffsetMap] | None:
    """Collapse spaced-out letters and drop invisible word-splitters; None when the text has neither.

    "I g n o r e  a l l" becomes "Ignore all": blanks between single characters are removed, and a gap of
    two or more blanks becomes one space. The map turns spans of the result into spans of ``text``.
    """
    out: list[str] = []
    starts: list[int] = []
    positions: list[Sequence[int]] = []
    n = 0
    pos = 0
    changed = False
    for match in _NORMALIZE.finditer(text):
        begin, end = match.span()
        if begin > pos:
            out.append(text[pos:begin])
            starts.append(n)
            positions.append(range(pos, begin))
            n += begin - pos
        changed = True
        if match.lastgroup == "run":
            chars: list[str] = []
            idxs: list[int] = []
            for k in range(begin, end):
                ch = text[k]
                if ch in " \t":
                    if text[k + 1] in " \t" and chars and chars[-1] != " ":
                        chars.append(" ")
                        idxs.append(k)
                    continue
                chars.append(ch)
                idxs.append(k)
            out.append("".join(chars))
            starts.append(n)
            positions.append(idxs)
            n += len(chars)
        pos = end
    if not changed:
        return None
    if pos < len(text):
        out.append(text[pos:])
        starts.append(n)
        positions.append(range(pos, len(text)))
        n += len(text) - pos
    if not starts:  # the text was only invisible characters
        starts, positions = [0], [range(0)]
    return "".join(out), OffsetMap(starts=starts, positions=positions, length=n)


#: maps a span of a normalised variant back to the raw text
_ToRaw = Callable[[int, int], tuple[int, int]]


# ---------------------------------------------------------------------------------------------------------
# Micro-batching


@dataclass(slots=True)
class _Job:
    texts: list[str]
    future: concurrent.futures.Future[list[TextScore]] = field(default_factory=concurrent.futures.Future)


class _MicroBatcher:
    """Collects texts submitted from any thread or loop and scores them together on one worker thread."""

    def __init__(self, score: Callable[[list[str]], list[TextScore]], *, wait_s: float, max_texts: int) -> None:
        self._score = score
        self._wait_s = wait_s
        self._max_texts = max_texts
        self._closed = False
        self._start_fresh()

    def _start_fresh(self) -> None:
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_jobs = 1
        self._pid = os.getpid()

    def submit(self, texts: list[str]) -> concurrent.futures.Future[list[TextScore]]:
        job = _Job(texts)
        if self._pid != os.getpid():
            # a forked child inherits the worker thread's object but not the thread (and perhaps a held lock):
            # start over with a queue and a worker of its own
            self._start_fresh()
        with self._lock:
            if self._closed:
                raise RuntimeError("the PromptGuard scanner was closed; build a new one")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lf-promptguard-batcher", daemon=True)
                self._thread.start()
            self._queue.put(job)
        return job.future

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            self._queue.put(None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def _collect(self, first: _Job) -> tuple[list[_Job], bool]:
        jobs = [first]
        count = len(first.texts)
        # Wait for company only when the last collection found some: a lone caller scanning one message at a
        # time pays no collection delay; concurrent callers (or gather()) are batched.
        wait_s = self._wait_s if self._last_jobs > 1 or not self._queue.empty() else 0.0
        deadline = time.monotonic() + wait_s
        while count < self._max_texts:
            remaining = deadline - time.monotonic()
            try:
                job = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._last_jobs = len(jobs)
                return jobs, True
            jobs.append(job)
            count += len(job.texts)
        self._last_jobs = len(jobs)
        return jobs, False

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                return
            jobs, stop = self._collect(first)
            live = [job for job in jobs if job.future.set_running_or_notify_cancel()]
            if not live:
                continue
            texts = [text for job in live for text in job.texts]
            try:
                scores = self._score(texts)
                if len(scores) != len(texts):
                    raise RuntimeError(f"classifier returned {len(scores)} scores for {len(texts)} texts")
            except BaseException as err:  # noqa: BLE001 - delivered to every waiting caller
                for job in live:
                    job.future.set_exception(err)
                continue
            at = 0
            for job in live:
                job.future.set_result(scores[at : at + len(job.texts)])
                at += len(job.texts)


# ---------------------------------------------------------------------------------------------------------
# The scanner


def _load_offline_default() -> ClassifierBackend:
    try:
        from .prompt_guard_offline import load_offline_default
    except ModuleNotFoundError as err:
        if err.name is not None and err.name.endswith("prompt_guard_offline"):
            raise ModelLoadError(
                "the embedded offline default classifier is not available in this installation; pass "
                "model=... (a hub id such as 'meta-llama/Llama-Prompt-Guard-2-86M', a preset such as "
                "'promptguard-2-22m', or a local model folder) or backend=..."
            ) from None
        raise
    return load_offline_default()


def _remote_backend(remote: str | Mapping[str, Any], **defaults: Any) -> ClassifierBackend:
    from .prompt_guard_remote import RemoteClassifier

    options = {"url": remote} if isinstance(remote, str) else dict(remote) if isinstance(remote, Mapping) else None
    if options is None or "url" not in options:
        raise ConfigurationError(f"remote must be a URL or a mapping with 'url' and RemoteClassifier options, got {remote!r}")
    for key, value in defaults.items():
        options.setdefault(key, value)
    return RemoteClassifier(**options)


class PromptGuardScanner(Scanner):
    """Prompt-injection and jailbreak classifier; scores the whole input through overlapping windows.

    Args:
        model: preset ("promptguard-2-86m", "promptguard-2-22m"), hub id, local folder or ModelSpec; None
            (with no ``backend``) selects the embedded offline default.
        revision: hub revision to pin (branch, tag or commit sha).
        cache_dir: Hugging Face cache folder (default: the library default, which honours ``HF_HOME``).
        token: hub token (default: what huggingface_hub finds, e.g. ``HF_TOKEN``); never prompts.
        local_files_only: never touch the network (also implied by ``HF_HUB_OFFLINE=1``).
        device: "cpu", "cuda", "cuda:1", "mps"; default CUDA, then MPS, then CPU.
        dtype: the torch dtype of the model's weights (older spelling of ``inference``: "float32", "bfloat16").
        inference: "float32", "bfloat16", "int8" (torch dynamic quantisation), "onnx" or "onnx-int8" (ONNX
            Runtime, exported once from the same safetensors and cached); default float32. Drift and speed of
            each are in ``docs/deploy_at_scale.md``.
        onnx_cache_dir: where exported ONNX graphs are cached (default ``~/.cache/lf-middleware/onnx``).
        temperature: logits are divided by it before the softmax.
        window_tokens: tokens per window, special tokens included (at most the model's positions).
        stride: tokens shared by consecutive windows.
        batch_size: windows per forward pass (also capped by ``max_batch_tokens``).
        sha256: file name -> sha256 pins, checked before loading; every weight file must be pinned.
        max_batch_wait_ms: how long concurrent ``scan`` calls are collected into one batch.
        backend: any :class:`ClassifierBackend` (then ``model`` and the loading options must be unset).
        remote: a TEI-protocol server's URL, or a mapping of :class:`RemoteClassifier` options (``url``,
            ``tokenizer``, ``api_key_env``, ``timeout``, ...); ``window_tokens``, ``stride`` and ``temperature``
            apply to it too.
        normalize_whitespace: also score a whitespace-normalised copy and keep the higher score.
        max_chars: texts longer than this are not scored: the result is status ERROR, so the policy's
            ``on_error`` decides (never a silent ALLOW). None scans any length (cost is linear).
    """

    name = "prompt_guard"
    default_hitl_threshold = 0.5
    default_block_threshold = 0.9
    score_based = True

    def __init__(
        self,
        *,
        model: str | ModelSpec | None = None,
        revision: str | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        token: str | bool | None = None,
        local_files_only: bool | None = None,
        device: str | None = None,
        dtype: str | None = None,
        inference: str | None = None,
        onnx_cache_dir: str | os.PathLike[str] | None = None,
        temperature: float = 1.0,
        window_tokens: int = 512,
        stride: int = 64,
        batch_size: int = 32,
        max_batch_tokens: int = 2048,
        sha256: Mapping[str, str] | None = None,
        max_batch_wait_ms: float = 2.0,
        backend: ClassifierBackend | None = None,
        remote: str | Mapping[str, Any] | None = None,
        normalize_whitespace: bool = True,
        max_chars: int | None = None,
    ) -> None:
        if not isinstance(max_batch_wait_ms, (int, float)) or max_batch_wait_ms < 0:
            raise ConfigurationError(f"max_batch_wait_ms must be a number >= 0, got {max_batch_wait_ms!r}")
        if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
            raise ConfigurationError(f"max_chars must be None or an int >= 1, got {max_chars!r}")
        if remote is not None:
            if model is not None or backend is not None:
                raise ConfigurationError("pass one of model=..., backend=... and remote=..., not several")
            backend = _remote_backend(remote, window_tokens=window_tokens, stride=stride, temperature=temperature)
        if backend is not None:
            if model is not None:
                raise ConfigurationError("pass either model=... or backend=..., not both")
            if not isinstance(backend, ClassifierBackend):
                raise ConfigurationError(
                    f"backend must implement ClassifierBackend (name, score_texts), got {type(backend).__name__}"
                )
            self.backend: ClassifierBackend = backend
        elif model is None:
            self.backend = _load_offline_default()
        else:
            from ._hf_classifier import HFClassifier

            self.backend = HFClassifier(
                model,
                revision=revision,
                cache_dir=cache_dir,
                token=token,
                local_files_only=local_files_only,
                device=device,
                dtype=dtype,
                inference=inference,
                onnx_cache_dir=onnx_cache_dir,
                temperature=temperature,
                window_tokens=window_tokens,
                stride=stride,
                batch_size=batch_size,
                max_batch_tokens=max_batch_tokens,
                sha256=sha256,
            )
        self.normalize_whitespace = bool(normalize_whitespace)
        self.max_chars = max_chars
        self._batcher = _MicroBatcher(
            self.backend.score_texts, wait_s=float(max_batch_wait_ms) / 1000.0, max_texts=max(1, batch_size)
        )

    @property
    def model_name(self) -> str:
        return str(getattr(self.backend, "name", type(self.backend).__name__))

    # pure helpers shared by scan and scan_batch ----------------------------------------------------------
    def _variants(self, text: str) -> tuple[list[str], _ToRaw | None]:
        """The raw text and, when it differs, the normalised view (invisible characters removed, NFKC) with
        spaced-out letters collapsed; the second item maps a span of that variant back to the raw text."""
        view = normalised_view(text)
        base = view.text if view is not None else text
        spaced = normalize_spacing(base) if self.normalize_whitespace and base else None
        if spaced is None:
            return ([text], None) if view is None else ([text, view.text], view.span)
        if view is None:
            return [text, spaced[0]], spaced[1].span
        return [text, spaced[0]], lambda a, b: view.span(*spaced[1].span(a, b))

    def _too_long(self, text: str) -> ScanResult | None:
        if self.max_chars is None or len(text) <= self.max_chars:
            return None
        return self.result(
            status=ScanStatus.ERROR,
            reason=f"text of {len(text)} chars exceeds max_chars={self.max_chars}; not scored",
            model=self.model_name,
            text_length=len(text),
        )

    def _to_result(self, text: str, scores: Sequence[TextScore], offsets: _ToRaw | None) -> ScanResult:
        best = scores[0]
        normalized = False
        if len(scores) > 1 and scores[1].score > best.score and offsets is not None:
            start, end = offsets(*scores[1].span)
            best = TextScore(score=scores[1].score, span=(start, end), windows=scores[1].windows, label=scores[1].label)
            normalized = True
        if not 0.0 <= best.score <= 1.0:  # NaN too: a broken backend, never clamped into a verdict
            raise ValueError(f"the classifier {self.model_name!r} returned the score {best.score!r}, outside [0, 1]")
        if best.windows == 0 and not text.strip():
            return self.result(score=0.0, reason="empty text", model=self.model_name, windows=0, span=(0, 0))
        start, end = best.span
        label = f" ({best.label})" if best.label else ""
        reason = (
            f"prompt injection score {best.score:.2f}{label} in chars {start}–{end} of {len(text)}, "
            f"best of {best.windows} window{'s' if best.windows != 1 else ''}"
            f"{' in its normalised view (whitespace normalisation, invisible characters, NFKC)' if normalized else ''}: "
            f"{excerpt(text, start, end)}"
        )
        return self.result(
            score=best.score,
            reason=reason,
            model=self.model_name,
            span=(start, end),
            windows=best.windows,
            label=best.label,
            normalized=normalized,
            text_length=len(text),
        )

    # scanning -------------------------------------------------------------------------------------------
    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        text = message.content
        too_long = self._too_long(text)
        if too_long is not None:
            return too_long
        if not text.strip():
            return self.result(score=0.0, reason="empty text", model=self.model_name, windows=0, span=(0, 0))
        texts, offsets = self._variants(text)
        started = time.perf_counter()
        scores = await asyncio.wrap_future(self._batcher.submit(texts))
        logger.debug(
            "prompt_guard scored %s message (%d chars, %s) in %.1f ms",
            message.role.value if hasattr(message.role, "value") else message.role,
            len(text),
            content_hash(text),
            (time.perf_counter() - started) * 1000,
        )
        return self._to_result(text, scores, offsets)

    def scan_texts(self, texts: Sequence[str]) -> list[ScanResult]:
        """Blocking: score many texts in one backend call (what ``scan_batch`` runs on a worker thread)."""
        results: list[ScanResult | None] = [None] * len(texts)
        flat: list[str] = []
        plan: list[tuple[int, int, int, _ToRaw | None]] = []
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"scan_texts expects str items, got {type(text).__name__} at index {i}")
            too_long = self._too_long(text)
            if too_long is not None:
                results[i] = too_long
                continue
            variants, offsets = self._variants(text)
            plan.append((i, len(flat), len(variants), offsets))
            flat.extend(variants)
        scores = self.backend.score_texts(flat) if flat else []
        if len(scores) != len(flat):
            raise RuntimeError(f"classifier returned {len(scores)} scores for {len(flat)} texts")
        for i, at, count, offsets in plan:
            results[i] = self._to_result(texts[i], scores[at : at + count], offsets)
        return [r for r in results if r is not None]

    async def scan_batch(
        self, messages: Sequence[Message], past_traces: Sequence[Trace | None] | None = None
    ) -> list[ScanResult]:
        """Scan many messages: all their windows go through the model in length-sorted batches."""
        texts = [m.content for m in messages]
        return await asyncio.to_thread(self.scan_texts, texts)

    def close(self) -> None:
        """Stop the micro-batching thread (and a remote backend's connections). A shared model stays loaded."""
        self._batcher.close()
        closer = getattr(self.backend, "close", None)
        if callable(closer):
            closer()

    def __repr__(self) -> str:
        return f"<PromptGuardScanner model={self.model_name!r}>"
