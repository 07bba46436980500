"""One check for user-supplied regular expressions, shared by the regex scanner and the tool policy."""

from __future__ import annotations

from typing import Any

__all__ = ("nested_unbounded",)


def nested_unbounded(pattern: str, flags: int = 0) -> bool:
    """True when an unbounded repeat contains another unbounded repeat, e.g. ``(a+)+`` or ``(\\w*\\s?)*``:
    the shape behind catastrophic backtracking."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]  # Python >= 3.11
        from re._constants import MAX_REPEAT, MAXREPEAT, MIN_REPEAT  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse  # type: ignore[no-redef]
        from sre_constants import MAX_REPEAT, MAXREPEAT, MIN_REPEAT  # type: ignore[no-redef]

    repeats = (MAX_REPEAT, MIN_REPEAT)

    def walk(items: Any, inside_unbounded: bool) -> bool:
        for op, av in items:
            if op in repeats:
                _lo, hi, sub = av
                unbounded = hi == MAXREPEAT
                if unbounded and inside_unbounded:
                    return True
                if walk(sub, inside_unbounded or unbounded):
                    return True
            elif isinstance(av, (list, tuple)):
                for part in av:
                    if isinstance(part, sre_parse.SubPattern) and walk(part, inside_unbounded):
                        return True
                    if isinstance(part, (list, tuple)):
                        for sub in part:
                            if isinstance(sub, sre_parse.SubPattern) and walk(sub, inside_unbounded):
                                return True
        return False

    return walk(sre_parse.parse(pattern, flags), False)
