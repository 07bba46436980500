"""Train the head of the offline default prompt-injection classifier (reproducible; ~minutes on 2 cores).

    python scripts/train_offline_head.py            # train, evaluate on the held-out part, write the head
    python scripts/train_offline_head.py --dry-run  # train and print metrics, write nothing
    python scripts/train_offline_head.py --cv 5     # grouped 5-fold CV on the training part only

Data: ``data/injection_dev.jsonl`` (the development set, see data/README.md) and
``data/offline_head_extra.jsonl`` (examples written for this project). The development set is split by
upstream file (``source`` without its "+ payload" / "(category)" qualifiers) into a training part and a
held-out part that is never trained on; the written examples are training-only.

Views and scoring are exactly the scanner's (whole text + 64-token windows, max over views), because the
embeddings come from :class:`OfflineDefaultClassifier`. They are cached per text in ``.cache/``, so new
examples cost only their own embedding.

Settings are chosen with ``--cv K`` (grouped K-fold over the training part's upstream files; the written
examples always train), so the held-out part is only read for the final report.

Training is multiple-instance: a benign text contributes every view as a negative; a positive text
contributes its whole-text view when that view holds the entire text, and, after the first round, the view
the current head scores highest (so a late payload in a long document becomes the positive, not the benign
preamble around it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

from lf_middleware import evaluation as ev  # noqa: E402
from lf_middleware.scanners import prompt_guard_offline as pgo  # noqa: E402

DEV = ROOT / "data" / "injection_dev.jsonl"
EXTRA = ROOT / "data" / "offline_head_extra.jsonl"
CACHE = ROOT / ".cache" / "offline_head"

SEED = 20240611
HELD_OUT_FRACTION = 0.3  # aim per kind; whole upstream files move, so the real share varies
HIDDEN = 0  # logistic regression: it generalised best across upstream files in grouped cross-validation
LEX_SCALE = 8.0  # weight of the lexical features next to the embedding: grouped 5-fold CV on the train part (--cv 5) picked it from 2, 4, 8, 16
C = 1.0  # inverse L2 strength of the logistic regression (liblinear, balanced class weights)
MIL_ROUNDS = 3
HITL_FPR = 0.02  # the balanced preset's human-review threshold: 2 % of held-out benign texts score above it
BLOCK_MARGIN = 0.25  # block: this many logits above the highest-scoring held-out benign text


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def upstream_file(source: str) -> str:
    """The upstream file a row comes from: drop ' + payload ...' and a trailing '(category)' qualifier."""
    base = source.split(" + payload")[0]
    return re.sub(r"\s*\([^()]*\)\s*$", "", base).strip()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def group_split(rows: list[dict], seed: int) -> set[str]:
    """Upstream files for the held-out part: a seeded pass over the files, taking one whenever no kind's
    held-out share would pass HELD_OUT_FRACTION + 0.05."""
    per_group: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        per_group[upstream_file(r["source"])][r["kind"]] += 1
    totals = Counter(r["kind"] for r in rows)
    names = sorted(per_group)
    random.Random(seed).shuffle(names)
    held: set[str] = set()
    taken: Counter = Counter()
    for g in names:
        if all((taken[k] + n) / totals[k] <= HELD_OUT_FRACTION + 0.05 for k, n in per_group[g].items()):
            held.add(g)
            taken.update(per_group[g])
    return held


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def embed_all(clf: pgo.OfflineDefaultClassifier, texts: list[str], key: str) -> dict[str, torch.Tensor]:
    """Views and embeddings of every text, in text order. Cached per text under .cache/ (a store per encoder
    + view settings, ``key``), so adding examples embeds only the new texts."""
    store_path = CACHE / f"store-{key}.safetensors"
    index_path = CACHE / f"store-{key}.json"
    store: dict[str, torch.Tensor] = {}
    owners: list[str] = []
    if store_path.exists() and index_path.exists():
        store = load_file(str(store_path))
        owners = json.loads(index_path.read_text())
    known = set(owners)
    missing = list(dict.fromkeys(t for t in texts if _text_key(t) not in known))
    if missing:
        t0 = time.perf_counter()
        views = clf.views(missing)
        emb = clf.embed(views)
        new = {
            "emb": emb.contiguous(),
            "span": torch.tensor([v.span for v in views], dtype=torch.long).reshape(-1, 2),
            "tokens": torch.tensor([len(v.ids) for v in views], dtype=torch.long),
        }
        new_owner = torch.tensor([v.text for v in views], dtype=torch.long)
        owners_before = len(owners)
        owners.extend(_text_key(t) for t in missing)
        new["owner"] = new_owner + owners_before
        store = {k: torch.cat([store[k], v]) if k in store else v for k, v in new.items()}
        CACHE.mkdir(parents=True, exist_ok=True)
        save_file({k: v.contiguous() for k, v in store.items()}, str(store_path))
        index_path.write_text(json.dumps(owners))
        print(f"embedded {len(views)} views of {len(missing)} new texts in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)
    # gather each text's views, in text order (a text repeated in ``texts`` gets its views once per copy)
    rows_of: dict[int, list[int]] = defaultdict(list)
    for v, o in enumerate(store["owner"].tolist()):
        rows_of[o].append(v)
    slot = {k: i for i, k in enumerate(owners)}
    pick: list[int] = []
    text_of: list[int] = []
    for i, t in enumerate(texts):
        rows = rows_of.get(slot[_text_key(t)], [])
        pick.extend(rows)
        text_of.extend([i] * len(rows))
    idx = torch.tensor(pick, dtype=torch.long)
    return {"emb": store["emb"][idx], "span": store["span"][idx], "tokens": store["tokens"][idx],
            "text": torch.tensor(text_of, dtype=torch.long)}


def features(data: dict[str, torch.Tensor], texts: list[str]):
    """Per view: [embedding, LEX_SCALE * hashed lexical features of the view's text] as a sparse matrix."""
    import numpy as np
    import scipy.sparse as sp

    rows, cols, vals = [], [], []
    for v, (t, (a, b)) in enumerate(zip(data["text"].tolist(), data["span"].tolist(), strict=True)):
        idx, val = pgo.lexical_features(pgo._clean(texts[t])[a:b])
        rows.extend([v] * len(idx))
        cols.extend(idx)
        vals.extend(val)
    lex = sp.csr_matrix((np.asarray(vals) * LEX_SCALE, (rows, cols)), shape=(len(data["text"]), pgo.LEX_DIM))
    return sp.hstack([sp.csr_matrix(data["emb"].numpy().astype(np.float64)), lex]).tocsr()


def fit(x, y):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=200, random_state=SEED).fit(x, y)


def text_logits(model, x, text_of: torch.Tensor, n_texts: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per text: the max view logit and the index of the (first) view that gave it."""
    logits = torch.tensor(model.decision_function(x), dtype=torch.float64)
    best = torch.full((n_texts,), -math.inf, dtype=torch.float64).scatter_reduce(0, text_of, logits, "amax")
    arg = torch.full((n_texts,), -1, dtype=torch.long)
    hit = torch.nonzero(logits == best[text_of]).squeeze(-1).flip(0)
    arg[text_of[hit]] = hit  # flipped, so the first winning view of each text is written last
    return best, arg


def train(x, data: dict[str, torch.Tensor], labels: list[int], train_texts: set[int], whole_complete: torch.Tensor,
          embedded: torch.Tensor):
    """``whole_complete``: the whole-text view holds the entire text; ``embedded``: the text is content with a
    payload inside (kind indirect*), so its whole view is mostly benign content and is never forced positive."""
    text_of = data["text"]
    is_train = torch.tensor([int(t) in train_texts for t in text_of.tolist()])
    lab = torch.tensor(labels)[text_of]
    first_view = torch.zeros(len(text_of), dtype=torch.bool)
    seen: set[int] = set()
    for v, t in enumerate(text_of.tolist()):
        if t not in seen:
            first_view[v] = True
            seen.add(t)
    negatives = is_train & (lab == 0)
    sure_pos = is_train & (lab == 1) & first_view & whole_complete[text_of] & ~embedded[text_of]
    chosen = negatives | sure_pos
    model = fit(x[chosen.numpy()], lab[chosen].numpy())
    for _ in range(MIL_ROUNDS):
        _, arg = text_logits(model, x, text_of, len(labels))
        picked = torch.zeros_like(chosen)
        for t in train_texts:
            if labels[t] == 1 and arg[t] >= 0:
                picked[arg[t]] = True
        chosen = negatives | sure_pos | picked
        model = fit(x[chosen.numpy()], lab[chosen].numpy())
    return model


def cross_validate(x, data, labels: list[int], rows: list[dict], n_dev: int, train_idx: set[int],
                   whole_complete: torch.Tensor, embedded: torch.Tensor, folds: int) -> dict:
    """Grouped k-fold over the training part only (upstream files never straddle folds; the written examples
    always train): the figures used to choose settings, so the held-out part is looked at once, at the end."""
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in sorted(train_idx):
        if i < n_dev:
            by_group[upstream_file(rows[i]["source"])].append(i)
    names = sorted(by_group)
    random.Random(SEED).shuffle(names)
    names.sort(key=lambda g: -len(by_group[g]))  # largest first, each to the emptiest fold
    fold_rows: list[list[int]] = [[] for _ in range(folds)]
    for g in names:
        min(fold_rows, key=len).extend(by_group[g])
    scores: dict[int, float] = {}
    for k, held in enumerate(fold_rows):
        fit_on = train_idx - set(held)
        head = train(x, data, labels, fit_on, whole_complete, embedded)
        best, _ = text_logits(head, x, data["text"], len(labels))
        for i in held:
            scores[i] = float(best[i]) if best[i] > -math.inf else -20.0
        print(f"  fold {k + 1}/{folds}: {len(held)} rows", file=sys.stderr)
    ids = sorted(scores)
    ys = [labels[i] for i in ids]
    ss = [scores[i] for i in ids]
    summary = ev.summarize(ys, ss, groups={"kind": [rows[i]["kind"] for i in ids]})
    return {"rows": len(ids), "auc": summary["auc"], "recall_at_fpr": {f"{f:g}": ev.recall_at_fpr(ys, ss, f)[0]
            for f in (0.01, 0.02, 0.05)}, "by_kind_auc": {k: e.get("auc_vs_all_negatives") for k, e in
            summary["by_kind"].items()}}


def print_table(report: dict) -> None:
    s = report["held_out"]
    print(f"held-out: {report['held_out_rows']} rows from {report['held_out_upstream_files']} upstream files; "
          f"train: {report['train_rows']} rows (train AUC {report['train_auc']})")
    print(f"overall  AUC {s['auc']}  recall@1%FPR {s['recall_at_1pct_fpr']}  "
          f"hitl P/R {s['at_hitl']['precision']}/{s['at_hitl']['recall']} FPR {s['at_hitl']['fpr']}  "
          f"block P/R {s['at_block']['precision']}/{s['at_block']['recall']} FPR {s['at_block']['fpr']}")
    print(f"{'kind':14} {'rows':>5} {'AUC*':>6} {'@1%FPR':>7} {'hitl':>6} {'block':>6}")
    for kind, e in s["by_kind"].items():
        rate = "recall" if e["positives"] else "fpr"
        print(f"{kind:14} {e['rows']:5d} {e.get('auc_vs_all_negatives') or '':>6} {e['flagged_at_fpr']:7.3f} "
              f"{e['hitl'][rate]:6.3f} {e['block'][rate]:6.3f}")
    print("(AUC*: the kind's positives against all held-out negatives; other columns: share flagged)")
    print("held-out recall at FPR " + ", ".join(f"{k}: {v:.3f}" for k, v in report["held_out_recall_at_fpr"].items()))
    print(f"indirect_long winning span holds the payload: {report['indirect_long_span_contains_payload']}; "
          f"head training {report['train_seconds']} s, total {report['total_seconds']} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dry-run", action="store_true", help="print metrics, write no files")
    p.add_argument("--cv", type=int, metavar="K",
                   help="grouped K-fold cross-validation on the training part only; prints it and stops")
    p.add_argument("--extra", type=Path, default=EXTRA, help=f"written examples (default {EXTRA.relative_to(ROOT)})")
    args = p.parse_args(argv)
    t_start = time.perf_counter()
    torch.manual_seed(SEED)
    dev = read_jsonl(DEV)
    extra = read_jsonl(args.extra)
    rows = dev + extra
    held_groups = group_split(dev, SEED)
    held = {i for i, r in enumerate(dev) if upstream_file(r["source"]) in held_groups}
    train_idx = set(range(len(rows))) - held
    texts = [r["text"] for r in rows]
    labels = [int(r["label"]) for r in rows]

    clf = pgo.OfflineDefaultClassifier.__new__(pgo.OfflineDefaultClassifier)
    clf._encoder = pgo._Encoder(pgo.encoder_dir())  # the encoder only: the head is what we are training
    key = hashlib.sha256(
        json.dumps([pgo.ENCODER_DIGESTS, pgo.VIEWS_VERSION, pgo.WHOLE_TOKENS, pgo.WINDOW_TOKENS, pgo.WINDOW_STRIDE]).encode()
    ).hexdigest()[:16]
    data = embed_all(clf, texts, key)
    # a whole-text view holds the entire text when its span ends where the text's last token ends
    first_span_end = {}
    for v, t in enumerate(data["text"].tolist()):
        first_span_end.setdefault(t, int(data["span"][v][1]))
    whole_complete = torch.tensor([first_span_end.get(i, 0) >= len(texts[i].rstrip()) for i in range(len(texts))])

    t_train = time.perf_counter()
    embedded = torch.tensor([str(r.get("kind", "")).startswith("indirect") for r in rows])
    x = features(data, texts)
    if args.cv:
        cv = cross_validate(x, data, labels, rows, len(dev), train_idx, whole_complete, embedded, args.cv)
        print(json.dumps(cv, indent=1))
        return 0
    head = train(x, data, labels, train_idx, whole_complete, embedded)
    train_s = time.perf_counter() - t_train
    best, arg = text_logits(head, x, data["text"], len(texts))
    scores = [float(b) if b > -math.inf else -20.0 for b in best]

    ho = sorted(held)
    ys = [labels[i] for i in ho]
    ss = [scores[i] for i in ho]
    neg_scores = sorted((s for s, y in zip(ss, ys, strict=True) if y == 0), reverse=True)
    hitl_raw = ev.threshold_at_fpr(ys, ss, HITL_FPR)
    block_raw = neg_scores[0] + BLOCK_MARGIN
    # reported score = sigmoid(scale * (logit - shift)): hitl_raw -> 0.5, block_raw -> 0.9
    scale = math.log(9.0) / (block_raw - hitl_raw)
    shift = hitl_raw

    def calibrated(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-scale * (z - shift)))

    cal = [calibrated(s) for s in ss]
    decisions = {"hitl": [c >= 0.5 for c in cal], "block": [c >= 0.9 for c in cal]}
    summary = ev.summarize(ys, cal, decisions=decisions, groups={"kind": [dev[i]["kind"] for i in ho]})
    tr = sorted(train_idx)
    train_summary = ev.summarize([labels[i] for i in tr], [scores[i] for i in tr])
    # where the winning window of a held-out long injection lies relative to the payload
    late = [i for i in ho if dev[i]["kind"] == "indirect_long"]
    span_hits = sum(  # the winning view overlaps the first 200 characters after the insertion point
        1 for i in late
        if int(data["span"][arg[i]][0]) < dev[i]["inject_offset"] + 200 and int(data["span"][arg[i]][1]) > dev[i]["inject_offset"]
    )

    report = {
        "held_out": summary,
        "held_out_recall_at_fpr": {f"{f:g}": ev.recall_at_fpr(ys, ss, f)[0] for f in (0.01, 0.02, 0.05, 0.1)},
        "train_auc": train_summary["auc"],
        "held_out_upstream_files": len(held_groups),
        "held_out_rows": len(ho),
        "train_rows": len(tr),
        "indirect_long_span_contains_payload": f"{span_hits}/{len(late)}",
        "train_seconds": round(train_s, 1),
        "total_seconds": round(time.perf_counter() - t_start, 1),
    }
    print_table(report)
    if args.dry_run:
        return 0

    coef = torch.tensor(head.coef_[0], dtype=torch.float32)
    dim = data["emb"].shape[1]
    tensors = {"w2": coef[:dim].reshape(1, dim).clone(), "b2": torch.tensor(head.intercept_, dtype=torch.float32),
               "w_lex": (coef[dim:] * LEX_SCALE).clone()}
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(pgo.HEAD_PATH), metadata={"format": "pt"})
    pgo.HEAD_PATH.chmod(0o644)
    meta = {
        "description": "head of the lf-middleware offline default prompt-injection classifier",
        "trained_by": "scripts/train_offline_head.py",
        "encoder": {"package": pgo.ENCODER_PACKAGE, "model": "sentence-transformers/all-MiniLM-L6-v2"},
        "encoder_sha256": pgo.ENCODER_DIGESTS,
        "head_sha256": sha256_file(pgo.HEAD_PATH),
        "views": {"version": pgo.VIEWS_VERSION, "whole_tokens": pgo.WHOLE_TOKENS, "window_tokens": pgo.WINDOW_TOKENS,
                  "window_stride": pgo.WINDOW_STRIDE, "pooling": "mean, L2-normalised"},
        "head": {"hidden": HIDDEN, "model": "logistic regression (liblinear, balanced class weights)", "C": C,
                 "lexical": {"dim": pgo.LEX_DIM, "scale": LEX_SCALE,
                             "features": "hashed (crc32) word unigrams, word bigrams, char 3-5-grams per word; "
                                         "log(1+count), L2-normalised per view"},
                 "mil_rounds": MIL_ROUNDS, "seed": SEED},
        "data": {
            "files": {DEV.name: sha256_file(DEV), args.extra.name: sha256_file(args.extra)},
            "split": "group split by upstream file (source without '+ payload'/'(category)'); extra rows train only",
            "held_out_upstream_files": sorted(held_groups),
            "train_rows": len(tr),
            "held_out_rows": len(ho),
        },
        "calibration": {"scale": scale, "shift": shift, "hitl_logit": hitl_raw, "block_logit": block_raw,
                        "hitl_rule": f"held-out benign FPR <= {HITL_FPR}",
                        "block_rule": f"highest held-out benign logit + {BLOCK_MARGIN}",
                        "balanced_preset": {"hitl_threshold": 0.5, "block_threshold": 0.9}},
        "metrics": {k: v for k, v in report.items() if k not in ("train_seconds", "total_seconds")},
    }
    pgo.HEAD_META_PATH.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {pgo.HEAD_PATH.relative_to(ROOT)} and {pgo.HEAD_META_PATH.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
