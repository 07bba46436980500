"""Detection metrics against values computed by hand."""

from __future__ import annotations

import math

import pytest

from lf_middleware import evaluation as ev


def test_auc_perfect_inverted_and_random() -> None:
    assert ev.roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert ev.roc_auc([0, 0, 1, 1], [0.8, 0.9, 0.1, 0.2]) == 0.0
    assert ev.roc_auc([0, 1], [0.5, 0.5]) == 0.5  # a tie counts half


def test_auc_by_hand() -> None:
    # positives 0.9, 0.4; negatives 0.5, 0.3, 0.1 -> pairs won: 0.9 beats 3, 0.4 beats 2 (0.3, 0.1) = 5 of 6
    assert ev.roc_auc([1, 0, 1, 0, 0], [0.9, 0.5, 0.4, 0.3, 0.1]) == pytest.approx(5 / 6)
    # with a tie: positive 0.5 vs negative 0.5 counts half -> (3 + 1.5) / 6 wins... positives 0.9, 0.5
    # 0.9 beats 0.5, 0.3, 0.1 (3); 0.5 ties 0.5 (0.5), beats 0.3, 0.1 (2) -> 5.5 / 6
    assert ev.roc_auc([1, 0, 1, 0, 0], [0.9, 0.5, 0.5, 0.3, 0.1]) == pytest.approx(5.5 / 6)


def test_auc_undefined_with_one_class() -> None:
    assert ev.roc_auc([1, 1], [0.2, 0.3]) is None
    assert ev.roc_auc([0, 0], [0.2, 0.3]) is None


def test_roc_curve_points() -> None:
    fpr, tpr, thr = ev.roc_curve([1, 0, 1, 0], [0.9, 0.7, 0.6, 0.2])
    assert fpr == [0.0, 0.0, 0.5, 0.5, 1.0]
    assert tpr == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert thr[0] == math.inf and thr[1:] == [0.9, 0.7, 0.6, 0.2]


def test_roc_curve_merges_tied_scores() -> None:
    fpr, tpr, thr = ev.roc_curve([1, 0, 1], [0.5, 0.5, 0.1])
    assert list(zip(fpr, tpr, strict=True)) == [(0.0, 0.0), (1.0, 0.5), (1.0, 1.0)]
    assert thr[1:] == [0.5, 0.1]


def test_threshold_and_recall_at_fpr_by_hand() -> None:
    # 200 negatives scored 0.000 .. 0.199; 1 % of 200 = 2 may be flagged -> threshold = 3rd highest = 0.197
    negatives = [k / 1000 for k in range(200)]
    positives = [0.5, 0.198, 0.197, 0.1]
    labels = [0] * 200 + [1] * 4
    scores = negatives + positives
    t = ev.threshold_at_fpr(labels, scores, 0.01)
    assert t == pytest.approx(0.197)
    recall, t2 = ev.recall_at_fpr(labels, scores, 0.01)
    assert t2 == t
    assert recall == pytest.approx(2 / 4)  # 0.5 and 0.198 exceed 0.197; 0.197 itself does not
    flagged_neg = sum(s > t for s in negatives)
    assert flagged_neg == 2


def test_recall_at_fpr_small_negative_set_means_no_false_positive() -> None:
    # 50 negatives: floor(0.5) = 0 false positives allowed -> threshold is the top negative
    labels = [0] * 50 + [1, 1]
    scores = [0.1] * 49 + [0.6] + [0.7, 0.5]
    recall, t = ev.recall_at_fpr(labels, scores)
    assert t == 0.6 and recall == 0.5


def test_confusion_by_hand() -> None:
    c = ev.confusion([1, 1, 0, 0, 0], [True, False, True, False, False])
    assert (c["tp"], c["fp"], c["fn"], c["tn"]) == (1, 1, 1, 2)
    assert c["precision"] == 0.5 and c["recall"] == 0.5 and c["fpr"] == pytest.approx(1 / 3)
    none = ev.confusion([0, 0], [False, False])
    assert none["precision"] is None and none["recall"] is None and none["fpr"] == 0.0


def test_summarize_with_kinds() -> None:
    labels = [1, 1, 1, 0, 0, 0, 0]
    scores = [0.95, 0.6, 0.2, 0.7, 0.3, 0.1, 0.05]
    kinds = ["direct", "direct", "jailbreak", "benign", "benign", "benign_hard", "benign_hard"]
    hitl = [s >= 0.5 for s in scores]
    s = ev.summarize(labels, scores, decisions={"hitl": hitl}, groups={"kind": kinds, "language": [None] * 7})
    assert s["rows"] == 7 and s["positives"] == 3 and s["negatives"] == 4
    # pairs won: 0.95 beats 4, 0.6 beats 3, 0.2 beats 2 -> 9 of 12
    assert s["auc"] == 0.75
    # 4 negatives -> no false positive allowed: threshold 0.7, only 0.95 above
    assert s["threshold_at_fpr"] == 0.7
    assert s["recall_at_1pct_fpr"] == pytest.approx(0.3333)
    assert s["at_hitl"]["tp"] == 2 and s["at_hitl"]["fp"] == 1
    assert "by_language" not in s  # no row carries a language
    direct = s["by_kind"]["direct"]
    assert direct["positives"] == 2 and direct["auc"] is None
    assert direct["auc_vs_all_negatives"] == pytest.approx(0.875)  # 0.95 beats 4, 0.6 beats 3 -> 7/8
    assert direct["flagged_at_fpr"] == 0.5
    assert direct["hitl"]["recall"] == 1.0
    benign = s["by_kind"]["benign"]
    assert benign["hitl"]["fpr"] == 0.5 and "auc_vs_all_negatives" not in benign


def test_summarize_per_language_has_own_precision_recall() -> None:
    labels = [1, 0, 1, 0]
    scores = [0.9, 0.1, 0.2, 0.8]
    langs = ["python", "python", "c", "c"]
    s = ev.summarize(labels, scores, decisions={"hitl": [True, False, False, True]}, groups={"language": langs})
    assert s["by_language"]["python"]["auc"] == 1.0
    assert s["by_language"]["python"]["hitl"]["precision"] == 1.0
    assert s["by_language"]["c"]["auc"] == 0.0
    assert s["by_language"]["c"]["hitl"]["recall"] == 0.0 and s["by_language"]["c"]["hitl"]["fpr"] == 1.0


@pytest.mark.parametrize(
    ("labels", "scores", "match"),
    [([0, 1], [0.1], "one score per label"), ([0, 2], [0.1, 0.2], "0 or 1"), ([0, 1], [0.1, math.nan], "NaN")],
)
def test_bad_input_is_rejected(labels: list[int], scores: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ev.roc_auc(labels, scores)
