"""Execute notebooks/approve_interrupts.ipynb with a kernel running this interpreter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "approve_interrupts.ipynb"


@pytest.mark.notebook
@pytest.mark.slow
def test_approve_interrupts_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # committed with its outputs (a reader sees a run without running it); CI runs it again
    assert all(c.get("outputs") for c in nb.cells if c.cell_type == "code" and "print(" in c.source)
    spec = tmp_path / "kernels" / "lfmw-current"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "lf-middleware test kernel", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("LF_NOTEBOOK_SCRIPTED", "1")  # the recorded answers instead of input()
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    client = nbclient.NotebookClient(nb, kernel_name="lfmw-current", timeout=180,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", ()))
    assert "design-time check: needs supervision" in text
    assert "pending questions after the restart: 1" in text  # the question survived the SQLite restart
    assert "would give the session all of A, B and C" in text
    assert "[error] call_share" in text and "Do not send my loyalty number" in text
    assert "hitl_decision alice approve send_http_request" in text
    assert "hitl_decision alice reject send_http_request" in text
    assert "sent: [{'url': 'https://booking.example/reserve'" in text
