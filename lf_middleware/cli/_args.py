"""Argument types shared by the subcommands."""

from __future__ import annotations

import argparse
import math

__all__ = ("positive_seconds",)


def positive_seconds(text: str) -> float:
    """A finite number of seconds above zero (argparse reports anything else as a usage error)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value
