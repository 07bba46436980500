"""``lf-middleware eval``: score a labelled JSONL dataset with a scanner and print detection metrics as JSON.

Rows are ``{"text": ..., "label": 0|1}`` (optional ``kind``, ``role``) or ``{"code": ..., "language": ...,
"label": 0|1}``; a code row is scanned as an assistant message holding one fenced code block tagged with
its language. Scores come from the engine (the scanner's ``score``); "at the thresholds" figures use the
policy's decision (any non-ALLOW decision counts as flagged for ``at_hitl``, BLOCK for ``at_block``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._lazy import require
from ..errors import ConfigurationError
from ..types import Message, Role, ScanDecision, ScanStatus
from .scan import build_engine

_CHUNK = 64

EPILOG = """examples:
  lf-middleware eval --scanner prompt_guard --dataset data/injection_dev.jsonl --plot roc.png
  lf-middleware eval --scanner code_shield --dataset insecure_code_dev.jsonl
  lf-middleware eval --config guard.yaml --role tool --dataset tool_outputs.jsonl

dataset rows (JSON lines):
  {"text": "...", "label": 1, "kind": "direct"}
  {"code": "...", "language": "python", "label": 0}
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval",
        help="evaluate a scanner on a labelled JSONL dataset (AUC, recall at 1%% FPR, per kind/language)",
        description="Score every row of a labelled dataset and print a JSON summary of detection metrics.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--dataset", required=True, metavar="FILE.jsonl", help="labelled JSON lines (see below)")
    p.add_argument("--scanner", action="append", metavar="NAME", help="scanner to evaluate (repeatable)")
    p.add_argument("--config", metavar="FILE", help="engine configuration (YAML, TOML or JSON) instead of --scanner")
    p.add_argument("--model", metavar="ID_OR_PATH", help="classifier for prompt_guard (hub id or local folder)")
    p.add_argument("--role", help="role of text rows (default user; code rows default to assistant)")
    p.add_argument("--preset", choices=("strict", "balanced", "permissive"), help="sensitivity preset")
    p.add_argument("--plot", metavar="FILE.png", help="write the ROC curve to this PNG file")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)


@dataclass(frozen=True, slots=True)
class Row:
    message: Message
    label: int
    kind: str | None
    language: str | None


def _fail(path: str, line_no: int, what: str) -> ConfigurationError:
    return ConfigurationError(f"{path}, line {line_no}: {what}")


def parse_row(obj: object, *, path: str, line_no: int, role: Role | None) -> Row:
    """One dataset row as a message to scan plus its label; ConfigurationError naming the line otherwise."""
    if not isinstance(obj, dict):
        raise _fail(path, line_no, f"expected a JSON object, got {type(obj).__name__}")
    label = obj.get("label")
    if isinstance(label, bool):
        label = int(label)
    if label not in (0, 1):
        raise _fail(path, line_no, f"'label' must be 0 or 1, got {obj.get('label')!r}")
    kind = obj.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise _fail(path, line_no, f"'kind' must be a string, got {type(kind).__name__}")
    row_role = obj.get("role")
    if row_role is not None:
        try:
            row_role = Role.coerce(row_role)
        except ValueError as err:
            raise _fail(path, line_no, str(err)) from None
    if "text" in obj:
        text = obj["text"]
        if not isinstance(text, str):
            raise _fail(path, line_no, f"'text' must be a string, got {type(text).__name__}")
        message = Message(role=row_role or role or Role.USER, content=text)
        return Row(message, int(label), kind, None)
    if "code" in obj:
        code, language = obj["code"], obj.get("language")
        if not isinstance(code, str):
            raise _fail(path, line_no, f"'code' must be a string, got {type(code).__name__}")
        if not isinstance(language, str) or not language.strip() or any(c.isspace() for c in language.strip()):
            raise _fail(path, line_no, f"a 'code' row needs a one-word 'language' string, got {language!r}")
        language = language.strip()
        fence = "````" if "```" in code else "```"
        content = f"{fence}{language}\n{code.rstrip()}\n{fence}"
        message = Message(role=row_role or role or Role.ASSISTANT, content=content)
        return Row(message, int(label), kind, language)
    raise _fail(path, line_no, "a row needs 'text' (or 'code' with 'language') and 'label'")


def read_dataset(path: str, *, role: Role | None) -> list[Row]:
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise ConfigurationError(f"cannot read dataset {path}: {err.strerror or err}") from None
    text = raw.decode("utf-8", errors="replace")
    rows: list[Row] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as err:
            raise _fail(path, line_no, f"not valid JSON ({getattr(err, 'msg', err)})") from None
        rows.append(parse_row(obj, path=path, line_no=line_no, role=role))
    if not rows:
        raise ConfigurationError(f"dataset {path} has no rows; expected JSON lines with 'text' and 'label'")
    labels = {r.label for r in rows}
    if labels != {0, 1}:
        missing = 1 if 0 in labels else 0
        raise ConfigurationError(
            f"dataset {path} has no rows with label {missing}; AUC and false-positive rates need both classes"
        )
    return rows


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="row", file=sys.stderr, disable=None, leave=False)


def score_rows(lf: Any, rows: list[Row], *, progress: bool) -> list[Any]:
    """Scan all rows through the engine in chunks; one aggregate ScanResult per row."""
    bar = _progress(len(rows), progress)
    results: list[Any] = []
    try:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            results.extend(lf.scan_batch([r.message for r in chunk]))
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return results


def plot_roc(path: str, labels: list[int], scores: list[float], *, title: str, auc: float | None) -> None:
    matplotlib = require("matplotlib", "eval", what="lf-middleware eval --plot")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from ..evaluation import roc_curve

    fpr, tpr, _ = roc_curve(labels, scores)
    fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
    try:
        ax.plot(fpr, tpr, lw=2, label=f"AUC = {auc:.3f}" if auc is not None else "ROC")
        ax.plot([0, 1], [0, 1], ls="--", lw=1, color="grey")
        ax.axvline(0.01, ls=":", lw=1, color="red", label="1% FPR")
        ax.set_xlabel("false-positive rate")
        ax.set_ylabel("true-positive rate (recall)")
        ax.set_title(title)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.legend(loc="lower right")
        fig.tight_layout()
        try:
            fig.savefig(path, format="png")
        except OSError as err:
            raise ConfigurationError(f"--plot: cannot write {path}: {err.strerror or err}") from None
    finally:
        plt.close(fig)


def _thresholds(lf: Any, roles: set[Role]) -> dict[str, Any]:
    """The policy thresholds each scanner ran with, per role the dataset used (for the summary)."""
    out: dict[str, Any] = {}
    for role, slots in getattr(lf, "_pipelines", {}).items():
        if role not in roles:
            continue
        for slot in slots:
            out.setdefault(slot.name, {})[role.value] = {
                "hitl_threshold": slot.policy.hitl_threshold,
                "block_threshold": slot.policy.block_threshold,
            }
    return out


def run(args: argparse.Namespace) -> int:
    from ..evaluation import summarize

    role = None
    if args.role is not None:
        try:
            role = Role.coerce(args.role)
        except ValueError as err:
            raise ConfigurationError(f"--role: {err}") from None
    if not args.scanner and not args.config:
        raise ConfigurationError("name the scanner to evaluate with --scanner NAME (or give --config FILE)")
    if args.plot:
        require("matplotlib", "eval", what="lf-middleware eval --plot")
    rows = read_dataset(args.dataset, role=role)
    lf = build_engine(args)
    t0 = time.perf_counter()
    results = score_rows(lf, rows, progress=not args.no_progress)
    elapsed = time.perf_counter() - t0
    labels = [r.label for r in rows]
    scores = [float(res.score) for res in results]
    decisions = {
        "hitl": [res.decision is not ScanDecision.ALLOW for res in results],
        "block": [res.decision is ScanDecision.BLOCK for res in results],
    }
    summary: dict[str, Any] = {
        "dataset": args.dataset,
        "scanners": sorted({n for r in rows for n in lf.pipelines.get(r.message.role, [])}),
        "thresholds": _thresholds(lf, {r.message.role for r in rows}),
    }
    summary.update(
        summarize(
            labels,
            scores,
            decisions=decisions,
            groups={"kind": [r.kind for r in rows], "language": [r.language for r in rows]},
        )
    )
    summary["errors"] = sum(1 for res in results if res.status is ScanStatus.ERROR)
    summary["skipped"] = sum(1 for res in results if res.status is ScanStatus.SKIPPED)
    summary["seconds"] = round(elapsed, 3)
    summary["rows_per_second"] = round(len(rows) / elapsed, 1) if elapsed > 0 else None
    if args.plot:
        plot_roc(args.plot, labels, scores, title=f"{'+'.join(summary['scanners'])} on {Path(args.dataset).name}",
                 auc=summary["auc"])
        summary["plot"] = args.plot
    sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=True) + "\n")
    return 0
