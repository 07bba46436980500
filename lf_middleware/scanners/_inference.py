"""Inference paths for a loaded transformers sequence classifier: float32, bfloat16, dynamic int8, ONNX Runtime.

=============  ==============================================================================================
``float32``    the model as saved, with the cached DeBERTa relative-position projections
``bfloat16``   weights and activations in bfloat16 (fast on CPUs with AVX-512 BF16 / AMX, and on GPUs)
``int8``       torch dynamic quantisation: ``nn.Linear`` weights in int8, activations quantised per batch (CPU)
``onnx``       the same safetensors weights exported once to ONNX and run by ONNX Runtime (CPU)
``onnx-int8``  that ONNX graph with ONNX Runtime's dynamic int8 quantisation of its matrix products (CPU)
=============  ==============================================================================================

Each path changes scores a little; ``docs/deploy_at_scale.md`` lists the drift measured against float32 on
the dev set and why the default is what it is.

ONNX files are cached, never trusted blindly: the cache folder is named after a digest of the source weight
files' sha256 (the same files the scanner's pins verified), the config, and the exporter's versions, so new
weights never reuse an old graph; the graph's own sha256 is recorded when it is written and checked every time
it is loaded. ONNX graphs hold no code (unlike pickle), so loading one runs nothing but the graph.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
import types
import warnings
from pathlib import Path
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError, ModelLoadError

__all__ = ("INFERENCE_PATHS", "default_onnx_cache", "prepare", "torch_dtype_for")

logger = logging.getLogger(__name__)

INFERENCE_PATHS = ("float32", "bfloat16", "int8", "onnx", "onnx-int8")
_ONNX_OPSET = 17
_export_lock = threading.Lock()


def check_path(inference: str | None, dtype: str | None) -> str:
    """Validate ``inference`` (and the older ``dtype`` spelling of the same choice); return the path name."""
    if inference is None:
        if dtype is None:
            return "float32"
        name = str(dtype).replace("torch.", "")
        if name not in ("float32", "bfloat16", "float16"):
            raise ConfigurationError(f"dtype {dtype!r} is not a floating torch dtype ('float32', 'bfloat16', 'float16')")
        return name
    if inference not in INFERENCE_PATHS:
        raise ConfigurationError(f"inference must be one of {', '.join(INFERENCE_PATHS)}; got {inference!r}")
    if dtype is not None and str(dtype).replace("torch.", "") != "float32" and inference != dtype:
        raise ConfigurationError(f"pass either dtype={dtype!r} or inference={inference!r}, not both")
    return inference


def torch_dtype_for(path: str) -> str:
    """The dtype the transformers model is loaded in for ``path`` (ONNX and int8 start from float32)."""
    return path if path in ("bfloat16", "float16") else "float32"


def default_onnx_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lf-middleware" / "onnx"


def prepare(model: Any, folder: Path, *, path: str, device: Any, onnx_cache: Path | None = None) -> Any:
    """The callable that scores batches for ``path``: the model itself, its int8 copy, or an ONNX session."""
    if path in ("float32", "bfloat16", "float16"):
        return model
    if device.type != "cpu":
        raise ConfigurationError(f"inference={path!r} runs on the CPU only; the device is {device}")
    if path == "int8":
        torch = require("torch", "promptguard", what="int8 inference")
        with warnings.catch_warnings():  # eager-mode quantisation is deprecated in favour of torchao; it still works
            warnings.simplefilter("ignore")
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    ort = require("onnxruntime", "onnx", what=f"inference={path!r}")
    graph = _onnx_file(model, folder, quantized=path == "onnx-int8", cache=onnx_cache or default_onnx_cache())
    options = ort.SessionOptions()
    torch = require("torch", "promptguard", what="ONNX inference")
    options.intra_op_num_threads = torch.get_num_threads()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(graph), sess_options=options, providers=["CPUExecutionProvider"])
    return _OrtModel(session, model.config)


class _OrtModel:
    """Called like the transformers model (``input_ids``, ``attention_mask`` tensors) and answers ``.logits``."""

    def __init__(self, session: Any, config: Any) -> None:
        self.session = session
        self.config = config

    def __call__(self, *, input_ids: Any, attention_mask: Any) -> Any:
        import torch

        logits = self.session.run(
            ["logits"], {"input_ids": input_ids.cpu().numpy(), "attention_mask": attention_mask.cpu().numpy()}
        )[0]
        return types.SimpleNamespace(logits=torch.from_numpy(logits))


def _sha256(path: Path) -> str:
    from ._hf_classifier import sha256_file

    return sha256_file(path)


def _source_digest(folder: Path, quantized: bool) -> str:
    torch = require("torch", "promptguard", what="ONNX export")
    transformers = require("transformers", "promptguard", what="ONNX export")
    ort = require("onnxruntime", "onnx", what="ONNX export")
    digest = hashlib.sha256()
    for weight in sorted(folder.glob("*.safetensors")):
        digest.update(f"{weight.name}={_sha256(weight)}\n".encode())
    digest.update((folder / "config.json").read_bytes())
    versions = f"torch={torch.__version__} transformers={transformers.__version__} ort={ort.__version__}"
    digest.update(f"{versions} opset={_ONNX_OPSET} int8={quantized}".encode())
    return digest.hexdigest()[:32]


def _onnx_file(model: Any, folder: Path, *, quantized: bool, cache: Path) -> Path:
    """The cached ONNX graph for this model (exported on first use), its recorded sha256 checked."""
    target = cache / _source_digest(folder, quantized)
    graph, manifest = target / "model.onnx", target / "manifest.json"
    with _export_lock:
        if graph.is_file() and manifest.is_file():
            expected = json.loads(manifest.read_text()).get("sha256")
            actual = _sha256(graph)
            if actual != expected:
                raise ModelLoadError(
                    f"the cached ONNX graph {graph} does not match the sha256 recorded when it was exported "
                    f"(expected {expected}, actual {actual}): it was changed after export. Delete {target} so it is "
                    "exported again from the verified safetensors weights"
                )
            return graph
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target) as tmp:
            plain = Path(tmp) / "plain.onnx"
            _export(model, plain)
            out = plain
            if quantized:
                quant = require("onnxruntime.quantization", "onnx", what="inference='onnx-int8'")
                out = Path(tmp) / "int8.onnx"
                quant.quantize_dynamic(str(plain), str(out), weight_type=quant.QuantType.QInt8)
            os.replace(out, graph)
        manifest.write_text(json.dumps({"sha256": _sha256(graph), "source": str(folder), "int8": quantized}))
        logger.info("exported %s to ONNX at %s", folder.name, graph)
        return graph


def _export(model: Any, out: Path) -> None:
    torch = require("torch", "promptguard", what="ONNX export")
    require("onnx", "onnx", what="ONNX export")
    from ._hf_classifier import install_relpos_cache, remove_relpos_cache

    class _Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    cached = any("_lf_stock_bias" in m.__dict__ for m in model.modules())
    remove_relpos_cache(model)  # trace the stock attention: the cache slices by data-dependent bounds
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"}, "logits": {0: "batch"}}
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Logits(model).eval(), (ids, mask), str(out), input_names=["input_ids", "attention_mask"],
                output_names=["logits"], dynamic_axes=axes, opset_version=_ONNX_OPSET, dynamo=False,
            )
    except Exception as err:  # noqa: BLE001 - the exporter raises many types
        raise ModelLoadError(
            f"could not export the model to ONNX ({type(err).__name__}: {str(err)[:300]}); use inference='float32'"
        ) from err
    finally:
        if cached:
            install_relpos_cache(model)
    with contextlib.suppress(OSError):
        os.chmod(out, 0o644)
