"""Added latency of the LangGraph guards on a 20-step scripted agent loop.

Baseline: the same graph with LangGraph's plain ``ToolNode``. "rule of two only" is ``GuardedToolNode``
without scanners (the adapter's own cost: Rule of Two, verdict cache, state updates). Guarded: ``GuardedToolNode`` with an engine
running the built-in ``regex`` and ``hidden_ascii`` scanners on the assistant (tool-call arguments) and tool
(outputs) roles, plus the Rule of Two; optionally a ``GuardNode`` on the user's input. Each step is one model
turn with one tool call and its output. Runs are interleaved; figures are medians over repetitions, as wall-clock time and as CPU time of this process
(``time.process_time``, all threads): on a shared, loaded machine the CPU figure is the steadier one.

    python benchmarks/bench_graph.py [--reps 30] [--steps 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from lf_middleware.adapters.langgraph import GuardedToolNode, GuardState, add_guard

from lf_middleware import LlamaFirewall
from lf_middleware.rule_of_two import exercises

PAGE = ("Hotel Miramar, Lisbon. Rooms from 120 EUR. Guests praise the breakfast and the view over the river; "
        "some mention street noise at night. Check-in from 15:00, check-out until 11:00. ") * 4


@tool
@exercises("A")
def read_page(url: str) -> str:
    """Read a web page."""
    return PAGE


def model_for(steps: int) -> Any:
    def model(state: dict) -> dict:
        n = sum(isinstance(m, AIMessage) for m in state["messages"])
        if n >= steps:
            return {"messages": [AIMessage(content="Here is the summary of the pages I read.")]}
        return {"messages": [AIMessage(content="", tool_calls=[
            {"name": "read_page", "args": {"url": f"https://reviews.example/page/{n}"}, "id": f"call_{n}",
             "type": "tool_call"}])]}

    return model


def build(kind: str, steps: int, engine: LlamaFirewall, checkpointer: Any = None) -> Any:
    b = StateGraph(GuardState)
    b.add_node("agent", model_for(steps))
    if kind == "baseline":
        b.add_node("tools", ToolNode([read_page]))
    elif kind == "rule of two only":
        b.add_node("tools", GuardedToolNode([read_page]))  # no scanners: the adapter's own bookkeeping
    else:
        b.add_node("tools", GuardedToolNode([read_page], engine=engine))
    if kind == "guarded+input":
        add_guard(b, "input_guard", next="agent", engine=engine, roles=["user"])
        b.add_edge(START, "input_guard")
    else:
        b.add_edge(START, "agent")
    b.add_conditional_edges("agent", tools_condition, ["tools", END])
    b.add_edge("tools", "agent")
    return b.compile(checkpointer=checkpointer)


def run_once(app: Any, steps: int, thread: str | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one run of the loop."""
    cfg = {"configurable": {"thread_id": thread}, "recursion_limit": 4 * steps + 10} if thread else \
        {"recursion_limit": 4 * steps + 10}
    c0, t0 = time.process_time(), time.perf_counter()
    out = app.invoke({"messages": [HumanMessage("Summarise the reviews of the Miramar.")]}, cfg)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert sum(isinstance(m, AIMessage) for m in out["messages"]) == steps + 1
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()
    engine = LlamaFirewall(scanners={"user": ["regex", "hidden_ascii"], "assistant": ["regex", "hidden_ascii"],
                                     "tool": ["regex", "hidden_ascii"]})
    kinds = ["baseline", "rule of two only", "guarded", "guarded+input"]
    for persist in (False, True):
        apps = {k: build(k, args.steps, engine, InMemorySaver() if persist else None) for k in kinds}
        for k in kinds:  # warm up
            run_once(apps[k], args.steps, "warm" if persist else None)
        wall: dict[str, list[float]] = {k: [] for k in kinds}
        cpu: dict[str, list[float]] = {k: [] for k in kinds}
        for rep in range(args.reps):
            order = kinds[rep % len(kinds):] + kinds[:rep % len(kinds)]  # rotate to spread drift evenly
            for k in order:
                w, c = run_once(apps[k], args.steps, f"t{rep}" if persist else None)
                wall[k].append(w / args.steps * 1000.0)
                cpu[k].append(c / args.steps * 1000.0)
        label = "InMemorySaver checkpointer" if persist else "no checkpointer"
        print(f"\n{args.steps}-step agent loop, {args.reps} reps, {label} (median ms per step; wall | CPU of this process)")
        bw, bc = statistics.median(wall["baseline"]), statistics.median(cpu["baseline"])
        print(f"  {'baseline (ToolNode)':<18} wall {bw:7.3f}  1.00x | cpu {bc:7.3f}  1.00x")
        for k in kinds[1:]:
            # added latency: median over repetitions of (guarded - baseline), measured back to back
            aw = statistics.median(g - b for g, b in zip(wall[k], wall["baseline"], strict=True))
            ac = statistics.median(g - b for g, b in zip(cpu[k], cpu["baseline"], strict=True))
            mw, mc = statistics.median(wall[k]), statistics.median(cpu[k])
            print(f"  {k:<18} wall {mw:7.3f} {mw / bw:5.2f}x added {aw:+.3f} | cpu {mc:7.3f} {mc / bc:5.2f}x "
                  f"added {ac:+.3f}   (target < 1 ms: {'met' if min(aw, ac) < 1.0 else 'MISSED'} by "
                  f"{'cpu' if ac < 1.0 else 'wall' if aw < 1.0 else 'neither'})")
    # the scanning cost alone, outside LangGraph
    from lf_middleware import Message, Role

    msg = Message(role=Role.TOOL, content=PAGE)
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        engine.scan(msg)
    print(f"\nengine.scan of one {len(PAGE)}-char tool output (regex + hidden_ascii): "
          f"{(time.perf_counter() - t0) / n * 1000:.3f} ms")


if __name__ == "__main__":
    main()
