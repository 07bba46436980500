"""Rule models for the ``tool_policy`` scanner, validated with pydantic when the scanner is built.

The same shape is accepted inline (``scanner_options: {tool_policy: {...}}`` in the engine configuration, or
keyword arguments of :class:`~lf_middleware.scanners.tool_policy.ToolPolicyScanner`) and in a separate rules
file (``rules_file:``, YAML/TOML/JSON)::

    default: block                   # unknown tools: allow | human_in_the_loop_required (hitl) | block
    max_arg_chars: 20000             # every argument of every call, serialised
    rules:
      - name: travel-http
        tool: [http_request, fetch_url]      # glob(s), case-sensitive
        decision: block                      # or human_in_the_loop_required
        message: Only the travel booking APIs may be called.
        args:
          url: {url: {allow_domains: [api.travel.example, "*.booking.example"]}}
      - tool: "shell_*"
        action: deny                         # allow (default) | deny | check (constraints only)

A bad file fails at load time with :class:`~lf_middleware.errors.ConfigurationError` naming the field path.
See ``docs/tool_policy.md`` for every field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ._regex_check import nested_unbounded
from .config import _format_errors
from .errors import ConfigurationError
from .types import ScanDecision

__all__ = (
    "ArgRule",
    "BudgetRule",
    "PathRule",
    "RangeRule",
    "ToolPolicyConfig",
    "ToolRule",
    "UrlRule",
    "load_rules_file",
    "parse_rules",
)

_DECISION_ALIASES = {"hitl": "human_in_the_loop_required", "human": "human_in_the_loop_required", "deny": "block"}


def _decision(value: Any) -> Any:
    value = getattr(value, "value", value)
    if isinstance(value, str):
        v = value.strip().lower()
        return _DECISION_ALIASES.get(v, v)
    return value


def _not_allow(value: ScanDecision) -> ScanDecision:
    if value is ScanDecision.ALLOW:
        raise ValueError("a rule's decision must be 'block' or 'human_in_the_loop_required' (a rule that fires "
                         "never allows); use action: allow to permit a tool")
    return value


Decision = Annotated[ScanDecision, BeforeValidator(_decision)]
"""``allow``, ``human_in_the_loop_required`` (or ``hitl``) or ``block``, any case."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _str_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class UrlRule(_Model):
    """The argument is a URL (or a list of URLs); its host must pass the domain lists."""

    allow_domains: list[str] | None = None
    deny_domains: list[str] = Field(default_factory=list)
    schemes: list[str] = Field(default_factory=lambda: ["http", "https"])
    allow_ip_literals: bool = False
    allow_userinfo: bool = False
    allow_idn: bool = False
    ports: list[Annotated[int, Field(ge=0, le=65535)]] | None = None
    check_nested: bool = True

    _lists = field_validator("allow_domains", "deny_domains", "schemes", mode="before")(_str_list)

    @field_validator("allow_domains", "deny_domains")
    @classmethod
    def _entries(cls, value: list[str] | None) -> list[str] | None:
        for entry in value or ():
            e = entry.strip()
            if not e or e in ("*", "*.") or "/" in e or "@" in e or " " in e or "*" in e[2:] or (
                "*" in e and not e.startswith("*.")
            ):
                raise ValueError(
                    f"bad domain entry {entry!r}: write a host name ('api.example.com'), a subdomain wildcard "
                    "('*.example.com') or an IP address; no scheme, path, port or other wildcard"
                )
        return value

    @field_validator("schemes")
    @classmethod
    def _schemes(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("schemes must name at least one scheme, e.g. [https]")
        for s in value:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*", s):
                raise ValueError(f"bad scheme {s!r}: write it without ':' or '//', e.g. 'https'")
        return [s.lower() for s in value]


class PathRule(_Model):
    """The argument is a filesystem path (or a list of them); once resolved it must lie under a root."""

    roots: list[str] = Field(min_length=1)
    base: str | None = None

    _lists = field_validator("roots", mode="before")(_str_list)

    @field_validator("roots")
    @classmethod
    def _nonempty(cls, value: list[str]) -> list[str]:
        for r in value:
            if not r.strip() or "\x00" in r:
                raise ValueError(f"bad root {r!r}: give a directory path")
        return value


class RangeRule(_Model):
    """The argument is a number within [min, max] (either bound may be left out)."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> RangeRule:
        if self.min is None and self.max is None:
            raise ValueError("a range needs 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"range min ({self.min}) is greater than max ({self.max})")
        return self


def _compile(pattern: str, label: str) -> str:
    try:
        re.compile(pattern)
    except re.error as err:
        raise ValueError(f"{label} {pattern!r} is not a valid regular expression: {err}") from None
    if nested_unbounded(pattern):
        raise ValueError(f"{label} {pattern!r} nests unbounded quantifiers (like '(a+)+'), which can take "
                         "exponential time on a hostile argument; bound the inner or outer repeat (e.g. '{1,50}')")
    return pattern


class ArgRule(_Model):
    """Constraints on one named argument. A list value is checked item by item."""

    required: bool = False
    url: UrlRule | None = None
    path: PathRule | None = None
    regex: str | None = None
    deny_regex: str | None = None
    enum: list[str | int | float | bool | None] | None = None
    range: RangeRule | None = None
    max_chars: int | None = Field(default=None, ge=0)

    @field_validator("regex", "deny_regex")
    @classmethod
    def _regex(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _compile(v, info.field_name or "regex")

    @model_validator(mode="after")
    def _something(self) -> ArgRule:
        checks = ("url", "path", "regex", "deny_regex", "enum", "range", "max_chars")
        if not self.required and all(getattr(self, k) is None for k in checks):
            raise ValueError(f"an argument rule needs at least one of: required, {', '.join(checks)}")
        if self.enum is not None and not self.enum:
            raise ValueError("enum must list at least one allowed value")
        return self


class BudgetRule(_Model):
    """At most ``max_calls`` calls per session (counted from the trace), per tool name or for the whole rule."""

    max_calls: int = Field(ge=0)
    per: Literal["tool", "rule"] = "tool"


class ToolRule(_Model):
    """One rule: which tools it covers, whether they are allowed, and the constraints on their calls."""

    name: str | None = None
    tool: list[str] = Field(min_length=1)
    action: Literal["allow", "deny", "check"] = "allow"
    decision: Decision = ScanDecision.BLOCK
    message: str | None = None
    args: dict[str, ArgRule] = Field(default_factory=dict)
    max_arg_chars: int | None = Field(default=None, ge=0)
    budget: BudgetRule | None = None

    _lists = field_validator("tool", mode="before")(_str_list)

    @field_validator("tool")
    @classmethod
    def _globs(cls, value: list[str]) -> list[str]:
        for g in value:
            if not g.strip():
                raise ValueError("a tool pattern must be a non-empty name or glob, e.g. 'http_request' or 'fs_*'")
        return value

    @field_validator("decision")
    @classmethod
    def _decision_ok(cls, value: ScanDecision) -> ScanDecision:
        return _not_allow(value)

    @field_validator("args")
    @classmethod
    def _arg_names(cls, value: dict[str, ArgRule]) -> dict[str, ArgRule]:
        for k in value:
            if not k or k.startswith(".") or k.endswith(".") or ".." in k:
                raise ValueError(f"bad argument name {k!r}: use the parameter name, 'a.b' for a nested key, or '*'")
        return value


class ToolPolicyConfig(_Model):
    """The whole policy: unknown-tool default, global size cap, and the rules in order."""

    default: Decision | None = None
    default_message: str | None = None
    max_arg_chars: int | None = Field(default=None, ge=0)
    rules: list[ToolRule] = Field(default_factory=list)


def parse_rules(data: Any, *, source: str = "tool_policy options") -> ToolPolicyConfig:
    """Validate a mapping as a :class:`ToolPolicyConfig`; errors name the field path."""
    if isinstance(data, ToolPolicyConfig):
        return data
    if not isinstance(data, Mapping):
        raise ConfigurationError(
            f"invalid tool policy in {source}: expected a mapping with 'rules' (and optionally 'default', "
            f"'max_arg_chars'), got {type(data).__name__}"
        )
    try:
        return ToolPolicyConfig.model_validate(dict(data))
    except ValidationError as err:
        raise ConfigurationError(_format_errors(err, source).replace("invalid configuration", "invalid tool policy", 1)) from None


def load_rules_file(path: str | Path) -> ToolPolicyConfig:
    """Read a rules file (.yaml/.yml, .toml or .json) and validate it."""
    from .config import _read_structured

    p = Path(path)
    return parse_rules(_read_structured(p, what="tool policy rules file"), source=str(p))
