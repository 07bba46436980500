"""Detection metrics for ``lf-middleware eval`` and the training scripts. Pure functions over labels and scores.

Conventions: label 1 is the class a scanner should flag (an injection, insecure code), 0 the class it should
let through. Higher scores mean "more likely 1". ``flagged`` is what the scanner's policy decided at its
thresholds (any decision other than ALLOW).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = (
    "breakdown",
    "confusion",
    "recall_at_fpr",
    "roc_auc",
    "roc_curve",
    "summarize",
    "threshold_at_fpr",
)

#: the false-positive rate "recall at FPR" figures are quoted at
DEFAULT_MAX_FPR = 0.01


def _check(labels: Sequence[int], scores: Sequence[float]) -> None:
    if len(labels) != len(scores):
        raise ValueError(f"got {len(labels)} labels but {len(scores)} scores; pass one score per label")
    bad = [y for y in labels if y not in (0, 1)]
    if bad:
        raise ValueError(f"labels must be 0 or 1, got {bad[0]!r}")
    if any(math.isnan(s) for s in scores):
        raise ValueError("scores contain NaN")


def _average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            ranks[order[k]] = mean
        i = j + 1
    return ranks


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve (the probability a random positive outscores a random negative; ties count
    half). None when either class is absent."""
    _check(labels, scores)
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = _average_ranks(scores)
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y == 1)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def roc_curve(labels: Sequence[int], scores: Sequence[float]) -> tuple[list[float], list[float], list[float]]:
    """(fpr, tpr, thresholds): one point per distinct score, flagging ``score >= threshold``; starts at (0, 0)."""
    _check(labels, scores)
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    pairs = sorted(zip(scores, labels, strict=True), key=lambda p: -p[0])
    fpr, tpr, thresholds = [0.0], [0.0], [math.inf]
    tp = fp = 0
    i = 0
    while i < len(pairs):
        s = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == s:
            tp += pairs[i][1]
            fp += 1 - pairs[i][1]
            i += 1
        fpr.append(fp / n_neg if n_neg else 0.0)
        tpr.append(tp / n_pos if n_pos else 0.0)
        thresholds.append(s)
    return fpr, tpr, thresholds


def threshold_at_fpr(labels: Sequence[int], scores: Sequence[float], max_fpr: float = DEFAULT_MAX_FPR) -> float:
    """The score a text must *exceed* so that at most ``max_fpr`` of the negatives do.

    With k = floor(max_fpr * negatives), it is the (k+1)-th highest negative score: flagging ``score >
    threshold`` lets at most k negatives through (fewer when negatives tie). -inf when there are no negatives.
    """
    _check(labels, scores)
    negatives = sorted((s for s, y in zip(scores, labels, strict=True) if y == 0), reverse=True)
    if not negatives:
        return -math.inf
    k = math.floor(max_fpr * len(negatives) + 1e-9)
    return negatives[k] if k < len(negatives) else -math.inf


def recall_at_fpr(
    labels: Sequence[int], scores: Sequence[float], max_fpr: float = DEFAULT_MAX_FPR
) -> tuple[float | None, float]:
    """(recall, threshold): the share of positives scoring above :func:`threshold_at_fpr`. Recall is None
    without positives."""
    t = threshold_at_fpr(labels, scores, max_fpr)
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    return (sum(s > t for s in pos) / len(pos) if pos else None), t


def confusion(labels: Sequence[int], flagged: Sequence[bool]) -> dict[str, Any]:
    """Counts and rates for hard decisions: tp, fp, fn, tn, precision, recall, fpr (None where undefined)."""
    if len(labels) != len(flagged):
        raise ValueError(f"got {len(labels)} labels but {len(flagged)} decisions")
    tp = sum(1 for y, f in zip(labels, flagged, strict=True) if y == 1 and f)
    fp = sum(1 for y, f in zip(labels, flagged, strict=True) if y == 0 and f)
    fn = sum(1 for y, f in zip(labels, flagged, strict=True) if y == 1 and not f)
    tn = sum(1 for y, f in zip(labels, flagged, strict=True) if y == 0 and not f)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "fpr": fp / (fp + tn) if fp + tn else None,
    }


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or math.isinf(value) else round(value, digits)


def breakdown(
    groups: Sequence[str | None],
    labels: Sequence[int],
    scores: Sequence[float],
    decisions: Mapping[str, Sequence[bool]],
    *,
    threshold: float,
) -> dict[str, dict[str, Any]]:
    """Per-group figures. ``threshold`` is the overall 1%-FPR threshold: a group's ``flagged_at_fpr`` is the
    share of its rows scoring above it (recall for a positive group, false-positive rate for a negative one),
    which is how a single-class group (e.g. kind "jailbreak") is read. A group with positives also gets
    ``auc_vs_all_negatives`` (its positives against every negative row); one with both classes its own AUC. ``decisions`` maps a name ("hitl", "block") to flagged-or-not per row."""
    out: dict[str, dict[str, Any]] = {}
    all_negatives = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    for key in sorted({g for g in groups if g is not None}):
        idx = [i for i, g in enumerate(groups) if g == key]
        ys = [labels[i] for i in idx]
        ss = [scores[i] for i in idx]
        n_pos = sum(ys)
        entry: dict[str, Any] = {"rows": len(idx), "positives": n_pos, "negatives": len(idx) - n_pos}
        entry["auc"] = _rounded(roc_auc(ys, ss))
        positives = [s for s, y in zip(ss, ys, strict=True) if y == 1]
        if positives and all_negatives:
            # this group's positives against every negative row: the per-kind figure for single-class groups
            entry["auc_vs_all_negatives"] = _rounded(
                roc_auc([1] * len(positives) + [0] * len(all_negatives), positives + all_negatives)
            )
        entry["flagged_at_fpr"] = _rounded(sum(s > threshold for s in ss) / len(ss))
        for name, flags in decisions.items():
            entry[name] = {k: _rounded(v) if isinstance(v, float) else v
                           for k, v in confusion(ys, [flags[i] for i in idx]).items()}
        out[key] = entry
    return out


def summarize(
    labels: Sequence[int],
    scores: Sequence[float],
    *,
    decisions: Mapping[str, Sequence[bool]] | None = None,
    groups: Mapping[str, Sequence[str | None]] | None = None,
    max_fpr: float = DEFAULT_MAX_FPR,
) -> dict[str, Any]:
    """The whole summary: AUC, recall at ``max_fpr``, confusion at each named decision, per-group breakdowns
    (``groups`` maps a field name such as "kind" or "language" to each row's value)."""
    _check(labels, scores)
    decisions = dict(decisions or {})
    recall, threshold = recall_at_fpr(labels, scores, max_fpr)
    summary: dict[str, Any] = {
        "rows": len(labels),
        "positives": sum(labels),
        "negatives": len(labels) - sum(labels),
        "auc": _rounded(roc_auc(labels, scores)),
        f"recall_at_{max_fpr * 100:g}pct_fpr": _rounded(recall),
        "threshold_at_fpr": _rounded(threshold, 6),
        "max_fpr": max_fpr,
    }
    for name, flags in decisions.items():
        summary[f"at_{name}"] = {k: _rounded(v) if isinstance(v, float) else v
                                 for k, v in confusion(labels, flags).items()}
    for field, values in (groups or {}).items():
        if len(values) != len(labels):
            raise ValueError(f"got {len(values)} '{field}' values for {len(labels)} rows")
        if any(v is not None for v in values):
            summary[f"by_{field}"] = breakdown(values, labels, scores, decisions, threshold=threshold)
    return summary
