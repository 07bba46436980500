"""The rule catalogue: rule metadata from the YAML files, loaded and compiled once per process, and the
regex-rule engine (comments blanked, bounded input)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import ConfigurationError
from .rules import REGEX_RULES, SEMGREP_DIR

__all__ = ("Catalogue", "RegexRule", "RuleInfo", "SEVERITIES", "blank_comments", "catalogue", "rule_language")

#: severities, mildest first
SEVERITIES = ("info", "warning", "error")

# which rule files cover which language (TypeScript shares JavaScript's rules, C++ shares C's)
_RULE_LANGUAGE = {"typescript": "javascript"}
_SEMGREP_FILE = {"c": "c", "cpp": "c", "csharp": "csharp", "java": "java", "javascript": "javascript",
                 "typescript": "javascript", "python": "python"}


def rule_language(language: str) -> str:
    return _RULE_LANGUAGE.get(language, language)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    engine: str  # "semgrep" | "regex"
    languages: tuple[str, ...]
    severity: str
    cwe: str
    message: str
    fix_hint: str


@dataclass(frozen=True, slots=True)
class RegexRule:
    info: RuleInfo
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    unless_line: re.Pattern[str] | None
    unless_before: re.Pattern[str] | None
    #: whether the pattern needs string contents (secrets, SQL text, format strings); otherwise they are blanked
    strings: bool


# comment syntax per language family; strings are matched first so that "//" inside a string is kept
_STR_C = r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])'"
_COMMENTS = {
    "c": re.compile(_STR_C + r"|(?P<c>//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"),
    "csharp": re.compile(r'@"(?:""|[^"])*"|' + _STR_C + r"|(?P<c>//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"),
    "javascript": re.compile(
        r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|(?P<c>//[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
    ),
    "php": re.compile(
        # single-line strings only: an apostrophe in inline HTML must not swallow the rest of the file
        r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])*'|(?P<c>//[^\n]*|#(?!\[)[^\n]*|/\*[\s\S]*?(?:\*/|\Z))"
    ),
    "python": re.compile(
        r'"""[\s\S]*?(?:"""|\Z)' + r"|'''[\s\S]*?(?:'''|\Z)" + r'|"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])*'"
        r"|(?P<c>#[^\n]*)"
    ),
}
_COMMENT_FAMILY = {"c": "c", "cpp": "c", "java": "c", "rust": "c", "csharp": "csharp", "javascript": "javascript",
                   "typescript": "javascript", "php": "php", "python": "python"}


_NOT_NEWLINE = re.compile(r"[^\n]")
# a line that is Python code, not docstring prose (a statement keyword, a decorator or an assignment)
_PY_STATEMENT = re.compile(
    r"^[ \t]*(?:(?:def|class|return|import|from|elif|except|raise|yield)\b"
    r"|(?:if|for|while|with|try|else)\b[^\n]*:[ \t]*$"
    r"|@\w|[\w.]+(?:\[[^\]\n]*\])?[ \t]*[-+*/|&]?=(?!=)[^\n]*\S[ \t]*$)",
    re.MULTILINE,
)


def _blank_comment(match: re.Match[str]) -> str:
    if match.group("c") is None:
        return match.group(0)
    return _NOT_NEWLINE.sub(" ", match.group(0))


def _blank_comment_and_string(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("c") is not None:
        return _NOT_NEWLINE.sub(" ", text)
    head = 3 if text[:3] in ('"""', "'''") else 2 if text[:2] == '@"' else 1
    tail = min(3 if head == 3 else 1, len(text) - head)
    return text[:head] + _NOT_NEWLINE.sub(" ", text[head : len(text) - tail]) + text[len(text) - tail :]


def blank_comments(code: str, language: str | None, *, strings: bool = False) -> str:
    """``code`` with every comment (and, with ``strings=True``, every string's content) replaced by spaces;
    line breaks, quotes and offsets are kept."""
    family = _COMMENT_FAMILY.get(language or "")
    if family is None:
        return code
    prefix = ""
    if family == "python":
        # a fragment may start inside a docstring: an odd number of triple quotes means the first one closes,
        # unless Python statements come before it (then the fragment ends inside a docstring instead)
        for quote in ('"""', "'''"):
            first = code.find(quote)
            if (first != -1 and code.count(quote) % 2 == 1
                    and code.find("'''" if quote == '"""' else '"""') not in range(0, first)
                    and not _PY_STATEMENT.search(code, 0, first)):
                prefix = quote
                break
    out = _COMMENTS[family].sub(_blank_comment_and_string if strings else _blank_comment, prefix + code)
    return out[len(prefix) :]


def _info(raw: dict, engine: str, where: str) -> RuleInfo:
    try:
        meta = raw.get("metadata", raw)
        sev = str(raw["severity"]).lower()
        sev = {"error": "error", "warning": "warning", "info": "info"}[sev]
        return RuleInfo(
            id=str(raw["id"]), engine=engine, languages=tuple(str(x) for x in raw["languages"]), severity=sev,
            cwe=str(meta["cwe"]), message=str(raw["message"]).strip(), fix_hint=str(meta["fix_hint"]).strip(),
        )
    except (KeyError, TypeError) as err:
        raise ConfigurationError(f"CodeShield rule in {where} lacks {err}: every rule needs id, languages, "
                                 "severity, message, cwe and fix_hint") from None


@dataclass(frozen=True, slots=True)
class Catalogue:
    rules: dict[str, RuleInfo]
    regex_rules: tuple[RegexRule, ...]
    semgrep_files: dict[str, Path]  # rule-file stem -> path

    def semgrep_config_for(self, languages: set[str]) -> list[Path]:
        """The Semgrep rule files needed for these languages (none for PHP/Rust: their rules are regex)."""
        stems = sorted({_SEMGREP_FILE[lang] for lang in languages if lang in _SEMGREP_FILE})
        return [self.semgrep_files[s] for s in stems if s in self.semgrep_files]

    def regex_for(self, language: str | None) -> Iterator[RegexRule]:
        lang = rule_language(language) if language else None
        for rule in self.regex_rules:
            langs = rule.info.languages
            if "any" in langs or (lang is not None and (lang in langs or language in langs)):
                yield rule


#: the longest run any class repetition may take: matches stay within one line and within this window, so
#: every rule costs at most O(input x window) even on adversarial input (no catastrophic backtracking)
_WINDOW = 200
_REPEAT = re.compile(r"(\[\^?(?:\\.|[^\]\\])*\]|\\[wsdWSD]|(?<!\\)\.)(\*|\+)(\?)?")


def _bounded(pattern: str, *, multiline: bool = False) -> str:
    """``pattern`` with every ``*``/``+`` on a character class bounded to ``_WINDOW`` and, unless the rule is
    ``multiline``, negated classes kept off line breaks."""

    def fix(m: re.Match[str]) -> str:
        atom, quant, lazy = m.group(1), m.group(2), m.group(3) or ""
        if not multiline and atom.startswith("[^") and "\\n" not in atom:
            atom = "[^\\n" + atom[2:]
        low = "0" if quant == "*" else "1"
        return f"{atom}{{{low},{_WINDOW}}}{lazy}"

    return _REPEAT.sub(fix, pattern)


def _compile(pattern: str | None, flags: int, rid: str, *, bound: bool = False,
             multiline: bool = False) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(_bounded(pattern, multiline=multiline) if bound else pattern, flags)
    except re.error as err:
        raise ConfigurationError(f"CodeShield regex rule {rid!r} has an invalid pattern: {err}") from None


def load_catalogue(regex_file: Path = REGEX_RULES, semgrep_dir: Path = SEMGREP_DIR) -> Catalogue:
    rules: dict[str, RuleInfo] = {}
    files: dict[str, Path] = {}
    for path in sorted(semgrep_dir.glob("*.yaml")):
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            info = _info(raw, "semgrep", path.name)
            if info.id in rules:
                raise ConfigurationError(f"duplicate CodeShield rule id {info.id!r} in {path.name}")
            rules[info.id] = info
        files[path.stem] = path
    regex_rules = []
    for raw in (yaml.safe_load(regex_file.read_text(encoding="utf-8")) or {}).get("rules", []):
        info = _info(raw, "regex", regex_file.name)
        if info.id in rules:
            raise ConfigurationError(f"duplicate CodeShield rule id {info.id!r} in {regex_file.name}")
        rules[info.id] = info
        flags = re.IGNORECASE if "i" in str(raw.get("flags", "")) else 0
        regex_rules.append(
            RegexRule(
                info=info,
                pattern=_compile(raw["pattern"], flags | re.MULTILINE, info.id, bound=True,  # type: ignore[arg-type]
                                 multiline=bool(raw.get("multiline", False))),
                unless=_compile(raw.get("unless"), flags, info.id),
                unless_line=_compile(raw.get("unless_line"), flags, info.id),
                unless_before=_compile(raw.get("unless_before"), flags, info.id),
                strings=bool(raw.get("strings", False)),
            )
        )
    return Catalogue(rules=rules, regex_rules=tuple(regex_rules), semgrep_files=files)


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The built-in catalogue, loaded once per process."""
    return load_catalogue()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def run_regex_rules(code: str, language: str | None, cat: Catalogue | None = None,
                    disabled: frozenset[str] = frozenset()) -> list[tuple[RuleInfo, int]]:
    """(rule, 1-based line) for every regex-rule hit in ``code``; at most one hit per rule and line."""
    import bisect

    cat = cat or catalogue()
    views: dict[bool, str] = {}
    starts: list[int] | None = None
    orig_lines: list[str] | None = None
    hits: list[tuple[RuleInfo, int]] = []

    def view(strings: bool) -> str:
        if strings not in views:
            views[strings] = blank_comments(code, language, strings=not strings)
        return views[strings]

    for rule in cat.regex_for(language):
        if rule.info.id in disabled:
            continue
        scanned = view(rule.strings)
        # the exceptions look at the code with its strings (e.g. ['allowed_classes' => false])
        if rule.unless is not None and rule.unless.search(view(True)):
            continue
        seen: set[int] = set()
        for m in rule.pattern.finditer(scanned):
            if starts is None:
                starts = _line_starts(scanned)
            line = bisect.bisect_right(starts, m.start())
            if line in seen:
                continue
            line_start = starts[line - 1]
            line_end = starts[line] - 1 if line < len(starts) else len(scanned)
            if rule.unless_line is not None and rule.unless_line.search(view(True), line_start, line_end):
                continue
            if rule.unless_before is not None:
                if orig_lines is None:
                    orig_lines = code.split("\n")
                window = "\n".join(orig_lines[max(0, line - 4) : line - 1])
                if rule.unless_before.search(window):
                    continue
            seen.add(line)
            hits.append((rule.info, line))
    return hits
