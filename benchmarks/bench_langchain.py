"""Added latency of the LangChain guard handler on a scripted chain.

A prompt | chat model | parser chain (scripted model, no network) is invoked N times without callbacks
(the baseline) and N times with ``GuardCallbackHandler`` (cheap scanners on user, system and assistant
text), interleaved in one run so machine noise hits both alike. Prints the medians, the added latency per
call and the ratio against the baseline. Target: under 1 ms added per call (median).

    python benchmarks/bench_langchain.py [--calls 1000] [--stream]

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
    args = ap.parse_args()

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


if __name__ == "__main__":
    raise SystemExit(main())
