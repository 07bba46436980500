"""One-line code: a one-line fence (```code```) and a message that is a single line of code are analysed, as
LlamaFirewall's CodeShield does; a line whose language cannot be told gets every language's regex rules.
No Semgrep (use_semgrep=False)."""

from __future__ import annotations

import asyncio

import pytest

from lf_middleware.scanners.code_shield import CodeShieldScanner
from lf_middleware.scanners.code_shield.extraction import extract_code
from lf_middleware.types import AssistantMessage, ScanDecision


@pytest.mark.parametrize(("text", "code", "language"), [
    ("```hashlib.new('sha1')```", "hashlib.new('sha1')\n", None),
    ("```python eval(user_input)```", "eval(user_input)\n", "python"),
    ("Run this: \n```import hashlib```\nthen go on.", "import hashlib\n", None),
    ("hashlib.new('sha1')", "hashlib.new('sha1')\n", None),
    ("   os.system(cmd)  \n\n", "os.system(cmd)\n", None),
])
def test_one_line_code_is_extracted(text: str, code: str, language: str | None) -> None:
    (block,) = extract_code(text).blocks
    assert (block.code, block.language, block.source) == (code, language, "line")


@pytest.mark.parametrize("text", [
    "The capital of France is Paris.",
    "I think the function you mention (the one from yesterday) should be renamed.",
    "```text just some words```",
    "Call me at (123) 456-7890",
])
def test_prose_lines_are_not_code(text: str) -> None:
    assert extract_code(text).blocks == ()


def test_a_one_line_fence_reports_its_message_line() -> None:
    (block,) = extract_code("Intro\n\n```x = pickle.loads(data)```").blocks
    assert block.report_line(1) == 3


@pytest.mark.parametrize("text", ["```hashlib.new('sha1')```", "hashlib.new('sha1')", "x = hashlib.md5(p.encode())"])
def test_weak_hash_on_a_line_is_found_whatever_the_language(text: str) -> None:
    r = asyncio.run(CodeShieldScanner(use_semgrep=False).scan(AssistantMessage(text)))
    assert r.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED  # our default: weak hashes are warnings
    assert any(f["cwe"] == "CWE-328" for f in r.details["findings"])
    strict = CodeShieldScanner(use_semgrep=False, severity_decisions={"warning": "block"})
    assert asyncio.run(strict.scan(AssistantMessage(text))).decision is ScanDecision.BLOCK


def test_a_harmless_line_stays_allowed() -> None:
    r = asyncio.run(CodeShieldScanner(use_semgrep=False).scan(AssistantMessage("```import hashlib```")))
    assert r.decision is ScanDecision.ALLOW and r.details["findings"] == []
