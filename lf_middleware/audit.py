"""Audit log: one JSON line per decision (and per human decision), flushed as it is written.

Content is recorded as a hash unless ``include_content=True``; reasons are short by construction. Secrets
(API-key-shaped tokens, URL credentials, password-like values) are masked in reasons and recorded content.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from ._text import content_hash, mask_secrets
from .errors import ConfigurationError
from .types import Message, ScanResult

__all__ = ("AuditLog",)


class AuditLog:
    def __init__(self, path: str | Path, *, include_content: bool = False, fsync: bool = False) -> None:
        if not isinstance(path, (str, os.PathLike)) or not str(path):
            raise ConfigurationError(f"audit log path must be a file path (str or Path), got {path!r}")
        self.path = Path(path)
        self.include_content = include_content
        self._fsync = fsync
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open; closed in close()
        except OSError as err:
            raise ConfigurationError(
                f"cannot open the audit log {str(self.path)!r} for appending: {err.strerror or type(err).__name__}; "
                "give a writable file path (its folder is created if missing), or leave audit_log out"
            ) from None

    def write(self, record: dict[str, Any]) -> None:
        """Append one record (any JSON-serialisable dict); a ``time`` field is added."""
        line = json.dumps({"time": time.time(), **record}, ensure_ascii=True, default=str)
        with self._lock:
            if self._fh.closed:
                raise ValueError(f"the audit log {str(self.path)!r} is closed (LlamaFirewall.close() was called); "
                                 "build a new engine to keep scanning")
            self._fh.write(line + "\n")
            self._fh.flush()
            if self._fsync:
                os.fsync(self._fh.fileno())

    def record_scan(self, message: Message, result: ScanResult, **extra: Any) -> None:
        rec: dict[str, Any] = {
            "event": "scan",
            "role": message.role.value,
            "decision": result.decision.value,
            "status": result.status.value,
            "score": round(float(result.score), 6),
            "scanners": {r.scanner: {"decision": r.decision.value, "score": round(float(r.score), 6),
                                     "status": r.status.value} for r in result.results},
            "reason": mask_secrets(result.reason),
            "content_sha256": content_hash(message.content),
            "length": len(message.content),
            **extra,
        }
        if self.include_content:
            rec["content"] = mask_secrets(message.content)
        self.write(rec)

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()
