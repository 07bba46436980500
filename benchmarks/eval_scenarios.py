"""Replay the data-flow scenario suite (``data/scenarios/``) and score the guard, before and after provenance.

For each stack (``rules``: regex, hidden text, tool policy, Rule of Two — classifier off; ``offline``: the same
plus the offline prompt_guard classifier) the suite is replayed twice through ``lf-middleware replay``'s
guard: with the data-flow guard off (the Rule of Two alone) and on. Printed per domain:

* **stopped**: attack actions (labelled steps) the guard did not let run — the action itself was asked or
  blocked, or the tool output carrying the injection was withheld from the model;
* **escalated**: steps of benign sessions that were not ALLOW (every step: user turns, calls, outputs), and
  the same for benign *actions* (calls to tools that exercise C) alone.

Usage: ``python benchmarks/eval_scenarios.py [--stack rules|offline|both] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "data" / "scenarios"


def load() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    sessions = [json.loads(line) for line in (SUITE / "sessions.jsonl").read_text(encoding="utf-8").splitlines()]
    labels = {row["id"]: row for row in map(json.loads,
                                            (SUITE / "labels.jsonl").read_text(encoding="utf-8").splitlines())}
    return sessions, labels


def build_guard(stack: str, provenance: bool) -> Any:
    import yaml

    from lf_middleware.engine import LlamaFirewall
    from lf_middleware.guard import Guard

    cfg = yaml.safe_load((SUITE / f"config_{stack}.yaml").read_text(encoding="utf-8"))
    if not provenance:
        cfg["rule_of_two"]["provenance"] = False
    return Guard.build(LlamaFirewall(config=cfg), who="eval_scenarios")


def score(results: dict[str, dict[str, Any]], labels: dict[str, dict[str, Any]], c_tools: set[str]) -> dict[str, Any]:
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    missed: list[str] = []
    escalated: list[str] = []
    for sid, res in results.items():
        lab = labels[sid]
        d = per[lab["domain"]]
        steps = res["steps"]
        stopped_at = {s["index"] for s in steps if s["decision"] != "allow"}
        if lab["kind"] == "attack":
            caught_early = any(i in stopped_at for i in lab["injection_steps"])
            for i in lab["attack_steps"]:
                d["attacks"] += 1
                if caught_early or i in stopped_at:
                    d["stopped"] += 1
                else:
                    missed.append(f"{sid}@{i}")
        else:
            for s in steps:
                d["benign_steps"] += 1
                is_action = s["role"] == "assistant" and s.get("tool") in c_tools
                d["benign_actions"] += is_action
                if s["decision"] != "allow":
                    d["benign_escalated"] += 1
                    d["benign_actions_escalated"] += is_action
                    escalated.append(f"{sid}@{s['index']}({s.get('tool') or s['role']})")
    total: dict[str, int] = defaultdict(int)
    for d in per.values():
        for k, v in d.items():
            total[k] += v
    keys = ("attacks", "stopped", "benign_steps", "benign_escalated", "benign_actions", "benign_actions_escalated")
    return {"per_domain": {k: {n: v[n] for n in keys} for k, v in sorted(per.items())},
            "total": {n: total[n] for n in keys}, "missed": missed,
            "escalated": escalated}


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}% ({a}/{b})" if b else "n/a"


def table(name: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    lines = [f"### {name}", "",
             "| domain | stopped: Rule of Two alone | stopped: + provenance | benign steps escalated: before | "
             "after | benign actions escalated: before | after |", "|---|---|---|---|---|---|---|"]
    rows = [*before["per_domain"], "all"]
    for dom in rows:
        b = before["total"] if dom == "all" else before["per_domain"][dom]
        a = after["total"] if dom == "all" else after["per_domain"][dom]
        lines.append(f"| {dom} | {_pct(b['stopped'], b['attacks'])} | {_pct(a['stopped'], a['attacks'])} | "
                     f"{_pct(b['benign_escalated'], b['benign_steps'])} | {_pct(a['benign_escalated'], a['benign_steps'])}"
                     f" | {_pct(b['benign_actions_escalated'], b['benign_actions'])} | "
                     f"{_pct(a['benign_actions_escalated'], a['benign_actions'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from lf_middleware.replay import replay_session

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stack", choices=("rules", "offline", "both"), default="both")
    p.add_argument("--json", help="write the scores (and the missed / escalated steps) to this file")
    args = p.parse_args(argv)
    sessions, labels = load()
    out: dict[str, Any] = {}
    for stack in (("rules", "offline") if args.stack == "both" else (args.stack,)):
        runs = {}
        for prov in (False, True):
            guard = build_guard(stack, prov)
            c_tools = {name for name in guard.rule.config.tools if "C" in guard.rule.config.tools[name]}
            t0 = time.perf_counter()
            results = {s["id"]: replay_session(guard, s["trace"]) for s in sessions}
            runs[prov] = score(results, labels, c_tools)
            runs[prov]["seconds"] = round(time.perf_counter() - t0, 2)
        out[stack] = {"before": runs[False], "after": runs[True]}
        print(table(f"{stack} stack", runs[False], runs[True]), "\n")
        print(f"missed after: {runs[True]['missed']}")
        print(f"benign escalated after: {runs[True]['escalated']}\n")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
