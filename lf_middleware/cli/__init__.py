"""The ``lf-middleware`` command line.

Each subcommand lives in its own module exposing ``register(subparsers)``, which adds a parser whose
``func(args) -> int`` runs it. Modules are listed in ``_COMMANDS`` and imported only when the CLI starts.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from ..errors import LfMiddlewareError

#: subcommand modules, in the order --help lists them
_COMMANDS: tuple[str, ...] = ("scan", "eval", "replay", "models", "doctor", "demo")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="lf-middleware",
        description="Guardrails for LangChain and LangGraph agents: scan text, evaluate scanners, run the demo.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except LfMiddlewareError as err:
        print(f"lf-middleware {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except Exception as err:  # a bug or an unforeseen failure: one line, no traceback (LF_MIDDLEWARE_DEBUG=1 shows it)
        if os.environ.get("LF_MIDDLEWARE_DEBUG"):
            raise
        print(f"lf-middleware {args.command}: internal error: {type(err).__name__}: {str(err)[:300]} "
              "(rerun with LF_MIDDLEWARE_DEBUG=1 for the traceback, and please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
