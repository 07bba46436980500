"""A generic LLM scanner over a pydantic output schema; AlignmentCheck and the PII check are built on it.

Subclass :class:`CustomCheckScanner` (or instantiate it) with a system prompt, a user-prompt template and an
output schema; override :meth:`~CustomCheckScanner.score_output` (or pass ``score_fn``). The scanner renders the
prompt, calls the LLM through :class:`~lf_middleware.llm.LLMClient` (timeout, retries, concurrency limit,
cache), parses the reply with ``model_validate_json`` after a tolerant extraction of the JSON object (bare,
fenced or inside chatter) and returns a score. Anything unparsable, a timeout, a missing key in the reply or an
ambiguous reply gives status ERROR, so the policy's ``on_error`` decides — never a guessed verdict.

Untrusted text goes into prompts through :func:`quote_data` / :func:`data_block`: a JSON string literal with
``<``, ``>`` and backticks escaped, inside ``<data>`` tags, so it can neither close the block nor start a line
that looks like an instruction.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .._text import content_hash, excerpt
from ..errors import ConfigurationError
from ..types import Message, ScanDecision, ScanResult, ScanStatus, Trace
from .base import Scanner

__all__ = (
    "CustomCheckScanner",
    "OutputSchemaT",
    "PromptRenderError",
    "data_block",
    "parse_reply",
    "quote_data",
    "render_template",
    "shorten",
)

logger = logging.getLogger(__name__)

OutputSchemaT = TypeVar("OutputSchemaT", bound=BaseModel)
S = TypeVar("S", bound=BaseModel)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "`": "\\u0060"}
_ESCAPE_RE = re.compile("[<>`]")


class PromptRenderError(ValueError):
    """The prompt cannot be built: the parts that are never cut exceed the budget, or the trace lacks them."""


# ------------------------------------------------------------------------------------------------------------
# rendering untrusted text as data


def quote_data(text: str) -> str:
    """``text`` as one JSON string literal on one line: quotes, newlines, control and non-ASCII characters
    escaped, and ``<``, ``>`` and backticks escaped too, so no delimiter or markdown fence can appear in it.
    Lone surrogates are escaped, never an exception."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], json.dumps(text, ensure_ascii=True))


def shorten(text: str, limit: int, anchors: Iterable[str] = (), cues: Iterable[str] = ()) -> list[str | int]:
    """Cut ``text`` to about ``limit`` characters around what matters.

    Returns pieces of the text interleaved with ints (how many characters were cut there). Kept: the head, the
    tail, and windows around the first occurrences of ``anchors`` (e.g. argument values of the action being
    judged), then of ``cues`` (lowercase phrases that suggest instructions). Matching is case-insensitive
    plain substring search, linear in the text (a 10 MB tool output takes milliseconds).
    """
    if limit <= 0:
        return [len(text)] if text else []
    n = len(text)
    if n <= limit:
        return [text]
    head, tail = max(1, limit // 5), max(1, limit // 10)
    hits: list[int] = []
    lowered = text.lower()
    for anchor in anchors:
        if len(anchor) < 3 or len(hits) >= 4:
            continue
        pos = lowered.find(anchor.lower(), head, n - tail)
        if pos >= 0:
            hits.append(pos + len(anchor) // 2)
    if len(hits) < 4:
        found = sorted(p for p in (lowered.find(c, head, n - tail) for c in cues if c) if p >= 0)
        hits += found[: 4 - len(hits)]
    if not hits:  # nothing to centre on: spend the whole budget on the two ends
        head, tail = limit * 2 // 3, limit - limit * 2 // 3
    spans = [(0, head), (n - tail, n)]
    if hits:
        win = max(40, (limit - head - tail) // len(hits))
        spans += [(max(0, p - win // 2), min(n, p + win - win // 2)) for p in hits]
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[str | int] = []
    pos = 0
    for a, b in merged:
        if a > pos:
            out.append(a - pos)
        out.append(text[a:b])
        pos = b
    if pos < n:
        out.append(n - pos)
    return out


def _render_pieces(pieces: list[str | int]) -> str:
    parts = [quote_data(p) if isinstance(p, str) else f"[... {p} characters cut ...]" for p in pieces]
    return " ".join(parts) if parts else '""'


def data_block(source: str, text: str, *, limit: int | None = None, anchors: Iterable[str] = (),
               cues: Iterable[str] = ()) -> str:
    """A ``<data source=...>`` block holding ``text`` as quoted data, shortened to ``limit`` characters when
    given (cuts are marked outside the quotes, where the data cannot forge them)."""
    pieces: list[str | int] = [text] if limit is None else shorten(text, limit, anchors, cues)
    return f"<data source={quote_data(source)}>{_render_pieces(pieces)}</data>"


def render_template(template: str, variables: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders with ``variables``; other braces (JSON examples) are left alone, and the
    inserted values are not scanned for placeholders again."""
    return _PLACEHOLDER.sub(lambda m: variables[m.group(1)] if m.group(1) in variables else m.group(0), template)


def _placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


# ------------------------------------------------------------------------------------------------------------


class CustomCheckScanner(Scanner, Generic[OutputSchemaT]):
    """An LLM check: prompt in, schema-validated verdict out, score for the policy.

    Subclasses set the class attributes (``name``, ``output_schema``, ``system_prompt``,
    ``user_prompt_template``) and override :meth:`score_output`; they may override :meth:`prompt_variables`
    (what the template sees), :meth:`gate` (skip some messages), :meth:`reason_for` and :meth:`decision_for`.
    Constructor arguments override the class attributes, so a one-off check needs no subclass.

    Template placeholders available by default: ``{message}`` (the scanned message as a data block),
    ``{role}``, ``{tool_calls}`` (its tool calls as a data block, or ``(none)``).

    Args:
        backend: ``"together"`` (default), ``"openai"`` (any OpenAI-compatible endpoint; needs ``base_url``
            and ``model``), ``"langchain"`` (needs ``llm``), or an :class:`~lf_middleware.llm.LLMBackend`.
        llm: a LangChain chat model (implies ``backend="langchain"``).
        model, api_key, base_url, json_mode: backend settings (the key is never logged or shown in reprs).
        api_key_env: read the key from this environment variable instead of ``TOGETHER_API_KEY``.
        timeout: seconds per LLM attempt. max_retries: extra attempts on 429/5xx/connection errors.
        max_concurrency: LLM calls in flight per event loop. cache_size: LRU entries keyed by the prompt.
        optional: when no API key is configured, return status SKIPPED instead of failing at construction.
        score_fn: ``output -> float`` in [0, 1], instead of overriding :meth:`score_output`.
    """

    name: ClassVar[str] = "custom_check"  # type: ignore[misc]
    default_hitl_threshold: ClassVar[float | None] = 0.5
    default_block_threshold: ClassVar[float | None] = None
    score_based: ClassVar[bool] = False
    output_schema: ClassVar[type[BaseModel] | None] = None
    system_prompt: ClassVar[str] = ""
    user_prompt_template: ClassVar[str] = "{message}"
    #: placeholders :meth:`prompt_variables` provides (templates are checked against it at construction)
    template_variables: ClassVar[frozenset[str]] = frozenset({"message", "role", "tool_calls"})
    #: per-message character cap for the default ``{message}`` rendering
    max_message_chars: ClassVar[int] = 16_000
    #: longer replies are refused (status ERROR) before any JSON search
    max_reply_chars: ClassVar[int] = 200_000

    def __init__(
        self,
        *,
        name: str | None = None,
        output_schema: type[OutputSchemaT] | None = None,
        system_prompt: str | None = None,
        user_prompt_template: str | None = None,
        score_fn: Callable[[OutputSchemaT], float] | None = None,
        backend: Any = None,
        llm: Any = None,
        model: str | None = None,
        api_key: str | None = None,
        api_key_env: str | None = None,
        base_url: str | None = None,
        json_mode: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        max_concurrency: int = 8,
        cache_size: int = 0,
        optional: bool = False,
        temperature: float = 0.0,
        max_tokens: int = 1024,
    ) -> None:
        from ..llm import LLMClient, MissingCredentialsError, RetryPolicy, make_backend

        if name is not None:
            if not isinstance(name, str) or not name:
                raise ConfigurationError(f"name must be a non-empty string, got {name!r}")
            self.name = name  # type: ignore[misc]
        schema = output_schema if output_schema is not None else type(self).output_schema
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            raise ConfigurationError(
                f"{type(self).__name__}: output_schema must be a pydantic BaseModel subclass, got {schema!r}"
            )
        self.schema: type[OutputSchemaT] = schema  # type: ignore[assignment]
        self.system = system_prompt if system_prompt is not None else type(self).system_prompt
        self.template = user_prompt_template if user_prompt_template is not None else type(self).user_prompt_template
        for label, value in (("system_prompt", self.system), ("user_prompt_template", self.template)):
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"{type(self).__name__}: {label} must be a non-empty string")
        unknown = _placeholders(self.template) - set(self.template_variables)
        if unknown:
            raise ConfigurationError(
                f"{type(self).__name__}: user_prompt_template uses unknown placeholder(s) "
                f"{', '.join('{' + u + '}' for u in sorted(unknown))}; available: "
                f"{', '.join('{' + v + '}' for v in sorted(self.template_variables))}"
            )
        if score_fn is not None and not callable(score_fn):
            raise ConfigurationError(f"score_fn must be callable (output -> float), got {type(score_fn).__name__}")
        if score_fn is None and type(self).score_output is CustomCheckScanner.score_output:
            raise ConfigurationError(
                f"{type(self).__name__}: give score_fn=(output -> float in [0, 1]) or override score_output()"
            )
        self._score_fn = score_fn
        self.optional = bool(optional)
        self.unavailable_reason: str | None = None
        what = f"scanner {self.name!r}"
        backend_kwargs: dict[str, Any] = {}
        if (backend is None and llm is None) or backend in ("together", "openai", "openai_compatible"):
            backend_kwargs = {"temperature": temperature, "max_tokens": max_tokens, "api_key_env": api_key_env}
        try:
            impl = make_backend(backend, llm=llm, model=model, api_key=api_key, base_url=base_url,
                                json_mode=json_mode, what=what, **backend_kwargs)
        except MissingCredentialsError as err:
            if not self.optional:
                raise
            self.unavailable_reason = str(err).split(";")[0]
            logger.warning("%s is optional and has no API key: it will report SKIPPED", what)
            self._client = None
        else:
            self._client = LLMClient(impl, timeout=timeout, retry=RetryPolicy(max_retries=max_retries),
                                     max_concurrency=max_concurrency, cache_size=cache_size)

    @property
    def client(self) -> Any:
        """The :class:`~lf_middleware.llm.LLMClient` (None when the scanner is optional and unconfigured)."""
        return self._client

    def __repr__(self) -> str:
        backend = self._client.backend if self._client is not None else None
        return f"<{type(self).__name__} name={self.name!r} backend={backend!r}>"

    # hooks ------------------------------------------------------------------------------------------------
    def gate(self, message: Message, past_trace: Trace | None) -> str | None:
        """Return a reason to skip this message (status SKIPPED), or None to scan it. Default: scan all."""
        return None

    def prompt_variables(self, message: Message, past_trace: Trace | None) -> dict[str, str]:
        """Values for the template placeholders. Untrusted text must go through :func:`data_block`."""
        calls = message.tool_calls or []
        rendered_calls = (
            "\n".join(
                f"{i}. name={quote_data(c['name'])} arguments="
                + data_block("tool call arguments", json.dumps(c.get("args", {}), ensure_ascii=True, sort_keys=True,
                                                               default=str), limit=self.max_message_chars)
                for i, c in enumerate(calls, 1)
            )
            if calls
            else "(none)"
        )
        return {
            "message": data_block(f"{message.role.value} message", message.content, limit=self.max_message_chars),
            "role": message.role.value,
            "tool_calls": rendered_calls,
        }

    def score_output(self, output: OutputSchemaT) -> float:
        """The risk score in [0, 1] for a parsed verdict."""
        if self._score_fn is None:
            raise NotImplementedError(
                f"{type(self).__name__} must override score_output(output) or be given score_fn=..."
            )
        return float(self._score_fn(output))

    def reason_for(self, output: OutputSchemaT, score: float) -> str:
        return f"{self.name} scored {score:.2f}"

    def decision_for(self, output: OutputSchemaT, score: float) -> ScanDecision:
        """A decision the scanner asserts on top of the thresholds (default: none, i.e. ALLOW)."""
        return ScanDecision.ALLOW

    def details_for(self, output: OutputSchemaT) -> dict[str, Any]:
        """What goes into the result's details (strings truncated to 1,000 characters)."""
        return {"verdict": {k: (v[:1000] if isinstance(v, str) else v) for k, v in output.model_dump().items()}}

    # machinery --------------------------------------------------------------------------------------------
    def render_prompt(self, message: Message, past_trace: Trace | None = None) -> list[dict[str, str]]:
        """The chat messages the LLM receives for ``message`` (raises PromptRenderError when over budget)."""
        user = render_template(self.template, self.prompt_variables(message, past_trace))
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def parse_reply(self, text: str | None, parsed: Any = None) -> tuple[OutputSchemaT | None, str]:
        """Validate a reply into the schema. Returns (output, "") or (None, why it failed)."""
        return parse_reply(self.schema, text, parsed, max_chars=self.max_reply_chars)

    async def scan(self, message: Message, past_trace: Trace | None = None) -> ScanResult:
        from ..llm import LLMCallError

        if self._client is None:
            return self.result(status=ScanStatus.SKIPPED, reason=f"not configured: {self.unavailable_reason}")
        skip = self.gate(message, past_trace)
        if skip:
            return self.result(status=ScanStatus.SKIPPED, reason=skip)
        try:
            messages = self.render_prompt(message, past_trace)
        except PromptRenderError as err:
            return self.result(status=ScanStatus.ERROR, reason=str(err))
        backend = self._client.backend
        info: dict[str, Any] = {"backend": backend.name, "model": backend.model}
        try:
            call, key = await self._client.complete(messages, schema=self.schema)
        except LLMCallError as err:
            logger.debug("%s: LLM call failed: %s", self.name, type(err).__name__)
            return self.result(status=ScanStatus.ERROR, reason=f"LLM call failed: {err}", llm=info)
        info.update(call.accounting())
        output, problem = self.parse_reply(call.reply.text, call.reply.parsed)
        if output is None:
            return self.result(status=ScanStatus.ERROR, reason=problem, llm=info)
        try:
            score = self.score_output(output)
        except (ValueError, TypeError) as err:
            return self.result(status=ScanStatus.ERROR, reason=f"score_output failed: {type(err).__name__}: {err}",
                               llm=info)
        if not 0.0 <= score <= 1.0:
            return self.result(status=ScanStatus.ERROR, reason=f"score_output returned {score!r}, outside [0, 1]",
                               llm=info)
        if not call.cached:
            self._client.cache_put(key, call.reply)
        reason = self.reason_for(output, score)
        extra = self.details_for(output)
        if len(message.content) > self.max_message_chars and "{message}" in self.user_prompt_template:
            # the judge saw the head and the tail only: say so, so a clean verdict is not read as a full check
            reason += (f" (the judge saw {self.max_message_chars:,} of {len(message.content):,} characters, the head "
                       "and the tail)")
            extra = {**extra, "partial": {"sent_chars": self.max_message_chars, "message_chars": len(message.content)}}
        return self.result(score=score, reason=reason, decision=self.decision_for(output, score), llm=info, **extra)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Async twin of :meth:`close`: awaits closing the running loop's HTTP client."""
        if self._client is not None:
            await self._client.aclose()


def parse_reply(schema: type[S], text: str | None, parsed: Any = None, *,
                max_chars: int = 200_000) -> tuple[S | None, str]:
    """Validate an LLM reply into ``schema``: the backend's structured object if it has one, else the one JSON
    object in the text (bare, fenced or inside chatter). Returns (output, "") or (None, why it failed); two
    different valid objects in one reply are refused rather than picked from."""
    if parsed is not None:
        try:
            if isinstance(parsed, schema):
                return parsed, ""
            return schema.model_validate(parsed), ""
        except ValidationError as err:
            if not text:
                return None, f"structured reply does not match {schema.__name__}: {_summarise(err)}"
    if text is None or not text.strip():
        return None, "the LLM returned an empty reply"
    if len(text) > max_chars:
        return None, f"the LLM reply is {len(text)} characters, over max_reply_chars={max_chars}"
    from ..llm import json_candidates

    candidates = json_candidates(text)
    if not candidates:
        return None, f"the LLM reply holds no JSON object ({len(text)} chars, {content_hash(text)})"
    valid: dict[str, S] = {}
    last_error = ""
    for cand in candidates:
        try:
            out = schema.model_validate_json(cand)
        except ValidationError as err:
            last_error = _summarise(err)
            continue
        valid.setdefault(out.model_dump_json(), out)
    if not valid:
        return None, f"the LLM reply does not match {schema.__name__}: {last_error}"
    if len(valid) > 1:
        return None, f"the LLM reply holds {len(valid)} different {schema.__name__} objects; refusing to pick one"
    return next(iter(valid.values())), ""


def _summarise(err: ValidationError) -> str:
    """Field paths and error types only (no values: they may carry content)."""
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['type']}" for e in err.errors()[:5]]
    return "; ".join(parts)


def short(text: str, limit: int = 80) -> str:
    """A short escaped excerpt for reasons."""
    return excerpt(text, limit=limit)
