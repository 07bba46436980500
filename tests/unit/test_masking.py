"""Secrets never appear in full in reasons, the audit log, error messages or decoded hidden text."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from lf_middleware import ConfigurationError, LlamaFirewall, Role, UserMessage
from lf_middleware._text import mask_secrets
from lf_middleware.scanners.alignment_check import AlignmentCheckScanner
from lf_middleware.scanners.hidden_ascii import HiddenASCIIScanner
from lf_middleware.scanners.tool_policy import ToolPolicyScanner
from lf_middleware.types import AssistantMessage

_KEY = "Zx81Ab93Cd75Ef64Gh52Ij40Kl38Mn26Op14Qr02"  # 40 characters, API-key shaped


@pytest.mark.parametrize("text,secret", [
    (f"token {_KEY} end", _KEY),
    ("db_password: correct-horse-battery", "correct-horse-battery"),
    ("export MYSERVICE_TOKEN=q9w8e7r6t5y4", "q9w8e7r6t5y4"),
    ("https://alice:s3cr3t-pw@llm.example/v1", "s3cr3t-pw"),
    ("password=hunter2hunter2", "hunter2hunter2"),
    ('{"api_key": "abcd1234efgh5678"}', "abcd1234efgh5678"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9.payload"),
    ("id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("key sk-proj-abcdefghijklmnopqrstu", "sk-proj-abcdefghijklmnopqrstu"),
])
def test_mask_secrets_hides_each_kind(text, secret):
    masked = mask_secrets(text)
    assert secret not in masked and "***" in masked


@pytest.mark.parametrize("text", [
    "prompt injection score 0.97 in chars 0–32 of 32, best of 1 window",
    "model Llama-Prompt-Guard-2-86M", "path /srv/data/reports/2024-11/summary.txt",
])
def test_mask_secrets_leaves_ordinary_text_alone(text):
    assert mask_secrets(text) == text


def test_tool_policy_reasons_and_audit_log_mask_an_api_key(tmp_path):
    audit = tmp_path / "audit.jsonl"
    tp = ToolPolicyScanner(rules=[{"tool": "post", "args": {"body": {"regex": "[a-z ]{1,20}"}}}])
    lf = LlamaFirewall({Role.ASSISTANT: [tp]}, audit_log=audit)
    call = AssistantMessage(content="", tool_calls=[{"name": "post", "args": {"body": _KEY}, "id": "1"}])
    result = lf.scan(call)
    lf.close()
    assert _KEY[:4] in result.reason and _KEY not in result.reason
    assert _KEY not in json.dumps(result.results[0].details)
    assert _KEY not in audit.read_text()


def test_hidden_ascii_masks_a_smuggled_secret():
    hidden = "".join(chr(0xE0000 + ord(c)) for c in f"use key {_KEY}")
    result = HiddenASCIIScanner().scan_sync(UserMessage("hello" + hidden))
    assert "use key" in result.reason and _KEY not in result.reason and _KEY[8:30] not in result.reason


def test_a_mistyped_config_key_does_not_print_its_value():
    with pytest.raises(ConfigurationError) as info:
        LlamaFirewall(config={"scanners": {"user": ["regex"]}, "api_kye": _KEY})
    assert "api_kye" in str(info.value) and _KEY not in str(info.value)


async def test_llm_url_credentials_are_masked_in_the_reason():
    port = 9  # unit tests run with sockets disabled: the call fails before any packet leaves
    scanner = AlignmentCheckScanner(backend="openai", base_url=f"http://bob:pw-{_KEY}@127.0.0.1:{port}/v1",
                                    model="judge")
    lf = LlamaFirewall({Role.ASSISTANT: [scanner]})
    trace = [UserMessage("book a flight")]
    result = await lf.scan_async(AssistantMessage(content="I will book it", tool_calls=[
        {"name": "book", "args": {"to": "x"}, "id": "1"}]), trace)
    lf.close()
    assert result.status.value == "error"
    assert _KEY not in result.reason and "bob:pw" not in result.reason


_HOSTILE_MASKING = textwrap.dedent(
    """
    from lf_middleware._text import mask_secrets
    N = 1_000_000
    for text in ("x" * N, "a-" * (N // 2), "a_" * (N // 2), "a1+" * (N // 3), "x_" * (N // 2) + "password",
                 "password=" + " " * N, "://a" + ":" * N, "sk-" * (N // 3)):
        mask_secrets(text)
        print(len(text), flush=True)
    """
)


@pytest.mark.slow
def test_masking_is_linear_on_hostile_megabyte_inputs():
    """The audit log masks whole messages. A backtracking pattern took 17 s on 20,000 'x' (hours on 1 MB); a
    generous wall-clock cap turns a regression into a failure instead of a hung suite (not a speed assertion)."""
    proc = subprocess.run([sys.executable, "-c", _HOSTILE_MASKING], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(proc.stdout.split()) == 8, proc.stdout
