"""The Ray Serve application's config (no Ray needed) and the TEI protocol helpers both sides share."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pydantic
import pytest
import yaml

from lf_middleware.errors import MissingDependencyError
from lf_middleware.scanners._tei import (
    ProtocolError,
    decode_predictions,
    encode_predictions,
    encode_request,
    parse_request,
)
from lf_middleware.serving.ray_app import ServeConfig, build_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy_at_scale.md"


def test_the_documented_serve_config_is_valid() -> None:
    text = DOC.read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "import_path" in b]
    (app,) = yaml.safe_load(block)["applications"]
    assert app["import_path"] == "lf_middleware.serving.ray_app:app_builder"
    cfg = ServeConfig.model_validate(app["args"])
    assert cfg.autoscaling is not None and cfg.autoscaling.max_replicas == 4
    assert cfg.inference == "onnx"


def test_serve_config_rejects_unknown_and_bad_values() -> None:
    with pytest.raises(pydantic.ValidationError):
        ServeConfig.model_validate({"replicas": 2})
    with pytest.raises(pydantic.ValidationError):
        ServeConfig.model_validate({"num_replicas": 0})


@pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="ray is installed in this environment")
def test_build_app_without_ray_names_the_extra() -> None:
    with pytest.raises(MissingDependencyError, match=r"lf-middleware\[serve\]"):
        build_app({})


def test_protocol_round_trip_and_shapes() -> None:
    body = encode_request(["a", "b"])
    assert body["inputs"] == [["a"], ["b"]] and body["truncate"] is False
    parsed = parse_request(body)
    assert parsed.texts == ["a", "b"] and not parsed.single
    answer = encode_predictions([[0.9, 0.1], [0.2, 0.8]], ["BENIGN", "MALICIOUS"], single=False)
    assert answer[1][0] == {"label": "MALICIOUS", "score": 0.8}  # highest first, as TEI answers
    assert decode_predictions(answer, 2) == [{"BENIGN": 0.9, "MALICIOUS": 0.1}, {"MALICIOUS": 0.8, "BENIGN": 0.2}]
    assert parse_request({"inputs": "one"}).single


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"inputs": ["a", "b"]}, "text pair"),
        ({"inputs": [["a", "b"]]}, "one-element"),
        ({"inputs": []}, "non-empty"),
        ({"text": "a"}, '"inputs"'),
        ({"inputs": "a", "truncate": "yes"}, "booleans"),
    ],
)
def test_bad_requests_are_refused(body, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProtocolError, match=message):
        parse_request(body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([[{"label": "BENIGN", "score": 1.0}]], "list of 2"),
        ([[{"label": "BENIGN", "score": float("nan")}], [{"label": "X", "score": 0}]], "non-finite"),
        ([[{"label": "BENIGN"}], []], "entry"),
        ({"error": "x"}, "dict"),
    ],
)
def test_bad_answers_are_refused(body, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProtocolError, match=message):
        decode_predictions(body, 2)
