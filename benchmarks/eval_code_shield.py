"""Precision and recall of CodeShield on a labelled code set, overall and per language.

Rows are JSON lines ``{"code", "language", "label"}`` (label 1 = insecure). Each row becomes one assistant
message holding the code in a fenced block tagged with its language (``--untagged``: no tag, so the language
is guessed); a row counts as flagged when the scanner's decision is not ALLOW. All rows go through
``scan_batch`` in chunks, so Semgrep starts once per chunk.

    python benchmarks/eval_code_shield.py --dataset data/insecure_code_dev.jsonl [--untagged] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from lf_middleware.scanners.code_shield import CodeShieldScanner
from lf_middleware.types import AssistantMessage, ScanDecision


def load(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                row = json.loads(line)
                if "code" not in row or "label" not in row:
                    raise SystemExit(f"{path}:{n}: a row needs 'code' and 'label' (and 'language')")
                rows.append(row)
    return rows


def message_for(row: dict, tagged: bool) -> AssistantMessage:
    tag = row.get("language", "") if tagged else ""
    return AssistantMessage(f"Here is the code:\n```{tag}\n{row['code']}\n```\n")


def evaluate(rows: list[dict], *, tagged: bool = True, chunk: int = 50) -> dict:
    scanner = CodeShieldScanner()
    flagged: list[bool] = []
    t0 = time.perf_counter()
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        results = scanner.scan_batch_sync([message_for(r, tagged) for r in part])
        flagged.extend(r.decision is not ScanDecision.ALLOW for r in results)
    elapsed = time.perf_counter() - t0
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for row, hit in zip(rows, flagged, strict=True):
        for key in (row.get("language", "?"), "overall"):
            c = counts[key]
            if row["label"]:
                c["tp" if hit else "fn"] += 1
            else:
                c["fp" if hit else "tn"] += 1
    report = {}
    for key, c in sorted(counts.items(), key=lambda kv: (kv[0] == "overall", kv[0])):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        report[key] = {**c, "precision": round(p, 3), "recall": round(r, 3)}
    return {"rows": len(rows), "tagged": tagged, "seconds": round(elapsed, 2), "per_language": report,
            "flagged": flagged}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "insecure_code_dev.jsonl")
    ap.add_argument("--untagged", action="store_true", help="no language tag on the fences (tests detection)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    out = evaluate(load(args.dataset), tagged=not args.untagged)
    out.pop("flagged")
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['rows']} rows, {'tagged' if out['tagged'] else 'untagged'} fences, {out['seconds']} s")
    print(f"{'language':<12}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'tn':>5}")
    for key, r in out["per_language"].items():
        print(f"{key:<12}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['tn']:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
