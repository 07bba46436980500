"""``lf-middleware demo``: the two seed scenarios, end to end, offline, printed as a timeline."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EPILOG = """examples:
  lf-middleware demo                 # both scenarios
  lf-middleware demo --scenario travel
  lf-middleware demo --json          # the reports as JSON (what the tests assert on)
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="run the offline end-to-end scenarios (travel-agent exfiltration, unsafe code patch)",
        description="Runs a scripted LangGraph travel agent and coding agent through every installed layer "
        "and prints what each layer did. Needs no network and no API key.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--scenario", choices=("travel", "coding", "all"), default="all")
    p.add_argument("--json", action="store_true", help="print the scenario reports as JSON instead of a timeline")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..demo import run_coding_agent, run_travel_agent

    out = None if args.json else sys.stdout
    reports = []
    if args.scenario in ("travel", "all"):
        reports.append(run_travel_agent(out=out))
    if args.scenario in ("coding", "all"):
        reports.append(run_coding_agent(out=out))
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2))
    failed = [r.name for r in reports if not r.passed]
    if out is not None:
        print("\n" + ("demo: every expected outcome held" if not failed else f"demo: FAILED expectations in {failed}"))
    return 1 if failed else 0
