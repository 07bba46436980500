"""A Ray Serve application that serves the project's classifiers over TEI's ``/predict`` protocol.

One deployment holds a PromptGuard backend (the embedded offline default, or a PromptGuard model folder / hub
id, in any inference path) and answers ``POST /predict`` exactly as text-embeddings-inference does, so the
remote scanner backend (``PromptGuardScanner(remote=...)``) works against either. Replicas and autoscaling come
from the config; requests from all callers are batched by ``@serve.batch`` into one backend call.

Run it on a Ray cluster with the Serve CLI (``args`` are a :class:`ServeConfig`)::

    serve run lf_middleware.serving.ray_app:app_builder model=/models/pg2-86m inference=onnx num_replicas=2

or from Python::

    from ray import serve
    from lf_middleware.serving.ray_app import build_app
    serve.run(build_app({"model": "/models/pg2-86m", "autoscaling": {"min_replicas": 1, "max_replicas": 4}}))

Needs the ``serve`` extra (``ray[serve]``).
"""

from __future__ import annotations

import asyncio
import hmac
import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._lazy import require
from ..errors import ConfigurationError

__all__ = ("ServeConfig", "app_builder", "build_app")


class Autoscaling(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_replicas: int = Field(1, ge=0)
    max_replicas: int = Field(2, ge=1)
    target_ongoing_requests: float = Field(4.0, gt=0)


class ServeConfig(BaseModel):
    """What the deployment serves and how it scales."""

    model_config = ConfigDict(extra="forbid")

    #: None: the embedded offline default; otherwise a preset, hub id or local folder
    model: str | None = None
    #: PromptGuard inference path ("float32", "bfloat16", "int8", "onnx", "onnx-int8"); None: the scanner default
    inference: str | None = None
    #: other PromptGuardScanner loading options (revision, sha256, local_files_only, window_tokens, ...)
    scanner_options: dict[str, Any] = Field(default_factory=dict)
    #: a fixed replica count; ignored when ``autoscaling`` is given
    num_replicas: int = Field(1, ge=1)
    autoscaling: Autoscaling | None = None
    #: dynamic batching: texts per backend call, and how long a batch waits to fill
    max_batch_size: int = Field(32, ge=1)
    batch_wait_timeout_s: float = Field(0.01, ge=0)
    max_ongoing_requests: int = Field(64, ge=1)
    #: CPUs (and GPUs) reserved per replica
    num_cpus: float = Field(1.0, gt=0)
    num_gpus: float = Field(0.0, ge=0)
    #: name of an environment variable (on the replicas) holding the bearer token callers must send
    api_key_env: str | None = None
    name: str = "lf-promptguard"


def _deployment_class() -> Any:
    serve = require("ray.serve", "serve", what="the Ray Serve application")
    responses = require("starlette.responses", "serve", what="the Ray Serve application")

    @serve.deployment
    class PromptGuardServer:
        def __init__(self, config: dict[str, Any]) -> None:
            from ..scanners._tei import ProtocolError, parse_request
            from ..scanners.prompt_guard import PromptGuardScanner
            from .predictor import Predictor

            cfg = ServeConfig.model_validate(config)
            options = dict(cfg.scanner_options)
            if cfg.model is not None:
                options["model"] = cfg.model
            if cfg.inference is not None:
                options["inference"] = cfg.inference
            self._scanner = PromptGuardScanner(**options)
            self._predictor = Predictor(self._scanner.backend)
            self._parse, self._protocol_error = parse_request, ProtocolError
            self._token = None
            if cfg.api_key_env:
                self._token = os.environ.get(cfg.api_key_env)
                if not self._token:
                    raise ConfigurationError(f"api_key_env names {cfg.api_key_env!r}, which is unset on this replica")
            self._score.set_max_batch_size(cfg.max_batch_size)
            self._score.set_batch_wait_timeout_s(cfg.batch_wait_timeout_s)

        @serve.batch(max_batch_size=32, batch_wait_timeout_s=0.01)
        async def _score(self, texts: list[str]) -> list[float]:
            return await asyncio.to_thread(self._predictor.score, texts)

        def _error(self, status: int, message: str, kind: str) -> Any:
            return responses.JSONResponse({"error": message, "error_type": kind}, status_code=status)

        async def __call__(self, request: Any) -> Any:
            if request.url.path.rstrip("/") != "/predict" or request.method != "POST":
                return self._error(404, "only POST /predict is served", "NotFound")
            if self._token is not None:
                sent = request.headers.get("authorization", "")
                if not hmac.compare_digest(sent.encode(), f"Bearer {self._token}".encode()):
                    return self._error(401, "missing or wrong bearer token", "Unauthorized")
            try:
                parsed = self._parse(await request.json())
            except (ValueError, self._protocol_error) as err:
                return self._error(422, str(err), "Validation")
            scores = await asyncio.gather(*(self._score(text) for text in parsed.texts))
            return responses.JSONResponse(self._predictor.answer(parsed, scores))

    return PromptGuardServer


def build_app(config: ServeConfig | Mapping[str, Any]) -> Any:
    """The Serve application (``serve.run(build_app(...))``) for a config."""
    cfg = config if isinstance(config, ServeConfig) else ServeConfig.model_validate(dict(config))
    options: dict[str, Any] = {
        "name": cfg.name,
        "max_ongoing_requests": cfg.max_ongoing_requests,
        "ray_actor_options": {"num_cpus": cfg.num_cpus, "num_gpus": cfg.num_gpus},
    }
    if cfg.autoscaling is not None:
        options["autoscaling_config"] = cfg.autoscaling.model_dump()
    else:
        options["num_replicas"] = cfg.num_replicas
    return _deployment_class().options(**options).bind(cfg.model_dump())


def app_builder(args: dict[str, Any]) -> Any:
    """Entry point for ``serve run lf_middleware.serving.ray_app:app_builder key=value ...`` and Serve config files."""
    values = dict(args)
    for key in ("num_replicas", "max_batch_size", "max_ongoing_requests"):
        if isinstance(values.get(key), str):
            values[key] = int(values[key])
    for key in ("batch_wait_timeout_s", "num_cpus", "num_gpus"):
        if isinstance(values.get(key), str):
            values[key] = float(values[key])
    return build_app(values)
