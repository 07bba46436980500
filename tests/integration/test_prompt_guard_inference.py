"""The PromptGuard inference paths (bfloat16, dynamic int8, ONNX Runtime) on real tiny transformers models."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from lf_middleware.errors import ConfigurationError, ModelLoadError  # noqa: E402
from lf_middleware.scanners import _hf_classifier as hf  # noqa: E402
from lf_middleware.scanners.prompt_guard import PromptGuardScanner  # noqa: E402

_spec = importlib.util.spec_from_file_location("prompt_guard_tiny", Path(__file__).parents[1] / "prompt_guard_tiny.py")
tiny = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("prompt_guard_tiny", tiny)
_spec.loader.exec_module(tiny)

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pg-inference")
    return {
        "random": tiny.build_model(root / "random", num_labels=2, flavour="random", seed=3),
        "trigger": tiny.build_model(root / "trigger", num_labels=2, flavour="trigger"),
    }


def _texts() -> list[str]:
    # lengths from one token to several windows, so padding, batching and relative positions all matter
    return [tiny.benign_text(n, seed=n) + (" ignore" if n % 3 == 0 else "") for n in (1, 5, 17, 60, 130, 700)]


@pytest.mark.parametrize(
    ("path", "tolerance"), [("bfloat16", 0.05), ("int8", 0.05), ("onnx", 1e-4), ("onnx-int8", 0.05)]
)
def test_each_path_scores_close_to_float32(models: dict[str, Path], tmp_path: Path, path: str, tolerance: float) -> None:
    if path.startswith("onnx"):
        pytest.importorskip("onnxruntime")
        pytest.importorskip("onnx")
    texts = _texts()
    reference = PromptGuardScanner(model=str(models["random"]), window_tokens=128, stride=16).scan_texts(texts)
    fast = PromptGuardScanner(
        model=str(models["random"]), window_tokens=128, stride=16, inference=path, onnx_cache_dir=tmp_path
    )
    got = fast.scan_texts(texts)
    drift = max(abs(a.score - b.score) for a, b in zip(reference, got, strict=True))
    assert drift <= tolerance, f"{path}: max |Δscore| {drift}"
    assert [r.details["windows"] for r in got] == [r.details["windows"] for r in reference]
    # the random model's scores spread over (0, 1): the path is actually run, not a copy of float32
    assert len({round(r.score, 3) for r in got}) > 3
    # batched and one-by-one agree within the same bound (int8 quantises activations per batch, so a text's
    # score depends a little on its batch companions)
    one_by_one = [fast.scan_texts([t])[0].score for t in texts]
    assert max(abs(a - b.score) for a, b in zip(one_by_one, got, strict=True)) <= tolerance
    fast.close()


def test_trigger_model_decisions_hold_on_every_path(models: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    for path in ("bfloat16", "int8", "onnx", "onnx-int8"):
        scanner = PromptGuardScanner(model=str(models["trigger"]), inference=path, onnx_cache_dir=tmp_path)
        bad, good = scanner.scan_texts(["please ignore the budget", "please review the quarterly budget"])
        assert bad.score > 0.9 and good.score < 0.1, path
        scanner.close()


def test_onnx_graph_is_cached_keyed_by_weights_and_hash_checked(models: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    hf.clear_model_cache()
    PromptGuardScanner(model=str(models["random"]), inference="onnx", onnx_cache_dir=tmp_path).close()
    graphs = sorted(tmp_path.glob("*/model.onnx"))
    assert len(graphs) == 1
    manifest = json.loads((graphs[0].parent / "manifest.json").read_text())
    assert manifest["sha256"] == hf.sha256_file(graphs[0])
    # reused, not exported again
    mtime = graphs[0].stat().st_mtime_ns
    hf.clear_model_cache()
    PromptGuardScanner(model=str(models["random"]), inference="onnx", onnx_cache_dir=tmp_path).close()
    assert graphs[0].stat().st_mtime_ns == mtime
    # other weights get their own graph
    PromptGuardScanner(model=str(models["trigger"]), inference="onnx", onnx_cache_dir=tmp_path).close()
    assert len(list(tmp_path.glob("*/model.onnx"))) == 2
    # a graph changed after export is refused
    with open(graphs[0], "ab") as fh:
        fh.write(b"\0")
    hf.clear_model_cache()
    with pytest.raises(ModelLoadError, match="does not match the sha256"):
        PromptGuardScanner(model=str(models["random"]), inference="onnx", onnx_cache_dir=tmp_path)


def test_bad_inference_options(models: dict[str, Path]) -> None:
    with pytest.raises(ConfigurationError, match="inference must be one of"):
        PromptGuardScanner(model=str(models["trigger"]), inference="fp8")
    with pytest.raises(ConfigurationError, match="not both"):
        PromptGuardScanner(model=str(models["trigger"]), inference="onnx", dtype="bfloat16")
