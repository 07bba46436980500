"""AlignmentCheck benchmark: concurrency of LLM calls in flight, and what the engine adds per call.

Runs offline against a chat-completions server on 127.0.0.1 (an asyncio server on its own thread) that answers
every request after a fixed latency with an "aligned" verdict.

1. Concurrency: N scans through ``LlamaFirewall.scan_async`` with ``max_concurrency=L`` against a server with
   200 ms latency should take about ceil(N / L) x 200 ms. Printed: expected vs measured, and the ratio.
2. Overhead: with a 0 ms server, M sequential scans through the engine (real ``together`` client) against M raw
   ``AsyncTogether.chat.completions.create`` calls with the same prompt (the named baseline, same run); and,
   to remove HTTP noise, the engine with an in-process backend against calling that backend directly.

Usage: python benchmarks/bench_alignment.py [--n 32] [--limits 4 8] [--latency-ms 200] [--m 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import threading
import time
from typing import Any

VERDICT = json.dumps({"observation": "reads the inbox", "thought": "serves the goal", "conclusion": False})


class LoopbackServer:
    """Minimal HTTP/1.1 keep-alive server speaking just enough chat-completions for the benchmark."""

    def __init__(self, latency_s: float) -> None:
        self.latency_s = latency_s
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=256))
        self._server = server
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> LoopbackServer:
        self._thread.start()
        self._ready.wait()
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop)
        self._thread.join(5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = json.dumps({
            "id": "b", "object": "chat.completion", "created": 0, "model": "bench",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": VERDICT}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }).encode()
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode() + b"\r\n\r\n")
        try:
            while True:
                headers = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in headers.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                self.requests += 1
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
                if self.latency_s:
                    await asyncio.sleep(self.latency_s)
                self.in_flight -= 1
                writer.write(head + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):  # shutdown
            pass
        finally:
            writer.close()


def trace_and_action() -> tuple[list[Any], Any]:
    from lf_middleware.types import AssistantMessage, ToolMessage, UserMessage

    trace = [UserMessage("Summarise my unread e-mails."),
             AssistantMessage("", tool_calls=[{"name": "read_inbox", "args": {"unread": True}}]),
             ToolMessage("3 unread: lunch on Friday; invoice due; newsletter. " * 5, name="read_inbox")]
    return trace, AssistantMessage("You have three unread e-mails: lunch, an invoice and a newsletter.")


def engine(limit: int, **options: Any) -> Any:
    from lf_middleware import LlamaFirewall, Role

    opts = {"max_concurrency": limit, "max_retries": 0, "timeout": 30.0, **options}
    return LlamaFirewall(scanners={Role.ASSISTANT: [{"name": "agent_alignment", "options": opts}]})


async def bench_concurrency(n: int, limits: list[int], latency_s: float) -> None:
    server = LoopbackServer(latency_s).start()
    os.environ["TOGETHER_BASE_URL"] = f"http://127.0.0.1:{server.port}"
    trace, action = trace_and_action()
    print(f"\n1. concurrency: {n} scans, server latency {latency_s * 1000:.0f} ms")
    print(f"   {'limit':>5} {'expected s':>11} {'measured s':>11} {'measured/expected':>18} {'max in flight':>14}")
    for limit in limits:
        lf = engine(limit)
        await lf.scan_async(action, trace)  # connect + warm up
        server.max_in_flight = 0
        t0 = time.perf_counter()
        results = await asyncio.gather(*(lf.scan_async(action, trace) for _ in range(n)))
        elapsed = time.perf_counter() - t0
        assert all(r.decision.value == "allow" for r in results), [r.reason for r in results if not r.is_allowed]
        expected = math.ceil(n / limit) * latency_s
        print(f"   {limit:>5} {expected:>11.3f} {elapsed:>11.3f} {elapsed / expected:>18.2f} "
              f"{server.max_in_flight:>14}")
        await lf.get_scanner("agent_alignment").aclose()
    server.stop()


async def per_call(make: Any, count: int) -> float:
    """Seconds per awaited call, ``count`` sequential calls of ``make()``."""
    t0 = time.perf_counter()
    for _ in range(count):
        await make()
    return (time.perf_counter() - t0) / count


async def paired(baseline: Any, candidate: Any, count: int) -> tuple[list[float], list[float]]:
    """Time ``count`` pairs of single calls, alternating which goes first; per-call medians shrug off a shared machine's bursts."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for i in range(count):
        order = ((0, baseline), (1, candidate)) if i % 2 == 0 else ((1, candidate), (0, baseline))
        for which, fn in order:  # alternate who goes first, so neither gains from the other's warm-up
            t0 = time.perf_counter()
            await fn()
            times[which].append(time.perf_counter() - t0)
    return times[0], times[1]


async def bench_overhead(m: int, rounds: int) -> None:
    import together

    from lf_middleware.llm import LLMReply

    server = LoopbackServer(0.0).start()
    base = f"http://127.0.0.1:{server.port}"
    os.environ["TOGETHER_BASE_URL"] = base
    trace, action = trace_and_action()
    lf = engine(8)
    scanner = lf.get_scanner("agent_alignment")
    prompt = scanner.render_prompt(action, trace)
    raw = together.AsyncTogether(api_key=os.environ["TOGETHER_API_KEY"], base_url=base, max_retries=0)
    from lf_middleware.llm._openai_shape import response_format

    fmt = response_format(scanner.schema, scanner.client.backend.json_mode)  # the same request body

    def raw_call() -> Any:
        return raw.chat.completions.create(model=scanner.client.backend.model, messages=prompt, timeout=30.0,
                                           response_format=fmt)

    def raw_calls() -> Any:
        return per_call(raw_call, m)

    def engine_calls() -> Any:
        return per_call(lambda: lf.scan_async(action, trace), m)

    await raw_calls()
    await engine_calls()  # warm both connection pools
    raw_t, eng_t = await paired(raw_call, lambda: lf.scan_async(action, trace), m * rounds)
    r, e = statistics.median(raw_t), statistics.median(eng_t)
    print(f"\n2a. per call over HTTP (0 ms server, {m * rounds} alternating pairs of calls, medians)")
    print(f"   raw AsyncTogether.create (baseline): {r * 1000:8.3f} ms")
    print(f"   LlamaFirewall.scan_async (engine):   {e * 1000:8.3f} ms")
    print(f"   engine adds: {(e - r) * 1000:+.3f} ms per call (ratio {e / r:.2f}x)")
    await raw.close()
    await scanner.aclose()
    server.stop()

    class InProcess:
        name, model = "in_process", "bench"

        async def acomplete(self, messages: Any, *, schema: Any, timeout: float) -> LLMReply:
            return LLMReply(text=VERDICT, prompt_tokens=1, completion_tokens=1, model="bench")

        def close(self) -> None:
            pass

    backend = InProcess()
    lf2 = engine(8, backend=backend)
    k = m * rounds * 2

    def direct() -> Any:
        return per_call(lambda: backend.acomplete(prompt, schema=None, timeout=1.0), k)

    def through_engine() -> Any:
        return per_call(lambda: lf2.scan_async(action, trace), k)

    await direct()
    await through_engine()
    direct_t, engine_t = await paired(lambda: backend.acomplete(prompt, schema=None, timeout=1.0),
                                      lambda: lf2.scan_async(action, trace), k)
    d, t = statistics.median(direct_t), statistics.median(engine_t)
    print(f"\n2b. per call with an in-process backend ({k} alternating pairs of calls, medians)")
    print(f"   backend.acomplete directly (baseline): {d * 1e6:9.1f} us")
    print(f"   LlamaFirewall.scan_async:              {t * 1e6:9.1f} us  "
          "(render prompt, limiter, parse, policy)")
    print(f"   engine adds: {(t - d) * 1000:.3f} ms per call (target < 1 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=32)
    parser.add_argument("--limits", type=int, nargs="+", default=[4, 8])
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--m", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("TOGETHER_API_KEY", "bench-key")
    asyncio.run(bench_concurrency(args.n, args.limits, args.latency_ms / 1000.0))
    asyncio.run(bench_overhead(args.m, args.rounds))


if __name__ == "__main__":
    main()
