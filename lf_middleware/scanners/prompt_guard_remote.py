"""A PromptGuard backend that scores windows on a remote classifier server.

The server speaks the sequence-classification protocol of Hugging Face text-embeddings-inference
(``POST /predict``, see :mod:`._tei`): serve Prompt Guard 2 with TEI, or the project's own classifiers with the
Ray Serve application in :mod:`lf_middleware.serving`, and point the scanner at it::

    PromptGuardScanner(remote={"url": "http://tei:8080", "tokenizer": "/models/pg2-86m"})

What stays on the client:

- **windows**: every text is cut into overlapping windows here and the server scores windows, so a long input
  is read in full (the server is asked never to truncate). With ``tokenizer`` (the model's ``tokenizer.json``
  or its folder) windows are counted in the model's tokens; without it they are counted in characters,
  and a window the server still finds too long (HTTP 413/422) is halved and sent again;
- **batching**: the scanner's micro-batcher hands concurrent scans to one ``score_texts`` call; their windows
  go out as requests of at most ``max_batch`` inputs, up to ``max_concurrency`` of them at a time;
- **failure handling**: a per-request timeout, bounded retries with backoff on connection errors, timeouts,
  429 and 5xx; then :class:`ScannerError`, which the engine turns into the scanner's ``on_error`` decision
  (never ALLOW);
- **credentials**: an ``Authorization: Bearer`` header whose token is read from the environment variable named
  by ``api_key_env``; it is never logged and appears in no message or ``repr``.

``httpx`` is the only extra dependency (the ``remote`` extra).
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import os
import random
import threading
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError, ScannerError
from ._classifier import TextScore
from ._tei import ProtocolError, decode_predictions, encode_request
from ._windows import TokenWindower, special_affixes

__all__ = ("RemoteClassifier",)

logger = logging.getLogger(__name__)

#: labels read as "benign" when ``benign_label`` is not given (case-insensitive)
_BENIGN_NAMES = ("benign", "label_0", "safe")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REJECTED_STATUS = frozenset({413, 422})
#: re-tokenising a window's text on the server may not give exactly the client's count; keep this many spare
_TOKEN_MARGIN = 8
_MIN_SPLIT_CHARS = 32


class _Rejected(Exception):
    """The server refused the inputs as too long or too many (HTTP 413/422)."""


def _safe_url(url: str) -> str:
    """The URL without credentials, query or fragment: what may appear in names, logs and errors."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _load_encoder(tokenizer: str | os.PathLike[str]) -> Any:
    tokenizers = require("tokenizers", "remote", what="client-side token windows for the remote PromptGuard backend")
    path = Path(tokenizer).expanduser()
    if path.is_dir():
        path = path / "tokenizer.json"
    if not path.is_file():
        raise ConfigurationError(
            f"tokenizer {str(tokenizer)!r} is not a tokenizer.json file or a folder holding one; pass the served "
            "model's tokenizer.json (or its folder), or leave tokenizer unset to window by characters"
        )
    encoder = tokenizers.Tokenizer.from_file(str(path))
    encoder.no_truncation()
    encoder.no_padding()
    return encoder


class RemoteClassifier:
    """A :class:`ClassifierBackend` that scores windows on a TEI-protocol ``/predict`` server.

    Args:
        url: the server's base URL (``http://host:8080``) or its ``/predict`` URL.
        tokenizer: the served model's ``tokenizer.json`` (or folder) for token windows; None windows by characters.
        window_tokens: tokens per window, special tokens included (with ``tokenizer``).
        stride: tokens shared by consecutive windows (with ``tokenizer``).
        window_chars: characters per window (without ``tokenizer``).
        overlap_chars: characters shared by consecutive windows (without ``tokenizer``).
        benign_label: the server's label for benign text; default: "BENIGN", "LABEL_0" or "SAFE".
        temperature: logits are divided by it before the softmax (asks the server for raw scores).
        max_batch: inputs per request (TEI's ``--max-client-batch-size`` defaults to 32).
        max_concurrency: requests in flight at once for one ``score_texts`` call.
        timeout: seconds per request (connect, read and write each).
        max_retries: more attempts after the first on connection errors, timeouts, 429 and 5xx.
        backoff: seconds before the first retry; doubled each time, with jitter, capped at 8 s.
        api_key_env: name of the environment variable holding the bearer token (read once, here).
        name: a log-safe name for results; default ``remote:<url without credentials>``.
    """

    def __init__(
        self,
        url: str,
        *,
        tokenizer: str | os.PathLike[str] | None = None,
        window_tokens: int = 512,
        stride: int = 64,
        window_chars: int = 1_200,
        overlap_chars: int = 200,
        benign_label: str | None = None,
        temperature: float = 1.0,
        max_batch: int = 32,
        max_concurrency: int = 4,
        timeout: float = 10.0,
        max_retries: int = 2,
        backoff: float = 0.2,
        api_key_env: str | None = None,
        name: str | None = None,
    ) -> None:
        self._httpx = require("httpx", "remote", what="the remote PromptGuard backend")
        from ..llm import RetryPolicy

        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigurationError(f"url must be an http:// or https:// URL, got {url!r}")
        parts = urllib.parse.urlsplit(url)
        if parts.username or parts.password:
            raise ConfigurationError(
                "url must not carry credentials; put the token in an environment variable and name it in api_key_env"
            )
        path = parts.path.rstrip("/")
        self.url = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, path if path.endswith("/predict") else path + "/predict", parts.query, "")
        )
        for label, value, low in (("max_batch", max_batch, 1), ("max_concurrency", max_concurrency, 1),
                                  ("window_chars", window_chars, 2 * _MIN_SPLIT_CHARS)):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ConfigurationError(f"{label} must be an int >= {low}, got {value!r}")
        if not isinstance(overlap_chars, int) or not 0 <= overlap_chars < window_chars // 2:
            raise ConfigurationError(f"overlap_chars must be an int in [0, {window_chars // 2}), got {overlap_chars!r}")
        if not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ConfigurationError(f"timeout must be a number of seconds > 0, got {timeout!r}")
        if not isinstance(temperature, (int, float)) or not temperature > 0:
            raise ConfigurationError(f"temperature must be a number > 0, got {temperature!r}")
        self._retry = RetryPolicy(max_retries=max_retries, base_delay=backoff, retry_on_timeout=True)
        self._headers = {"Content-Type": "application/json"}
        if api_key_env is not None:
            token = os.environ.get(api_key_env)
            if not token:
                raise ConfigurationError(
                    f"api_key_env names {api_key_env!r}, but that environment variable is unset or empty; set it to "
                    "the server's API key, or drop api_key_env for a server without authentication"
                )
            self._headers["Authorization"] = f"Bearer {token}"
        self._windower: TokenWindower | None = None
        if tokenizer is not None:
            encoder = _load_encoder(tokenizer)
            prefix, suffix = special_affixes(encoder)
            body = window_tokens - len(prefix) - len(suffix) - _TOKEN_MARGIN
            if not isinstance(window_tokens, int) or body < 1:
                raise ConfigurationError(f"window_tokens must be an int > {window_tokens - body}, got {window_tokens!r}")
            if not isinstance(stride, int) or not 0 <= stride < body:
                raise ConfigurationError(f"stride (overlap in tokens) must be an int in [0, {body}), got {stride!r}")
            # windows are measured without the margin; the server adds the special tokens back
            self._windower = TokenWindower(
                encoder, prefix=prefix, suffix=suffix, window_tokens=window_tokens - _TOKEN_MARGIN, stride=stride
            )
        self.window_chars = window_chars
        self.overlap_chars = overlap_chars
        self.benign_label = benign_label
        self.temperature = float(temperature)
        self.max_batch = max_batch
        self.max_concurrency = max_concurrency
        self.timeout = float(timeout)
        self.name = name or f"remote:{_safe_url(self.url)}"
        self._rng = random.Random()
        self._lock = threading.Lock()
        self._client: Any = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pid = os.getpid()

    # connections -----------------------------------------------------------------------------------------
    def _session(self) -> tuple[Any, concurrent.futures.ThreadPoolExecutor]:
        """The HTTP client and request pool, made on first use and again in a forked child."""
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                self._pid = os.getpid()
                limits = self._httpx.Limits(max_connections=self.max_concurrency * 2)
                self._client = self._httpx.Client(timeout=self.timeout, limits=limits, headers=self._headers)
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.max_concurrency, thread_name_prefix="lf-promptguard-remote"
                )
            assert self._pool is not None
            return self._client, self._pool

    def close(self) -> None:
        with self._lock:
            client, pool = self._client, self._pool
            self._client = self._pool = None
        if pool is not None:
            pool.shutdown(wait=True)
        if client is not None:
            client.close()

    # windows ---------------------------------------------------------------------------------------------
    def windows(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the windows of ``text`` (none for blank text)."""
        if not text.strip():
            return []
        if self._windower is not None:
            return [w.span for w in self._windower.windows(text)]
        spans = []
        step = self.window_chars - self.overlap_chars
        start = 0
        while True:
            end = min(len(text), start + self.window_chars)
            spans.append((start, end))
            if end == len(text):
                return spans
            start += step

    # requests --------------------------------------------------------------------------------------------
    def _post(self, texts: list[str]) -> list[dict[str, float]]:
        """One request with retries; label scores per text."""
        client, _ = self._session()
        body = encode_request(texts, raw_scores=self.temperature != 1.0)
        attempt = 0
        while True:
            retry_after = None
            try:
                response = client.post(self.url, json=body)
            except self._httpx.TransportError as err:  # connect/read/write errors and timeouts
                problem = f"{type(err).__name__}"
            else:
                status = response.status_code
                if status == 200:
                    try:
                        return decode_predictions(response.json(), len(texts))
                    except (ValueError, ProtocolError) as err:
                        raise ScannerError(f"{self.name} answered a malformed /predict response: {err}") from None
                if status in _REJECTED_STATUS:
                    raise _Rejected(status)
                if status not in _RETRY_STATUS:
                    raise ScannerError(
                        f"{self.name} answered HTTP {status} to /predict ({_error_text(response)}); check the URL, "
                        "the API key (api_key_env) and that the server serves a sequence classifier"
                    )
                problem = f"HTTP {status} ({_error_text(response)})"
                from ..llm import parse_retry_after

                retry_after = parse_retry_after(response.headers.get("retry-after"))
            delay = self._retry.delay(attempt, retry_after, self._rng)
            if delay is None:
                raise ScannerError(
                    f"{self.name} failed after {attempt + 1} attempt(s): {problem}; the scan is reported as an error "
                    "so the scanner's on_error decides"
                )
            logger.debug("remote classifier %s: %s; retry %d in %.2f s", self.name, problem, attempt + 1, delay)
            time.sleep(delay)
            attempt += 1

    def _score_inputs(self, texts: list[str]) -> list[dict[str, float]]:
        """Label scores per text; a refused batch is split, a refused single window is halved (max of halves)."""
        try:
            return self._post(texts)
        except _Rejected as rejected:
            if len(texts) > 1:
                mid = len(texts) // 2
                return self._score_inputs(texts[:mid]) + self._score_inputs(texts[mid:])
            text = texts[0]
            if len(text) < 2 * _MIN_SPLIT_CHARS:
                raise ScannerError(
                    f"{self.name} refused a {len(text)}-character window (HTTP {rejected.args[0]}); it cannot be "
                    "split further"
                ) from None
            mid = len(text) // 2
            overlap = min(self.overlap_chars, mid // 2)
            halves = self._score_inputs([text[: mid + overlap], text[mid - overlap :]])
            return [max(halves, key=self._malicious_of)]

    def _malicious_of(self, scores: dict[str, float]) -> float:
        return self._reading(scores)[0]

    def _reading(self, scores: dict[str, float]) -> tuple[float, str | None]:
        """(malicious probability, the likeliest malicious label for multi-label heads)."""
        if self.temperature != 1.0:  # the server sent raw logits
            top = max(scores.values())
            exp = {k: math.exp((v - top) / self.temperature) for k, v in scores.items()}
            total = sum(exp.values())
            scores = {k: v / total for k, v in exp.items()}
        benign = self._benign_name(scores)
        others = {k: v for k, v in scores.items() if k != benign}
        label = max(others, key=lambda k: others[k]) if len(others) > 1 else None
        return min(1.0, max(0.0, 1.0 - scores[benign])), label

    def _benign_name(self, scores: dict[str, float]) -> str:
        if self.benign_label is not None:
            if self.benign_label not in scores:
                raise ScannerError(
                    f"{self.name} returned labels {sorted(scores)}, none of them benign_label={self.benign_label!r}"
                )
            return self.benign_label
        for label in scores:
            if label.lower() in _BENIGN_NAMES:
                return label
        raise ScannerError(
            f"{self.name} returned labels {sorted(scores)}; none reads as benign. Set benign_label to the "
            "served model's benign label"
        )

    # the backend contract --------------------------------------------------------------------------------
    def score_texts(self, texts: Sequence[str]) -> list[TextScore]:
        """Score every text (its best window); one result per text, in order; empty text scores 0."""
        spans: list[tuple[int, tuple[int, int]]] = []
        counts = [0] * len(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"score_texts expects str items, got {type(text).__name__} at index {index}")
            these = self.windows(text)
            counts[index] = len(these)
            spans.extend((index, span) for span in these)
        best: list[tuple[float, str | None, tuple[int, int]] | None] = [None] * len(texts)
        if spans:
            inputs = [texts[i][a:b] for i, (a, b) in spans]
            chunks = [list(range(at, min(at + self.max_batch, len(inputs)))) for at in range(0, len(inputs), self.max_batch)]
            _, pool = self._session()
            futures = [pool.submit(self._score_inputs, [inputs[k] for k in chunk]) for chunk in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                for k, scores in zip(chunk, future.result(), strict=True):
                    index, span = spans[k]
                    score, label = self._reading(scores)
                    current = best[index]
                    if current is None or score > current[0]:
                        best[index] = (score, label, span)
        out = []
        for index, entry in enumerate(best):
            score, label, span = entry if entry is not None else (0.0, None, (0, 0))
            out.append(TextScore(score=score, span=span, windows=counts[index], label=label))
        return out

    def __repr__(self) -> str:
        windows = f"tokens={self._windower.body}" if self._windower is not None else f"chars={self.window_chars}"
        return f"<RemoteClassifier {self.name!r} windows {windows}>"


def _error_text(response: Any) -> str:
    """The server's short error message (TEI: ``{"error": ...}``), never echoing the request."""
    try:
        body = response.json()
    except ValueError:
        return "no JSON body"
    message = body.get("error") if isinstance(body, dict) else None
    return str(message)[:200] if message else "no error message"
