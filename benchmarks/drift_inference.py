"""Score drift of PromptGuard's inference paths against float32, on a labelled JSONL set.

    .venv/bin/python benchmarks/drift_inference.py --dataset DEV.jsonl                 # 22M stand-in, every path
    .venv/bin/python benchmarks/drift_inference.py --dataset DEV.jsonl --model FOLDER  # any model folder
    .venv/bin/python benchmarks/drift_inference.py --dataset DEV.jsonl --offline       # the offline default's encoder

For each path (bfloat16, int8, onnx, onnx-int8) it scores every row's text exactly as the scanner does
(whole-input windows, whitespace-normalised copy) and prints, against float32: max |Δscore|, the 99th
percentile and the mean of |Δscore|, how many decisions changed under the default policy (ALLOW < 0.5 <= HITL
< 0.9 <= BLOCK), how many of those went to a less severe decision ("lowered"), and the share unchanged, plus
the time the path took for the whole set.

``--offline`` runs the embedded offline default with its MiniLM encoder cast to bfloat16 or quantised to int8
(its head stays float32): real trained weights, so its decision changes are the ones to weigh. The stand-in
has PromptGuard 2 22M's architecture with random weights (what ``bench_prompt_guard.py`` builds): its
Δscore is meaningful as numerical drift, its decision changes much less so (random-head scores sit near 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

PATHS = ("float32", "bfloat16", "int8", "onnx", "onnx-int8")


def decision(score: float, hitl: float = 0.5, block: float = 0.9) -> int:
    return 0 if score < hitl else 1 if score < block else 2


class _Float32Out:
    """A bfloat16 encoder whose hidden states come back in float32, as the offline pooling expects."""

    def __init__(self, model: Any) -> None:
        self.model, self.config = model, model.config

    def __call__(self, **inputs: Any) -> Any:
        import types

        return types.SimpleNamespace(last_hidden_state=self.model(**inputs).last_hidden_state.float())


def offline_scores(texts: list[str], path: str) -> list[float]:
    import warnings

    import torch

    from lf_middleware.scanners.prompt_guard import PromptGuardScanner

    scanner = PromptGuardScanner()
    encoder = scanner.backend._encoder
    if not hasattr(encoder, "_lf_float_model"):
        encoder._lf_float_model = encoder.model
    model = encoder._lf_float_model
    if path == "bfloat16":
        import copy

        model = _Float32Out(copy.deepcopy(model).to(torch.bfloat16))
    elif path == "int8":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    elif path != "float32":
        raise SystemExit(f"--offline measures float32, bfloat16 and int8 only, not {path}")
    encoder.model = model
    return [r.score for r in scanner.scan_texts(texts)]


def model_scores(folder: str, texts: list[str], path: str, cache: Path) -> list[float]:
    from lf_middleware.scanners.prompt_guard import PromptGuardScanner

    scanner = PromptGuardScanner(model=folder, inference=path, onnx_cache_dir=cache)
    scanner.scan_texts(texts[:4])  # warm-up (and ONNX export on first use)
    scores = [r.score for r in scanner.scan_texts(texts)]
    scanner.close()
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", required=True, help="JSONL with a 'text' field per row")
    parser.add_argument("--model", help="model folder (default: the 22M stand-in of bench_prompt_guard.py)")
    parser.add_argument("--offline", action="store_true", help="the offline default's encoder instead of a model")
    parser.add_argument("--paths", nargs="+", choices=PATHS, help="paths to compare with float32")
    parser.add_argument("--limit", type=int, help="only N rows, evenly spaced over the file (every kind represented)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.dataset).read_text().splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    if args.limit and args.limit < len(texts):
        step = len(texts) / args.limit
        texts = [texts[int(i * step)] for i in range(args.limit)]
    paths = args.paths or (("bfloat16", "int8") if args.offline else PATHS[1:])
    import torch

    cache = ROOT / ".bench" / "onnx"
    if args.offline:
        score = lambda path: offline_scores(texts, path)  # noqa: E731
        label = "offline default (MiniLM encoder + head)"
    else:
        if args.model:
            folder = args.model
        else:
            import bench_prompt_guard

            folder = str(bench_prompt_guard.build_standin("22m"))
        score = lambda path: model_scores(folder, texts, path, cache)  # noqa: E731
        label = folder
    print(f"{label}: {len(texts)} texts, torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    reference = score("float32")
    base_s = time.perf_counter() - started
    print(f"{'path':<11}{'max|Δ|':>9}{'p99|Δ|':>9}{'mean|Δ|':>9}{'changed':>9}{'lowered':>9}{'unchanged':>11}{'seconds':>9}"
          f"{'speed':>7}", flush=True)
    print(f"{'float32':<11}{0:>9.4f}{0:>9.4f}{0:>9.4f}{0:>9}{0:>9}{'100.00%':>11}{base_s:>9.1f}{1:>7.2f}", flush=True)
    figures = {"float32": {"seconds": base_s}}
    for path in paths:
        started = time.perf_counter()
        got = score(path)
        seconds = time.perf_counter() - started
        deltas = sorted(abs(a - b) for a, b in zip(reference, got, strict=True))
        changed = sum(decision(a) != decision(b) for a, b in zip(reference, got, strict=True))
        lowered = sum(decision(b) < decision(a) for a, b in zip(reference, got, strict=True))
        p99 = deltas[min(len(deltas) - 1, int(0.99 * len(deltas)))]
        mean = sum(deltas) / len(deltas)
        unchanged = 100.0 * (1 - changed / len(texts))
        figures[path] = {"max_delta": deltas[-1], "p99_delta": p99, "mean_delta": mean, "changed": changed, "lowered": lowered, "unchanged_pct": unchanged,
                         "seconds": seconds}
        print(f"{path:<11}{deltas[-1]:>9.4f}{p99:>9.4f}{mean:>9.4f}{changed:>9}{lowered:>9}{unchanged:>10.2f}%{seconds:>9.1f}"
              f"{base_s / seconds:>7.2f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
