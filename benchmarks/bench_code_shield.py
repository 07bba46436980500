"""Benchmark: lf-middleware CodeShieldScanner vs the `codeshield` PyPI package (what LlamaFirewall 1.0.3 calls).

One run, same inputs for both:
  1. a prose-only message (no code): median latency;
  2. one 40-line Python snippet: median latency;
  3. a batch of 50 snippets in 8 languages: throughput (snippets per second).
The baseline runs in its own virtualenv (.bench/codeshield-venv, created with `pip install codeshield` if
absent) through `CodeShield.scan_code(text)`, the call LlamaFirewall's CODE_SHIELD scanner makes for every
message; it is driven in one event loop, so no per-scan loop creation is counted against it.

    python benchmarks/bench_code_shield.py [--repeats 30] [--skip-baseline]

Note: CodeShield 1.0.1 passes `--project-root /` to the native Semgrep binary; with semgrep 1.185 that scans
zero files, so its Semgrep rules silently never fire and only its regex rules work (shared PERF_NOTES). Its
latency is therefore a lower bound of what it would cost with working Semgrep rules, and the detection counts
printed below are not a like-for-like comparison of rule quality.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".bench" / "codeshield-venv"
DATA = ROOT / "data" / "insecure_code_dev.jsonl"

PROSE = (
    "Thanks for the question! The capital of France is Paris. It is known for its museums, its cafés and "
    "the Seine; most visitors stay three or four days and travel by metro between the main sights."
)

SNIPPET_40 = '''```python
import os
import sqlite3
import subprocess
from flask import Flask, request, jsonify

app = Flask(__name__)
DB_PATH = os.environ.get("APP_DB", "app.db")


def get_db():
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


@app.route("/users/<user_id>")
def show_user(user_id):
    conn = get_db()
    cur = conn.cursor()
    cur.execute("SELECT id, name, email FROM users WHERE id = " + user_id)
    row = cur.fetchone()
    if row is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(dict(row))


@app.route("/thumbnail", methods=["POST"])
def thumbnail():
    name = request.form["name"]
    subprocess.call("convert uploads/" + name + " -resize 64x64 thumbs/" + name, shell=True)
    return jsonify({"ok": True})


@app.route("/health")
def health():
    return jsonify({"status": "ok"})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8080)
```'''

DRIVER = r'''
import asyncio, json, sys, time, statistics
from codeshield.cs import CodeShield

async def main():
    spec = json.load(open(sys.argv[1]))
    from importlib.metadata import version
    out = {"versions": {name: version(name) for name in ("codeshield", "semgrep")}}
    async def timed(text):
        t = time.perf_counter()
        res = await CodeShield.scan_code(text)
        return (time.perf_counter() - t) * 1000.0, bool(res.is_insecure)
    await timed(spec["prose"])  # warm-up (imports, rule loading)
    out["prose_ms"] = [ (await timed(spec["prose"]))[0] for _ in range(spec["prose_repeats"]) ]
    out["snippet_ms"] = []
    for _ in range(spec["snippet_repeats"]):
        ms, flagged = await timed(spec["snippet"])
        out["snippet_ms"].append(ms)
    out["snippet_flagged"] = flagged
    t = time.perf_counter()
    flags = [ (await timed(s))[1] for s in spec["batch"] ]
    out["batch_s"] = time.perf_counter() - t
    out["batch_flagged"] = sum(flags)
    print(json.dumps(out))

asyncio.run(main())
'''


def ensure_venv() -> Path:
    """The baseline's own virtualenv with `codeshield` installed; created only when absent (idempotent)."""
    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import codeshield.cs"]
    if python.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return python
    VENV.parent.mkdir(parents=True, exist_ok=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "codeshield"], check=True)
    return python


def batch_messages(n: int = 50) -> list[str]:
    """n snippets (<= 40 lines each) spread over the 8 languages of the development set, as fenced messages."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_lang: dict[str, list[dict]] = {}
    for row in rows:
        by_lang.setdefault(row["language"], []).append(row)
    out: list[str] = []
    i = 0
    while len(out) < n:
        for lang in sorted(by_lang):
            if len(out) == n:
                break
            pool = by_lang[lang]
            row = pool[(i * 7) % len(pool)]
            code = "\n".join(row["code"].splitlines()[:40])
            out.append(f"Here is the {lang} code:\n```{lang}\n{code}\n```\n")
        i += 1
    return out


def median_ms(fn, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(samples)


def run_ours(batch: list[str], repeats: int) -> dict:
    from lf_middleware.engine import LlamaFirewall
    from lf_middleware.scanners.code_shield import CodeShieldScanner
    from lf_middleware.types import AssistantMessage, Role, ScanDecision

    scanner = CodeShieldScanner()
    firewall = LlamaFirewall(scanners={Role.ASSISTANT: [scanner]})
    prose, snippet = AssistantMessage(PROSE), AssistantMessage(SNIPPET_40)
    scanner.scan_sync(snippet)  # warm-up: rule catalogue, binary link, page cache
    out = {
        "prose_ms": median_ms(lambda: scanner.scan_sync(prose), repeats * 100),
        "prose_engine_ms": median_ms(lambda: firewall.scan(prose), repeats * 100),
        "snippet_ms": median_ms(lambda: scanner.scan_sync(snippet), repeats),
        "snippet_flagged": scanner.scan_sync(snippet).decision is not ScanDecision.ALLOW,
    }
    msgs = [AssistantMessage(m) for m in batch]
    t = time.perf_counter()
    results = scanner.scan_batch_sync(msgs)
    out["batch_s"] = time.perf_counter() - t
    out["batch_flagged"] = sum(r.decision is not ScanDecision.ALLOW for r in results)
    t = time.perf_counter()
    asyncio.run(scanner.scan_batch(msgs))  # the async path (benchmark script owns this loop)
    out["batch_async_s"] = time.perf_counter() - t
    return out


def run_baseline(batch: list[str], repeats: int) -> dict:
    python = ensure_venv()
    spec_path = VENV.parent / "bench_inputs.json"
    spec_path.write_text(json.dumps({
        "prose": PROSE, "snippet": SNIPPET_40, "batch": batch,
        "prose_repeats": max(20, repeats * 2), "snippet_repeats": max(5, repeats // 3),
    }))
    driver = VENV.parent / "bench_driver.py"
    driver.write_text(textwrap.dedent(DRIVER))
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    proc = subprocess.run([str(python), str(driver), str(spec_path)], capture_output=True, text=True, env=env,
                          check=False, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"baseline failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    raw = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "prose_ms": statistics.median(raw["prose_ms"]), "snippet_ms": statistics.median(raw["snippet_ms"]),
        "snippet_flagged": raw["snippet_flagged"], "batch_s": raw["batch_s"], "batch_flagged": raw["batch_flagged"],
        "versions": raw["versions"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="CodeShieldScanner vs the codeshield package (LlamaFirewall's)")
    ap.add_argument("--repeats", type=int, default=15, help="repetitions for the snippet median (prose: x100)")
    ap.add_argument("--skip-baseline", action="store_true", help="measure lf-middleware only")
    args = ap.parse_args(argv)
    batch = batch_messages(50)
    ours = run_ours(batch, args.repeats)
    base = None if args.skip_baseline else run_baseline(batch, args.repeats)
    n = len(batch)
    print("CodeShield benchmark (medians; this machine is shared, expect +-15 % drift)")
    if base is not None:
        print("baseline: " + ", ".join(f"{k} {v}" for k, v in base["versions"].items()) + " (own virtualenv)")
    print(f"{'':34}{'lf-middleware':>16}{'codeshield 1.0.x':>18}{'ratio':>10}")

    def row(label: str, a: float, b: float | None, unit: str, higher_better: bool = False) -> None:
        ratio = "" if b is None else f"{(a / b if higher_better else b / a):.1f}x"
        print(f"{label:34}{a:>13.3f} {unit:<2}{'' if b is None else f'{b:>15.3f} {unit:<2}'}{ratio:>10}")

    row("prose message (scanner)", ours["prose_ms"], base and base["prose_ms"], "ms")
    row("prose message (engine.scan)", ours["prose_engine_ms"], base and base["prose_ms"], "ms")
    row("40-line snippet", ours["snippet_ms"], base and base["snippet_ms"], "ms")
    row(f"batch of {n}: throughput", n / ours["batch_s"], base and n / base["batch_s"], "/s", higher_better=True)
    print(f"{'batch of ' + str(n) + ' (async path)':34}{n / ours['batch_async_s']:>13.3f} /s")
    print(f"flagged: 40-line snippet ours={ours['snippet_flagged']} baseline={base and base['snippet_flagged']}; "
          f"batch ours={ours['batch_flagged']}/{n} baseline={base and base['batch_flagged']}/{n}")
    print("note: codeshield 1.0.1 runs Semgrep with --project-root /, which scans zero files with semgrep 1.185: "
          "its Semgrep rules never fire (only its regex rules do), so its latency is a lower bound and the "
          "detection counts are not a like-for-like comparison of rule quality.")
    print("ratios: latency = baseline / ours (higher is better for us); throughput = ours / baseline.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
