"""Optional-dependency helpers."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .errors import MissingDependencyError


def require(module: str, extra: str, *, what: str) -> ModuleType:
    """Import ``module`` or raise MissingDependencyError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{what} needs the '{module.split('.')[0]}' package; install it with: pip install 'lf-middleware[{extra}]'"
        ) from err


def lazy_exports(
    package: str,
    table: dict[str, str],
    namespace: dict[str, Any],
    *,
    before: Callable[[], object] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module-level ``__getattr__`` and ``__dir__`` for a package whose public names are imported on first use.

    ``table`` maps a public name to the submodule (relative to ``package``) that defines it; the value is cached
    in ``namespace`` (the package's globals). ``before`` runs before the first import (e.g. a dependency check).
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        if before is not None:
            before()
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(namespace.get("__all__", table))

    return __getattr__, __dir__
