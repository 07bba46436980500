"""Precision and recall of CodeShield on a labelled code set, overall and per language.

Rows are JSON lines ``{"code", "language", "label"}`` (label 1 = insecure). Each row becomes one assistant
message holding the code in a fenced block tagged with its language (``--untagged``: no tag, so the language
is guessed); a row counts as flagged when the scanner's decision is not ALLOW. All rows go through
``scan_batch`` in chunks, so Semgrep starts once per chunk.

    python benchmarks/eval_code_shield.py --dataset data/insecure_code_dev.jsonl [--untagged] [--json]

Extra data (not shipped; rebuilt from public repositories): ``--build-extra OUT`` writes a JSONL set whose
insecure rows are the ``origin_code`` snippets of CyberSecEval's *instruct* dataset (``--instruct``, the
``datasets/instruct/instruct.json`` file of meta-llama/PurpleLlama) that are not in the dev set, and whose
secure rows are whole source files of 8 to 100 lines sampled from algorithm repositories (``--negatives
LANG=DIR``; a checkout or a bare git directory) that the dev set does not use. Never build it from the
*autocomplete* dataset: the independent held-back set is drawn from it.

    python benchmarks/eval_code_shield.py --build-extra extra.jsonl --instruct instruct.json \
        --negatives java=TheAlgorithms/Java --negatives c=fragglet/c-algorithms ...
    python benchmarks/eval_code_shield.py --dataset extra.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
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


_EXTENSIONS = {"c": (".c",), "cpp": (".cpp", ".cc", ".hpp"), "csharp": (".cs",), "java": (".java",),
               "javascript": (".js",), "php": (".php",), "python": (".py",), "rust": (".rs",)}


def _source_files(root: Path, extensions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, text) of the files with one of ``extensions`` in a checkout or a bare git directory."""
    if not root.is_dir():
        raise SystemExit(f"--negatives: {root} is not a directory (give a checkout or a bare git directory)")
    if (root / "objects").is_dir() and (root / "HEAD").is_file():
        git = ["git", "--git-dir", str(root)]
        names = subprocess.run([*git, "ls-tree", "-r", "--name-only", "HEAD"], check=True, capture_output=True,
                               text=True).stdout.split("\n")
        names = [n for n in names if n.endswith(extensions)]
        return [(n, subprocess.run([*git, "show", f"HEAD:{n}"], check=True, capture_output=True).stdout
                 .decode("utf-8", "replace")) for n in names]
    return [(str(f.relative_to(root)), f.read_text(encoding="utf-8", errors="replace"))
            for f in sorted(root.rglob("*")) if f.is_file() and f.name.endswith(extensions)]


def build_extra(instruct: Path, negatives: list[tuple[str, Path]], dev: list[dict], *, per_language: int = 100,
                seed: int = 0) -> list[dict]:
    """Insecure rows from the instruct dataset and secure rows from algorithm repositories, none in ``dev``."""
    seen = {row["code"].strip() for row in dev}
    dev_files = {row.get("source", "").split(" (")[0] for row in dev}
    rows = []
    for item in json.loads(instruct.read_text(encoding="utf-8")):
        code = item["origin_code"]
        if code.strip() in seen:
            continue
        seen.add(code.strip())
        rows.append({"code": code, "language": item["language"], "label": 1, "cwe": item["cwe_identifier"],
                     "source": f"PurpleLlama instruct.json {item['prompt_id']}"})
    rng = random.Random(seed)
    for language, root in negatives:
        files = [(name, text) for name, text in _source_files(root, _EXTENSIONS[language])
                 if 8 <= text.count("\n") <= 100 and text.strip() not in seen
                 and not any(d.endswith(name) for d in dev_files)]
        for name, text in rng.sample(files, min(per_language, len(files))):
            seen.add(text.strip())
            rows.append({"code": text, "language": language, "label": 0, "cwe": None, "source": f"{root.name}:{name}"})
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
    ap.add_argument("--build-extra", type=Path, metavar="OUT", help="write the extra set to OUT and stop")
    ap.add_argument("--instruct", type=Path, help="PurpleLlama datasets/instruct/instruct.json (with --build-extra)")
    ap.add_argument("--negatives", action="append", default=[], metavar="LANG=DIR",
                    help="secure source files of LANG from DIR (checkout or bare git dir; repeatable)")
    args = ap.parse_args(argv)
    if args.build_extra:
        if args.instruct is None:
            ap.error("--build-extra needs --instruct PATH (PurpleLlama's datasets/instruct/instruct.json)")
        pairs = []
        for spec in args.negatives:
            language, _, folder = spec.partition("=")
            if language not in _EXTENSIONS or not folder:
                ap.error(f"--negatives {spec!r}: expected LANG=DIR with LANG one of {', '.join(_EXTENSIONS)}")
            pairs.append((language, Path(folder)))
        rows = build_extra(args.instruct, pairs, load(args.dataset))
        with args.build_extra.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")
        print(f"wrote {len(rows)} rows to {args.build_extra}")
        return 0
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
