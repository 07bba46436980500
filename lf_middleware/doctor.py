"""Environment checks: what will happen at run time, before it happens.

``run_checks`` builds every configured scanner the way the engine would, smoke-scans the local ones, and adds
what a person needs to know: where models load from and whether their pins match, whether Semgrep's native
binary runs, whether the LLM backend is configured and reachable (its key is never printed), thread settings,
and the audit-log path. A check that fails means a configured scanner cannot work.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from . import model_store as ms
from .config import EngineConfig, load_config
from .types import Message, Role

__all__ = ("Check", "run_checks", "semgrep_binary")

Status = Literal["ok", "info", "warn", "fail"]

#: scanners that call a remote LLM: never smoke-scanned (it would cost a call), only checked for reachability
_LLM_SCANNERS = frozenset({"agent_alignment", "pii_detection"})
_OPTIONAL_EXTRAS = {
    "torch": "promptguard", "transformers": "promptguard", "semgrep": "codeshield", "together": "together",
    "langchain_core": "langchain", "langgraph": "langgraph",
}


@dataclass(frozen=True, slots=True)
class Check:
    section: str
    name: str
    status: Status
    detail: str


def semgrep_binary(configured: str | None = None) -> Path | None:
    """The native Semgrep binary: the configured path, else the one shipped in the ``semgrep`` wheel."""
    if configured:
        return Path(configured)
    try:
        import semgrep  # noqa: F401 - only to locate the package
    except ImportError:
        return None
    import semgrep as _s

    cand = Path(_s.__file__).parent / "bin" / "semgrep-core"
    return cand if cand.exists() else None


def _check_semgrep(options: Mapping[str, Any]) -> Check:
    binary = semgrep_binary(options.get("semgrep_binary"))
    if binary is None:
        return Check("scanners", "code_shield: semgrep", "fail",
                     "Semgrep's native binary was not found; install it with: pip install 'lf-middleware[codeshield]'")
    if not binary.exists():
        return Check("scanners", "code_shield: semgrep", "fail", f"configured semgrep binary {binary} does not exist")
    t = time.perf_counter()
    try:
        proc = subprocess.run([str(binary), "-version"], capture_output=True, text=True, timeout=20,
                              env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"})
    except (OSError, subprocess.TimeoutExpired) as err:
        return Check("scanners", "code_shield: semgrep", "fail", f"{binary} does not run: {type(err).__name__}: {err}")
    if proc.returncode != 0:
        return Check("scanners", "code_shield: semgrep", "fail",
                     f"{binary} exited {proc.returncode}: {(proc.stderr or proc.stdout).strip()[:200]}")
    version = (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr).strip() else "?"
    return Check("scanners", "code_shield: semgrep", "ok",
                 f"{binary} runs ({version}, {1000 * (time.perf_counter() - t):.0f} ms start-up)")


def _reachable(url: str, timeout: float) -> str | None:
    parsed = urlparse(url)
    host = parsed.hostname
    if not host:
        return f"not a URL: {url!r}"
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as err:
        return f"{host}:{port} unreachable ({err.strerror or type(err).__name__})"


def _check_llm(name: str, options: Mapping[str, Any], timeout: float) -> list[Check]:
    checks = []
    backend = str(options.get("backend", "together"))
    key_env = str(options.get("api_key_env", "TOGETHER_API_KEY"))
    if backend == "together" or options.get("api_key_env"):
        has_key = bool(options.get("api_key")) or bool(os.environ.get(key_env))
        checks.append(Check("scanners", f"{name}: api key", "ok" if has_key else "fail",
                            f"{key_env} is set" if has_key else f"{key_env} is not set; export {key_env}=... "
                            "(or mark the scanner optional)"))
    url = options.get("base_url") or (os.environ.get("TOGETHER_BASE_URL") if backend == "together" else None)
    if backend == "together" and not url:
        url = "https://api.together.xyz/v1"
    if url:
        problem = _reachable(str(url), timeout)
        checks.append(Check("scanners", f"{name}: backend", "fail" if problem else "ok",
                            problem or f"{backend} backend at {urlparse(str(url)).netloc} is reachable"))
    return checks


def _check_prompt_guard_model(options: Mapping[str, Any], lock: Mapping[str, Any]) -> list[Check]:
    model = options.get("model")
    if not model:
        return [Check("models", "prompt_guard", "info", "embedded offline default (no download; see docs/offline_default.md)")]
    name = str(model)
    path = Path(name).expanduser()
    if path.exists():
        folder, where = path, f"local folder {path}"
    else:
        repo_id = ms.resolve_model_name(name)
        folder = ms.snapshot_path(repo_id, options.get("revision"), cache_dir=options.get("cache_dir"))
        if folder is None:
            return [Check("models", f"prompt_guard: {repo_id}", "fail",
                          f"not in the hub cache {ms.cache_root(options.get('cache_dir'))}; "
                          f"run 'lf-middleware models pull {repo_id}' (with HF_TOKEN) or copy the model folder here")]
        where = f"hub cache {folder}"
    pins = dict(options.get("sha256") or {})
    if not pins:
        entry = lock.get(ms.resolve_model_name(name))
        pins = dict(entry["files"]) if entry else {}
    if not pins:
        return [Check("models", f"prompt_guard: {name}", "warn", f"loads from {where}; not pinned (run 'models pull' and pin sha256)")]
    actual = ms.file_digests(folder)
    bad = [f for f, d in pins.items() if actual.get(f) != d]
    if bad:
        return [Check("models", f"prompt_guard: {name}", "fail", f"loads from {where}; pin mismatch for {', '.join(sorted(bad))}")]
    return [Check("models", f"prompt_guard: {name}", "ok", f"loads from {where}; {len(pins)} pinned files match")]


def _scanner_items(cfg: EngineConfig) -> list[tuple[str, dict[str, Any], list[str]]]:
    """Distinct (scanner name, merged options) pairs and the roles that use each."""
    seen: dict[str, tuple[str, dict[str, Any], list[str]]] = {}
    for role, specs in cfg.scanners.items():
        for spec in specs:
            opts = {**cfg.scanner_options.get(spec.name, {}), **spec.options}
            key = spec.name + json.dumps(opts, sort_keys=True, default=repr)
            seen.setdefault(key, (spec.name, opts, []))[2].append(role.value)
    return list(seen.values())


def _smoke(name: str, options: dict[str, Any]) -> Check:
    from ._async import run_sync
    from .scanners.base import create_scanner

    t = time.perf_counter()
    try:
        scanner = create_scanner(name, **options)
    except Exception as err:
        return Check("scanners", name, "fail", f"cannot be built: {type(err).__name__}: {err}")
    built = (time.perf_counter() - t) * 1000
    if name in _LLM_SCANNERS:
        return Check("scanners", name, "ok", f"built in {built:.0f} ms (not called: it would cost an LLM request)")
    try:
        result = run_sync(scanner.scan(Message(role=Role.USER, content="Hello, what's the weather like today?")), timeout=120)
    except Exception as err:
        return Check("scanners", name, "fail", f"built, but a test scan failed: {type(err).__name__}: {err}")
    finally:
        close = getattr(scanner, "close", None)
        if callable(close):
            close()
    status = getattr(getattr(result, "status", None), "value", "success")
    if status == "error":
        return Check("scanners", name, "fail", f"a test scan returned status error: {getattr(result, 'reason', '')[:200]}")
    return Check("scanners", name, "ok", f"built in {built:.0f} ms; test scan {status}")


def run_checks(config: str | Path | EngineConfig | None = None, *, lock_file: str | Path | None = None,
               timeout: float = 2.0) -> list[Check]:
    from . import __version__

    checks = [Check("runtime", "lf-middleware", "info", f"{__version__} on Python {platform.python_version()} ({sys.executable})")]
    for module, extra in _OPTIONAL_EXTRAS.items():
        found = importlib.util.find_spec(module) is not None
        checks.append(Check("runtime", module, "info", "installed" if found else f"not installed (extra [{extra}])"))

    if isinstance(config, EngineConfig):
        cfg, source = config, "<config object>"
    elif config is not None:
        cfg, source = load_config(config), str(config)
    else:
        from .cli.scan import DEFAULT_SCANNERS

        # the CLI's default pipeline, plus prompt_guard as the library runs it by default (the offline model)
        names = [*DEFAULT_SCANNERS, "prompt_guard"]
        cfg = EngineConfig(scanners={r: [{"name": n} for n in names] for r in Role})  # type: ignore[misc]
        source = (f"no --config: the CLI's default pipeline ({', '.join(DEFAULT_SCANNERS)}) and the default "
                  "prompt_guard")
    checks.append(Check("config", "source", "info", f"{source}; preset {cfg.preset}"))
    for role in Role:
        names = [s.name for s in cfg.scanners.get(role, [])]
        checks.append(Check("config", f"role {role.value}", "info" if names else "warn",
                            ", ".join(names) if names else "no scanners: messages of this role are not checked"))

    lock_path = Path(lock_file) if lock_file else Path(ms.DEFAULT_LOCK_FILE)
    lock: dict[str, Any] = {}
    if lock_path.exists():
        try:
            lock = ms.read_lock(lock_path)
            checks.append(Check("models", "lock file", "info", f"{lock_path}: {len(lock)} pinned models"))
        except Exception as err:
            checks.append(Check("models", "lock file", "fail", str(err)))
    elif lock_file:
        checks.append(Check("models", "lock file", "fail", f"{lock_path} does not exist"))

    for name, options, roles in _scanner_items(cfg):
        if name == "prompt_guard":
            checks += _check_prompt_guard_model(options, lock)
        if name == "code_shield":
            checks.append(_check_semgrep(options))
        if name in _LLM_SCANNERS:
            checks += _check_llm(name, options, timeout)
        smoke = _smoke(name, options)
        checks.append(Check(smoke.section, f"{smoke.name} ({', '.join(roles)})", smoke.status, smoke.detail))

    tp = os.environ.get("TOKENIZERS_PARALLELISM")
    checks.append(Check("threads", "TOKENIZERS_PARALLELISM", "info" if tp else "warn",
                        f"= {tp}" if tp else "unset: tokenizers may warn after fork; set it to true (threads) or false (forking servers)"))
    checks.append(Check("threads", "cpu", "info", f"{os.cpu_count()} logical CPUs"))
    if "torch" in sys.modules:
        try:
            import torch

            checks.append(Check("threads", "torch", "info", f"{torch.get_num_threads()} intra-op threads "
                                f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')})"))
        except ImportError:
            pass

    if cfg.audit_log is not None:
        p = cfg.audit_log.path
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            with open(p, "a", encoding="utf-8"):
                pass
            checks.append(Check("audit", "audit log", "ok", f"{p} is writable (content {'included' if cfg.audit_log.include_content else 'hashed'})"))
        except OSError as err:
            checks.append(Check("audit", "audit log", "fail", f"{p} is not writable: {err.strerror}"))
    else:
        checks.append(Check("audit", "audit log", "info", "not configured (decisions are not recorded)"))
    return checks


def as_json(checks: list[Check]) -> str:
    return json.dumps({"ok": not any(c.status == "fail" for c in checks), "checks": [asdict(c) for c in checks]})
