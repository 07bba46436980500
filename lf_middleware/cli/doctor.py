"""``lf-middleware doctor``: one screen on what will happen at run time."""

from __future__ import annotations

import argparse
from typing import Any

from ._args import positive_seconds

EPILOG = """examples:
  lf-middleware doctor                          # the CLI's default pipeline
  lf-middleware doctor --config guard.yaml      # exit status 1 if a configured scanner cannot work
  lf-middleware doctor --config guard.yaml --json
"""

_MARK = {"ok": "ok  ", "info": "    ", "warn": "WARN", "fail": "FAIL"}


def register(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check scanners, models, Semgrep, LLM backend, threads and audit log",
                       description="Report what will happen at run time; exits 1 when a configured scanner cannot work.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", metavar="FILE", help="engine configuration to check")
    p.add_argument("--lock", metavar="FILE", help="model lock file (default: lf-models.lock.json if present)")
    p.add_argument("--timeout", type=positive_seconds, default=2.0, help="seconds for network reachability probes")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..doctor import as_json, run_checks

    checks = run_checks(args.config, lock_file=args.lock, timeout=args.timeout)
    failed = any(c.status == "fail" for c in checks)
    if args.json:
        print(as_json(checks))
    else:
        section = None
        for c in checks:
            if c.section != section:
                section = c.section
                print(f"\n[{section}]")
            print(f"  {_MARK[c.status]}  {c.name}: {c.detail}")
        print("\n" + ("FAIL: at least one configured scanner cannot work" if failed else "OK: every configured scanner can run"))
    return 1 if failed else 0
