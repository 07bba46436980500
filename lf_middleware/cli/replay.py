"""``lf-middleware replay``: what the guard would have done to recorded agent sessions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

EPILOG = """input: one session per line, {"id": ..., "trace": [{"role", "content", "tool_calls"?}, ...]}
output: one line per session, in order, {"id", "steps": [{"index", "role", "tool"?, "decision", "reason",
"marks"}], "first_stop"}; a malformed line gives {"id"?, "error": ...} for that line only.

examples:
  lf-middleware replay --config guard.yaml sessions.jsonl
  cat sessions.jsonl | lf-middleware replay -
"""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "replay",
        help="replay recorded sessions through the full guard",
        description="Judge recorded agent sessions (JSON lines) step by step as the adapters would live.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE.jsonl", help="sessions, one per line ('-' for standard input)")
    p.add_argument("--config", metavar="FILE", help="engine configuration (YAML, TOML or JSON); its rule_of_two "
                                                     "section gives the tools' properties")
    p.set_defaults(func=run)


def build_guard(config: str | None) -> Any:
    from ..engine import LlamaFirewall
    from ..guard import Guard
    from ..types import Role
    from .scan import DEFAULT_SCANNERS

    if config:
        engine = LlamaFirewall(config=config)
    else:
        engine = LlamaFirewall(scanners={role: list(DEFAULT_SCANNERS) for role in Role})
    return Guard.build(engine, who="lf-middleware replay")


def replay_lines(guard: Any, stream: TextIO, out: TextIO) -> int:
    from ..replay import replay_session

    errors = 0
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        sid: Any = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError(f"expected an object with 'id' and 'trace', got {type(obj).__name__}")
            sid = obj.get("id")
            if "trace" not in obj:
                raise ValueError("the object has no 'trace' (a list of messages)")
            result: dict[str, Any] = {"id": sid, **replay_session(guard, obj["trace"])}
        except ValueError as err:  # includes JSON errors: this line only
            errors += 1
            result = {"id": sid, "error": f"line {line_no}: {err}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return errors


def run(args: argparse.Namespace) -> int:
    guard = build_guard(args.config)
    if args.file == "-":
        replay_lines(guard, sys.stdin, sys.stdout)
    else:
        try:
            f = open(args.file, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as err:
            from ..errors import ConfigurationError

            raise ConfigurationError(f"cannot read {args.file}: {err.strerror}") from None
        with f:
            replay_lines(guard, f, sys.stdout)
    return 0
