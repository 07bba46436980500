"""The sequence-classification protocol of Hugging Face text-embeddings-inference (TEI), both sides.

``POST /predict`` with ``{"inputs": [[text], [text], ...], "truncate": false, "raw_scores": false}`` answers
``[[{"label": ..., "score": ...}, ...], ...]``: one list of label scores per input, in order. A bare string
(``{"inputs": "text"}``) answers one list. Beware TEI's shape rule: ``["a", "b"]`` is *one* input (a text
pair), so a batch of single texts is a list of one-element lists. Errors come back as
``{"error": ..., "error_type": ...}`` with 413 for inputs the server refuses (too long, batch too large),
422 for tokenisation errors and 429 when it is overloaded.

The client (:mod:`.prompt_guard_remote`) and the Ray Serve application (:mod:`lf_middleware.serving`) both use
these pure functions, so they cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ("PredictRequest", "ProtocolError", "decode_predictions", "encode_predictions", "encode_request", "parse_request")


class ProtocolError(ValueError):
    """A request or response that does not follow the protocol; the message says what was wrong."""


# ---------------------------------------------------------------------------------------------------------
# Client side


def encode_request(texts: Sequence[str], *, raw_scores: bool = False) -> dict[str, Any]:
    """The JSON body that asks for one prediction per text (never truncated by the server)."""
    return {"inputs": [[text] for text in texts], "truncate": False, "raw_scores": raw_scores}


def decode_predictions(body: Any, expected: int) -> list[dict[str, float]]:
    """Label -> score for each input, checking the shape, the count and that every score is finite."""
    if not isinstance(body, list) or len(body) != expected:
        got = f"a list of {len(body)}" if isinstance(body, list) else type(body).__name__
        raise ProtocolError(f"expected a list of {expected} predictions, got {got}")
    out: list[dict[str, float]] = []
    for i, item in enumerate(body):
        if not isinstance(item, list) or not item:
            raise ProtocolError(f"prediction {i} is not a non-empty list of {{label, score}} objects")
        scores: dict[str, float] = {}
        for entry in item:
            label = entry.get("label") if isinstance(entry, Mapping) else None
            score = entry.get("score") if isinstance(entry, Mapping) else None
            if not isinstance(label, str) or isinstance(score, bool) or not isinstance(score, (int, float)):
                raise ProtocolError(f"prediction {i} has an entry that is not {{label: str, score: number}}")
            if not math.isfinite(score):
                raise ProtocolError(f"prediction {i} has a non-finite score for label {label!r}")
            scores[label] = float(score)
        out.append(scores)
    return out


# ---------------------------------------------------------------------------------------------------------
# Server side


@dataclass(frozen=True, slots=True)
class PredictRequest:
    texts: list[str]
    single: bool  # the request was a bare string: answer one list, not a list of lists
    truncate: bool
    raw_scores: bool


def parse_request(body: Any) -> PredictRequest:
    """Validate a ``/predict`` body; text pairs are refused (a classifier of single texts)."""
    if not isinstance(body, Mapping) or "inputs" not in body:
        raise ProtocolError('the body must be a JSON object with "inputs"')
    inputs = body["inputs"]
    truncate = body.get("truncate") or False
    raw_scores = body.get("raw_scores", False)
    if not isinstance(truncate, bool) or not isinstance(raw_scores, bool):
        raise ProtocolError('"truncate" and "raw_scores" must be booleans')
    if isinstance(inputs, str):
        return PredictRequest([inputs], True, truncate, raw_scores)
    if not isinstance(inputs, list) or not inputs:
        raise ProtocolError('"inputs" must be a string or a non-empty list')
    if all(isinstance(x, str) for x in inputs):
        raise ProtocolError('a list of strings is a text pair in this protocol; send a batch as [["text"], ...]')
    texts: list[str] = []
    for i, item in enumerate(inputs):
        if not isinstance(item, list) or len(item) != 1 or not isinstance(item[0], str):
            raise ProtocolError(f"batch item {i} must be a one-element list holding a string (pairs are not supported)")
        texts.append(item[0])
    return PredictRequest(texts, False, truncate, raw_scores)


def encode_predictions(
    rows: Sequence[Sequence[float]], labels: Sequence[str], *, single: bool
) -> list[dict[str, Any]] | list[list[dict[str, Any]]]:
    """Per-input label scores, highest first, as TEI returns them."""
    out = [
        sorted(({"label": label, "score": float(score)} for label, score in zip(labels, row, strict=True)),
               key=lambda e: -e["score"])
        for row in rows
    ]
    return out[0] if single else out
