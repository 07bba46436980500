"""A transformers sequence-classifier backend for the PromptGuard scanner.

What it does, in order:

- resolves a model (hub id + revision through the Hugging Face cache, or a local folder) without touching
  ``os.environ`` and without ever prompting for a login; a model that is not available locally and cannot be
  fetched fails fast with a :class:`ModelLoadError` that says how to get it;
- refuses pickle checkpoints (only ``*.safetensors`` weights are loaded, with ``use_safetensors=True``);
- checks optional sha256 pins of the weight (and tokenizer/config) files before loading anything;
- keeps one loaded model per process for each (folder, revision, device, dtype): every scanner and thread
  that asks for the same model shares it, and forward passes on it are serialised by a lock;
- splits texts into overlapping windows of at most ``window_tokens`` tokens (the tokenizer's offsets give
  each window's character span) and scores every window; a text's score is its best window's;
- packs the windows of all texts of a call into length-sorted batches with dynamic padding, under
  ``torch.inference_mode()``.

torch, transformers and huggingface_hub are imported lazily (the ``promptguard`` extra).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError, ModelLoadError
from ..models import ModelSpec, resolve_model_spec
from ._classifier import TextScore
from ._inference import check_path as check_inference_path
from ._inference import prepare as prepare_inference
from ._inference import torch_dtype_for
from ._windows import TokenWindower, Window

__all__ = ("HFClassifier", "clear_model_cache", "install_relpos_cache")

logger = logging.getLogger(__name__)

#: files fetched from the hub: configs, safetensors weights and tokenizer files. Never *.bin / *.pt / *.pkl.
_HUB_ALLOW_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.txt", "*.tiktoken"]
_PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")


def _how_to_get(repo_id: str) -> str:
    return (
        f"To use {repo_id!r}: (1) on a machine that can reach huggingface.co, accept the model's licence on its "
        "hub page and set HF_TOKEN (or pass token=...); (2) fill the cache ahead of time with "
        f"`lf-middleware models pull {repo_id}` (or `hf download {repo_id}`) and point cache_dir/HF_HOME at it; "
        "(3) pass model=<local folder> holding a safetensors checkpoint; or (4) leave model unset to use the "
        "embedded offline default classifier"
    )


# ---------------------------------------------------------------------------------------------------------
# Files: resolve, refuse pickle, verify hashes


def _resolve_folder(
    spec: ModelSpec, *, cache_dir: str | os.PathLike[str] | None, token: str | bool | None, local_files_only: bool
) -> Path:
    """A local folder holding the model's files: the path itself, or a hub snapshot in the HF cache."""
    path = Path(spec.repo_id).expanduser()
    if path.is_dir():
        return path.resolve()
    if path.is_absolute() or spec.repo_id.startswith((".", "~")) or path.exists():
        raise ModelLoadError(f"model folder {spec.repo_id!r} does not exist or is not a folder. " + _how_to_get(spec.repo_id))
    if spec.repo_id.count("/") != 1:
        raise ModelLoadError(
            f"model {spec.repo_id!r} is neither an existing folder nor a hub id of the form 'owner/name'. "
            + _how_to_get(spec.repo_id)
        )
    hub = require("huggingface_hub", "promptguard", what="loading a PromptGuard model from the Hugging Face Hub")
    kwargs: dict[str, Any] = {
        "repo_id": spec.repo_id,
        "revision": spec.revision,
        "cache_dir": None if cache_dir is None else str(cache_dir),
        "token": token,
        "allow_patterns": _HUB_ALLOW_PATTERNS,
    }
    # The cache first: no network at all when the snapshot is already there.
    try:
        return Path(hub.snapshot_download(local_files_only=True, **kwargs))
    except Exception as err:  # noqa: BLE001 - any failure here only means "not cached"; the hub is tried next
        cached_err: Exception = err
    if local_files_only:
        raise ModelLoadError(
            f"model {spec.repo_id!r} (revision {spec.revision or 'default'}) is not in the local Hugging Face cache "
            f"and local_files_only is set ({type(cached_err).__name__}). " + _how_to_get(spec.repo_id)
        ) from None
    try:
        return Path(hub.snapshot_download(local_files_only=False, etag_timeout=10, **kwargs))
    except Exception as err:  # noqa: BLE001 - network, auth, gated repo, missing revision: all end the same way
        raise ModelLoadError(
            f"could not download model {spec.repo_id!r} (revision {spec.revision or 'default'}): "
            f"{type(err).__name__}: {str(err)[:300]}. " + _how_to_get(spec.repo_id)
        ) from err


def _check_safetensors(folder: Path) -> list[Path]:
    """The folder's safetensors weight files; refuse a folder that only offers pickle checkpoints."""
    weights = sorted(folder.glob("*.safetensors"))
    if weights:
        return weights
    pickles = sorted(p.name for p in folder.iterdir() if p.suffix.lower() in _PICKLE_SUFFIXES)
    if pickles:
        raise ModelLoadError(
            f"refusing to load {folder}: it only has pickle checkpoints ({', '.join(pickles)}), which can run code "
            "when loaded. Convert them to safetensors once, in a trusted environment (for example with "
            "transformers: model.save_pretrained(folder, safe_serialization=True)), then pin the new files' sha256"
        )
    raise ModelLoadError(f"no *.safetensors weight file in {folder}; expected a transformers model folder")


_hash_memo: dict[tuple[str, int, int, int, int], str] = {}
_hash_lock = threading.Lock()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed; memoised per (real path, inode, size, mtime, ctime).

    ctime cannot be set back by a user, so a file rewritten in place is hashed again."""
    real = os.path.realpath(path)
    st = os.stat(real)
    key = (real, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    with _hash_lock:
        known = _hash_memo.get(key)
    if known is not None:
        return known
    digest = hashlib.sha256()
    with open(real, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()
    with _hash_lock:
        _hash_memo[key] = value
    return value


def _verify_pins(folder: Path, weights: Sequence[Path], pins: Mapping[str, str]) -> None:
    """Check every pinned file; with any pin given, every weight file must be pinned too."""
    if not pins:
        return
    unpinned = [w.name for w in weights if w.name not in pins]
    if unpinned:
        raise ModelLoadError(
            f"sha256 pins were given for {folder} but these weight files are not pinned: {', '.join(unpinned)}; "
            "pin every *.safetensors file (a substituted or added shard must not load unchecked)"
        )
    for name, expected in pins.items():
        if not isinstance(expected, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", expected.strip()):
            raise ConfigurationError(f"sha256 pin for {name!r} must be 64 hex digits, got {expected!r}")
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents and target != folder.resolve():
            raise ConfigurationError(f"sha256 pin names {name!r}, which is outside the model folder")
        if not target.is_file():
            raise ModelLoadError(f"pinned file {name!r} is missing from {folder}; expected sha256 {expected.lower()}")
        actual = sha256_file(target)
        if actual != expected.strip().lower():
            raise ModelLoadError(
                f"sha256 mismatch for {name!r} in {folder}: expected {expected.strip().lower()}, actual {actual}. "
                "The file is not the one that was pinned: the cache may be corrupt or tampered with. Delete it and "
                "fetch the model again, or update the pin if the change is intended"
            )


# ---------------------------------------------------------------------------------------------------------
# DeBERTa-v2/v3 relative-position cache


def install_relpos_cache(model: Any) -> int:
    """Precompute DeBERTa-v2/v3 relative-position projections once; return how many layers use them.

    In eval mode the projections of the relative-position embeddings through the query/key (or pos_query/
    pos_key) matrices do not depend on the input, yet the stock forward recomputes all ``2 * position_buckets``
    of them in every layer of every call and repeats them per batch row. The patched attention bias uses the
    cached projections, sliced to the relative distances the input actually has. It falls back to the stock
    code whenever gradients are on, the module is training, or the shapes are unusual. Call it again after
    changing the weights.
    """
    torch = require("torch", "promptguard", what="the PromptGuard scanner")
    encoder = next((m for m in model.modules() if type(m).__name__ == "DebertaV2Encoder"), None)
    if encoder is None or not getattr(encoder, "relative_attention", False):
        return 0
    count = 0
    with torch.no_grad():
        rel = encoder.get_rel_embedding()
        for module in model.modules():
            if type(module).__name__ != "DisentangledSelfAttention" or not getattr(module, "relative_attention", False):
                continue
            if not type(module).__module__.endswith("deberta_v2.modeling_deberta_v2"):
                continue
            span = module.pos_ebd_size
            rel_in = rel[0 : span * 2, :].unsqueeze(0)
            heads = module.num_attention_heads
            pos_key = pos_query = None
            if module.share_att_key:
                pos_key = module.transpose_for_scores(module.key_proj(rel_in), heads)
                pos_query = module.transpose_for_scores(module.query_proj(rel_in), heads)
            else:
                if "c2p" in module.pos_att_type:
                    pos_key = module.transpose_for_scores(module.pos_key_proj(rel_in), heads)
                if "p2c" in module.pos_att_type:
                    pos_query = module.transpose_for_scores(module.pos_query_proj(rel_in), heads)
            module._lf_pos_key = pos_key
            module._lf_pos_query = pos_query
            if "_lf_stock_bias" not in module.__dict__:
                module._lf_stock_bias = module.disentangled_attention_bias
            module.disentangled_attention_bias = types.MethodType(_cached_disentangled_bias, module)
            count += 1
    return count


def remove_relpos_cache(model: Any) -> None:
    """Undo :func:`install_relpos_cache`."""
    for module in model.modules():
        if "_lf_stock_bias" in module.__dict__:
            del module.__dict__["disentangled_attention_bias"]
            del module.__dict__["_lf_stock_bias"]
            module._lf_pos_key = module._lf_pos_query = None


def _cached_disentangled_bias(
    self: Any, query_layer: Any, key_layer: Any, relative_pos: Any, rel_embeddings: Any, scale_factor: int
) -> Any:
    import torch

    stock = self._lf_stock_bias
    if self.training or torch.is_grad_enabled() or relative_pos is None:
        return stock(query_layer, key_layer, relative_pos, rel_embeddings, scale_factor)
    for cached in (self._lf_pos_key, self._lf_pos_query):
        # the model was moved or cast after the cache was built: the stock path stays correct
        if cached is not None and (cached.dtype != query_layer.dtype or cached.device != query_layer.device):
            return stock(query_layer, key_layer, relative_pos, rel_embeddings, scale_factor)
    rp = relative_pos
    if rp.dim() == 3:
        rp = rp.unsqueeze(1)
    elif rp.dim() == 2:
        rp = rp.unsqueeze(0).unsqueeze(0)
    length = query_layer.size(-2)
    if rp.dim() != 4 or rp.size(0) != 1 or rp.size(1) != 1 or key_layer.size(-2) != length:
        return stock(query_layer, key_layer, relative_pos, rel_embeddings, scale_factor)
    rp = rp[0].to(device=query_layer.device, dtype=torch.long)  # [1, L, L]
    batch = query_layer.size(0) // self.num_attention_heads
    span = self.pos_ebd_size
    score: Any = 0
    # Same operations as the stock code, on cached projections sliced to the distances present.
    if "c2p" in self.pos_att_type:
        scale = torch.sqrt(torch.tensor(self._lf_pos_key.size(-1), dtype=torch.float) * scale_factor)
        c2p_pos = torch.clamp(rp + span, 0, span * 2 - 1)
        lo, hi = int(c2p_pos.min()), int(c2p_pos.max()) + 1
        pos_key = self._lf_pos_key[:, lo:hi, :].repeat(batch, 1, 1)
        c2p = torch.bmm(query_layer, pos_key.transpose(-1, -2))
        c2p = torch.gather(c2p, dim=-1, index=(c2p_pos - lo).expand([query_layer.size(0), length, length]))
        score += c2p / scale.to(dtype=c2p.dtype)
    if "p2c" in self.pos_att_type:
        scale = torch.sqrt(torch.tensor(self._lf_pos_query.size(-1), dtype=torch.float) * scale_factor)
        p2c_pos = torch.clamp(-rp + span, 0, span * 2 - 1)
        lo, hi = int(p2c_pos.min()), int(p2c_pos.max()) + 1
        pos_query = self._lf_pos_query[:, lo:hi, :].repeat(batch, 1, 1)
        p2c = torch.bmm(key_layer, pos_query.transpose(-1, -2))
        p2c = torch.gather(p2c, dim=-1, index=(p2c_pos - lo).expand([query_layer.size(0), length, length]))
        score += p2c.transpose(-1, -2) / scale.to(dtype=p2c.dtype)
    return score


# ---------------------------------------------------------------------------------------------------------
# The process-wide model cache


@dataclass(slots=True)
class _Loaded:
    """One loaded model and tokenizer, shared process-wide; ``lock`` serialises forward passes."""

    model: Any
    tokenizer: Any
    device: Any
    lock: threading.Lock
    id2label: dict[int, str]
    benign_index: int
    prefix: list[int]
    suffix: list[int]
    pad_id: int
    relpos_layers: int
    #: a private copy of the Rust tokenizer with truncation and padding off: encode_batch on it mutates no
    #: state, so threads can tokenise concurrently (the transformers wrapper reconfigures it on every call)
    encoder: Any


_cache: dict[tuple[str, str, str, str], _Loaded] = {}
_cache_lock = threading.Lock()
_key_locks: dict[tuple[str, str, str, str], threading.Lock] = {}


def _fresh_locks_after_fork() -> None:
    # a lock some parent thread held at fork() stays held forever in the child: give the child new ones
    global _cache_lock
    _cache_lock = threading.Lock()
    _key_locks.clear()
    for loaded in _cache.values():
        loaded.lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_locks_after_fork)


def clear_model_cache() -> None:
    """Forget every loaded model (the next scanner loads again). Mainly for tests."""
    with _cache_lock:
        _cache.clear()
        _key_locks.clear()


def _pick_device(torch: Any, device: str | None) -> Any:
    if device:
        try:
            return torch.device(device)
        except (RuntimeError, TypeError) as err:
            raise ConfigurationError(f"device {device!r} is not a torch device ('cpu', 'cuda', 'cuda:1', 'mps')") from err
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _benign_index(id2label: Mapping[int, str]) -> int:
    for idx, label in id2label.items():
        if "benign" in str(label).lower() or str(label).lower() in ("safe", "legit", "legitimate"):
            return int(idx)
    return 0


def _special_affixes(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special tokens the tokenizer puts before and after a single text ([CLS] ... [SEP])."""
    bare = tokenizer("a", add_special_tokens=False)["input_ids"]
    full = tokenizer("a", add_special_tokens=True)["input_ids"]
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return list(full[:i]), list(full[i + len(bare) :])
    cls = [tokenizer.cls_token_id] if getattr(tokenizer, "cls_token_id", None) is not None else []
    sep = [tokenizer.sep_token_id] if getattr(tokenizer, "sep_token_id", None) is not None else []
    return cls, sep


def _load(
    folder: Path, *, device: Any, dtype: Any, relpos_cache: bool, path: str = "float32", onnx_cache: Path | None = None
) -> _Loaded:
    transformers = require("transformers", "promptguard", what="the PromptGuard scanner")
    torch = require("torch", "promptguard", what="the PromptGuard scanner")
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    except Exception as err:  # noqa: BLE001 - transformers raises many types for a broken folder
        raise ModelLoadError(f"could not load the tokenizer from {folder}: {type(err).__name__}: {err}") from err
    if not getattr(tokenizer, "is_fast", False):
        raise ModelLoadError(
            f"the tokenizer in {folder} is not a fast (Rust) tokenizer; windowing needs character offsets. "
            "Save the model folder with a tokenizer.json"
        )
    try:
        model, info = transformers.AutoModelForSequenceClassification.from_pretrained(
            str(folder), local_files_only=True, use_safetensors=True, dtype=dtype, output_loading_info=True
        )
    except Exception as err:  # noqa: BLE001
        raise ModelLoadError(f"could not load a sequence classifier from {folder}: {type(err).__name__}: {err}") from err
    missing = sorted(info.get("missing_keys") or ())
    if missing:
        # transformers fills missing weights (typically the classifier head of a base checkpoint) with random
        # values: the scores would be noise around 0.5, reported as success
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise ModelLoadError(
            f"the model in {folder} has no trained weights for {shown}; it is not a trained classifier (a base "
            "checkpoint?). Use a fine-tuned sequence-classification model such as PromptGuard 2"
        )
    model.eval()
    model.to(device)
    id2label = {int(k): str(v) for k, v in (model.config.id2label or {}).items()}
    if model.config.num_labels < 2:
        raise ModelLoadError(f"the model in {folder} has {model.config.num_labels} label(s); a classifier needs >= 2")
    prefix, suffix = _special_affixes(tokenizer)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    tokenizers = require("tokenizers", "promptguard", what="the PromptGuard scanner")
    encoder = tokenizers.Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    encoder.no_truncation()
    encoder.no_padding()
    runner = prepare_inference(model, folder, path=path, device=device, onnx_cache=onnx_cache)
    layers = 0
    if runner is model or path == "int8":  # torch paths keep the relative-position cache; ONNX has its own graph
        model = runner
        layers = install_relpos_cache(model) if relpos_cache else 0
        if layers and not _check_relpos_cache(torch, model, tokenizer, device):
            layers = 0
    else:
        model = runner
    return _Loaded(
        model=model,
        tokenizer=tokenizer,
        device=device,
        lock=threading.Lock(),
        id2label=id2label,
        benign_index=_benign_index(id2label),
        prefix=prefix,
        suffix=suffix,
        pad_id=int(pad_id),
        relpos_layers=layers,
        encoder=encoder,
    )


def _check_relpos_cache(torch: Any, model: Any, tokenizer: Any, device: Any) -> bool:
    """Compare the cached and stock forward on a probe batch; remove the cache if they differ."""
    probe = tokenizer(
        ["a probe sentence to compare both attention paths", "short"], padding=True, return_tensors="pt"
    ).to(device)
    with torch.inference_mode():
        fast = model(**probe).logits.float()
        remove_relpos_cache(model)
        stock = model(**probe).logits.float()
    if torch.allclose(fast, stock, atol=1e-4, rtol=1e-4):
        install_relpos_cache(model)
        return True
    logger.warning("relative-position cache disagrees with the stock forward on this model; not using it")
    return False


def load_shared(
    spec: ModelSpec,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    token: str | bool | None = None,
    local_files_only: bool = False,
    device: str | None = None,
    dtype: str | None = None,
    relpos_cache: bool = True,
    inference: str | None = None,
    onnx_cache_dir: str | os.PathLike[str] | None = None,
) -> tuple[_Loaded, Path]:
    """Resolve, verify and load (or reuse) a model; the same model object for the same folder/device/dtype."""
    torch = require("torch", "promptguard", what="the PromptGuard scanner")
    require("transformers", "promptguard", what="the PromptGuard scanner")
    folder = _resolve_folder(spec, cache_dir=cache_dir, token=token, local_files_only=local_files_only)
    weights = _check_safetensors(folder)
    _verify_pins(folder, weights, spec.sha256)  # every time: a pin must hold even when the model is cached
    dev = _pick_device(torch, device)
    path = check_inference_path(inference, dtype)
    torch_dtype = _parse_dtype(torch, torch_dtype_for(path))
    key = (str(folder), spec.revision or "", str(dev), f"{torch_dtype}/{path}")
    with _cache_lock:
        loaded = _cache.get(key)
        if loaded is not None:
            return loaded, folder
        key_lock = _key_locks.setdefault(key, threading.Lock())
    with key_lock:  # one thread loads; the others wait for it and reuse its model
        with _cache_lock:
            loaded = _cache.get(key)
        if loaded is None:
            logger.info("loading classifier from %s on %s (%s)", folder, dev, path)
            onnx_cache = None if onnx_cache_dir is None else Path(onnx_cache_dir).expanduser()
            loaded = _load(
                folder, device=dev, dtype=torch_dtype, relpos_cache=relpos_cache, path=path, onnx_cache=onnx_cache
            )
            with _cache_lock:
                _cache[key] = loaded
    return loaded, folder


def _parse_dtype(torch: Any, dtype: str | None) -> Any:
    if dtype is None:
        return torch.float32
    value = getattr(torch, str(dtype).replace("torch.", ""), None)
    if not isinstance(value, torch.dtype) or not value.is_floating_point:
        raise ConfigurationError(f"dtype {dtype!r} is not a floating torch dtype ('float32', 'bfloat16', 'float16')")
    return value


# ---------------------------------------------------------------------------------------------------------
# The backend


class HFClassifier:
    """A :class:`ClassifierBackend` over a transformers sequence classifier, with windowing and batching."""

    def __init__(
        self,
        model: str | ModelSpec,
        *,
        revision: str | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        token: str | bool | None = None,
        local_files_only: bool | None = None,
        device: str | None = None,
        dtype: str | None = None,
        temperature: float = 1.0,
        window_tokens: int = 512,
        stride: int = 64,
        batch_size: int = 32,
        max_batch_tokens: int = 2048,
        sha256: Mapping[str, str] | None = None,
        relpos_cache: bool = True,
        inference: str | None = None,
        onnx_cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        if not isinstance(temperature, (int, float)) or not temperature > 0:
            raise ConfigurationError(f"temperature must be a number > 0, got {temperature!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ConfigurationError(f"batch_size must be an int >= 1, got {batch_size!r}")
        if not isinstance(max_batch_tokens, int) or max_batch_tokens < 1:
            raise ConfigurationError(f"max_batch_tokens must be an int >= 1, got {max_batch_tokens!r}")
        self.spec = resolve_model_spec(model, revision=revision, sha256=sha256)
        offline = local_files_only if local_files_only is not None else False
        self._loaded, self.folder = load_shared(
            self.spec,
            cache_dir=cache_dir,
            token=token,
            local_files_only=offline,
            device=device,
            dtype=dtype,
            relpos_cache=relpos_cache,
            inference=inference,
            onnx_cache_dir=onnx_cache_dir,
        )
        limit = getattr(self._loaded.model.config, "max_position_embeddings", None)
        specials = len(self._loaded.prefix) + len(self._loaded.suffix)
        if not isinstance(window_tokens, int) or window_tokens <= specials:
            raise ConfigurationError(f"window_tokens must be an int > {specials}, got {window_tokens!r}")
        if isinstance(limit, int) and 0 < limit < window_tokens:
            raise ConfigurationError(f"window_tokens={window_tokens} exceeds the model's {limit} positions")
        body = window_tokens - specials
        if not isinstance(stride, int) or not 0 <= stride < body:
            raise ConfigurationError(f"stride (overlap in tokens) must be an int in [0, {body}), got {stride!r}")
        self.temperature = float(temperature)
        self.window_tokens = window_tokens
        self.stride = stride
        self.batch_size = batch_size
        self.max_batch_tokens = max(max_batch_tokens, window_tokens)
        self._windower = TokenWindower(
            self._loaded.encoder,
            prefix=self._loaded.prefix,
            suffix=self._loaded.suffix,
            window_tokens=window_tokens,
            stride=stride,
        )
        self.name = self.spec.repo_id if not Path(self.spec.repo_id).expanduser().is_dir() else self.folder.name
        self.id2label = dict(self._loaded.id2label)

    @property
    def model(self) -> Any:
        """The shared transformers model (do not train or modify it in place)."""
        return self._loaded.model

    @property
    def tokenizer(self) -> Any:
        return self._loaded.tokenizer

    @property
    def relpos_cached_layers(self) -> int:
        """How many attention layers use the precomputed relative-position projections (0: stock forward)."""
        return self._loaded.relpos_layers

    # windowing ------------------------------------------------------------------------------------------
    def windows(self, text: str, text_index: int = 0) -> list[Window]:
        """The overlapping windows of a text (none for a text with no tokens)."""
        return self._windower.windows(text, text_index)

    # scoring --------------------------------------------------------------------------------------------
    def _scores(self, windows: Sequence[Window]) -> list[tuple[float, int]]:
        """(malicious probability, winning malicious label index) per window, batched by length."""
        torch = require("torch", "promptguard", what="the PromptGuard scanner")
        loaded = self._loaded
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
        results: list[tuple[float, int]] = [(0.0, -1)] * len(windows)
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = len(windows[i].ids)  # sorted ascending: the newest window is the widest
            if current and (len(current) >= self.batch_size or (len(current) + 1) * width > self.max_batch_tokens):
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        benign = loaded.benign_index
        num_labels = len(loaded.id2label) or loaded.model.config.num_labels
        for batch in batches:
            width = max(len(windows[i].ids) for i in batch)
            input_ids = torch.full((len(batch), width), loaded.pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                ids = windows[i].ids
                input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
                mask[row, : len(ids)] = 1
            with loaded.lock, torch.inference_mode():
                logits = loaded.model(
                    input_ids=input_ids.to(loaded.device), attention_mask=mask.to(loaded.device)
                ).logits
            probs = torch.softmax(logits.float() / self.temperature, dim=-1).cpu()
            if num_labels == 2:
                malicious = 1 - benign
                for row, i in enumerate(batch):
                    results[i] = (float(probs[row, malicious]), malicious)
            else:
                masked = probs.clone()
                masked[:, benign] = -1.0
                top = masked.argmax(dim=-1)
                for row, i in enumerate(batch):
                    results[i] = (float(1.0 - probs[row, benign]), int(top[row]))
        return results

    def score_texts(self, texts: Sequence[str]) -> list[TextScore]:
        """Score every text (its best window); one result per text, in order; empty text scores 0."""
        windows: list[Window] = []
        counts = [0] * len(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"score_texts expects str items, got {type(text).__name__} at index {index}")
            if not text or not text.strip():
                continue
            these = self.windows(text, index)
            counts[index] = len(these)
            windows.extend(these)
        best: list[tuple[float, int, tuple[int, int]]] = [(0.0, -1, (0, 0))] * len(texts)
        if windows:
            for window, (score, label) in zip(windows, self._scores(windows), strict=True):
                if score > best[window.text_index][0] or best[window.text_index][1] == -1:
                    best[window.text_index] = (score, label, window.span)
        out = []
        for index, (score, label, span) in enumerate(best):
            # a 2-label head has one malicious class: only multi-label heads name the winning label
            name = self._loaded.id2label.get(label) if label >= 0 and len(self._loaded.id2label) > 2 else None
            out.append(TextScore(score=score, span=span, windows=counts[index], label=name))
        return out

    def __repr__(self) -> str:
        return f"<HFClassifier {self.name!r} window={self.window_tokens} stride={self.stride}>"
