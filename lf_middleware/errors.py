"""Exceptions.

    LfMiddlewareError
     ├── ConfigurationError      the developer asked for something invalid (bad config, unknown scanner, bad rule)
     ├── MissingDependencyError  an optional extra is not installed (ImportError too, so ``except ImportError`` works)
     ├── ModelLoadError          a model is missing, unverifiable (hash pin) or not in safetensors format
     ├── ScannerError            a scanner failed at run time (the engine turns it into status ERROR + on_error)
     └── GuardrailTriggered      raised by adapters that abort a run
          ├── GuardrailBlocked           the decision was BLOCK
          └── HumanApprovalRequired      the decision was HUMAN_IN_THE_LOOP_REQUIRED where no human can be asked
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import ScanResult

__all__ = (
    "ConfigurationError",
    "GuardrailBlocked",
    "GuardrailTriggered",
    "HumanApprovalRequired",
    "LfMiddlewareError",
    "MissingDependencyError",
    "ModelLoadError",
    "ScannerError",
)


class LfMiddlewareError(Exception):
    """Root of every exception this package raises on purpose."""


class ConfigurationError(LfMiddlewareError, ValueError):
    """A configuration, scanner name, rule or argument is invalid. The message names it and the fix."""


class MissingDependencyError(LfMiddlewareError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


class ModelLoadError(LfMiddlewareError):
    """A model could not be loaded or verified."""


class ScannerError(LfMiddlewareError):
    """A scanner failed while scanning."""


class GuardrailTriggered(LfMiddlewareError):
    """Base for exceptions that stop a run because of a scan result."""

    def __init__(self, result: ScanResult, message: str | None = None) -> None:
        self.result = result
        super().__init__(message or f"{result.decision.value}: {result.reason}")


class GuardrailBlocked(GuardrailTriggered):
    """The scan decided BLOCK."""


class HumanApprovalRequired(GuardrailTriggered):
    """The scan decided HUMAN_IN_THE_LOOP_REQUIRED and this integration cannot ask a person."""
