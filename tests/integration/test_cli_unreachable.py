"""The CLI and the engine against LLM backends that are not there (loopback ports nothing listens on)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.llm


def cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lf_middleware", *args], input=stdin, capture_output=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_unreachable_llm_backend_is_an_error_per_line(tmp_path: Path) -> None:
    """Port 9 on loopback: nothing listens. Every line still gets its own ERROR object (on_error: HITL)."""
    cfg = tmp_path / "fw.yaml"
    cfg.write_text("scanners: {assistant: [{name: agent_alignment, options: {backend: openai, "
                   "base_url: 'http://127.0.0.1:9/v1', model: judge, timeout: 2, max_retries: 0}}]}\n")
    line = {"text": "", "role": "assistant", "tool_calls": [{"name": "wire", "args": {"to": "x"}}],
            "trace": [{"role": "user", "content": "book a flight"}]}
    stdin = (json.dumps(line) + "\n" + json.dumps({"text": "hi"}) + "\n" + json.dumps(line) + "\n").encode()
    proc = cli("scan", "--config", str(cfg), "--jsonl", stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [r["status"] for r in rows] == ["error", "skipped", "error"]
    assert [r["decision"] for r in rows] == ["human_in_the_loop_required", "allow", "human_in_the_loop_required"]
    assert "cannot reach http://127.0.0.1:9/v1" in rows[0]["reason"]
