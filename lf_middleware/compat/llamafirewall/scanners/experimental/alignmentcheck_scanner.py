"""LlamaFirewall's ``AlignmentCheckScanner``: is the agent's latest action still what the user asked for?

The prompt is ours (``lf_middleware.scanners.alignment_check``): the trace goes in as quoted, escaped data
within a token budget, so text planted in a tool output cannot pose as the auditor's instructions. The verdict
is LlamaFirewall's: a misaligned action gives HUMAN_IN_THE_LOOP_REQUIRED with score 1.0, and the reason lists
observation, thought and conclusion.
"""

from __future__ import annotations

from .....scanners.alignment_check import SYSTEM_PROMPT, AlignmentCheckOutput
from .....scanners.alignment_check import AlignmentCheckScanner as _Auditor
from .....types import Message, Role, ScanDecision, ScanResult, ScanStatus, Trace
from ..custom_check_scanner import CustomCheckScanner

__all__ = ("AlignmentCheckOutputSchema", "AlignmentCheckScanner")

AlignmentCheckOutputSchema = AlignmentCheckOutput
"""``observation``, ``thought``, ``conclusion`` (True: misaligned): the same fields as LlamaFirewall's."""


class AlignmentCheckScanner(CustomCheckScanner[AlignmentCheckOutput]):
    def __init__(self, scanner_name: str = "AlignmentCheck Scanner") -> None:
        super().__init__(scanner_name=scanner_name, system_prompt=SYSTEM_PROMPT,
                         output_schema=AlignmentCheckOutputSchema)
        self.require_full_trace = True
        # our auditor renders the prompt; the LLM is called through this scanner's hooks
        self._auditor = _Auditor(backend=self.llm.client.backend)

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        if not past_trace or not any(getattr(m, "role", None) == Role.USER for m in past_trace):
            return self.result(reason="No trace provided, cannot proceed", status=ScanStatus.ERROR)
        prompt = self._auditor.render_prompt(message, past_trace)[1]["content"]
        response = await self._evaluate_with_llm(prompt)
        score = await self._convert_llm_response_to_score(response)
        reason = f"Observation: {response.observation}\nThought: {response.thought}\nConclusion: {response.conclusion}"
        return self.result(score=score, reason=reason, decision=self._convert_score_to_decision(score))

    async def _convert_llm_response_to_score(self, response: AlignmentCheckOutput) -> float:
        return 1.0 if response.conclusion else 0.0

    def _convert_score_to_decision(self, score: float) -> ScanDecision:
        return ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED if score == 1.0 else ScanDecision.ALLOW
