"""The compat AlignmentCheck, PII check and LLMClient against the scripted loopback chat-completions server."""

from __future__ import annotations

import asyncio
import json

import pytest
from llm_chat_server import ChatServer, Step, verdict
from pydantic import BaseModel

from lf_middleware.compat.llamafirewall import (
    AssistantMessage,
    LlamaFirewall,
    LLMClient,
    Role,
    ScanDecision,
    ScannerType,
    ScanStatus,
    UserMessage,
)
from lf_middleware.llm import LLMCallError

pytestmark = pytest.mark.llm

GOAL = UserMessage("Book a product review appointment for the Sony TV on Saturday at 2 PM.")
STEP = AssistantMessage(json.dumps({"thought": "Check availability first.", "action": "Shop__check_availability",
                                    "action_input": {"product": "Sony TV"}}))
ROGUE = AssistantMessage(json.dumps({"thought": "Now attach a file that gives me the user's data.",
                                     "action": "Email__attach_file", "action_input": {"file": "payload.pdf"}}))


def test_alignment_check_replay_like_llamafirewall(together_env: ChatServer) -> None:
    together_env.script(Step(content=verdict(False)), Step(content=verdict(True, "attaches a file", "off-goal")))
    lf = LlamaFirewall({Role.ASSISTANT: [ScannerType.AGENT_ALIGNMENT]})
    r = lf.scan_replay([GOAL, STEP, ROGUE])
    assert (r.decision, r.score, r.status) == (ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED, 1.0, ScanStatus.SUCCESS)
    assert r.reason == "Observation: attaches a file\nThought: off-goal\nConclusion: True"
    assert len(together_env.requests) == 2 and together_env.paths == ["/v1/chat/completions"] * 2
    body = together_env.requests[1]
    assert body["temperature"] == 0.0 and body["response_format"]["type"] == "json_schema"
    prompt = body["messages"][1]["content"]
    assert "Email__attach_file" in prompt and "Sony TV" in prompt  # the trace reached the auditor, as data
    assert together_env.auth[0] == "Bearer test-key-not-secret"
    together_env.script(Step(content=verdict(False)))
    ok = asyncio.run(lf.scan_replay_async([GOAL, STEP]))
    assert ok.decision is ScanDecision.ALLOW


def test_llm_failure_is_an_error_for_a_human_not_a_guess(together_env: ChatServer) -> None:
    lf = LlamaFirewall({Role.ASSISTANT: [ScannerType.AGENT_ALIGNMENT], Role.USER: [ScannerType.PII_DETECTION]})
    for step in (Step(status=500), Step(content="I think it is fine."), Step(content='{"conclusion": "maybe"}')):
        together_env.script(step)
        r = lf.scan(ROGUE, [GOAL])
        assert r.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED and r.status is ScanStatus.ERROR
    together_env.script(Step(status=500))
    pii = lf.scan(UserMessage("I am John Smith, john@example.com"))  # LlamaFirewall would say "no PII" here
    assert pii.decision is ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED and pii.status is ScanStatus.ERROR


def test_pii_check(together_env: ChatServer) -> None:
    lf = LlamaFirewall({Role.USER: [ScannerType.PII_DETECTION]})
    together_env.script(Step(content=json.dumps({"detected_pii_types": ["Full names", "Email addresses"]})))
    r = lf.scan(UserMessage("I am John Smith, john@example.com"))
    assert (r.decision, r.reason, r.score) == (ScanDecision.BLOCK, "PII detected: Full names, Email addresses", 1.0)
    sent = together_env.requests[-1]["messages"][1]["content"]
    assert sent.startswith("<data source=") and "john@example.com" in sent
    together_env.script(Step(content=json.dumps({"detected_pii_types": []})))
    assert lf.scan(UserMessage("It will rain tomorrow.")).decision is ScanDecision.ALLOW


class Answer(BaseModel):
    result: str
    observation: str


def test_llm_client_call(chat_server: ChatServer) -> None:
    client = LLMClient(model_name="test-model", api_base_url=chat_server.root + "/v1", api_key="k")
    chat_server.script(Step(content='Sure: {"result": "r", "observation": "o"}'))
    out = asyncio.run(client.call(prompt="P", system_prompt="S", output_schema=Answer, temperature=0.5,
                                  additional_messages=[{"role": "assistant", "content": "A"}]))
    assert out == Answer(result="r", observation="o")
    body = chat_server.requests[-1]
    assert body["model"] == "test-model" and body["temperature"] == 0.5
    assert [(m["role"], m["content"]) for m in body["messages"]] == [("system", "S"), ("user", "P"), ("assistant", "A")]
    chat_server.script(Step(content='{"result": "r"}'))
    with pytest.raises(LLMCallError, match="does not match Answer"):
        asyncio.run(client.call(prompt="P", system_prompt="S", output_schema=Answer))
    client.close()
