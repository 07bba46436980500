"""The Rule-of-Two state, cached verdicts and pending review survive a process restart (SqliteSaver)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("langgraph.checkpoint.sqlite")

HERE = Path(__file__).parent


def run_child(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(HERE / "lg_persist_child.py"), *args], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_approval_applies_after_a_restart(tmp_path: Path) -> None:
    db, audit = str(tmp_path / "cp.sqlite"), str(tmp_path / "audit.jsonl")
    first = run_child(db, "trifecta", "start", audit)
    assert first["interrupt"]["action_requests"][0]["name"] == "send_http"
    assert first["sent"] == [] and first["marks"] == ["A", "B"]
    second = run_child(db, "trifecta", "resume", audit, json.dumps({"decisions": [{"type": "approve", "reviewer": "erin"}]}))
    assert second["sent"] == [{"url": "http://x", "body": "n"}]  # the request fired in the new process
    assert second["marks"] == ["A", "B", "C"] and second["last"] == "all done"
    records = [json.loads(x) for x in Path(audit).read_text().splitlines()]
    decisions = [r for r in records if r["event"] == "hitl_decision"]
    assert len(decisions) == 1 and decisions[0]["reviewer"] == "erin" and decisions[0]["tool"] == "send_http"
    assert [r["event"] for r in records].count("hitl_interrupt") == 1


@pytest.mark.slow
def test_nondeterministic_verdict_survives_a_restart(tmp_path: Path) -> None:
    db, audit = str(tmp_path / "cp.sqlite"), str(tmp_path / "audit.jsonl")
    first = run_child(db, "flipflop", "start", audit)
    assert "flip 0" in first["interrupt"]["action_requests"][0]["description"]
    second = run_child(db, "flipflop", "resume", audit, json.dumps({"decisions": [{"type": "reject"}]}))
    # the new process did not rescan (its scanner would now answer ALLOW): the rejection applies
    assert second["flipflop_calls"] == 0
    assert second["sent"] == [] and second["statuses"] == {"f1": "error"} and second["last"] == "all done"
