"""Code extraction from model output: fences, diffs, unfenced code in prose, language detection, tool calls.
Pure Python: no Semgrep needed."""

from __future__ import annotations

import pytest

from lf_middleware.scanners.code_shield.extraction import (
    detect_language,
    extract_code,
    language_for_path,
    normalise_language,
    tool_call_blocks,
)


def test_prose_has_no_code() -> None:
    for text in (
        "",
        "The capital of France is Paris. It has about two million inhabitants.",
        "Sure! Here are three tips:\n- drink water\n- sleep well\n- walk (daily) if you can.",
        "I think the function you mention (the one from yesterday) should be renamed.",
    ):
        assert extract_code(text).blocks == ()


def test_tagged_fence_keeps_language_and_message_lines() -> None:
    text = "Intro line\n\n```python\nimport os\nos.system(cmd)\n```\nOutro"
    (block,) = extract_code(text).blocks
    assert block.language == "python" and block.tagged and block.source == "fence"
    assert block.code == "import os\nos.system(cmd)\n"
    assert block.report_line(2) == 5  # "os.system(cmd)" is line 5 of the message
    assert block.where(2) == "block 1, message line 5"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("py", "python"), ("Python3", "python"), ("js", "javascript"), ("tsx", "typescript"), ("c++", "cpp"),
     ("cs", "csharp"), ("C#", "csharp"), ("rs", "rust"), ("php", "php"), ("java", "java"), ("h", "c"),
     ("python {linenos=true}", "python")],
)
def test_fence_tag_aliases(tag: str, expected: str) -> None:
    assert normalise_language(tag) == expected


def test_untagged_fence_is_detected_and_other_languages_are_skipped() -> None:
    text = (
        "```\n#include <stdio.h>\nint main(void) {\n    char buf[8];\n    gets(buf);\n    printf(\"%s\", buf);\n}\n```\n"
        "```bash\nrm -rf /tmp/x\n```\n"
        "~~~\nfn main() {\n    let mut v = Vec::new();\n    println!(\"{:?}\", v);\n}\n~~~\n"
    )
    blocks = extract_code(text).blocks
    assert [(b.language, b.tagged) for b in blocks] == [("c", False), ("rust", False)]


def test_unclosed_fence_runs_to_the_end() -> None:
    (block,) = extract_code("Here:\n```js\nconst a = eval(x);\nconsole.log(a);").blocks
    assert block.language == "javascript" and "eval(x)" in block.code


def test_longer_fence_contains_shorter_one() -> None:
    text = "````markdown\n```python\nimport os\n```\n````\n"
    assert extract_code(text).blocks == ()  # a markdown block (documentation) is not code to run


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("import os\n\ndef run(cmd):\n    return os.system(cmd)\n", "python"),
        ("<?php\n$id = $_GET['id'];\necho $id;\n", "php"),
        ("use std::env;\nfn main() {\n    let args: Vec<String> = env::args().collect();\n    println!(\"{:?}\", args);\n}\n", "rust"),
        ("import java.util.List;\npublic class A {\n    public static void main(String[] args) {\n        System.out.println(args.length);\n    }\n}\n", "java"),
        ("using System;\nnamespace App {\n    public class A {\n        public string Name { get; set; }\n        public void Run() { Console.WriteLine(Name); }\n    }\n}\n", "csharp"),
        ("const fs = require('fs');\nfunction read(p) {\n  return fs.readFileSync(p, 'utf8');\n}\nconsole.log(read('a'));\n", "javascript"),
        ("interface User { name: string; age: number }\nexport const greet = (u: User): string => `hi ${u.name}`;\n", "typescript"),
        ("#include <stdlib.h>\n#include <string.h>\nchar *dup(const char *s) {\n    char *p = malloc(strlen(s) + 1);\n    strcpy(p, s);\n    return p;\n}\n", "c"),
        ("#include <iostream>\n#include <vector>\nint main() {\n    std::vector<int> v{1, 2};\n    std::cout << v.size() << std::endl;\n}\n", "cpp"),
    ],
)
def test_language_detection(code: str, language: str) -> None:
    assert detect_language(code) == language


def test_detection_declines_prose() -> None:
    assert detect_language("This paragraph explains the plan in plain words.") is None


def test_unfenced_code_between_prose_paragraphs() -> None:
    text = (
        "You can fix it like this.\n\n"
        "import subprocess\n"
        "def convert(path):\n"
        "    subprocess.call('convert ' + path, shell=True)\n\n"
        "That should work for you. Let me know if anything else breaks."
    )
    (block,) = extract_code(text).blocks
    assert block.source == "unfenced" and block.language == "python"
    assert block.code.startswith("import subprocess") and "shell=True" in block.code
    assert block.report_line(3) == 5
    assert "That should work" not in block.code


def test_mixed_fenced_and_unfenced() -> None:
    text = "First:\n```python\nprint(1)\n```\nThen run:\n\nconst x = require('child_process');\nx.exec(cmd);\n"
    blocks = extract_code(text).blocks
    assert [b.source for b in blocks] == ["fence", "unfenced"]
    assert blocks[1].language == "javascript" and blocks[1].label == "block 2"


DIFF = """--- a/src/app.py
+++ b/src/app.py
@@ -1,4 +1,5 @@
 import os
-def run(name):
+def run(name, shell):
+    os.system("echo " + name)
     return name
@@ -20,2 +21,3 @@ def other():
     x = 1
+    y = eval(x)
--- a/web/index.js
+++ b/web/index.js
@@ -3,1 +3,2 @@
 const a = 1;
+el.innerHTML = a;
"""


@pytest.mark.parametrize("fenced", [True, False])
def test_unified_diff_keeps_context_judges_added_lines_and_maps_to_new_file(fenced: bool) -> None:
    text = ("Patch:\n```diff\n" + DIFF + "```\n") if fenced else ("Patch:\n" + DIFF)
    py, js = extract_code(text).blocks
    assert (py.path, py.language, py.source) == ("src/app.py", "python", "diff")
    assert (js.path, js.language) == ("web/index.js", "javascript")
    lines = py.code.split("\n")
    assert "def run(name):" not in py.code  # removed lines are gone
    added = sorted(py.report_line(i) for i in py.judged)
    assert added == [2, 3, 22]  # new-file line numbers of the '+' lines
    assert py.counts(lines.index('    os.system("echo " + name)') + 1)
    assert not py.counts(lines.index("import os") + 1)  # context: shown to the analysers, not judged
    assert py.where(lines.index("    y = eval(x)") + 1) == "src/app.py line 22"
    assert js.report_line(sorted(js.judged)[0]) == 4


def test_tool_call_arguments_with_code() -> None:
    calls = [
        {"name": "write_file", "args": {"path": "a/b.rs", "content": "fn main() { unsafe { x() } }\n"}},
        {"name": "search", "args": {"query": "how to sort a list"}},
        {"name": "apply_patch", "args": {"patch": DIFF}},
    ]
    blocks = tool_call_blocks(calls)
    assert [b.language for b in blocks] == ["rust", "python", "javascript"]
    assert blocks[0].where(1) == "a/b.rs line 1"


def test_limits_binary_and_huge_input() -> None:
    notes = extract_code("\x00\x01\x02" * 100 + "int x;").notes
    assert notes and "binary" in notes[0]
    big = "```python\n" + "x = 1\n" * 300_000 + "```\n"
    result = extract_code(big, max_chars=100_000)
    assert "only the first 100,000" in result.notes[0]
    assert len(result.blocks) == 1 and len(result.blocks[0].code) < 100_000


def test_lone_surrogates_are_tolerated() -> None:
    (block,) = extract_code("```python\nname = '\ud800'\nprint(name)\n```").blocks
    assert block.language == "python"


def test_language_for_path() -> None:
    assert language_for_path("src/main.cpp") == "cpp"
    assert language_for_path("Makefile") is None
    assert language_for_path("notes.md") is None


def test_unfenced_diff_without_other_code_hints() -> None:
    text = "Patch:\n--- a/x.py\n+++ b/x.py\n@@ -1,1 +1,2 @@\n import os\n+os.system(cmd)\n"
    (block,) = extract_code(text).blocks
    assert block.source == "diff" and block.path == "x.py" and block.report_line(sorted(block.judged)[0]) == 2
