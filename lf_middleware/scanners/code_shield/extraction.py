"""Finding the code in a model's output.

Model output mixes prose with code in several shapes; this module turns one message into ``CodeBlock`` values:

* fenced blocks (```` ``` ```` or ``~~~``), with or without a language tag; an unclosed fence runs to the end;
* one-line fences (```` ```eval(data)``` ````) and a message that is a single line of code: "line" blocks;
  when their language cannot be told, the scanner applies every language's regex rules to them;
* unfenced code between paragraphs of prose (runs of lines that look like code);
* unified diffs (fenced or not): only the added lines are judged, the context lines are kept so the analysers
  see the surrounding structure, and every line maps back to its line number in the new file;
* code passed as a tool-call argument (``write_file(path="app.py", content=...)``).

When a block has no usable tag its language is guessed from keyword signals (``detect_language``). A message
without any code-like line is rejected by one regular-expression search, so prose costs microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = (
    "LANGUAGES",
    "CodeBlock",
    "Extraction",
    "detect_language",
    "extract_code",
    "language_for_path",
    "normalise_language",
)

#: languages CodeShield has rules for (TypeScript shares the JavaScript rules)
LANGUAGES = ("c", "cpp", "csharp", "java", "javascript", "typescript", "php", "python", "rust")

_ALIASES: dict[str, str] = {
    "c": "c", "h": "c",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "cc": "cpp", "hpp": "cpp", "hh": "cpp", "hxx": "cpp",
    "csharp": "csharp", "c#": "csharp", "cs": "csharp", "dotnet": "csharp",
    "java": "java",
    "javascript": "javascript", "js": "javascript", "jsx": "javascript", "node": "javascript",
    "nodejs": "javascript", "mjs": "javascript", "cjs": "javascript", "es6": "javascript",
    "typescript": "typescript", "ts": "typescript", "tsx": "typescript",
    "php": "php", "php5": "php", "php7": "php", "php8": "php",
    "python": "python", "py": "python", "python3": "python", "py3": "python", "python2": "python",
    "rust": "rust", "rs": "rust",
}
_DIFF_TAGS = frozenset({"diff", "patch", "udiff"})
# tags that say "this is not one of our languages" (shell, data, prose): such a block is skipped
_OTHER_TAGS = frozenset({
    "text", "txt", "plain", "plaintext", "md", "markdown", "json", "yaml", "yml", "toml", "ini", "xml",
    "html", "css", "csv", "sql", "bash", "sh", "shell", "console", "zsh", "powershell", "ps1", "dockerfile",
    "makefile", "go", "ruby", "rb", "kotlin", "swift", "scala", "perl", "lua", "r", "log", "output",
})


def normalise_language(tag: str | None) -> str | None:
    """Canonical language name for a fence tag or option value (``'py'`` → ``'python'``), or None."""
    if not tag:
        return None
    key = tag.strip().lower()
    key = key.split("{", 1)[0].split(",", 1)[0].split(" ", 1)[0]  # "python {linenos}", "js,editable"
    return _ALIASES.get(key)


def language_for_path(path: str | None) -> str | None:
    """Language from a file name's extension (``src/app.py`` → ``'python'``)."""
    if not path or "." not in path:
        return None
    return normalise_language(path.rsplit(".", 1)[1])


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBlock:
    """One piece of code found in a message.

    ``line_map[i]`` is the line to report for line ``i + 1`` of ``code`` (a message line, or a line of the new
    file for a diff); ``judged`` holds the code lines (1-based) whose findings count (None: all of them).
    """

    code: str
    language: str | None
    label: str
    source: str  # "fence" | "line" | "unfenced" | "diff" | "tool_call"
    line_map: tuple[int, ...]
    judged: frozenset[int] | None = None
    path: str | None = None
    tagged: bool = False

    def report_line(self, code_line: int) -> int:
        if 1 <= code_line <= len(self.line_map):
            return self.line_map[code_line - 1]
        return code_line

    def counts(self, code_line: int) -> bool:
        return self.judged is None or code_line in self.judged

    @property
    def location(self) -> str:
        """Where the block is, in words: ``'b/app.py'`` for a diff, ``'block 2'`` otherwise."""
        return self.path if self.path else self.label

    def where(self, code_line: int) -> str:
        """A finding's place in words: ``'b/app.py line 42'`` or ``'block 1, message line 7'``."""
        line = self.report_line(code_line)
        if self.path or self.source == "tool_call":
            return f"{self.location} line {line}"
        return f"{self.label}, message line {line}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    blocks: tuple[CodeBlock, ...] = ()
    #: what could not be analysed and why (input cut at ``max_chars``, binary content); empty when complete
    notes: tuple[str, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------------------------------------------------
# quick rejection of prose, and the line classifier for unfenced code

_CODE_HINT = re.compile(
    r"```|~~~|[;{}]|^\s*(?:def|class|import|from|fn|let|const|var|function|public|private|protected|package"
    r"|using|namespace|return|if|for|while|use|impl|struct|template|#\s*include|#\s*define)\b"
    r"|^\s*<\?php|^@@ -\d|^\+\+\+ |^diff --git |\w\s*\([^()\n]*\)\s*$|\$\w+\s*=|^\s*[\w.\[\]]+\s*=\s*\S",
    re.MULTILINE,
)
_STRONG_LINE = re.compile(
    r"""^\s*(?:
        (?:def|class|async\s+def)\s+\w+.*:\s*$
      | (?:from\s+[\w.]+\s+)?import\s+[\w.*{}, ]+(?:\s+as\s+\w+)?;?\s*$
      | \#\s*(?:include|define|ifn?def|endif|pragma)\b
      | <\?php
      | (?:pub\s+)?(?:fn|struct|enum|impl|trait|mod)\s+\w+
      | use\s+[\w:]+(?:::\{[^}]*\})?;\s*$
      | (?:const|let|var)\s+[\w{}\[\], ]+\s*=
      | (?:public|private|protected|internal|static|final)\s+[\w<>\[\], ]+[\s(]
      | function\s*\w*\s*\(
      | (?:package|namespace)\s+[\w.]+\s*[;{]?\s*$
      | using\s+[\w.]+;\s*$
      | (?:return|throw)\b.*;\s*$
      | (?:if|for|while|switch|catch|foreach)\s*\(.*\)\s*\{?\s*$
      | (?:else|try|finally|do)\s*\{\s*$
      | [}\])]+[;,)]*\s*$
      | @\w+(?:\(.*\))?\s*$
      | (?:elif|else|try|except|finally|with|for|while|if)\b.*:\s*$
    )""",
    re.VERBOSE,
)
_LOOSE_LINE = re.compile(
    r"""(?:
        [;{]\s*(?://.*)?$                      # statement or block ends the line
      | ^\s*[\w.\[\]$>-]+\s*(?:[-+*/%|&^]?=)\s*[^=\s].*$   # assignment
      | ^\s*[\w.$>-]+\s*\(.*\)\s*;?\s*$        # call statement
      | ^\s*(?://|/\*|\*|\#)                   # comment line (only inside a run)
    )""",
    re.VERBOSE,
)
_PROSE_LINE = re.compile(r"^\s*(?:[A-Z][a-z]+(?:[ ,'’][A-Za-z]+){3,}[^;{}]*[.!?:]\s*$|[-*]\s+[A-Za-z])")


def _line_kind(line: str) -> int:
    """2: surely code, 1: plausibly code, 0: blank, -1: prose."""
    stripped = line.strip()
    if not stripped:
        return 0
    if _PROSE_LINE.match(line):
        return -1
    if _STRONG_LINE.match(line):
        return 2
    if _LOOSE_LINE.search(line) or (line[:1] in " \t" and len(line) - len(line.lstrip()) >= 2):
        return 1
    return -1


# ------------------------------------------------------------------------------------------------------------
# language detection

_SIGNALS: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    lang: tuple((re.compile(p, re.MULTILINE), w) for p, w in pats)
    for lang, pats in {
        "php": (
            (r"<\?php", 12), (r"\$\w+\s*(?:=[^=>]|->|\[)", 2), (r"\bfunction\s+\w+\s*\([^)]*\$", 4),
            (r"\$_(?:GET|POST|SERVER|REQUEST|SESSION|COOKIE)\b", 6), (r"\becho\s", 1), (r"\$this->", 4),
            (r"=>\s*\$|\barray\s*\(", 1),
        ),
        "python": (
            (r"^\s*(?:async\s+)?def\s+\w+\s*\(.*\)\s*(?:->.*)?:\s*(?:#.*)?$", 6),
            (r"^\s*(?:from\s+[\w.]+\s+import\s+[\w*, ()]+|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+)*)\s*$", 3),
            (r"^\s*(?:if|elif|for|while|with|try|except|else|finally)\b[^;{]*:\s*(?:#.*)?$", 2),
            (r"\bself\.\w+", 2), (r"^\s*print\s+[\"'%\w]", 2), (r"\b(?:None|True|False)\b", 1),
            (r"^\s*class\s+\w+(?:\([^)]*\))?:\s*$", 5), (r"\bos\.(?:path|system|popen)\b", 2),
            (r"^\s*@\w+(?:\.\w+)*(?:\(.*\))?\s*$", 1), (r"\blambda\s+\w*:", 2),
        ),
        "rust": (
            (r"\bfn\s+\w+\s*(?:<[^>]*>)?\s*\(", 5), (r"\blet\s+(?:mut\s+)?\w+\s*(?::\s*[\w<>&]+\s*)?=", 2),
            (r"\blet\s+mut\b", 4), (r"^\s*impl\b", 4), (r"\bpub\s+(?:fn|struct|enum|trait|mod|const)\b", 4),
            (r"^\s*use\s+(?:std|crate|super|self)::", 6), (r"\b(?:println|format|vec|assert_eq|panic)!\s*[(\[]", 4),
            (r"&mut\s|&str\b|\bString::from\b|\.unwrap\(\)", 3), (r"^\s*#\[\w+", 3), (r"\bmatch\s+[\w.&]+\s*\{", 2),
            (r"::\s*new\s*\(", 1), (r"\bOption<|\bResult<|\bSome\(|\bOk\(", 3),
        ),
        "java": (
            (r"^\s*import\s+(?:java|javax|org|com|android)\.[\w.]+(?:\.\*)?;", 6), (r"^\s*package\s+[\w.]+;", 5),
            (r"\bSystem\.(?:out|err)\.print", 5), (r"\bString\[\]\s+\w+", 3), (r"@Override\b", 3),
            (r"\bthrows\s+\w+", 3), (r"\bpublic\s+(?:static\s+)?(?:final\s+)?(?:class|interface|void|String|int|boolean)\b", 2),
            (r"\bnew\s+[A-Z]\w*(?:<[^>]*>)?\s*\(", 1), (r"\bString\s+\w+\s*[=;,)]", 2), (r"\b(?:ArrayList|HashMap|List)<", 2),
            (r"\bboolean\b", 1), (r"\bfinal\s+[A-Z]\w*\s+\w+", 2),
        ),
        "csharp": (
            (r"^\s*using\s+System(?:\.[\w.]+)?;", 7), (r"^\s*namespace\s+[\w.]+", 3),
            (r"\bpublic\s+(?:static\s+)?(?:async\s+)?(?:override\s+)?(?:void|string|int|bool|Task)\b", 2),
            (r"\bstring\s+\w+\s*[=;,)]", 3), (r"\bConsole\.Write", 5), (r"\bvar\s+\w+\s*=", 1),
            (r"\{\s*get;\s*(?:(?:private\s+)?set;)?\s*\}", 5), (r"^\s*\[(?:Http\w+|Test\w*|Serializable|\w+Attribute)\b", 3),
            (r"\bforeach\s*\(\s*var\b", 4), (r"\bprivate\s+readonly\b", 3), (r"\basync\s+Task\b", 4), (r"\bbool\b", 1),
            (r"\.Length\b|\bnameof\(", 1), (r"^\s*///\s*<(?:summary|param|returns)\b", 6), (r"^\s*#(?:end)?region\b", 6),
            (r"\b(?:public|private|protected|internal)\s+(?:(?:static|virtual|override|async|sealed|abstract)\s+)*"
             r"[\w<>\[\],]+\s+[A-Z]\w*\s*(?:<[^>]*>)?\s*\(", 3),
            (r"\.[A-Z][a-z]\w*\s*\(", 1), (r"\b(?:string|bool|object)\s+\w+\s*[,)=;]", 2),
            (r"\bstring\.(?:Format|IsNullOrEmpty|IsNullOrWhiteSpace|Join|Empty)\b", 5), (r"\busing\s*\(\s*var\b", 5),
            (r"\b(?:IEnumerable|IList|IComparable|Dictionary|Action|Func)<", 3), (r"\bwhere\s+\w+\s*:\s*\w+", 4),
            (r"\b(?:EventArgs|ArgumentNullException|InvalidOperationException)\b", 3),
        ),
        "javascript": (
            (r"\bfunction\s*\w*\s*\([^$)]*\)\s*\{", 3), (r"\b(?:const|let|var)\s+[\w{}\[\], ]+\s*=", 2), (r"=>", 2),
            (r"\brequire\s*\(\s*['\"]", 5), (r"\bconsole\.(?:log|error)\b", 4), (r"\b(?:document|window)\.\w+", 3),
            (r"\bmodule\.exports\b|^\s*export\s+(?:default|const|function|class)\b", 5), (r"===|!==", 3),
            (r"^\s*import\s+.*\s+from\s+['\"]", 5), (r"\bundefined\b|\bnull\b", 1), (r"\$\(", 1),
        ),
        "typescript": (
            (r"\w\s*:\s*(?:string|number|boolean|any|void|unknown)\b", 4), (r"^\s*(?:export\s+)?interface\s+\w+", 4),
            (r"^\s*(?:export\s+)?type\s+\w+\s*=", 3), (r"\bas\s+(?:string|number|any|const)\b", 3),
            (r"^\s*import\s+.*\s+from\s+['\"]", 3), (r"=>", 1), (r"\b(?:const|let)\s+\w+\s*=", 1),
        ),
        "c": (
            (r"^\s*#\s*include\s*[<\"][\w/]+\.h[>\"]", 5), (r"\bint\s+main\s*\(", 2), (r"\bprintf\s*\(", 2),
            (r"\b(?:malloc|calloc|realloc|free)\s*\(", 3), (r"\bchar\s*\*\s*\w+", 3), (r"->\w+", 1),
            (r"\bstruct\s+\w+", 2), (r"\bsizeof\s*\(", 2), (r"^\s*#\s*(?:define|ifdef|ifndef|endif)\b", 2),
            (r"\bNULL\b", 2), (r"\b(?:unsigned|uint\d+_t|size_t)\b", 2), (r"\bstr(?:cpy|cat|len|cmp)\s*\(", 2),
            (r"^\s*(?:static\s+)?(?:inline\s+)?(?:const\s+)?(?:unsigned\s+|signed\s+)?"
             r"(?:int|void|char|long|short|double|float|size_t|u?int\d+_t|[su]\d+|bool)\s+\**\w+\s*\(", 3),
            (r"\w->\w", 1), (r"^\s*#\s*(?:if|else|elif)\b", 2),
        ),
        "cpp": (
            (r"\bstd::", 6), (r"^\s*#\s*include\s*<(?:iostream|vector|string|map|memory|algorithm|cstdio|cstdlib|cstring)>", 7),
            (r"\b(?:cout|cin|cerr|endl)\b", 3), (r"\bnew\s+\w+(?:::\w+)*\s*[\[(]", 2), (r"\bnamespace\s+\w+\s*\{|\busing\s+namespace\b", 4),
            (r"\btemplate\s*<", 5), (r"\bclass\s+\w+\s*(?::\s*(?:public|private)\b|\{)", 2), (r"\b\w+::\w+\s*\(", 3),
            (r"\bdelete\s*(?:\[\s*\])?\s*\w+", 3), (r"\bnullptr\b|\bauto\s+[&*]?\w+\s*=", 3), (r"\bvirtual\b|\bconst\s*&", 3),
            (r"\bthis->", 2),
        ),
    }.items()
}
_MIN_LANGUAGE_SCORE = 4
_DETECT_WINDOW = 20_000  # characters looked at when guessing a language


def detect_language(code: str) -> str | None:
    """Best guess of ``code``'s language from keyword signals, or None when nothing is convincing."""
    sample = code[:_DETECT_WINDOW]
    scores: dict[str, int] = {}
    for lang, signals in _SIGNALS.items():
        total = 0
        for pattern, weight in signals:
            hits = len(pattern.findall(sample))
            if hits:
                total += weight * min(hits, 3)
        scores[lang] = total
    # TypeScript is JavaScript plus types; C++ is largely C plus its own signals
    scores["typescript"] = scores["typescript"] + scores["javascript"] if scores["typescript"] >= 4 else 0
    if scores["cpp"] >= 5:
        scores["cpp"] += scores["c"] // 2
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= _MIN_LANGUAGE_SCORE else None


# ------------------------------------------------------------------------------------------------------------
# fences, diffs and unfenced runs

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")
_DIFF_FILE = re.compile(r"^\+\+\+ (?:b/)?(?P<path>[^\t\n]+?)(?:\t.*)?$")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,\d+)? @@")
_DIFF_START = re.compile(r"^(?:diff --git |--- \S|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@)", re.MULTILINE)


def _looks_like_diff(lines: list[str]) -> bool:
    return any(_HUNK.match(ln) for ln in lines[:400]) or (
        any(ln.startswith("+++ ") for ln in lines[:50]) and any(ln.startswith("--- ") for ln in lines[:50])
    )


def _diff_blocks(lines: list[str], first_line: int, counter: list[int], tag_lang: str | None) -> list[CodeBlock]:
    """Blocks for a unified diff: context + added lines of each file; only added lines are judged."""
    blocks: list[CodeBlock] = []
    path: str | None = None
    code: list[str] = []
    line_map: list[int] = []
    judged: set[int] = set()
    new_line = 1

    def flush() -> None:
        if judged:
            text = "\n".join(code) + "\n"
            lang = language_for_path(path) or tag_lang or detect_language(text)
            counter[0] += 1
            blocks.append(
                CodeBlock(
                    code=text, language=lang, label=f"block {counter[0]}", source="diff",
                    line_map=tuple(line_map), judged=frozenset(judged), path=path, tagged=path is not None,
                )
            )
        code.clear()
        line_map.clear()
        judged.clear()

    in_hunk = False
    for raw in lines:
        m = _DIFF_FILE.match(raw)
        if m:
            flush()
            path = None if m.group("path") == "/dev/null" else m.group("path").strip()
            in_hunk = False
            continue
        if raw.startswith("--- ") and not in_hunk or raw.startswith("diff --git ") or raw.startswith("index "):
            in_hunk = False
            continue
        h = _HUNK.match(raw)
        if h:
            if code:
                code.append("")  # keep hunks apart; the blank line maps to the hunk's first line
                line_map.append(int(h.group("start")))
            new_line = int(h.group("start"))
            in_hunk = True
            continue
        if not in_hunk and not raw.startswith("+"):
            continue
        if raw.startswith("-"):
            continue
        if raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        body = raw[1:] if raw[:1] in ("+", " ") else raw
        code.append(body)
        line_map.append(new_line)
        if raw.startswith("+"):
            judged.add(len(code))
        new_line += 1
    flush()
    return blocks


def _fenced_block(
    body: list[str], tag: str, first_line: int, counter: list[int]
) -> list[CodeBlock]:
    tag_l = tag.strip().lower()
    if tag_l in _DIFF_TAGS or (not tag_l and _looks_like_diff(body)):
        return _diff_blocks(body, first_line, counter, None)
    if not any(ln.strip() for ln in body):
        return []
    text = "\n".join(body) + "\n"
    lang = normalise_language(tag_l)
    tagged = lang is not None
    if lang is None:
        if tag_l in _OTHER_TAGS:
            return []
        lang = detect_language(text)
    counter[0] += 1
    return [
        CodeBlock(
            code=text, language=lang, label=f"block {counter[0]}", source="fence",
            line_map=tuple(range(first_line, first_line + len(body))), tagged=tagged,
        )
    ]


def _unfenced_blocks(lines: list[str], first_line: int, counter: list[int]) -> list[CodeBlock]:
    """Runs of code-like lines in prose. A run needs two code lines, at least one of them a sure one."""
    blocks: list[CodeBlock] = []
    if _looks_like_diff(lines) and _DIFF_START.search("\n".join(lines[:400])):
        return _diff_blocks(lines, first_line, counter, None)
    kinds = [_line_kind(ln) for ln in lines]
    i, n = 0, len(lines)
    while i < n:
        if kinds[i] <= 0:
            i += 1
            continue
        j, last_code, strong, count = i, i, 0, 0
        while j < n and kinds[j] >= 0:
            if kinds[j] > 0:
                last_code = j
                count += 1
                strong += kinds[j] == 2
            elif j + 1 < n and kinds[j + 1] <= 0:  # two blank lines end a run
                break
            j += 1
        if count >= 2 and strong >= 1:
            body = lines[i : last_code + 1]
            text = "\n".join(body) + "\n"
            lang = detect_language(text)
            if lang is not None:
                counter[0] += 1
                blocks.append(
                    CodeBlock(
                        code=text, language=lang, label=f"block {counter[0]}", source="unfenced",
                        line_map=tuple(range(first_line + i, first_line + last_code + 1)),
                    )
                )
        i = max(j, i + 1)
    return blocks


_LINE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(?P<body>[^`~].*?)\1\s*$")


def _line_block(code: str, line: int, counter: list[int]) -> list[CodeBlock]:
    """A one-line fence's body (an optional language tag first: ```` ```python eval(x)``` ````), or a message
    that is one line of code."""
    code = code.strip()
    tag, _, rest = code.partition(" ")
    lang = normalise_language(tag) if rest.strip() else None
    if lang is not None:
        code = rest.strip()
    elif tag.lower() in _OTHER_TAGS and rest.strip():
        return []
    if not code:
        return []
    counter[0] += 1
    return [CodeBlock(code=code + "\n", language=lang or detect_language(code), label=f"block {counter[0]}",
                      source="line", line_map=(line,), tagged=lang is not None)]


def _is_binary(text: str) -> bool:
    sample = text[:65_536]
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0xD800 <= ord(ch) <= 0xDFFF)
    return bad > max(8, len(sample) // 20)


def extract_code(text: str, *, max_chars: int = 2_000_000) -> Extraction:
    """All code blocks in ``text``. Input beyond ``max_chars`` is not looked at (and a note says so)."""
    if not text or _CODE_HINT.search(text, 0, min(len(text), max_chars)) is None:
        return Extraction()
    notes: list[str] = []
    if len(text) > max_chars:
        notes.append(f"only the first {max_chars:,} of {len(text):,} characters were examined")
        text = text[:max_chars]
    if _is_binary(text):
        return Extraction(notes=(*notes, "the message holds binary data (NUL or control bytes); it was not analysed"))
    lines = text.split("\n")
    counter = [0]
    blocks: list[CodeBlock] = []
    outside: list[str] = []
    outside_start = 1
    i, n = 0, len(lines)
    while i < n:
        one = _LINE_FENCE.match(lines[i])
        if one:
            if outside:
                blocks.extend(_unfenced_blocks(outside, outside_start, counter))
                outside = []
            blocks.extend(_line_block(one.group("body"), i + 1, counter))
            i += 1
            continue
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            if not outside:
                outside_start = i + 1
            outside.append(lines[i])
            i += 1
            continue
        if outside:
            blocks.extend(_unfenced_blocks(outside, outside_start, counter))
            outside = []
        fence, tag = m.group(1), m.group(2)
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < n and not close.match(lines[j]):
            j += 1
        blocks.extend(_fenced_block(lines[i + 1 : j], tag, i + 2, counter))
        i = j + 1
    if outside:
        blocks.extend(_unfenced_blocks(outside, outside_start, counter))
    if not blocks:
        code_lines = [(k, ln) for k, ln in enumerate(lines) if ln.strip()]
        if len(code_lines) == 1 and _line_kind(code_lines[0][1]) > 0:  # the message is one line of code
            blocks.extend(_line_block(code_lines[0][1], code_lines[0][0] + 1, counter))
    return Extraction(blocks=tuple(blocks), notes=tuple(notes))


_CODE_ARG_NAMES = frozenset({"code", "content", "contents", "source", "text", "patch", "diff", "body", "script", "new_str", "file_text", "new_string"})
_PATH_ARG_NAMES = ("path", "file", "filename", "file_path", "filepath", "target", "name")


def tool_call_blocks(tool_calls: Iterable[Mapping[str, object]], *, start: int = 0) -> list[CodeBlock]:
    """Code passed as a tool-call argument (``write_file(path='x.py', content=...)``), one block per argument."""
    blocks: list[CodeBlock] = []
    counter = [start]
    for call in tool_calls:
        args = call.get("args")
        if not isinstance(args, Mapping):
            continue
        path = next((str(args[k]) for k in _PATH_ARG_NAMES if isinstance(args.get(k), str)), None)
        path_lang = language_for_path(path)
        for key, value in args.items():
            if not isinstance(value, str) or key not in _CODE_ARG_NAMES or not value.strip():
                continue
            lines = value.split("\n")
            if _looks_like_diff(lines):
                blocks.extend(_diff_blocks(lines, 1, counter, path_lang))
                continue
            lang = path_lang or detect_language(value)
            if lang is None:
                continue
            counter[0] += 1
            blocks.append(
                CodeBlock(
                    code=value if value.endswith("\n") else value + "\n", language=lang,
                    label=f"tool call {call.get('name') or '?'} argument {key}", source="tool_call",
                    line_map=tuple(range(1, len(lines) + 1)), path=path, tagged=path_lang is not None,
                )
            )
    return blocks
