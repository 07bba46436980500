"""Load benchmark: 32 concurrent scripted agent sessions through the LangGraph guard.

    .venv/bin/python benchmarks/bench_serving.py --serve-python .venv-serve/bin/python   # everything
    .venv/bin/python benchmarks/bench_serving.py --modes inprocess --checkpointers memory --rounds 1

Each session is a small LangGraph agent (scripted model, no LLM): a user message, two tool calls whose outputs
come back as documents of 40-250 words, and a final answer. The guard scans the user message and every tool
output with PromptGuard (the 22M stand-in of ``bench_prompt_guard.py``: PromptGuard 2 22M's architecture,
random weights) and every tool call with the regex scanner; the Rule of Two is on. ``--sessions`` sessions run
at once (asyncio, ``ainvoke``), ``--rounds`` times.

Modes:
- ``inprocess``: the model is loaded in this process; concurrent scans are micro-batched;
- ``ray``: the same model served by the Ray Serve application (``lf_middleware.serving.ray_app``) on a local Ray
  instance, one replica; the scanner is ``PromptGuardScanner(remote=...)``. The application runs in a child
  process of ``--serve-python``: ``ray[serve]`` and the ``codeshield`` extra need different OpenTelemetry
  releases, so it usually lives in its own environment (``scripts/setup_serve.sh`` builds ``.venv-serve``).

Checkpointers: ``memory`` (LangGraph's InMemorySaver) and ``postgres`` (AsyncPostgresSaver on a throwaway
PostgreSQL server started here; needs Debian's postgresql binaries).

Printed per configuration: sessions/s, and the p50/p99 latency the guard added per step (one step = one guarded
scan: the engine's latency for it, including waits for a batch or the network).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))  # pg_server: the throwaway PostgreSQL the tests use

WORDS = ["the", "report", "shows", "quarterly", "revenue", "grew", "while", "costs", "stayed", "flat", "across", "every", "region", "and", "the", "team", "plans", "to", "review", "budget", "forecasts", "next", "week", "with", "customer", "notes", "travel", "invoice", "schedule"]


class _Latencies:
    """An audit sink that keeps each scan's latency (the engine measures it around the whole scan)."""

    def __init__(self) -> None:
        self.ms: list[float] = []

    def record_scan(self, message: Any, result: Any, **extra: Any) -> None:
        self.ms.append(float(result.latency_ms))

    def write(self, record: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


def _doc(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 250)))


def build_graph(engine: Any, checkpointer: Any) -> Any:
    from langchain_core.messages import AIMessage
    from langchain_core.tools import tool
    from langgraph.graph import START, StateGraph
    from langgraph.prebuilt import tools_condition
    from lf_middleware.adapters.langgraph import GuardedToolNode, GuardState, add_guard

    from lf_middleware.rule_of_two import exercises

    @tool
    @exercises("A")
    def read_web(url: str) -> str:
        """Read a web page."""
        return _doc(random.Random(url))

    @tool
    @exercises("B")
    def read_notes(topic: str) -> str:
        """Read the user's notes."""
        return _doc(random.Random(topic))

    def model(state: dict) -> dict:
        n = sum(isinstance(m, AIMessage) and not (m.response_metadata or {}).get("lf_middleware")
                for m in state["messages"])
        sid = state["messages"][0].content.split()[-1]
        script = [
            AIMessage(content="", tool_calls=[{"name": "read_web", "args": {"url": f"http://site/{sid}"},
                                               "id": f"w{sid}", "type": "tool_call"}]),
            AIMessage(content="", tool_calls=[{"name": "read_notes", "args": {"topic": f"trip {sid}"},
                                               "id": f"n{sid}", "type": "tool_call"}]),
            AIMessage(content="here is your summary"),
        ]
        return {"messages": [script[min(n, 2)]]}

    tools = [read_web, read_notes]
    b = StateGraph(GuardState)
    b.add_node("agent", model)
    b.add_node("tools", GuardedToolNode(tools, engine=engine))
    add_guard(b, "input_guard", next="agent", engine=engine, tools=tools)
    b.add_edge(START, "input_guard")
    b.add_conditional_edges("agent", tools_condition)
    b.add_edge("tools", "agent")
    return b.compile(checkpointer=checkpointer)


async def run_sessions(app: Any, sessions: int, rounds: int, tag: str) -> float:
    from langchain_core.messages import HumanMessage

    started = time.perf_counter()
    for r in range(rounds):
        async def one(i: int, r: int = r) -> None:
            sid = f"{tag}-{r}-{i}"
            out = await app.ainvoke({"messages": [HumanMessage(f"plan my trip, session {sid}")]},
                                    {"configurable": {"thread_id": sid}})
            assert out["messages"][-1].content == "here is your summary", out["messages"][-1].content
        await asyncio.gather(*(one(i) for i in range(sessions)))
    return time.perf_counter() - started


def make_engine(options: dict[str, Any], sink: _Latencies) -> Any:
    """PromptGuard (one instance) on user and tool messages, regex on the assistant's; PromptGuard never decides.

    The stand-in's random head scores everything near 0.5, so the default thresholds would stop sessions at
    random: the benchmark measures the scans, so PromptGuard's thresholds are off. ``on_error`` stays the
    default (HITL): a failed scan stops its session, and the benchmark fails loudly instead of timing it.
    """
    from lf_middleware import LlamaFirewall, Role

    guard = {"name": "prompt_guard", "options": options, "hitl_threshold": None, "block_threshold": None}
    return LlamaFirewall(scanners={Role.USER: [guard], Role.TOOL: [guard], Role.ASSISTANT: ["regex"]},
                         audit_log=sink)


def serve_forever(model: str, port: int) -> None:
    """Run the Ray Serve application on a local Ray instance until stdin closes (``--serve``)."""
    import ray
    from ray import serve

    from lf_middleware.serving.ray_app import build_app

    ray.init(num_cpus=max(2, os.cpu_count() or 2), include_dashboard=False, log_to_driver=False,
             configure_logging=False, runtime_env={"env_vars": {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}})
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": port})
        serve.run(build_app({"model": model, "num_replicas": 1, "num_cpus": 1, "max_batch_size": 32}), name="bench",
                  route_prefix="/")
        print("ready", flush=True)
        sys.stdin.read()
    finally:
        serve.shutdown()
        ray.shutdown()


def start_ray(python: str, model: str, port: int) -> tuple[subprocess.Popen[str], str]:
    """The Serve application in a child process of ``python`` (an environment with the ``serve`` extra)."""
    child = subprocess.Popen([python, __file__, "--serve", model, "--port", str(port)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for line in child.stdout:  # anything Ray prints first, then "ready" (EOF: the child died)
        if line.strip() == "ready":
            break
    else:
        child.kill()
        raise SystemExit(f"the Ray Serve application did not start under {python} (exit {child.wait()})")
    return child, f"http://127.0.0.1:{port}"


async def bench(args: argparse.Namespace) -> None:
    import bench_prompt_guard

    model = args.model or str(bench_prompt_guard.build_standin("22m"))
    pg = ray_child = ray_url = None
    if "postgres" in args.checkpointers:
        import pg_server

        reason = pg_server.unavailable()
        if reason:
            raise SystemExit(f"postgres checkpointer: {reason}")
    try:  # whatever started is stopped, whatever fails
        if "ray" in args.modes:
            ray_child, ray_url = start_ray(args.serve_python, model, args.port)
        if "postgres" in args.checkpointers:
            pg = pg_server.start()
        print(f"{args.sessions} concurrent sessions x {args.rounds} rounds; model {Path(model).name}; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
        print(f"{'scoring':<11}{'checkpoints':<13}{'sessions/s':>11}{'steps':>7}{'p50 ms/step':>13}"
              f"{'p99 ms/step':>13}", flush=True)
        for mode in args.modes:
            for cp in args.checkpointers:
                if mode == "inprocess":
                    options = {"model": model, "max_batch_wait_ms": 5}
                    if args.inference:
                        options["inference"] = args.inference
                else:
                    options = {"remote": {"url": ray_url, "max_concurrency": 8, "timeout": 60}, "max_batch_wait_ms": 5}
                sink = _Latencies()
                engine = make_engine(options, sink)
                if cp == "memory":
                    from langgraph.checkpoint.memory import InMemorySaver

                    app = build_graph(engine, InMemorySaver())
                    await run_sessions(app, 2, 1, f"warm-{mode}-{cp}")
                    sink.ms.clear()
                    seconds = await run_sessions(app, args.sessions, args.rounds, f"{mode}-{cp}")
                else:
                    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
                    from psycopg_pool import AsyncConnectionPool

                    async with AsyncConnectionPool(pg.url, max_size=args.sessions + 4, open=False,
                                                   kwargs={"autocommit": True, "prepare_threshold": 0}) as pool:
                        saver = AsyncPostgresSaver(pool)
                        await saver.setup()
                        app = build_graph(engine, saver)
                        await run_sessions(app, 2, 1, f"warm-{mode}-{cp}")
                        sink.ms.clear()
                        seconds = await run_sessions(app, args.sessions, args.rounds, f"{mode}-{cp}")
                ms = sorted(sink.ms)
                p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
                print(f"{mode:<11}{cp:<13}{args.sessions * args.rounds / seconds:>11.2f}{len(ms):>7}"
                      f"{statistics.median(ms):>13.1f}{p99:>13.1f}", flush=True)
                engine.close()
    finally:
        if ray_child is not None:
            ray_child.communicate(timeout=120)  # closes its stdin: the child shuts Serve and Ray down
        if pg is not None:
            pg.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", nargs="+", default=["inprocess", "ray"], choices=["inprocess", "ray"])
    parser.add_argument("--checkpointers", nargs="+", default=["memory", "postgres"], choices=["memory", "postgres"])
    parser.add_argument("--model", help="PromptGuard model folder (default: the 22M stand-in)")
    parser.add_argument("--inference", help="inference path for in-process scoring (default: the scanner's)")
    parser.add_argument("--port", type=int, default=8765, help="Ray Serve HTTP port")
    parser.add_argument("--serve-python", default=sys.executable,
                        help="Python of an environment with the serve extra, for the Ray Serve application "
                             "(e.g. .venv-serve/bin/python; default: this one)")
    parser.add_argument("--serve", metavar="MODEL", help=argparse.SUPPRESS)  # the child: serve MODEL until stdin closes
    args = parser.parse_args(argv)
    if args.serve:
        serve_forever(args.serve, args.port)
    else:
        asyncio.run(bench(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
