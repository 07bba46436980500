"""LlamaFirewall's ``promptguard_utils.PromptGuard``: a text -> jailbreak-probability helper, over our
PromptGuard scanner.

``PromptGuard()`` loads our default classifier (the embedded offline model; no download, no login);
``PromptGuard("promptguard-2-86m")`` or a hub id / local folder loads that model, with safetensors weights
only. The score covers the whole text (overlapping 512-token windows), where LlamaFirewall truncates at 512
tokens.
"""

from __future__ import annotations

from typing import Any

from ....errors import ConfigurationError, ScannerError
from ....types import ScanStatus

__all__ = ("PromptGuard",)


class PromptGuard:
    def __init__(self, model_name: str | None = None) -> None:
        self.model: Any
        self.tokenizer: Any
        self.model, self.tokenizer = self._load_model_and_tokenizer(model_name)

    def _load_model_and_tokenizer(self, model_name: str | None = None) -> tuple[Any, Any]:
        """Returns (our PromptGuard scanner, None): tokenisation lives inside the scanner."""
        from ....scanners.prompt_guard import PromptGuardScanner

        return PromptGuardScanner(model=model_name), None

    def get_jailbreak_score(self, text: str, temperature: float = 1.0, preprocess: bool = True) -> float:
        """The malicious-class probability of ``text`` (the highest over its windows)."""
        if temperature != 1.0 or not preprocess:
            raise ConfigurationError(
                "PromptGuard.get_jailbreak_score takes the temperature and preprocessing the model was loaded "
                "with; for others use lf_middleware's PromptGuardScanner(temperature=..., "
                "normalize_whitespace=...)"
            )
        if self.model is None:
            raise ScannerError("PromptGuard has no model loaded")
        result = self.model.scan_texts([text])[0]
        if result.status is ScanStatus.ERROR:
            raise ScannerError(f"PromptGuard could not score the text: {result.reason}")
        return float(result.score)
