"""Whitespace normalisation against space-insertion evasion: raw only (baseline) vs normalised only vs the
maximum of both (what the scanner ships), scored by the offline default classifier.

    .venv/bin/python benchmarks/bench_prompt_guard_normalisation.py [--dataset data/injection_dev.jsonl]

Samples 120 injections and 120 benign texts under 400 characters, and the same texts spaced out letter by
letter (words two spaces apart); prints mean score and how many reach 0.5 for each way of scoring.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from pathlib import Path

from lf_middleware.scanners.prompt_guard import PromptGuardScanner, normalize_spacing

DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent.parent / "shared" / "eval" / "injection_dev.jsonl"


def spaced(text: str) -> str:
    return "  ".join(" ".join(word) for word in text.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--n", type=int, default=120)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(0)
    inj = rng.sample([r["text"] for r in rows if r["label"] == 1 and len(r["text"]) < 400], args.n)
    ben = rng.sample([r["text"] for r in rows if r["label"] == 0 and len(r["text"]) < 400], args.n)
    shipped = PromptGuardScanner()
    raw_only = PromptGuardScanner(normalize_whitespace=False)
    backend = shipped.backend

    def normalised_only(texts: list[str]) -> list[float]:
        variants = []
        for text in texts:
            normalized = normalize_spacing(text)
            variants.append(normalized[0] if normalized else text)
        return [s.score for s in backend.score_texts(variants)]

    print(f"{'texts':<20}{'raw only (baseline)':>24}{'normalised only':>20}{'max (shipped)':>20}")
    for name, texts in (
        ("injections", inj),
        ("benign", ben),
        ("injections spaced", [spaced(t) for t in inj]),
        ("benign spaced", [spaced(t) for t in ben]),
    ):
        cols = [
            [r.score for r in raw_only.scan_texts(texts)],
            normalised_only(texts),
            [r.score for r in shipped.scan_texts(texts)],
        ]
        cells = [f"{statistics.mean(c):.3f}, {sum(s >= 0.5 for s in c):>3}/{len(c)}" for c in cols]
        print(f"{name:<20}{cells[0]:>24}{cells[1]:>20}{cells[2]:>20}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
