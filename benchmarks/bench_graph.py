"""Added latency of the LangGraph guards on a 20-step scripted agent loop.

Baseline: the same graph with LangGraph's plain ``ToolNode``. "rule of two only" is ``GuardedToolNode``
without scanners (the adapter's own cost: Rule of Two, verdict cache, state updates). Guarded: ``GuardedToolNode`` with an engine
running the built-in ``regex`` and ``hidden_ascii`` scanners on the assistant (tool-call arguments) and tool
(outputs) roles, plus the Rule of Two; optionally a ``GuardNode`` on the user's input. Each step is one model
turn with one tool call and its output. Runs are interleaved; figures are medians over repetitions.

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


def run_once(app: Any, steps: int, thread: str | None) -> float:
    cfg = {"configurable": {"thread_id": thread}, "recursion_limit": 4 * steps + 10} if thread else \
        {"recursion_limit": 4 * steps + 10}
    t0 = time.perf_counter()
    out = app.invoke({"messages": [HumanMessage("Summarise the reviews of the Miramar.")]}, cfg)
    elapsed = time.perf_counter() - t0
    assert sum(isinstance(m, AIMessage) for m in out["messages"]) == steps + 1
    return elapsed


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
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for rep in range(args.reps):
            order = kinds[rep % len(kinds):] + kinds[:rep % len(kinds)]  # rotate to spread drift evenly
            for k in order:
                times[k].append(run_once(apps[k], args.steps, f"t{rep}" if persist else None) / args.steps * 1000.0)
        per_step = {k: statistics.median(v) for k, v in times.items()}
        base = per_step["baseline"]
        label = "InMemorySaver checkpointer" if persist else "no checkpointer"
        print(f"\n{args.steps}-step agent loop, {args.reps} reps, {label} (median ms per step)")
        print(f"  baseline (ToolNode)        {base:8.3f} ms/step   1.00x")
        for k in kinds[1:]:
            # added latency: median over repetitions of (guarded - baseline) measured back to back
            added = statistics.median(g - b for g, b in zip(times[k], times["baseline"], strict=True))
            print(f"  {k:<26} {per_step[k]:8.3f} ms/step   {per_step[k] / base:4.2f}x   added {added:+.3f} ms/step"
                  f"   (target < 1 ms: {'met' if added < 1.0 else 'MISSED'})")
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
