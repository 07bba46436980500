"""Running Semgrep: the native binary from the ``semgrep`` wheel, one invocation per message or batch.

The Python ``semgrep`` CLI costs 1.5–2 s to start (and, offline, may stall on a version check); the wheel also
ships the native engine (``semgrep/bin/semgrep-core``), which behaves as the OCaml CLI when invoked under the
name ``osemgrep`` with ``--experimental`` and starts in about 0.1 s. We link it under that name once per
process and call it with an argument list (no shell), ``--json``, ``--metrics off``, local rule files only,
``--disable-nosem`` (a ``nosemgrep`` comment written by the model must not switch a rule off) and a hard
wall-clock timeout after which the process group is killed. The JSON ``results`` and ``errors`` decide the
outcome, never the exit code.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ScannerError

__all__ = ("SemgrepFinding", "SemgrepReport", "SemgrepRunner", "SemgrepTarget", "find_semgrep_core")

logger = logging.getLogger(__name__)

_EXTENSIONS = {"c": ".c", "cpp": ".cpp", "csharp": ".cs", "java": ".java", "javascript": ".js",
               "typescript": ".ts", "python": ".py", "php": ".php", "rust": ".rs"}
# errors that mean a target was only partly analysed (as opposed to snippets that do not fully parse)
_INCOMPLETE = ("timeout", "out of memory", "outofmemory", "stack overflow", "too big")
# errors that mean the rules or the engine are broken: the whole run is unusable
_FATAL = ("rule", "yaml", "config", "fatal", "invalid", "missing plugin", "pattern")


@dataclass(frozen=True, slots=True)
class SemgrepTarget:
    """One code block to analyse: its index (returned with findings), language and text."""

    index: int
    language: str
    code: str


@dataclass(frozen=True, slots=True)
class SemgrepFinding:
    index: int
    rule_id: str
    line: int
    severity: str


@dataclass(frozen=True, slots=True)
class SemgrepReport:
    findings: tuple[SemgrepFinding, ...] = ()
    #: target indices Semgrep did not finish (timeout / memory on that file)
    incomplete: frozenset[int] = frozenset()
    #: target indices with (tolerated) parse errors: snippets are often fragments
    parse_errors: frozenset[int] = frozenset()
    elapsed_ms: float = 0.0
    details: dict[str, object] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def find_semgrep_core() -> str | None:
    """Path of the native engine shipped in the ``semgrep`` wheel, or None when it is not installed."""
    try:
        spec = importlib.util.find_spec("semgrep")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for name in ("semgrep-core", "semgrep-core.exe", "osemgrep"):
            candidate = Path(base) / "bin" / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


_link_dir: tempfile.TemporaryDirectory[str] | None = None
_link_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _osemgrep_link(binary: str) -> str:
    """A per-process link named ``osemgrep`` to the native binary (its behaviour depends on argv[0])."""
    if Path(binary).name.startswith("osemgrep"):
        return binary
    with _link_lock:
        return _make_link(binary)


def _make_link(binary: str) -> str:
    global _link_dir
    if _link_dir is None:
        _link_dir = tempfile.TemporaryDirectory(prefix="lf-codeshield-bin-")
    # one sub-folder per binary: the link's own name must stay "osemgrep"
    folder = Path(_link_dir.name) / hashlib.sha256(binary.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    folder.mkdir(exist_ok=True)
    link = folder / "osemgrep"
    if not link.exists():
        try:
            link.symlink_to(binary)
        except OSError:
            shutil.copy2(binary, link)
    return str(link)


def _parse_output(stdout: bytes, names: dict[str, int]) -> SemgrepReport:
    try:
        doc = json.loads(stdout.decode("utf-8", errors="replace"))
    except ValueError:
        raise ScannerError(
            f"Semgrep produced unparsable output ({len(stdout)} bytes, not JSON); the code was not analysed"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise ScannerError("Semgrep output has no 'results' list; the code was not analysed")
    findings = []
    for item in doc["results"]:
        try:
            index = names[Path(str(item["path"])).name]
            findings.append(
                SemgrepFinding(
                    index=index, rule_id=str(item["check_id"]), line=int(item["start"]["line"]),
                    severity=str(item.get("extra", {}).get("severity", "WARNING")).lower(),
                )
            )
        except (KeyError, TypeError, ValueError):
            logger.debug("skipping malformed Semgrep result")
            continue
    incomplete: set[int] = set()
    parse_errors: set[int] = set()
    fatal: list[str] = []
    for err in doc.get("errors") or []:
        if not isinstance(err, dict):
            continue
        kind = str(err.get("type", "")).lower() if not isinstance(err.get("type"), list) else str(err["type"][0]).lower()
        message = str(err.get("message", ""))
        path = err.get("path")
        index = names.get(Path(str(path)).name) if path else None
        if any(word in kind for word in _INCOMPLETE):
            if index is None:
                fatal.append(f"{kind}: {message[:120]}")
            else:
                incomplete.add(index)
        elif "rule" not in kind and any(word in kind for word in ("syntax", "pars", "lexical")):
            if index is not None:
                parse_errors.add(index)
        elif any(word in kind for word in _FATAL) or str(err.get("level", "")).lower() == "error":
            fatal.append(f"{kind or 'error'}: {message[:160]}")
    if fatal:
        raise ScannerError("Semgrep reported errors: " + "; ".join(fatal[:3]))
    # a target Semgrep silently skipped (ignore files, size or path filters) must not pass as clean
    scanned = (doc.get("paths") or {}).get("scanned")
    if isinstance(scanned, list):
        seen = {Path(str(p)).name for p in scanned}
        incomplete.update(index for name, index in names.items() if name not in seen)
    return SemgrepReport(findings=tuple(findings), incomplete=frozenset(incomplete), parse_errors=frozenset(parse_errors))


class SemgrepRunner:
    """Runs the Semgrep native binary on a set of code blocks. Stateless between calls; safe to share."""

    def __init__(self, *, binary: str | None = None, timeout_s: float = 20.0, jobs: int | None = None,
                 max_target_bytes: int = 2_000_000) -> None:
        self.binary = binary
        self.timeout_s = float(timeout_s)
        self.jobs = jobs
        self.max_target_bytes = int(max_target_bytes)

    def resolve_binary(self) -> str:
        path = self.binary or find_semgrep_core()
        if path is None:
            raise ScannerError(
                "the Semgrep engine was not found: install it with 'pip install lf-middleware[codeshield]' "
                "(the semgrep wheel ships semgrep-core), or pass semgrep_binary='/path/to/semgrep-core'"
            )
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise ScannerError(f"semgrep_binary {path!r} is not an executable file; install lf-middleware[codeshield]")
        return _osemgrep_link(path)

    def command(self, configs: Sequence[Path], target_dir: str) -> list[str]:
        per_file = max(1.0, min(10.0, self.timeout_s / 2))
        cmd = [
            self.resolve_binary(), "scan", "--experimental", "--json", "--metrics", "off", "--disable-version-check",
            "--disable-nosem", "--no-git-ignore", "--no-rewrite-rule-ids", "--no-exclude-minified-files",
            "--timeout", f"{per_file:g}", "--timeout-threshold", "3", "--max-target-bytes", str(self.max_target_bytes),
        ]
        if self.jobs:
            cmd += ["--jobs", str(self.jobs)]
        for cfg in configs:
            cmd += ["--config", str(cfg)]
        cmd.append(target_dir)
        return cmd

    @staticmethod
    def _env() -> dict[str, str]:
        env = dict(os.environ)
        env["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
        env["SEMGREP_SEND_METRICS"] = "off"
        return env

    @staticmethod
    def _write(targets: Sequence[SemgrepTarget], directory: str) -> dict[str, int]:
        names = {}
        for t in targets:
            name = f"block{t.index}{_EXTENSIONS.get(t.language, '.txt')}"
            code = t.code
            if t.language == "php" and "<?php" not in code[:2000] and "<?=" not in code[:2000]:
                code = "<?php " + code  # same line: line numbers stay put
            with open(os.path.join(directory, name), "w", encoding="utf-8", errors="surrogatepass") as fh:
                fh.write(code)
            names[name] = t.index
        return names

    def run(self, targets: Sequence[SemgrepTarget], configs: Sequence[Path]) -> SemgrepReport:
        """Synchronous twin of :meth:`run_async` (``subprocess.run`` with a timeout)."""
        if not targets or not configs:
            return SemgrepReport()
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="lf-codeshield-") as tmp:
            names = self._write(targets, tmp)
            cmd = self.command(configs, tmp)
            try:
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                        env=self._env(), cwd=tmp, start_new_session=True)
            except OSError as err:
                raise ScannerError(f"could not start Semgrep ({type(err).__name__}: {err})") from err
            try:
                stdout, stderr = proc.communicate(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                _kill(proc.pid)
                proc.communicate()
                raise ScannerError(
                    f"Semgrep did not finish within {self.timeout_s:g} s and was stopped; the code was not analysed"
                ) from None
        return self._report(stdout, stderr, proc.returncode, names, t0)

    async def run_async(self, targets: Sequence[SemgrepTarget], configs: Sequence[Path]) -> SemgrepReport:
        """Analyse ``targets`` with the rule files ``configs`` in one Semgrep process."""
        if not targets or not configs:
            return SemgrepReport()
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="lf-codeshield-") as tmp:
            names = await asyncio.to_thread(self._write, targets, tmp)
            cmd = self.command(configs, tmp)
            try:
                proc = await asyncio.create_subprocess_exec(
                    *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                    stdin=asyncio.subprocess.DEVNULL, env=self._env(), cwd=tmp, start_new_session=True,
                )
            except OSError as err:
                raise ScannerError(f"could not start Semgrep ({type(err).__name__}: {err})") from err
            try:
                stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=self.timeout_s)
            except asyncio.TimeoutError:
                _kill(proc.pid)
                await proc.wait()
                raise ScannerError(
                    f"Semgrep did not finish within {self.timeout_s:g} s and was stopped; the code was not analysed"
                ) from None
            except asyncio.CancelledError:
                _kill(proc.pid)
                raise
        return self._report(stdout, stderr, proc.returncode, names, t0)

    @staticmethod
    def _report(stdout: bytes, stderr: bytes, returncode: int | None, names: dict[str, int], t0: float) -> SemgrepReport:
        if returncode is not None and returncode < 0:
            raise ScannerError(f"Semgrep was killed by signal {-returncode}; the code was not analysed")
        if not stdout.strip():
            raise ScannerError(
                f"Semgrep exited with status {returncode} and no output ({len(stderr)} bytes on stderr); "
                "the code was not analysed"
            )
        report = _parse_output(stdout, names)
        elapsed = (time.perf_counter() - t0) * 1000.0
        logger.debug("semgrep: %d targets, %d findings in %.0f ms", len(names), len(report.findings), elapsed)
        return SemgrepReport(findings=report.findings, incomplete=report.incomplete,
                             parse_errors=report.parse_errors, elapsed_ms=elapsed)


def _kill(pid: int) -> None:
    """Kill the Semgrep process group we started (start_new_session=True made it its own group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if hasattr(os, "killpg"):
            os.killpg(pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows: no process groups
            os.kill(pid, signal.SIGTERM)
