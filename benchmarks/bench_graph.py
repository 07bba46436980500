"""Added latency of the LangGraph guards on a 20-step scripted agent loop.

Baseline: the same graph with LangGraph's plain ``ToolNode``. "rule of two only" is ``GuardedToolNode``
without scanners (the adapter's own cost: Rule of Two, verdict cache, state updates). Guarded: ``GuardedToolNode`` with an engine
running the built-in ``regex`` and ``hidden_ascii`` scanners on the assistant (tool-call arguments) and tool
(outputs) roles, plus the Rule of Two; optionally a ``GuardNode`` on the user's input. Each step is one model
turn with one tool call and its output. Runs are interleaved; figures are medians over repetitions, as wall-clock time and as CPU time of this process
(``time.process_time``, all threads): on a shared, loaded machine the CPU figure is the steadier one.

"guarded, no provenance" is "guarded" with the data-flow guard switched off (``rule_of_two.provenance: false``):
the difference between the two is what provenance adds inside the graph.

The last part measures provenance on its own, as the issue sizes it: a 50-step session with 100 KB of tool
output in all (every step: index the history's user turns, index one ~2 KB tool output, trace a call with a
recipient, a URL and an amount), against the regex + hidden_ascii scan of the same outputs in the same run.

    python benchmarks/bench_graph.py [--reps 30] [--steps 20] [--only-provenance]
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
    elif kind == "guarded, no provenance":
        b.add_node("tools", GuardedToolNode([read_page], engine=engine, rule_of_two={"provenance": False}))
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
    ap.add_argument("--only-provenance", action="store_true", help="run only the provenance part")
    args = ap.parse_args()
    if args.only_provenance:
        bench_provenance()
        return
    engine = LlamaFirewall(scanners={"user": ["regex", "hidden_ascii"], "assistant": ["regex", "hidden_ascii"],
                                     "tool": ["regex", "hidden_ascii"]})
    kinds = ["baseline", "rule of two only", "guarded, no provenance", "guarded", "guarded+input"]
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
        print(f"  {'baseline (ToolNode)':<22} wall {bw:7.3f}  1.00x | cpu {bc:7.3f}  1.00x")
        for k in kinds[1:]:
            # added latency: median over repetitions of (guarded - baseline), measured back to back
            aw = statistics.median(g - b for g, b in zip(wall[k], wall["baseline"], strict=True))
            ac = statistics.median(g - b for g, b in zip(cpu[k], cpu["baseline"], strict=True))
            mw, mc = statistics.median(wall[k]), statistics.median(cpu[k])
            print(f"  {k:<22} wall {mw:7.3f} {mw / bw:5.2f}x added {aw:+.3f} | cpu {mc:7.3f} {mc / bc:5.2f}x "
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
    bench_provenance()


def _session_outputs(steps: int, total_chars: int) -> list[str]:
    """``steps`` tool outputs of about ``total_chars`` in all: mail, statements and pages with the kinds of
    values provenance indexes (addresses, IBANs, URLs, amounts, paths), different in every output."""
    out = []
    per = total_chars // steps
    for i in range(steps):
        block = (f"From: sender{i}@mail{i % 7}.example  To: me@home.example  Subject: invoice {i}\n"
                 f"Please pay {100 + i}.50 EUR to DE{10 + i % 80} 5001 0517 5407 {3249 + i:04d} 31 by Friday. "
                 f"Details: https://portal{i}.example/invoices/{i}?ref=A{i:05d} and /home/me/docs/inv_{i}.pdf. ")
        text = (block + PAGE) * (per // len(block + PAGE) + 1)
        out.append(text[:per])
    return out


def bench_provenance(steps: int = 50, total_chars: int = 100_000, reps: int = 15) -> None:
    from lf_middleware import Message, Role
    from lf_middleware.provenance import Provenance
    from lf_middleware.types import ScanResult

    engine = LlamaFirewall(scanners={"tool": ["regex", "hidden_ascii"]})
    outputs = _session_outputs(steps, total_chars)
    user = Message(role=Role.USER, content="Pay the invoices in my mail to the accounts they give and tell "
                                           "sender3@mail3.example when it is done.")
    prov = Provenance(properties=lambda name: {"A", "B"} if name == "read_mail" else {"C"})
    ok = ScanResult()
    calls = [{"name": "send_money", "id": f"c{i}", "args": {
        "iban": f"DE{10 + i % 80}500105175407{3249 + i:04d}31", "amount": 100 + i + 0.5,
        "url": f"https://portal{i}.example/pay", "note": "invoice"}} for i in range(steps)]
    read = {"name": "read_mail", "id": "r", "args": {}}

    def one_session() -> tuple[float, float, float]:
        state = None
        history = [user]
        t_prov = t_scan = c_prov = 0.0
        for i, text in enumerate(outputs):
            t0 = time.perf_counter()
            engine.scan(Message(role=Role.TOOL, content=text))
            t1, c1 = time.perf_counter(), time.process_time()
            state = prov.record_messages(state, history)
            state = prov.record_output(state, read, text, ok)
            verdict = prov.check_call(state, calls[i])
            t2, c2 = time.perf_counter(), time.process_time()
            assert verdict.decision.value == "human_in_the_loop_required", verdict.reason  # untrusted IBAN
            history.append(Message(role=Role.TOOL, content=text))
            t_scan += t1 - t0
            t_prov += t2 - t1
            c_prov += c2 - c1
        return t_prov, t_scan, c_prov

    one_session()  # warm up
    prov_ms, scan_ms, cpu_ms = [], [], []
    for _ in range(reps):
        p, s, c = one_session()
        prov_ms.append(p / steps * 1000)
        scan_ms.append(s / steps * 1000)
        cpu_ms.append(c / steps * 1000)
    mp, ms, mc = statistics.median(prov_ms), statistics.median(scan_ms), statistics.median(cpu_ms)
    print(f"\nprovenance, {steps}-step session with {sum(map(len, outputs)) // 1000} KB of tool output, {reps} reps "
          f"(ms per step): provenance wall median {mp:.3f}, CPU median {mc:.3f} (min {min(cpu_ms):.3f}) | "
          f"regex + hidden_ascii scan of the same output {ms:.3f} wall (baseline) -> {mp / ms:.2f}x the scan; "
          f"target < 1 ms: {'met' if min(mp, mc) < 1.0 else 'MISSED'} "
          f"({'wall' if mp < 1.0 else 'CPU' if mc < 1.0 else 'neither'}; on a loaded machine CPU is the steadier)")


if __name__ == "__main__":
    main()
