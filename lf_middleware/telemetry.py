"""OpenTelemetry spans (and optional log records) for scans, guard decisions and human approvals.

:class:`OTelAudit` is an audit sink: pass it as the engine's ``audit_log`` (alone, or forwarding to a JSON-lines
:class:`~lf_middleware.audit.AuditLog`) and every record the engine and the adapters write becomes telemetry::

    from lf_middleware.telemetry import OTelAudit
    lf = LlamaFirewall(config=..., audit_log=OTelAudit(forward=AuditLog("audit.jsonl")))

Spans (parented to whatever span is current where the scan ran, so they nest under the agent's own spans):

- ``lf.scan {role}``: one per scan, from its start to its end; one child ``lf.scanner {name}`` per scanner;
- ``lf.guard hitl_interrupt``: a review was asked for; ``lf.guard hitl_decision``: a person answered it.

Attributes carry names, decisions, scores, statuses, latencies, lengths and hashes only: never message text,
never a scanner's reason (which may quote the text), never tool arguments (only their hash). The draft GenAI
semantic conventions have no security or guardrail attributes yet; where a GenAI attribute exists for the
same thing it is used (``gen_ai.tool.name``, ``gen_ai.tool.call.id``, ``gen_ai.conversation.id``,
``gen_ai.request.model``, ``error.type``), and the rest live under ``lf_middleware.*``.

With ``export_logs=True`` each audit record is also emitted as an OpenTelemetry log record (event name
``lf_middleware.audit.<event>``) through the global or given logger provider, filtered the same way.

Needs ``opentelemetry-api`` (the ``otel`` extra); the SDK and exporters are the application's choice.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ._lazy import require
from .types import Message, ScanResult, ScanStatus

__all__ = ("OTelAudit",)

_SCOPE = "lf_middleware"
#: audit-record keys that may become attributes (everything else is dropped), with their attribute names
_RECORD_KEYS = {
    "event": "lf_middleware.event",
    "decision": "lf_middleware.decision",
    "reviewer": "lf_middleware.reviewer",
    "outcome": "lf_middleware.outcome",
    "where": "lf_middleware.where",
    "tool": "gen_ai.tool.name",
    "tool_call_id": "gen_ai.tool.call.id",
    "thread_id": "gen_ai.conversation.id",
    "args_sha256": "lf_middleware.tool.args_sha256",
    "edited_tool": "lf_middleware.edited_tool",
    "clear_taint": "lf_middleware.clear_taint",
    "message_length": "lf_middleware.message_length",
    "role": "lf_middleware.role",
    "status": "lf_middleware.status",
    "score": "lf_middleware.score",
    "content_sha256": "lf_middleware.content_sha256",
    "length": "lf_middleware.content_length",
}


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float))


def _filtered(record: Mapping[str, Any]) -> dict[str, Any]:
    out = {attr: record[key] for key, attr in _RECORD_KEYS.items() if _scalar(record.get(key))}
    actions = record.get("actions")
    if isinstance(actions, list):  # hitl_interrupt: the calls under review, without reasons or arguments
        out["gen_ai.tool.name"] = [str(a.get("tool")) for a in actions if isinstance(a, Mapping)]
        out["gen_ai.tool.call.id"] = [str(a.get("tool_call_id")) for a in actions if isinstance(a, Mapping)]
        out["lf_middleware.decisions"] = [str(a.get("decision")) for a in actions if isinstance(a, Mapping)]
    return out


class OTelAudit:
    """An audit sink that turns scan results and guard/approval records into OpenTelemetry spans.

    Args:
        tracer_provider: where spans go (default: the global provider).
        logger_provider: where log records go with ``export_logs`` (default: the global provider).
        export_logs: also emit each audit record as a log record.
        forward: another audit sink (e.g. a JSON-lines :class:`AuditLog`) that receives every record as well.
    """

    def __init__(
        self,
        *,
        tracer_provider: Any = None,
        logger_provider: Any = None,
        export_logs: bool = False,
        forward: Any = None,
    ) -> None:
        trace = require("opentelemetry.trace", "otel", what="OpenTelemetry export")
        self._trace = trace
        self._tracer = trace.get_tracer(_SCOPE, tracer_provider=tracer_provider)
        self._logger = None
        if export_logs:
            logs = require("opentelemetry._logs", "otel", what="OpenTelemetry log export")
            self._logs = logs
            self._logger = logs.get_logger(f"{_SCOPE}.audit", logger_provider=logger_provider)
        self.forward = forward

    # the audit-sink contract (what the engine and the adapters call) ------------------------------------
    def record_scan(self, message: Message, result: ScanResult, **extra: Any) -> None:
        end = time.time_ns()
        start = end - int(max(0.0, float(result.latency_ms or 0.0)) * 1e6)
        role = message.role.value
        attrs: dict[str, Any] = {
            "lf_middleware.role": role,
            "lf_middleware.decision": result.decision.value,
            "lf_middleware.status": result.status.value,
            "lf_middleware.score": float(result.score),
            "lf_middleware.scanners": [r.scanner for r in result.results],
            "lf_middleware.content_length": len(message.content),
        }
        span = self._tracer.start_span(f"lf.scan {role}", start_time=start, attributes=attrs)
        if result.status == ScanStatus.ERROR:
            span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, "a scanner failed"))
        parent = self._trace.set_span_in_context(span)
        for r in result.results:
            child_attrs: dict[str, Any] = {
                "lf_middleware.scanner": r.scanner,
                "lf_middleware.decision": r.decision.value,
                "lf_middleware.status": r.status.value,
                "lf_middleware.score": float(r.score),
                "lf_middleware.latency_ms": float(r.latency_ms or 0.0),
            }
            model = (r.details or {}).get("model") if isinstance(r.details, Mapping) else None
            if isinstance(model, str):
                child_attrs["gen_ai.request.model"] = model
            if r.status == ScanStatus.ERROR:
                child_attrs["error.type"] = "scanner_error"
            child_start = end - int(max(0.0, float(r.latency_ms or 0.0)) * 1e6)
            child = self._tracer.start_span(
                f"lf.scanner {r.scanner}", context=parent, start_time=max(start, child_start), attributes=child_attrs
            )
            if r.status == ScanStatus.ERROR:
                child.set_status(self._trace.Status(self._trace.StatusCode.ERROR, "scanner error"))
            child.end(end_time=end)
        span.end(end_time=end)
        if self._logger is not None:
            self._emit("scan", {**attrs, "lf_middleware.event": "scan"}, span)
        if self.forward is not None:
            self.forward.record_scan(message, result, **extra)

    def write(self, record: dict[str, Any]) -> None:
        event = str(record.get("event") or "record")
        attrs = _filtered(record)
        span = self._tracer.start_span(f"lf.guard {event}", attributes=attrs)
        span.end()
        if self._logger is not None:
            self._emit(event, attrs, span)
        if self.forward is not None:
            self.forward.write(record)

    def close(self) -> None:
        if self.forward is not None:
            self.forward.close()

    def _emit(self, event: str, attrs: dict[str, Any], span: Any) -> None:
        self._logger.emit(self._logs.LogRecord(  # type: ignore[union-attr]
            timestamp=time.time_ns(), context=self._trace.set_span_in_context(span),
            event_name=f"{_SCOPE}.audit.{event}", body=f"{_SCOPE} {event}", attributes=attrs,
        ))
