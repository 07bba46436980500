"""The server side of the ``/predict`` protocol over any PromptGuard backend.

:class:`Predictor` answers a parsed TEI-protocol request with the backend's scores as two labels, ``BENIGN``
and ``MALICIOUS`` (``raw_scores`` gives logits whose softmax is the same probabilities). The backend reads the
whole input (a transformers backend windows long inputs itself), so this server never truncates and never
refuses an input for its length. The Ray Serve application wraps it; so can any other serving engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..scanners._classifier import ClassifierBackend
from ..scanners._tei import PredictRequest, encode_predictions, parse_request

__all__ = ("LABELS", "Predictor")

#: the labels this server answers with, benign first
LABELS = ("BENIGN", "MALICIOUS")
_EPS = 1e-7


class Predictor:
    """Scores ``/predict`` requests with a :class:`ClassifierBackend` (blocking, thread-safe like the backend)."""

    def __init__(self, backend: ClassifierBackend) -> None:
        self.backend = backend

    def score(self, texts: Sequence[str]) -> list[float]:
        """Malicious probability per text (one backend call for all of them)."""
        return [s.score for s in self.backend.score_texts(list(texts))]

    @staticmethod
    def rows(probabilities: Sequence[float], *, raw_scores: bool) -> list[list[float]]:
        if not raw_scores:
            return [[1.0 - p, p] for p in probabilities]
        rows = []
        for p in probabilities:
            q = min(1.0 - _EPS, max(_EPS, p))
            rows.append([0.0, math.log(q / (1.0 - q))])
        return rows

    def answer(self, request: PredictRequest, probabilities: Sequence[float]) -> Any:
        return encode_predictions(self.rows(probabilities, raw_scores=request.raw_scores), LABELS, single=request.single)

    def predict(self, body: Any) -> Any:
        """The JSON answer to a ``/predict`` body; raises ``ProtocolError`` (HTTP 422) for a bad body."""
        request = parse_request(body)
        return self.answer(request, self.score(request.texts))
