"""Serving the project's classifiers for many workers (the TEI ``/predict`` protocol).

- :mod:`.predictor`: the protocol's server side over any PromptGuard backend (no serving engine needed);
- :mod:`.ray_app`: a Ray Serve application around it (the ``serve`` extra).

Clients use ``PromptGuardScanner(remote=...)`` (:mod:`lf_middleware.scanners.prompt_guard_remote`), which also
talks to Hugging Face text-embeddings-inference.
"""

from __future__ import annotations

__all__: tuple[str, ...] = ()
