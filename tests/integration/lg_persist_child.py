"""Child process for test_langgraph_persistence: run a thread to its interrupt, or resume it, on SQLite."""

from __future__ import annotations

import json
import sqlite3
import sys

import lg_agent
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command
from lg_agent import SENT, build, call, engine

SCRIPTS = {
    "trifecta": [
        AIMessage(content="", tool_calls=[call("read_web", {"url": "http://hotel"}, "c1")]),
        AIMessage(content="", tool_calls=[call("read_notes", {"topic": "trip"}, "c2")]),
        AIMessage(content="", tool_calls=[call("send_http", {"url": "http://x", "body": "n"}, "c3")]),
        AIMessage(content="all done"),
    ],
    "flipflop": [
        AIMessage(content="", tool_calls=[call("send_http", {"url": "http://x"}, "f1")]),
        AIMessage(content="all done"),
    ],
}


def main() -> None:
    db, scenario, phase, audit = sys.argv[1:5]
    if phase == "resume":
        lg_agent.FlipFlopScanner.counter = iter(range(1, 10**6))  # a fresh scan would now say ALLOW
    assistant = ["flipflop_test"] if scenario == "flipflop" else ["kw_test"]
    lf = engine(assistant=assistant, audit_log=audit)
    conn = sqlite3.connect(db, check_same_thread=False)
    app = build(SCRIPTS[scenario], lf=lf, checkpointer=SqliteSaver(conn))
    cfg = {"configurable": {"thread_id": scenario}}
    if phase == "start":
        r = app.invoke({"messages": [HumanMessage("go")]}, cfg)
    else:
        r = app.invoke(Command(resume=json.loads(sys.argv[5])), cfg)
    out = {
        "interrupt": r["__interrupt__"][0].value if "__interrupt__" in r else None,
        "last": r["messages"][-1].content,
        "sent": SENT,
        "flipflop_calls": lg_agent.FlipFlopScanner.calls,
        "marks": sorted(r.get("lf_rule_of_two", {}).get("marks", {})),
        "statuses": {m.tool_call_id: m.status for m in r["messages"] if m.type == "tool"},
    }
    lf.audit_log.close()
    conn.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
