"""Configuration files (YAML, TOML or JSON), validated with pydantic.

    preset: balanced                  # strict | balanced | permissive
    scanners:                         # per role: names, or objects with options and per-role thresholds
      user: [prompt_guard, regex, hidden_ascii]
      tool:
        - name: prompt_guard
          hitl_threshold: 0.8
          block_threshold: null       # null disables that level
          on_error: human_in_the_loop_required
        - regex
    scanner_options:                  # constructor options per scanner name, for every role
      regex: {packs: [injection, secrets, pii]}
    audit_log: {path: audit.jsonl, include_content: false}
    rule_of_two: {...}                # read by lf_middleware.rule_of_two
    extensions: {...}                 # free-form sections for integrations

A bad file fails at load time with the field path and what was expected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ._text import mask_secrets
from .errors import ConfigurationError
from .types import Role, ScanDecision

__all__ = ("AuditLogConfig", "EngineConfig", "ScannerSpec", "load_config", "parse_config")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScannerSpec(_Model):
    """One scanner in a role's pipeline."""

    name: str = Field(min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)
    hitl_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    block_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    on_error: ScanDecision | None = None

    @field_validator("name")
    @classmethod
    def _known(cls, v: str) -> str:
        from .scanners.base import _canonical

        return _canonical(v)

    @model_validator(mode="after")
    def _order(self) -> ScannerSpec:
        if (
            self.hitl_threshold is not None
            and self.block_threshold is not None
            and self.hitl_threshold > self.block_threshold
        ):
            raise ValueError(
                f"hitl_threshold ({self.hitl_threshold}) must not exceed block_threshold ({self.block_threshold})"
            )
        return self

    def threshold_overrides(self) -> dict[str, Any]:
        """Only the thresholds the file set (an explicit null disables a level; absence keeps the default)."""
        return {k: getattr(self, k) for k in ("hitl_threshold", "block_threshold", "on_error") if k in self.model_fields_set}


class AuditLogConfig(_Model):
    path: Path
    include_content: bool = False


class EngineConfig(_Model):
    preset: Literal["strict", "balanced", "permissive"] = "balanced"
    scanners: dict[Role, list[ScannerSpec]] = Field(default_factory=dict)
    scanner_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    audit_log: AuditLogConfig | None = None
    #: seconds one scanner may take on one message before its result is status ERROR (its on_error decides)
    scanner_timeout_s: float | None = Field(default=60.0, gt=0)
    rule_of_two: dict[str, Any] = Field(default_factory=dict)
    extensions: dict[str, Any] = Field(default_factory=dict)

    @field_validator("scanners", mode="before")
    @classmethod
    def _specs(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[Any, Any] = {}
        for role, items in value.items():
            if isinstance(items, (str, Mapping)):
                items = [items]
            if isinstance(items, list):
                items = [{"name": i} if isinstance(i, str) else getattr(i, "value", i) for i in items]
                items = [{"name": i} if isinstance(i, str) else i for i in items]
            out[role.lower() if isinstance(role, str) else role] = items
        return out

    @field_validator("scanner_options", mode="before")
    @classmethod
    def _canonical_names(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            from .scanners.base import _canonical

            return {_canonical(k): v for k, v in value.items()}
        return value


def _format_errors(err: ValidationError, source: str) -> str:
    """One line per error: the field path, what was expected, and the offending value (shortened)."""
    lines = [f"invalid configuration in {source}:"]
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        if e["type"] == "extra_forbidden":  # the key is the mistake; its value may be a secret: not shown
            lines.append(f"  {loc}: {e['msg']}")
            continue
        shown = mask_secrets(repr(e.get("input")))
        if len(shown) > 60:
            shown = shown[:57] + "..."
        lines.append(f"  {loc}: {e['msg']} (got {shown})")
    return "\n".join(lines)


def parse_config(data: Any, *, source: str = "<dict>") -> EngineConfig:
    """Validate a mapping as an :class:`EngineConfig`; errors name the field path and what was expected."""
    if isinstance(data, EngineConfig):
        return data
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"invalid configuration in {source}: expected a mapping at the top level, got {type(data).__name__}")
    try:
        return EngineConfig.model_validate(dict(data))
    except ValidationError as err:
        raise ConfigurationError(_format_errors(err, source)) from None


def load_config(path: str | Path) -> EngineConfig:
    """Read a YAML (.yaml/.yml), TOML (.toml) or JSON (.json) configuration file."""
    p = Path(path)
    return parse_config(_read_structured(p, what="configuration file"), source=str(p))


def _read_structured(p: Path, *, what: str) -> Any:
    """Parse a YAML/TOML/JSON file by its suffix (empty file: {}); every failure is a ConfigurationError."""
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigurationError(f"{what} not found: {p}") from None
    except OSError as err:
        raise ConfigurationError(f"cannot read {what} {p}: {err.strerror}") from None
    suffix = p.suffix.lower()
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Windows editors write one) is not an error
    except UnicodeDecodeError as err:
        raise ConfigurationError(f"{what} {p} is not UTF-8 text (byte {err.start})") from None
    try:
        if suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        elif suffix == ".toml":
            try:
                import tomllib
            except ModuleNotFoundError:  # Python 3.10
                import tomli as tomllib  # type: ignore[no-redef]
            data = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            raise ConfigurationError(f"{what} {p}: unknown format {suffix!r}; use .yaml, .toml or .json")
    except ConfigurationError:
        raise
    except Exception as err:  # parser errors from yaml/tomllib/json
        raise ConfigurationError(f"{what} {p} could not be parsed: {err}") from None
    return {} if data is None else data
