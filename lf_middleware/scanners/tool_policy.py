"""Layer 0: deterministic tool-call policies, checked before any model-based scanner.

``ToolPolicyScanner`` judges the tool calls an assistant message proposes against declarative rules (see
:mod:`lf_middleware.tool_policy_rules` and ``docs/tool_policy.md``): per tool name (globs), allow or deny;
URL arguments against domain allow/deny lists; path arguments confined to roots; regex / enum / range / size
constraints; per-session call budgets. Every decision is asserted by a named rule and explained in the reason;
the score is only a summary (1.0 BLOCK, 0.5 HITL, 0.0 ALLOW) and no threshold applies to it.

Session budgets are counted from ``past_trace``: the earlier assistant tool calls of the session. The scanner
keeps no state, so the same trace always gives the same decision and a checkpointed graph resumes correctly.

Adapters that intercept a single call use :meth:`ToolPolicyScanner.check_call` (sync, no event loop).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from .._text import excerpt, mask_secrets
from ..errors import ConfigurationError
from ..tool_policy_rules import ArgRule, PathRule, ToolPolicyConfig, ToolRule, load_rules_file, parse_rules
from ..types import Message, Role, ScanDecision, ScanResult, ScanStatus, Trace, severity
from ._url_policy import UrlCheck
from .base import Scanner

__all__ = ("ToolPolicyScanner",)

logger = logging.getLogger(__name__)

_SCORES = {ScanDecision.ALLOW: 0.0, ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED: 0.5, ScanDecision.BLOCK: 1.0}
_MAX_REASONS = 4
#: where a string holds a URL, anywhere in it (a command line such as ``curl https://...``): a scheme followed
#: by two slashes or backslashes, a special scheme followed by anything (browsers read ``https:evil.example``
#: as ``https://evil.example``), a leading ``//``, or a leading ``www.``; tabs and newlines are dropped first
_URL_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9+.\-])(?:[A-Za-z][A-Za-z0-9+.\-]*:[/\\]{2}|(?:https?|wss?|ftp):)[^\s\"'<>`]*"
    r"|^\s*[/\\]{2}[^\s\"'<>`]*|^\s*www\.[^\s\"'<>`]*",
    re.IGNORECASE,
)
_TAB_NEWLINE = str.maketrans("", "", "\t\r\n")

Check = Callable[[Any], "str | None"]


@dataclass(frozen=True, slots=True)
class _Finding:
    rule: str
    decision: ScanDecision
    arg: str | None
    detail: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "decision": self.decision.value, "arg": self.arg, "detail": self.detail,
                "message": self.message}


@dataclass(frozen=True, slots=True)
class _ArgCheck:
    name: str
    path: tuple[str, ...]
    required: bool
    checks: tuple[tuple[str, Check], ...]


@dataclass(frozen=True, slots=True)
class _Rule:
    index: int
    label: str
    pattern: re.Pattern[str]
    deny: bool
    covers: bool
    decision: ScanDecision
    message: str | None
    args: tuple[_ArgCheck, ...]
    max_arg_chars: int | None
    budget: int | None
    budget_per_tool: bool

    def finding(self, arg: str | None, detail: str, tool: str) -> _Finding:
        detail = mask_secrets(detail)
        msg = self.message or (
            f"The tool '{tool}' is not allowed by policy." if self.deny
            else f"This call to '{tool}' breaks the tool policy ({detail}); change the call or ask the user."
        )
        return _Finding(self.label, self.decision, arg, detail, msg)


@dataclass(frozen=True, slots=True)
class _Verdict:
    index: int
    name: str
    call_id: str
    decision: ScanDecision
    findings: tuple[_Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "name": self.name, "id": self.call_id, "decision": self.decision.value,
                "violations": [f.to_dict() for f in self.findings]}


# ---- argument helpers ----------------------------------------------------------------------------------------
_UNMEASURABLE = 2**62  # a value that cannot be serialised counts as bigger than any limit


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    try:
        if value is None or isinstance(value, (bool, int, float)):
            return len(str(value))
        return len(json.dumps(value, default=str, ensure_ascii=False))
    except (ValueError, TypeError, RecursionError):  # ValueError: int beyond the str-conversion limit
        return _UNMEASURABLE


def _num(value: Any) -> str:
    """A short printable form of a number (huge ints cannot even be converted to text)."""
    try:
        text = repr(value)
    except ValueError:
        return "(a number too large to print)"
    return text if len(text) <= 40 else text[:20] + "…"


def _tool_label(tool: str) -> str:
    """The tool name as shown in reasons and messages: short and printable."""
    return tool if len(tool) <= 100 and tool.isprintable() else excerpt(tool, limit=60)[1:-1]


def _lookup(args: Mapping[str, Any], name: str, path: tuple[str, ...]) -> list[Any]:
    """Every value a rule on ``name`` governs: the literal key (``"request.url"``) and, for a dotted name,
    the nested one (``request`` -> ``url``); a tool may read either, so both are checked."""
    found = [args[name]] if name in args else []
    if len(path) > 1:
        node: Any = args
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                return found
            node = node[key]
        found.append(node)
    return found


_MAX_DEPTH = 32
_TOO_DEEP = object()


def _leaves(value: Any, depth: int = 0) -> Iterator[Any]:
    """Every string in a JSON-like value, dictionary keys included (a tool may read a key as data);
    ``_TOO_DEEP`` where nesting goes past what is checked."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (Mapping, list, tuple)):
        if depth >= _MAX_DEPTH:
            yield _TOO_DEEP
            return
        if isinstance(value, Mapping):
            for k, v in value.items():
                if isinstance(k, str):
                    yield k
                yield from _leaves(v, depth + 1)
        else:
            for v in value:
                yield from _leaves(v, depth + 1)


def _each(check: Check) -> Check:
    """Apply ``check`` to a value, or to each item of a list value."""

    def run(value: Any) -> str | None:
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                problem = check(item)
                if problem:
                    return f"item {i}: {problem}"
            return None
        return check(value)

    return run


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an int beyond the str-conversion limit
            return None
    return None


def _pattern_check(pattern: str, *, deny: bool) -> Check:
    """``regex`` (the text must match in full) or ``deny_regex`` (no match anywhere; non-strings as JSON)."""
    rx = re.compile(pattern)

    def check(value: Any) -> str | None:
        text = _text_of(value)
        if text is None:
            if not deny:
                return f"expected a string, got {type(value).__name__}"
            try:
                text = json.dumps(value, default=str, ensure_ascii=False)
            except (ValueError, TypeError, RecursionError):
                return "value cannot be serialised to check it against deny_regex"
        if not deny:
            return None if rx.fullmatch(text) else f"value {excerpt(text)} does not match the pattern {pattern!r}"
        m = rx.search(text)
        if m is None:
            return None
        return f"value matches the denied pattern {pattern!r} at {excerpt(text, m.start(), m.end())}"

    return check


def _enum_key(value: Any) -> tuple[str, Any] | None:
    if value is None:
        return ("none", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("num", value)  # 1 == 1.0 and they hash alike, so both forms match
    if isinstance(value, str):
        return ("str", value)
    return None


def _enum_check(allowed: Sequence[Any]) -> Check:
    keys = frozenset(_enum_key(v) for v in allowed)
    shown = ", ".join(repr(v) for v in allowed[:8]) + (", ..." if len(allowed) > 8 else "")

    def check(value: Any) -> str | None:
        if _enum_key(value) not in keys:
            got = excerpt(value) if isinstance(value, str) else type(value).__name__ if _enum_key(value) is None \
                else _num(value)
            return f"value {got} is not one of: {shown}"
        return None

    return check


def _range_check(lo: float | None, hi: float | None) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {type(value).__name__}"
        if isinstance(value, float) and math.isnan(value):
            return "value is NaN"
        if lo is not None and value < lo:
            return f"value {_num(value)} is below the minimum {lo:g}"
        if hi is not None and value > hi:
            return f"value {_num(value)} is above the maximum {hi:g}"
        return None

    return check


def _too_big(n: int, limit: int) -> str | None:
    if n <= limit:
        return None
    size = "cannot be measured" if n == _UNMEASURABLE else f"is {n} characters"
    return f"argument {size}; the limit is {limit}"


def _max_chars_check(limit: int) -> Check:
    def check(value: Any) -> str | None:
        n = _size(value)
        return _too_big(n, limit)

    return check


#: what a tool or a shell may expand or decode into another path: leading or trailing whitespace, a
#: percent-escape, a backslash, a drive letter, a variable or command substitution ($HOME, ${X}, $(id),
#: backticks), a '~' at the start of a segment, or a URL scheme other than file:
_EXPANDS = re.compile(r"^\s|\s$|%[0-9A-Fa-f]{2}|\\|^[A-Za-z]:|\$|`|(?:^|/)~|^[A-Za-z][A-Za-z0-9+.\-]*:")


class _PathCheck:
    """Resolve a path argument (``..``, symlinks) with ``os.path.realpath`` and require it under a root."""

    __slots__ = ("roots", "prefixes", "base")

    def __init__(self, rule: PathRule, base_dir: Path) -> None:
        self.roots = tuple(os.path.realpath(base_dir / os.path.expanduser(r)) for r in rule.roots)
        self.prefixes = tuple(r if r.endswith(os.sep) else r + os.sep for r in self.roots)
        self.base = os.path.realpath(base_dir / rule.base) if rule.base else self.roots[0]

    def __call__(self, value: Any) -> str | None:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str):
            return f"expected a path string, got {type(value).__name__}"
        if not value.strip():
            return "path is empty"
        if "\x00" in value:
            return "path contains a NUL byte"
        path = value
        if path[:5].lower() == "file:":  # a file URL: decoded as a URL, then judged as the path it names
            parts = urlsplit(path.translate(_TAB_NEWLINE))
            if parts.netloc not in ("", "localhost"):
                return f"file URL {excerpt(path)} names a remote host"
            path = unquote(parts.path)
        expands = _EXPANDS.search(path)
        if expands is not None:
            return (f"path {excerpt(value)} holds {excerpt(expands.group(0), limit=8)}, which a tool or shell may "
                    "expand or decode into another path; give a plain path under the allowed roots")
        try:
            resolved = os.path.realpath(os.path.join(self.base, path))
        except (OSError, ValueError) as err:  # UnicodeEncodeError for lone surrogates is a ValueError
            return f"path {excerpt(value)} cannot be resolved ({type(err).__name__})"
        if resolved in self.roots or resolved.startswith(self.prefixes):
            return None
        return f"path {excerpt(value)} resolves to {excerpt(resolved, limit=60)}, outside the allowed roots"


def _url_check(rule: Any) -> UrlCheck:
    return UrlCheck(
        allow_domains=rule.allow_domains, deny_domains=rule.deny_domains, schemes=rule.schemes,
        allow_ip_literals=rule.allow_ip_literals, allow_userinfo=rule.allow_userinfo, allow_idn=rule.allow_idn,
        ports=rule.ports, check_nested=rule.check_nested,
    )


def _compile_arg(name: str, spec: ArgRule, base_dir: Path) -> _ArgCheck:
    checks: list[tuple[str, Check]] = []
    if spec.max_chars is not None:
        checks.append(("max_chars", _max_chars_check(spec.max_chars)))
    if spec.url is not None:
        checks.append(("url", _each(_url_check(spec.url).check)))
    if spec.path is not None:
        checks.append(("path", _each(_PathCheck(spec.path, base_dir))))
    if spec.enum is not None:
        checks.append(("enum", _each(_enum_check(spec.enum))))
    if spec.range is not None:
        checks.append(("range", _each(_range_check(spec.range.min, spec.range.max))))
    if spec.regex is not None:
        checks.append(("regex", _each(_pattern_check(spec.regex, deny=False))))
    if spec.deny_regex is not None:
        checks.append(("deny_regex", _pattern_check(spec.deny_regex, deny=True)))
    return _ArgCheck(name, tuple(name.split(".")), spec.required, tuple(checks))


def _glob_pattern(globs: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{fnmatch.translate(g.strip())})" for g in globs))


# ---- tool schemas ----------------------------------------------------------------------------------------------
def _schema_params(tool: str, schema: Any) -> frozenset[str]:
    """Parameter names from a JSON schema, an OpenAI/Anthropic function spec, a list of names, or tool.args."""
    if hasattr(schema, "args") and isinstance(schema.args, Mapping):  # a LangChain BaseTool
        return frozenset(schema.args)
    if isinstance(schema, Mapping):
        if isinstance(schema.get("function"), Mapping):
            schema = schema["function"]
        for key in ("parameters", "input_schema"):
            if isinstance(schema.get(key), Mapping):
                schema = schema[key]
                break
        props = schema.get("properties")
        if isinstance(props, Mapping):
            return frozenset(props)
        if schema.get("type") == "object":
            return frozenset()
        return frozenset(k for k in schema if isinstance(k, str))
    if isinstance(schema, Sequence) and not isinstance(schema, (str, bytes)) and all(
            isinstance(k, str) for k in schema):
        return frozenset(schema)
    raise ConfigurationError(
        f"tool_schemas[{tool!r}]: expected a JSON schema (with 'properties'), a function spec, or a list of "
        f"parameter names, got {type(schema).__name__}"
    )


def _call_name(call: Any) -> str | None:
    if not isinstance(call, Mapping):
        return None
    name = call.get("name")
    if name is None and isinstance(call.get("function"), Mapping):
        name = call["function"].get("name")
    return name if isinstance(name, str) else None


def _merge(inline: ToolPolicyConfig, from_file: ToolPolicyConfig, source: str) -> ToolPolicyConfig:
    update: dict[str, Any] = {"rules": [*from_file.rules, *inline.rules]}
    for key in ("default", "default_message", "max_arg_chars"):
        a, b = getattr(inline, key), getattr(from_file, key)
        if a is not None and b is not None and a != b:
            raise ConfigurationError(
                f"tool policy: '{key}' is set both inline ({getattr(a, 'value', a)!r}) and in {source} "
                f"({getattr(b, 'value', b)!r}); set it in one place"
            )
        update[key] = a if a is not None else b
    return ToolPolicyConfig.model_construct(**update)


class ToolPolicyScanner(Scanner):
    """Deterministic allow/deny and argument rules for tool calls (Layer 0).

    Args:
        rules: rule mappings (or :class:`~lf_middleware.tool_policy_rules.ToolRule`), in order.
        default: decision for a tool no rule names: ``allow``, ``human_in_the_loop_required`` (``hitl``) or
            ``block``. Unset: HITL when any rule exists; with no rules at all the scanner reports SKIPPED.
        default_message: what the model reads when the default fires.
        max_arg_chars: size cap for every argument of every call (serialised characters).
        rules_file: a YAML/TOML/JSON file with the same keys; its rules come before the inline ones.
        tool_schemas: ``{tool name: JSON schema | function spec | [parameter names]}``; a rule naming a
            parameter its tool lacks is a :class:`ConfigurationError`.
        base_dir: directory that relative path roots are resolved against (default: the rules file's
            directory for rules from a file, the current directory otherwise).

    Raises:
        ConfigurationError: a rule is invalid; the message names the field path.
    """

    name: ClassVar[str] = "tool_policy"
    default_hitl_threshold: ClassVar[float | None] = None
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False
    #: its time is linear in the input (no model, no I/O): the engine runs it inline, outside the timeout
    linear_time: ClassVar[bool] = True

    def __init__(
        self,
        *,
        rules: Sequence[Mapping[str, Any] | ToolRule] | None = None,
        default: ScanDecision | str | None = None,
        default_message: str | None = None,
        max_arg_chars: int | None = None,
        rules_file: str | Path | None = None,
        tool_schemas: Mapping[str, Any] | None = None,
        base_dir: str | Path | None = None,
    ) -> None:
        inline: dict[str, Any] = {"rules": list(rules or [])}
        for key, value in (("default", default), ("default_message", default_message),
                           ("max_arg_chars", max_arg_chars)):
            if value is not None:
                inline[key] = value
        config = parse_rules(inline)
        cwd = Path(base_dir) if base_dir is not None else Path.cwd()
        file_rule_count = 0
        file_dir = cwd
        if rules_file is not None:
            path = Path(rules_file)
            if not path.is_absolute():
                path = cwd / path
            from_file = load_rules_file(path)
            file_rule_count = len(from_file.rules)
            file_dir = Path(base_dir) if base_dir is not None else path.parent
            config = _merge(config, from_file, str(path))
        self.config = config
        self._rules = tuple(
            self._compile_rule(i, r, file_dir if i < file_rule_count else cwd) for i, r in enumerate(config.rules)
        )
        self._default = config.default if config.default is not None else (
            ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED if self._rules else None
        )
        self._default_message = config.default_message or (
            "The tool '{tool}' is not covered by the tool policy; ask the user before using it."
            if self._default is not ScanDecision.BLOCK else "The tool '{tool}' is not allowed by the tool policy."
        )
        self._max_arg_chars = config.max_arg_chars
        self._has_budgets = any(r.budget is not None for r in self._rules)
        self._by_tool: dict[str, tuple[_Rule, ...]] = {}
        self._schemas = {str(k): _schema_params(str(k), v) for k, v in (tool_schemas or {}).items()}
        self._validate_against_schemas()
        logger.debug("tool policy: %d rules (%d from a rules file), unknown tools: %s, %d tool schemas",
                     len(self._rules), file_rule_count, self._default.value if self._default else "skipped",
                     len(self._schemas))

    # ---- construction -------------------------------------------------------------------------------------------
    @staticmethod
    def _compile_rule(index: int, rule: ToolRule, base_dir: Path) -> _Rule:
        label = f"rules[{index}]" + (f" '{rule.name}'" if rule.name else "")
        try:
            args = tuple(_compile_arg(name, spec, base_dir) for name, spec in rule.args.items())
        except ConfigurationError:
            raise
        except ValueError as err:  # UrlError from a domain entry, or a root that cannot be a filesystem path
            raise ConfigurationError(f"tool policy {label}: bad domain list entry or path root: {err}") from None
        for a in args:
            if a.name == "*" and a.required:
                raise ConfigurationError(f"tool policy {label}: argument '*' cannot be 'required'")
        return _Rule(
            index=index, label=label, pattern=_glob_pattern(rule.tool), deny=rule.action == "deny",
            covers=rule.action != "check",
            decision=rule.decision, message=rule.message, args=args, max_arg_chars=rule.max_arg_chars,
            budget=rule.budget.max_calls if rule.budget else None,
            budget_per_tool=rule.budget.per == "tool" if rule.budget else True,
        )

    def _validate_against_schemas(self) -> None:
        if not self._schemas:
            return
        for rule in self._rules:
            known = {t: p for t, p in self._schemas.items() if rule.pattern.fullmatch(t)}
            if not known:
                continue
            for arg in rule.args:
                if arg.name == "*":
                    continue
                top = arg.name if any(arg.name in p for p in known.values()) else arg.path[0]
                if all(top not in params for params in known.values()):
                    tool, params = next(iter(known.items()))
                    raise ConfigurationError(
                        f"tool policy {rule.label}: argument {arg.name!r} is not a parameter of tool {tool!r} "
                        f"(its schema has: {', '.join(sorted(params)) or 'no parameters'}); fix the rule's 'args' "
                        "or the tool schema"
                    )

    # ---- evaluation -----------------------------------------------------------------------------------------------
    def _rules_for(self, tool: str) -> tuple[_Rule, ...]:
        found = self._by_tool.get(tool)
        if found is None:
            found = tuple(r for r in self._rules if r.pattern.fullmatch(tool))
            if len(tool) <= 256:  # names are a small set; a model inventing huge ones must not fill memory
                if len(self._by_tool) >= 4096:
                    self._by_tool.clear()
                self._by_tool[tool] = found
        return found

    def _evaluate(
        self,
        index: int,
        tool: str,
        args: Any,
        call_id: str,
        counts: Callable[[], Counter[str]],
    ) -> _Verdict:
        rules = self._rules_for(tool)
        label = _tool_label(tool)
        findings: list[_Finding] = []
        if not isinstance(args, Mapping):
            args = {"__raw__": args}
        if self._max_arg_chars is not None:
            for key, value in args.items():
                problem = _too_big(_size(value), self._max_arg_chars)
                if problem:
                    findings.append(_Finding("max_arg_chars", ScanDecision.BLOCK, _tool_label(str(key)),
                                             f"{_tool_label(str(key))}: {problem}",
                                             f"An argument of '{label}' is too large; shorten it."))
        if self._default not in (None, ScanDecision.ALLOW) and not any(r.covers for r in rules):
            findings.append(_Finding("default", self._default, None, f"no rule covers the tool '{label}'",
                                     self._default_message.replace("{tool}", label)))
        if not rules:
            return _Verdict(index, label, call_id, _worst(findings), tuple(findings))
        raw = "__raw__" in args and len(args) == 1
        for rule in rules:
            if rule.deny:
                findings.append(rule.finding(None, f"the tool '{label}' is denied", label))
                continue
            if raw and rule.args:
                findings.append(rule.finding(None, "arguments are not a JSON object, so they cannot be checked",
                                             label))
                continue
            if rule.max_arg_chars is not None:
                for key, value in args.items():
                    problem = _too_big(_size(value), rule.max_arg_chars)
                    if problem:
                        key_label = _tool_label(str(key))
                        findings.append(rule.finding(key_label, f"{key_label}: {problem}", label))
            for spec in rule.args:
                findings.extend(self._check_arg(rule, spec, args, label))
            if rule.budget is not None:
                c = counts()
                used = c[tool] if rule.budget_per_tool else sum(
                    n for t, n in c.items() if rule.pattern.fullmatch(t))
                if used >= rule.budget:
                    scope = f"the tool '{label}'" if rule.budget_per_tool else "the tools this rule covers"
                    findings.append(rule.finding(None, f"session budget exhausted: {used} earlier calls to {scope}"
                                                 f" (limit {rule.budget})", label))
        return _Verdict(index, label, call_id, _worst(findings), tuple(findings))

    @staticmethod
    def _check_arg(rule: _Rule, spec: _ArgCheck, args: Mapping[str, Any], tool: str) -> list[_Finding]:
        out: list[_Finding] = []
        if spec.name == "*":
            for kind, check in spec.checks:
                for leaf in _leaves(args):
                    if leaf is _TOO_DEEP:
                        out.append(rule.finding("*", f"arguments are nested more than {_MAX_DEPTH} levels deep, "
                                                "too deep to check", tool))
                        return out
                    if kind == "url":
                        flat = leaf.translate(_TAB_NEWLINE)
                        problem = next(filter(None, map(check, (m.group(0) for m in _URL_IN_TEXT.finditer(flat)))),
                                       None)
                    else:
                        problem = check(leaf)
                    if problem:
                        out.append(rule.finding("*", f"{kind}: {problem}", tool))
                        break
            return out
        values = _lookup(args, spec.name, spec.path)
        if not values:
            if spec.required:
                out.append(rule.finding(spec.name, f"required argument {spec.name!r} is missing", tool))
            return out
        for value in values:
            for _kind, check in spec.checks:
                problem = check(value)
                if problem:
                    out.append(rule.finding(spec.name, f"{spec.name}: {problem}", tool))
        return out

    @staticmethod
    def _counter(past_trace: Trace | None, skip_ids: frozenset[str], current: Any) -> Counter[str]:
        """Tool calls per name in the session so far (assistant messages of ``past_trace``)."""
        names: list[str] = []
        assistant = Role.ASSISTANT
        for msg in past_trace or ():
            calls = getattr(msg, "tool_calls", None)
            if not calls or msg is current:
                continue
            role = getattr(msg, "role", None)
            if role is not assistant and getattr(role, "value", role) != "assistant":
                continue
            for call in calls:
                name = call.get("name") if type(call) is dict else None
                if not isinstance(name, str):
                    name = _call_name(call)
                    if name is None:
                        continue
                if skip_ids and isinstance(call, Mapping) and call.get("id") in skip_ids:
                    continue
                names.append(name)
        return Counter(names)

    # ---- public API ---------------------------------------------------------------------------------------------------
    def check_call(
        self,
        name: str,
        args: Mapping[str, Any] | str | None = None,
        past_trace: Trace | None = None,
        *,
        call_id: str | None = None,
    ) -> ScanResult:
        """Judge one tool call (sync, no event loop): for adapters that intercept calls before they run.

        ``args`` may be a mapping or a JSON object string. ``past_trace`` is the session so far (for budgets);
        a call in it with the same ``call_id`` is not counted against itself.
        """
        t0 = time.perf_counter()
        if not isinstance(name, str) or not name:
            raise TypeError(f"check_call needs a non-empty tool name string, got {name!r}")
        if isinstance(args, str):
            try:
                args = json.loads(args) if args.strip() else {}
            except ValueError:
                args = {"__raw__": args}
        elif args is None:
            args = {}
        skip = frozenset({call_id}) if call_id else frozenset()
        cache: list[Counter[str]] = []

        def counts() -> Counter[str]:
            if not cache:
                cache.append(self._counter(past_trace, skip, None))
            return cache[0]

        verdict = self._evaluate(0, name, args, (call_id or "")[:200], counts)
        result = self._result([verdict])
        return ScanResult(decision=result.decision, reason=result.reason, score=result.score, status=result.status,
                          scanner=self.name, latency_ms=(time.perf_counter() - t0) * 1000.0, details=result.details)

    def scan_sync(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        calls = getattr(message, "tool_calls", None)
        if not calls:
            return self.result(reason="no tool calls to check")
        skip = frozenset(str(c.get("id")) for c in calls if isinstance(c, Mapping) and c.get("id"))
        cache: list[Counter[str]] = []

        def counts() -> Counter[str]:
            if not cache:
                cache.append(self._counter(past_trace, skip, message))
            return cache[0]

        verdicts = []
        for i, call in enumerate(calls):
            name = _call_name(call)
            if not name:
                verdicts.append(_Verdict(i, "", "", ScanDecision.BLOCK, (_Finding(
                    "malformed", ScanDecision.BLOCK, None, "the tool call has no name",
                    "A tool call without a tool name cannot be run."),)))
                continue
            verdicts.append(self._evaluate(i, name, call.get("args", {}), str(call.get("id") or "")[:200], counts))
            if self._has_budgets:
                counts()[name] += 1  # later calls in the same message count against the budget too
        return self._result(verdicts)

    # ---- results ---------------------------------------------------------------------------------------------------
    def _result(self, verdicts: list[_Verdict]) -> ScanResult:
        if not self._rules and self._default is None and not any(v.findings for v in verdicts):
            return self.result(status=ScanStatus.SKIPPED,
                               reason="no tool policy rules are configured; tool calls were not checked")
        decision = _worst([f for v in verdicts for f in v.findings])
        if decision is ScanDecision.ALLOW:
            return self.result(reason=f"{len(verdicts)} tool call(s) allowed by the tool policy",
                               calls=[{"index": v.index, "name": v.name, "id": v.call_id} for v in verdicts])
        parts = []
        for v in verdicts:
            for f in v.findings:
                parts.append(f"call {v.index} '{v.name}': {f.rule}: {f.detail}")
        shown = parts[:_MAX_REASONS]
        if len(parts) > _MAX_REASONS:
            shown.append(f"(+{len(parts) - _MAX_REASONS} more)")
        messages = list(dict.fromkeys(f.message for v in verdicts for f in v.findings if f.decision is decision))
        return self.result(
            score=_SCORES[decision],
            decision=decision,
            reason="; ".join(shown),
            message=" ".join(messages),
            calls=[v.to_dict() for v in verdicts],
        )


def _worst(findings: Sequence[_Finding]) -> ScanDecision:
    decision = ScanDecision.ALLOW
    for f in findings:
        if severity(f.decision) > severity(decision):
            decision = f.decision
    return decision
