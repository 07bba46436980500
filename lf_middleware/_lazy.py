"""Optional-dependency helpers."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError


def require(module: str, extra: str, *, what: str) -> ModuleType:
    """Import ``module`` or raise MissingDependencyError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{what} needs the '{module.split('.')[0]}' package; install it with: pip install 'lf-middleware[{extra}]'"
        ) from err
