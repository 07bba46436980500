"""Guard-model files on disk: fetch into the Hugging Face cache, pin by sha256, verify, list.

The layout is the Hugging Face hub cache (``<cache>/models--org--name/{refs,snapshots}/...``), so anything that
loads with ``from_pretrained(repo_id, cache_dir=...)`` finds what ``pull`` put there. Pins live in a JSON lock
file (``lf-models.lock.json`` by default):

    {"version": 1, "models": {"meta-llama/Llama-Prompt-Guard-2-86M":
        {"revision": "<commit>", "files": {"model.safetensors": "<sha256>", ...}}}}

Only safetensors weights and tokenizer/config files are fetched; pickle checkpoints (``*.bin``, ``*.pt``,
``*.pth``, ``*.pkl``, ``*.ckpt``) are never downloaded, copied or loaded.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import logging
import os
import shutil
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import ConfigurationError, ModelLoadError
from .models import PROMPT_GUARD_PRESETS

__all__ = (
    "DEFAULT_LOCK_FILE",
    "KNOWN_MODELS",
    "CachedModel",
    "PulledModel",
    "VerifyProblem",
    "cache_root",
    "file_digests",
    "list_cached",
    "pull",
    "read_lock",
    "resolve_model_name",
    "snapshot_path",
    "verify",
    "write_lock",
)

logger = logging.getLogger(__name__)

DEFAULT_LOCK_FILE = "lf-models.lock.json"

#: short names accepted wherever a guard model is named (the presets of :mod:`lf_middleware.models`)
KNOWN_MODELS: dict[str, str] = {name: spec.repo_id for name, spec in PROMPT_GUARD_PRESETS.items()}
#: what ``pull`` fetches by default
DEFAULT_PULL = ("promptguard-2-86m", "promptguard-2-22m")

ALLOWED_PATTERNS = ("*.safetensors", "*.json", "*.model", "*.txt", "*.spm", "tokenizer*", "vocab*", "merges*")
PICKLE_PATTERNS = ("*.bin", "*.pt", "*.pth", "*.pkl", "*.pickle", "*.ckpt", "*.h5", "*.msgpack")


def resolve_model_name(name: str) -> str:
    """Map a short name (``promptguard-2-86m``) to its hub id; other names pass through."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"a model name must be a non-empty string, got {name!r}")
    return KNOWN_MODELS.get(name.strip().lower(), name.strip())


def cache_root(cache_dir: str | Path | None = None) -> Path:
    """The hub cache folder: ``cache_dir`` if given, else HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.

    Read from the environment at call time; never written to it.
    """
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ
    if env.get("HF_HUB_CACHE"):
        return Path(env["HF_HUB_CACHE"]).expanduser()
    if env.get("HF_HOME"):
        return Path(env["HF_HOME"]).expanduser() / "hub"
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def _repo_folder(cache: Path, repo_id: str) -> Path:
    return cache / ("models--" + repo_id.replace("/", "--"))


def snapshot_path(repo_id: str, revision: str | None = None, *, cache_dir: str | Path | None = None) -> Path | None:
    """The cached snapshot folder of ``repo_id`` at ``revision`` (a branch/tag name or a commit), or None."""
    folder = _repo_folder(cache_root(cache_dir), resolve_model_name(repo_id))
    rev = revision or "main"
    ref = folder / "refs" / rev
    commit = ref.read_text(encoding="utf-8").strip() if ref.is_file() else rev
    snap = folder / "snapshots" / commit
    return snap if snap.is_dir() else None


def _is_pickle(name: str) -> bool:
    return any(fnmatch.fnmatch(name.lower(), p) for p in PICKLE_PATTERNS)


def _is_allowed(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    return not _is_pickle(base) and any(fnmatch.fnmatch(base, p) for p in ALLOWED_PATTERNS)


def _sha256(path: Path, progress: Callable[[int], Any] | None = None) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return h.hexdigest()


def file_digests(folder: str | Path) -> dict[str, str]:
    """sha256 of every model file under ``folder`` (relative POSIX path -> hex digest); symlinks followed."""
    root = Path(folder)
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(".") and "/." not in rel and _is_allowed(rel):
            out[rel] = _sha256(path)
    return out


@dataclass(frozen=True, slots=True)
class PulledModel:
    repo_id: str
    revision: str  # the commit (or content digest for a folder source)
    path: Path
    files: dict[str, str]  # relative path -> sha256

    @property
    def size(self) -> int:
        return sum((self.path / f).stat().st_size for f in self.files)


# lock file ------------------------------------------------------------------------------------------------------
def read_lock(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a lock file; returns ``{repo_id: {"revision": ..., "files": {name: sha256}}}``."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"lock file not found: {p} (create it with 'lf-middleware models pull')") from None
    except ValueError as err:
        raise ConfigurationError(f"lock file {p} is not valid JSON: {err}") from None
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, dict):
        raise ConfigurationError(f"lock file {p}: expected {{\"version\": 1, \"models\": {{...}}}}")
    for repo_id, entry in models.items():
        files = entry.get("files") if isinstance(entry, dict) else None
        if not isinstance(files, dict) or not all(isinstance(v, str) and len(v) == 64 for v in files.values()):
            raise ConfigurationError(f"lock file {p}: models.{repo_id}.files must map file names to sha256 hex digests")
    return models


def write_lock(path: str | Path, models: Iterable[PulledModel]) -> Path:
    """Add or replace the given models' pins in the lock file (other entries are kept)."""
    p = Path(path)
    existing: dict[str, Any] = read_lock(p) if p.exists() else {}
    for m in models:
        existing[m.repo_id] = {"revision": m.revision, "files": dict(sorted(m.files.items()))}
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(json.dumps({"version": 1, "models": dict(sorted(existing.items()))}, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, p)
    return p


# pull -------------------------------------------------------------------------------------------------------------
def _hub_reachable(endpoint: str, timeout: float) -> bool:
    parsed = urlparse(endpoint)
    host = parsed.hostname or "huggingface.co"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _offline_help(repo_id: str, endpoint: str) -> str:
    return (
        f"cannot reach the Hugging Face hub ({endpoint}) to fetch {repo_id}. Options:\n"
        "  - run 'lf-middleware models pull' on a machine with hub access (and HF_TOKEN set: Prompt Guard models are "
        "gated), then copy its cache folder here and point HF_HOME (or --cache-dir) at it;\n"
        "  - copy a model folder here and pull from it: 'lf-middleware models pull NAME --from DIR';\n"
        "  - or use the embedded offline default (prompt_guard with no model configured), which needs no download."
    )


def _pull_hub(repo_id: str, revision: str | None, cache: Path, token: str | None, timeout: float) -> Path:
    from ._lazy import require

    hub = require("huggingface_hub", "promptguard", what="'models pull'")
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if not _hub_reachable(endpoint, timeout):
        raise ModelLoadError(_offline_help(repo_id, endpoint))
    try:
        path = hub.snapshot_download(
            repo_id,
            revision=revision,
            cache_dir=str(cache),
            token=token or False,
            allow_patterns=list(ALLOWED_PATTERNS),
            ignore_patterns=list(PICKLE_PATTERNS),
            etag_timeout=timeout,
        )
    except Exception as err:  # hub errors: gated repo, bad token, missing revision, network
        hint = " (the repository is gated: accept its licence on the hub and set HF_TOKEN)" if "401" in str(err) or "403" in str(err) or "gated" in str(err).lower() else ""
        raise ModelLoadError(f"could not fetch {repo_id}: {type(err).__name__}: {err}{hint}") from None
    return Path(path)


def _find_in_source(source: Path, repo_id: str) -> Path:
    for cand in (source / repo_id, source / repo_id.replace("/", "--"), source / repo_id.rsplit("/", 1)[-1], source):
        if cand.is_dir() and any(p.suffix == ".safetensors" for p in cand.iterdir()):
            return cand
    has_pickle = any(_is_pickle(p.name) for p in source.rglob("*") if p.is_file())
    extra = " (only pickle weights were found there; convert them to safetensors)" if has_pickle else ""
    raise ModelLoadError(
        f"no safetensors model for {repo_id} under {source}{extra}; expected {source}/{repo_id}/model.safetensors "
        "or a folder holding model.safetensors"
    )


def _pull_folder(repo_id: str, source: Path, cache: Path, revision: str | None,
                 progress: Callable[[int, int], Any] | None) -> Path:
    src = _find_in_source(source, repo_id)
    files = [p for p in sorted(src.rglob("*")) if p.is_file() and _is_allowed(p.relative_to(src).as_posix())]
    skipped = [p.name for p in src.rglob("*") if p.is_file() and _is_pickle(p.name)]
    if skipped:
        logger.warning("not copying %d pickle file(s) from %s (safetensors only)", len(skipped), src)
    digests = {p.relative_to(src).as_posix(): _sha256(p) for p in files}
    commit = hashlib.sha1(json.dumps(digests, sort_keys=True).encode()).hexdigest()
    folder = _repo_folder(cache, repo_id)
    snap = folder / "snapshots" / commit
    total = sum(p.stat().st_size for p in files)
    done = 0
    for p in files:
        rel = p.relative_to(src).as_posix()
        blob = folder / "blobs" / digests[rel]
        blob.parent.mkdir(parents=True, exist_ok=True)
        if not blob.exists():
            tmp = blob.with_name(blob.name + ".incomplete")
            shutil.copyfile(p, tmp)
            os.replace(tmp, blob)
        target = snap / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        shutil.copyfile(blob, target)
        done += p.stat().st_size
        if progress is not None:
            progress(done, total)
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    (folder / "refs" / (revision or "main")).write_text(commit, encoding="utf-8")
    return snap


def safetensors_problem(path: Path) -> str | None:
    """Why ``path`` is not a readable safetensors file (None when its header is sound).

    The format: an 8-byte little-endian header length, a JSON object of that length, then the tensor bytes, whose
    extent the header's ``data_offsets`` give. Checks the header and that the file holds every byte it names.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                return f"is not a safetensors file ({size} bytes, too short for a header)"
            n = int.from_bytes(head, "little")
            if n < 2 or n > min(size - 8, 100_000_000):
                return "is not a safetensors file (its header length does not fit the file)"
            header = json.loads(fh.read(n))
    except OSError as err:
        return f"cannot be read ({err.strerror or type(err).__name__})"
    except ValueError:  # bad JSON or bad UTF-8 in the header
        return "is not a safetensors file (its header is not JSON)"
    if not isinstance(header, dict):
        return "is not a safetensors file (its header is not a JSON object)"
    end = 0
    for key, meta in header.items():
        if key == "__metadata__":
            continue
        offsets = meta.get("data_offsets") if isinstance(meta, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            return f"is not a safetensors file (tensor {key!r} has no data_offsets)"
        end = max(end, offsets[1])
    if 8 + n + end > size:
        return f"is truncated ({size} bytes; its header describes {8 + n + end})"
    return None


def pull(
    names: Iterable[str] = DEFAULT_PULL,
    *,
    cache_dir: str | Path | None = None,
    token: str | None = None,
    source: str | Path | None = None,
    revision: str | None = None,
    timeout: float = 5.0,
    progress: Callable[[str, int, int], Any] | None = None,
) -> list[PulledModel]:
    """Fetch guard models into the hub cache and return their digests (for the lock file).

    ``source`` None fetches from the hub (``token`` or HF_TOKEN; a quick reachability check fails fast when
    offline); a folder path copies from a local mirror instead (``DIR/org/name/`` or ``DIR/org--name/``).
    """
    cache = cache_root(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        repo_id = resolve_model_name(name)
        if source is not None:
            src = Path(source)
            if not src.is_dir():
                raise ConfigurationError(f"--from {src}: not a folder")
            cb = (lambda d, t, _r=repo_id: progress(_r, d, t)) if progress else None
            snap = _pull_folder(repo_id, src, cache, revision, cb)
        else:
            snap = _pull_hub(repo_id, revision, cache, token or os.environ.get("HF_TOKEN"), timeout)
        digests = file_digests(snap)
        if not any(k.endswith(".safetensors") for k in digests):
            raise ModelLoadError(f"{repo_id}: no safetensors weights were fetched (pickle checkpoints are refused)")
        for fname in sorted(k for k in digests if k.endswith(".safetensors")):
            problem = safetensors_problem(snap / fname)
            if problem is not None:  # never pin a truncated or mislabelled file as good
                raise ModelLoadError(f"{repo_id}: {fname} {problem}; nothing was pinned. Copy or fetch it again "
                                     f"(the bad copy is at {snap / fname})")
        out.append(PulledModel(repo_id=repo_id, revision=snap.name, path=snap, files=digests))
        logger.info("pulled %s at %s (%d files)", repo_id, snap.name, len(digests))
    return out


# verify / list ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VerifyProblem:
    repo_id: str
    file: str
    problem: str  # "missing model", "missing file", "modified", "unpinned file"
    expected: str = ""
    actual: str = ""

    def __str__(self) -> str:
        if self.problem == "modified":
            return f"{self.repo_id}: {self.file} was modified (expected sha256 {self.expected[:16]}…, found {self.actual[:16]}…)"
        return f"{self.repo_id}: {self.file}: {self.problem}"


def verify(lock: Mapping[str, Mapping[str, Any]], *, cache_dir: str | Path | None = None) -> list[VerifyProblem]:
    """Check cached files against the lock's pins without network. Returns the problems (empty: all good)."""
    problems: list[VerifyProblem] = []
    for repo_id, entry in lock.items():
        snap = snapshot_path(repo_id, entry.get("revision"), cache_dir=cache_dir)
        if snap is None:
            problems.append(VerifyProblem(repo_id, "", f"missing model (revision {entry.get('revision')} not in {cache_root(cache_dir)})"))
            continue
        actual = file_digests(snap)
        for fname, digest in entry["files"].items():
            got = actual.get(fname)
            if got is None:
                problems.append(VerifyProblem(repo_id, fname, "missing file"))
            elif got != digest:
                problems.append(VerifyProblem(repo_id, fname, "modified", digest, got))
        for fname in sorted(set(actual) - set(entry["files"])):
            if fname.endswith(".safetensors"):
                problems.append(VerifyProblem(repo_id, fname, "unpinned weight file"))
    return problems


@dataclass(frozen=True, slots=True)
class CachedModel:
    repo_id: str
    revisions: dict[str, str] = field(default_factory=dict)  # ref name -> commit
    snapshots: tuple[str, ...] = ()
    size: int = 0
    pinned: bool = False


def list_cached(*, cache_dir: str | Path | None = None, lock: Mapping[str, Any] | None = None) -> list[CachedModel]:
    """Models present in the hub cache, with their size and whether the lock pins them."""
    cache = cache_root(cache_dir)
    out = []
    if not cache.is_dir():
        return out
    for folder in sorted(cache.glob("models--*")):
        repo_id = folder.name[len("models--"):].replace("--", "/", 1)
        refs = {p.name: p.read_text(encoding="utf-8").strip() for p in (folder / "refs").glob("*") if p.is_file()}
        snaps = tuple(sorted(p.name for p in (folder / "snapshots").glob("*") if p.is_dir()))
        size = sum(p.stat().st_size for p in (folder / "blobs").rglob("*") if p.is_file())
        if not size:
            size = sum(p.stat().st_size for p in (folder / "snapshots").rglob("*") if p.is_file())
        out.append(CachedModel(repo_id, refs, snaps, size, bool(lock and repo_id in lock)))
    return out
