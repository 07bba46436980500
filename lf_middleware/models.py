"""Pinned model specifications for the model-backed scanners.

A :class:`ModelSpec` names a Hugging Face repository, the revision to fetch and, optionally, the sha256 of
the files that must be found there. Named presets keep the versions reviewable in one place; users pin a
revision (a commit sha) and file hashes for reproducible, tamper-evident deployments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .errors import ConfigurationError

__all__ = ("ModelSpec", "PROMPT_GUARD_2_22M", "PROMPT_GUARD_2_86M", "PROMPT_GUARD_PRESETS", "resolve_model_spec")


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelSpec:
    """A model on the Hugging Face Hub (or a local folder) and what to verify about it."""

    #: hub repository id ("owner/name") or a local folder path
    repo_id: str
    #: branch, tag or commit sha; None means the repository's default branch (pin a sha in production)
    revision: str | None = None
    #: file name (relative to the model folder) -> expected lowercase hex sha256
    sha256: Mapping[str, str] = field(default_factory=dict)
    #: one line for docs and error messages
    description: str = ""

    def with_options(self, *, revision: str | None = None, sha256: Mapping[str, str] | None = None) -> ModelSpec:
        """A copy with the revision and/or hashes overridden (None keeps the current value)."""
        return replace(
            self,
            revision=self.revision if revision is None else revision,
            sha256=dict(self.sha256) if sha256 is None else dict(sha256),
        )


PROMPT_GUARD_2_86M = ModelSpec(
    repo_id="meta-llama/Llama-Prompt-Guard-2-86M",
    description="Meta Prompt Guard 2, 86M parameters (mDeBERTa-v3-base), multilingual, 2 labels",
)
PROMPT_GUARD_2_22M = ModelSpec(
    repo_id="meta-llama/Llama-Prompt-Guard-2-22M",
    description="Meta Prompt Guard 2, 22M parameters (DeBERTa-v3-xsmall), English, 2 labels",
)

#: short names accepted wherever a model id is (case-insensitive)
PROMPT_GUARD_PRESETS: dict[str, ModelSpec] = {
    "promptguard-2-86m": PROMPT_GUARD_2_86M,
    "prompt-guard-2-86m": PROMPT_GUARD_2_86M,
    "promptguard-2-22m": PROMPT_GUARD_2_22M,
    "prompt-guard-2-22m": PROMPT_GUARD_2_22M,
}


def resolve_model_spec(
    model: str | ModelSpec, *, revision: str | None = None, sha256: Mapping[str, str] | None = None
) -> ModelSpec:
    """Turn a preset name, hub id, local path or ModelSpec into a ModelSpec with the overrides applied."""
    if isinstance(model, ModelSpec):
        return model.with_options(revision=revision, sha256=sha256)
    if not isinstance(model, str) or not model.strip():
        raise ConfigurationError(
            f"model must be a preset name, a hub id or a local folder, got {model!r}; "
            f"presets: {', '.join(sorted(PROMPT_GUARD_PRESETS))}"
        )
    key = model.strip()
    preset = PROMPT_GUARD_PRESETS.get(key.lower())
    if preset is None:
        preset = next((spec for spec in PROMPT_GUARD_PRESETS.values() if spec.repo_id.lower() == key.lower()), None)
    if preset is not None:
        return preset.with_options(revision=revision, sha256=sha256)
    return ModelSpec(repo_id=key, revision=revision, sha256=dict(sha256 or {}))
