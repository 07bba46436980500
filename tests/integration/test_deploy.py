"""`lf-middleware models` and `doctor`, run as a user would (subprocess), with no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lf_middleware import model_store as ms

pytestmark = pytest.mark.slow


def _cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "lf_middleware", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=300)


def _safetensors(data: bytes) -> bytes:
    """A well-formed safetensors file holding ``data`` as one uint8 tensor (pull checks the header)."""
    header = json.dumps({"w": {"dtype": "U8", "shape": [len(data)], "data_offsets": [0, len(data)]}}).encode()
    return len(header).to_bytes(8, "little") + header + data


@pytest.fixture()
def mirror(tmp_path: Path) -> Path:
    """A local folder acting as the model source: org/name/ with safetensors, config and a stray pickle."""
    src = tmp_path / "mirror" / "acme" / "tiny-guard"
    src.mkdir(parents=True)
    (src / "model.safetensors").write_bytes(_safetensors(os.urandom(4096)))
    (src / "config.json").write_text(json.dumps({"model_type": "deberta-v2"}))
    (src / "tokenizer.json").write_text("{}")
    (src / "pytorch_model.bin").write_bytes(b"pickle bytes that must never be copied")
    return tmp_path / "mirror"


def test_pull_from_folder_writes_cache_and_lock(tmp_path: Path, mirror: Path) -> None:
    cache = tmp_path / "hub"
    lock = tmp_path / "lf-models.lock.json"
    proc = _cli("models", "pull", "acme/tiny-guard", "--from", str(mirror), "--cache-dir", str(cache), "--lock", str(lock))
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(lock.read_text())["models"]["acme/tiny-guard"]
    assert set(entry["files"]) == {"model.safetensors", "config.json", "tokenizer.json"}
    snap = ms.snapshot_path("acme/tiny-guard", cache_dir=cache)
    assert snap is not None and (snap / "model.safetensors").read_bytes() == (mirror / "acme/tiny-guard/model.safetensors").read_bytes()
    assert not (snap / "pytorch_model.bin").exists()  # pickle never copied
    # transformers-style cache lookup finds the file
    hub = pytest.importorskip("huggingface_hub")
    found = hub.try_to_load_from_cache("acme/tiny-guard", "config.json", cache_dir=str(cache))
    assert isinstance(found, str) and Path(found).read_text() == json.dumps({"model_type": "deberta-v2"})


def test_verify_catches_a_modified_file_and_list_shows_pins(tmp_path: Path, mirror: Path) -> None:
    cache = tmp_path / "hub"
    lock = tmp_path / "lock.json"
    assert _cli("models", "pull", "acme/tiny-guard", "--from", str(mirror), "--cache-dir", str(cache), "--lock", str(lock)).returncode == 0
    ok = _cli("models", "verify", "--cache-dir", str(cache), "--lock", str(lock))
    assert ok.returncode == 0 and "ok" in ok.stdout
    listed = _cli("models", "list", "--cache-dir", str(cache), "--lock", str(lock), "--json")
    rows = json.loads(listed.stdout)
    assert rows[0]["model"] == "acme/tiny-guard" and rows[0]["pinned"] is True and rows[0]["size_bytes"] > 4096
    snap = ms.snapshot_path("acme/tiny-guard", cache_dir=cache)
    assert snap is not None
    (snap / "model.safetensors").write_bytes(os.urandom(4096))  # a substituted model
    bad = _cli("models", "verify", "--cache-dir", str(cache), "--lock", str(lock), "--json")
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert [(p["file"], p["problem"]) for p in report["problems"]] == [("model.safetensors", "modified")]


def test_pull_offline_fails_fast_with_instructions(tmp_path: Path) -> None:
    proc = _cli("models", "pull", "promptguard-2-22m", "--cache-dir", str(tmp_path), "--timeout", "1",
                env={"HF_ENDPOINT": "http://127.0.0.1:9"})  # nothing listens on the discard port
    assert proc.returncode == 1
    assert "cannot reach the Hugging Face hub" in proc.stderr
    assert "--from DIR" in proc.stderr and "offline default" in proc.stderr


def test_pull_refuses_a_pickle_only_model(tmp_path: Path) -> None:
    src = tmp_path / "src" / "acme" / "old"
    src.mkdir(parents=True)
    (src / "pytorch_model.bin").write_bytes(b"x")
    proc = _cli("models", "pull", "acme/old", "--from", str(tmp_path / "src"), "--cache-dir", str(tmp_path / "hub"))
    assert proc.returncode == 1
    assert "only pickle weights" in proc.stderr


def _write_config(path: Path, body: dict) -> Path:
    path.write_text(json.dumps(body))
    return path


def test_doctor_broken_configuration_exits_nonzero_with_reasons(tmp_path: Path) -> None:
    cfg = _write_config(tmp_path / "broken.json", {
        "scanners": {"user": ["prompt_guard"], "assistant": ["code_shield", "agent_alignment"]},
        "scanner_options": {
            "prompt_guard": {"model": "acme/not-downloaded"},
            "code_shield": {"semgrep_binary": str(tmp_path / "no-such-semgrep")},
        },
    })
    env = {k: v for k, v in os.environ.items() if k != "TOGETHER_API_KEY"}
    env["HF_HOME"] = str(tmp_path / "hf")
    proc = subprocess.run([sys.executable, "-m", "lf_middleware", "doctor", "--config", str(cfg), "--json", "--timeout", "0.5"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is False
    fails = {c["name"]: c["detail"] for c in report["checks"] if c["status"] == "fail"}
    assert "models pull acme/not-downloaded" in fails["prompt_guard: acme/not-downloaded"]
    assert "does not exist" in fails["code_shield: semgrep"]
    assert "TOGETHER_API_KEY is not set" in fails["agent_alignment: api key"]
    assert "sk-" not in proc.stdout


def test_doctor_healthy_configuration(tmp_path: Path) -> None:
    cfg = _write_config(tmp_path / "ok.json", {
        "scanners": {"user": ["regex", "hidden_ascii"], "tool": ["hidden_ascii"]},
        "audit_log": {"path": str(tmp_path / "logs" / "audit.jsonl")},
    })
    proc = _cli("doctor", "--config", str(cfg), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK: every configured scanner can run" in proc.stdout
    assert "audit.jsonl is writable" in proc.stdout
    assert "role memory: no scanners" in proc.stdout


@pytest.mark.parametrize(("content", "problem"), [
    (os.urandom(4096), "header length does not fit"),
    (b"\x05", "too short for a header"),
    (b"\x10\x00\x00\x00\x00\x00\x00\x00" + b"not json at all!", "header is not JSON"),
    (_safetensors(b"x" * 1000)[:-10], "is truncated"),
])
def test_pull_refuses_a_file_that_is_not_safetensors(tmp_path: Path, mirror: Path, content: bytes, problem: str) -> None:
    """A truncated copy or a mislabelled file must not be pinned as the good model."""
    (mirror / "acme/tiny-guard/model.safetensors").write_bytes(content)
    lock = tmp_path / "lock.json"
    proc = _cli("models", "pull", "acme/tiny-guard", "--from", str(mirror), "--cache-dir", str(tmp_path / "hub"),
                "--lock", str(lock), "--no-progress")
    assert proc.returncode == 1
    assert problem in proc.stderr and "nothing was pinned" in proc.stderr and "Traceback" not in proc.stderr
    assert not lock.exists()
    assert ms.safetensors_problem(mirror / "acme/tiny-guard/model.safetensors") is not None


def test_header_check_accepts_files_written_by_the_safetensors_library(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    from safetensors.numpy import save_file

    path = tmp_path / "model.safetensors"
    save_file({"a": np.zeros((3, 4), dtype=np.float32), "b": np.ones(5, dtype=np.int64)}, str(path),
              metadata={"format": "np"})
    assert ms.safetensors_problem(path) is None
    path.write_bytes(path.read_bytes()[:-1])
    assert "is truncated" in (ms.safetensors_problem(path) or "")
