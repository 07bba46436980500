"""Added latency of the LangChain guard handler on a scripted chain.

A prompt | chat model | parser chain (scripted model, no network) is invoked N times without callbacks
(the baseline) and N times with ``GuardCallbackHandler`` (cheap scanners on user, system and assistant
text), interleaved in one run so machine noise hits both alike. Prints the medians, the added latency per
call and the ratio against the baseline. Target: under 1 ms added per call (median).

    python benchmarks/bench_langchain.py [--calls 1000] [--stream]
    python benchmarks/bench_langchain.py --holdback [--calls 300]

``--holdback`` times streamed replies (352 characters in 145 chunks) three ways, interleaved: the bare
model (baseline), the model with ``GuardCallbackHandler`` (every chunk judged by the cheap scanners), and the
model wrapped by ``guard_model`` (text released only once judged: cheap scanners per chunk with a 96-character
hold-back, the engine at sentence boundaries). It prints the median time to the first non-empty chunk (TTFT),
the median total time and the added time per chunk, each against the baseline.

Scanners: ``regex`` + ``hidden_ascii`` when this installation has them; otherwise two registered stand-ins of
the same kind (a few injection regexes; a hidden-character check), and the output says so.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import time


def _scanners() -> tuple[list[str], str]:
    from lf_middleware.errors import ConfigurationError
    from lf_middleware.scanners.base import get_scanner_class

    try:
        get_scanner_class("regex")
        get_scanner_class("hidden_ascii")
        return ["regex", "hidden_ascii"], "regex + hidden_ascii (built-in)"
    except ConfigurationError:
        pass
    from lf_middleware import register_scanner
    from lf_middleware.scanners.base import Scanner
    from lf_middleware.types import ScanDecision

    patterns = re.compile(
        r"ignore (all )?(previous|prior) instructions|disregard (the )?above|you are now in developer mode|"
        r"reveal (your )?system prompt|forget (all )?previous instructions",
        re.IGNORECASE,
    )
    hidden = re.compile("[\U000e0000-\U000e007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

    @register_scanner("bench_regex", replace=True)
    class BenchRegex(Scanner):
        default_hitl_threshold = None
        default_block_threshold = None
        score_based = False

        def scan_sync(self, message, past_trace=None):
            m = patterns.search(message.content)
            if m:
                return self.result(score=1.0, decision=ScanDecision.BLOCK, reason=f"pattern at {m.start()}")
            return self.result(reason="no pattern")

    @register_scanner("bench_hidden", replace=True)
    class BenchHidden(Scanner):
        default_hitl_threshold = None
        default_block_threshold = None
        score_based = False

        def scan_sync(self, message, past_trace=None):
            m = hidden.search(message.content)
            if m:
                return self.result(score=1.0, decision=ScanDecision.BLOCK, reason=f"hidden char at {m.start()}")
            return self.result(reason="clean")

    return ["bench_regex", "bench_hidden"], "registered stand-ins (regex/hidden_ascii not merged in this tree)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--stream", action="store_true", help="stream each reply (also times the streaming guard)")
    ap.add_argument("--holdback", action="store_true", help="time-to-first-token and per-chunk cost of the "
                                                            "streaming guards (callback vs hold-back wrapper)")
    args = ap.parse_args()
    if args.holdback:
        return holdback(args)

    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from lf_middleware.adapters.langchain import GuardCallbackHandler

    from lf_middleware import Role

    names, label = _scanners()
    replies = [
        "Paris is the capital of France. It is known for the Eiffel Tower and its museums.",
        "Here is a short answer. The function returns the sum of its two arguments.",
        "Sure. The meeting is at 10 am on Tuesday in room 4B; bring the quarterly figures.",
    ]
    questions = ["What is the capital of France?", "What does add(a, b) do?", "When is the meeting?"]
    model = GenericFakeChatModel(messages=itertools.cycle(replies))
    prompt = ChatPromptTemplate.from_messages([("system", "You are a concise assistant."), ("human", "{q}")])
    chain = prompt | model | StrOutputParser()
    handler = GuardCallbackHandler(
        scanners={Role.USER: names, Role.SYSTEM: names, Role.ASSISTANT: names},
        stream=args.stream, stream_scanners=names if args.stream else None,
    )
    guarded = {"callbacks": [handler]}

    from langchain_core.callbacks import BaseCallbackHandler

    class _Noop(BaseCallbackHandler):
        """Receives every event and does nothing: LangChain's own cost of having a handler attached."""

        run_inline = True

    noop = {"callbacks": [_Noop()]}

    def once(config: dict | None, i: int) -> float:
        value = {"q": questions[i % len(questions)]}
        t = time.perf_counter()
        if args.stream:
            for _ in chain.stream(value, config=config):
                pass
        else:
            chain.invoke(value, config=config)
        return (time.perf_counter() - t) * 1000.0

    for i in range(args.warmup):
        once(None, i)
        once(noop, i)
        once(guarded, i)
    base: list[float] = []
    with_noop: list[float] = []
    with_guard: list[float] = []
    order = [(None, base), (noop, with_noop), (guarded, with_guard)]
    for i in range(args.calls):  # interleaved, rotating the order so drift hits all three alike
        k = i % 3
        for config, sink in order[k:] + order[:k]:
            sink.append(once(config, i))
    mb, mg, mn = statistics.median(base), statistics.median(with_guard), statistics.median(with_noop)
    qb = statistics.quantiles(base, n=20)[18]
    qg = statistics.quantiles(with_guard, n=20)[18]
    out = {
        "calls": args.calls,
        "mode": "stream" if args.stream else "invoke",
        "scanners": label,
        "baseline_median_ms": round(mb, 4),
        "guarded_median_ms": round(mg, 4),
        "added_median_ms": round(mg - mb, 4),
        "noop_handler_median_ms": round(mn, 4),
        "added_by_scanning_median_ms": round(mg - mn, 4),
        "ratio_vs_baseline": round(mg / mb, 3),
        "baseline_p95_ms": round(qb, 4),
        "guarded_p95_ms": round(qg, 4),
        "target_added_ms": 1.0,
        "meets_target": (mg - mb) < 1.0,
        "open_run_trees_after": handler.open_trees,
    }
    print(json.dumps(out, indent=2))
    return 0


def holdback(args: argparse.Namespace) -> int:
    from langchain_core.callbacks import BaseCallbackHandler  # noqa: F401  (imported for the same warm-up cost)
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage
    from lf_middleware.adapters.langchain import GuardCallbackHandler
    from lf_middleware.adapters.langchain.streaming import guard_model

    from lf_middleware import LlamaFirewall, Role

    names, label = _scanners()
    sentence = "The meeting moved to Tuesday at ten in room 4B, and the figures are due by Friday noon. "
    reply = sentence * 4  # 352 characters; the fake model streams words and spaces as 145 chunks
    engine = LlamaFirewall(scanners={Role.ASSISTANT: names})

    def fresh() -> GenericFakeChatModel:
        return GenericFakeChatModel(messages=itertools.repeat(AIMessage(content=reply)))

    bare, with_handler = fresh(), fresh()
    wrapped = guard_model(fresh(), engine, stream_scanners=names)
    handler = {"callbacks": [GuardCallbackHandler(scanners={Role.USER: names, Role.ASSISTANT: names,
                                                              Role.TOOL: names}, stream_scanners=names)]}

    def once(model, config) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        first = None
        n = 0
        for chunk in model.stream("when is the meeting?", config=config):
            n += 1
            if first is None and chunk.content:
                first = time.perf_counter()
        end = time.perf_counter()
        return ((first or end) - t) * 1000.0, (end - t) * 1000.0, n

    runs = {"baseline": (bare, None), "callback_handler": (with_handler, handler), "holdback_wrapper": (wrapped, None)}
    for _ in range(args.warmup):
        for model, config in runs.values():
            once(model, config)
    got: dict[str, list[tuple[float, float, int]]] = {k: [] for k in runs}
    keys = list(runs)
    for i in range(args.calls):
        k = i % len(keys)
        for name in keys[k:] + keys[:k]:
            got[name].append(once(*runs[name]))
    base_ttft = statistics.median(x[0] for x in got["baseline"])
    base_total = statistics.median(x[1] for x in got["baseline"])
    chunks = statistics.median(x[2] for x in got["baseline"])
    out: dict[str, object] = {"calls": args.calls, "scanners": label, "reply_chars": len(reply),
                              "chunks_per_reply": chunks, "baseline_ttft_ms": round(base_ttft, 4),
                              "baseline_total_ms": round(base_total, 4)}
    for name in ("callback_handler", "holdback_wrapper"):
        ttft = statistics.median(x[0] for x in got[name])
        total = statistics.median(x[1] for x in got[name])
        out[name] = {"ttft_ms": round(ttft, 4), "added_ttft_ms": round(ttft - base_ttft, 4),
                     "total_ms": round(total, 4), "ratio_total_vs_baseline": round(total / base_total, 3),
                     "added_per_chunk_ms": round((total - base_total) / chunks, 4)}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
