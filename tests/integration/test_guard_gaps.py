"""The gaps issue #14 listed, one test each (each failed before the adapters shared lf_middleware.guard).

Budgets in GuardedToolNode, approvals reused under another call's arguments, PII treated as injection and
max_rejections that differed between adapters are covered by the shared table in test_guard_equivalence.py;
the async handler on a sync run by test_langchain_callbacks.py.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

pytest.importorskip("langchain")
pytest.importorskip("langgraph")

import test_guard_equivalence as table  # noqa: E402
from langchain_core.messages import HumanMessage, ToolMessage  # noqa: E402
from langgraph.types import Command  # noqa: E402
from lf_middleware.adapters.langchain import GuardMiddleware, guard_handler, guard_middleware  # noqa: E402

from lf_middleware import LlamaFirewall, Role  # noqa: E402
from lf_middleware.errors import GuardrailBlocked  # noqa: E402
from lf_middleware.types import AssistantMessage  # noqa: E402


def test_middleware_has_the_rule_of_two_without_a_config_section() -> None:
    # an empty rule_of_two section used to count as absent: a flagged output followed by a C call ran unasked
    tools = table.Tools()
    case = next(c for c in table.CASES if c.name == "taint_then_reject")
    model = table.ScriptedChatModel(script=[m.model_copy() for m in case.script] + ["done"])
    engine = LlamaFirewall(config={**table.ENGINE, "rule_of_two": {}})
    agent = table.create_agent(model, tools=tools.all, middleware=[GuardMiddleware(engine)],
                               checkpointer=table.InMemorySaver())
    out = agent.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "r2"}})
    assert "__interrupt__" in out and [r[0] for r in tools.ran] == ["read_web"]


def _deep(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(levels):
        node["x"] = {}
        node = node["x"]
    return root


BAD_RESUMES = [
    pytest.param({"decisions": [{"type": "approve", "note": _deep(40)}]}, "nests deeper", id="deeply-nested"),
    pytest.param({"decisions": [{"type": "approve", "reviewer": object()}]}, "plain JSON", id="not-json"),
    pytest.param({"decisions": [{"type": "approve", "note": "x" * 300_000}]}, "over the limit", id="too-large"),
    pytest.param({"decisions": "approve"}, "instead of a list", id="wrong-type"),
]


@pytest.mark.parametrize("build", [table._middleware_app, table._graph_app], ids=["middleware", "graph"])
@pytest.mark.parametrize(("resume", "says"), BAD_RESUMES)
def test_a_bad_resume_leaves_the_thread_at_the_question(build: Any, resume: Any, says: str) -> None:
    tools = table.Tools()
    case = next(c for c in table.CASES if c.name == "respond")
    app = build(case, tools)
    config = {"configurable": {"thread_id": "bad"}}
    first = app.invoke({"messages": [HumanMessage("go")]}, config)
    question = first["__interrupt__"][0].value
    with pytest.raises(ValueError, match=says):
        app.invoke(Command(resume=resume), config)
    assert tools.ran == []  # nothing ran before the answer was refused
    state = app.get_state(config)
    assert state.interrupts and state.interrupts[0].value == question  # still at the same question
    app.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config)
    assert [r[0] for r in tools.ran] == ["send_http"]


@pytest.mark.parametrize("build", [table._middleware_app, table._graph_app], ids=["middleware", "graph"])
def test_an_empty_resume_runs_nothing(build: Any) -> None:
    # LangGraph itself refuses Command(resume=None) before any node runs (its own error text); the thread
    # stays at the question and nothing runs
    tools = table.Tools()
    case = next(c for c in table.CASES if c.name == "respond")
    app = build(case, tools)
    config = {"configurable": {"thread_id": "none"}}
    app.invoke({"messages": [HumanMessage("go")]}, config)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the exception type is LangGraph's, not ours
        app.invoke(Command(resume=None), config)
    assert tools.ran == [] and app.get_state(config).interrupts


def test_check_resume_names_an_empty_resume() -> None:
    from lf_middleware.hitl import check_resume

    with pytest.raises(ValueError, match=r"Command\(resume=None\)"):
        check_resume(None)


def test_reasons_name_each_scanner_once() -> None:
    case = next(c for c in table.CASES if c.name == "budget")
    for build in (table._middleware_app, table._graph_app):
        reply = table._transcript(build, case)["replies"][-1][2]
        assert reply.count("tool_policy") == 1, reply


def test_every_use_case_scans_model_and_tool_output() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        handler = guard_handler("chatbot")
        middleware = guard_middleware("chatbot")
    assert not [w for w in caught if "no scanner is configured" in str(w.message)]  # no role left unscanned
    for engine in (handler.firewall, middleware.firewall):
        assert engine.scanners_for(Role.ASSISTANT) and engine.scanners_for(Role.TOOL)
    reply = AssistantMessage("your key is AKIAIOSFODNN7EXAMPLE")
    assert handler.firewall.scan(reply).decision.value == "block"
    with pytest.raises(GuardrailBlocked):
        handler._core.enforce(handler.firewall.scan(reply), "on_llm_end", Role.ASSISTANT)


def test_an_unscanned_role_is_named_at_construction() -> None:
    with pytest.warns(UserWarning, match="no scanner is configured for the tool role"):
        GuardMiddleware(scanners={Role.USER: ["regex"], Role.ASSISTANT: ["regex"]})
    with pytest.warns(UserWarning, match="assistant role"):
        guard_handler(scanners={Role.USER: ["regex"], Role.TOOL: ["regex"]})


def test_blocked_call_reaches_the_model_as_an_error_in_both_adapters() -> None:
    case = next(c for c in table.CASES if c.name == "blocked")
    for build in (table._middleware_app, table._graph_app):
        tools = table.Tools()
        app = build(case, tools)
        out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "blk"}})
        msg = next(m for m in out["messages"] if isinstance(m, ToolMessage))
        assert msg.status == "error" and msg.content.count("kw_test") == 1 and tools.ran == []


@pytest.mark.parametrize("defer", [False, True])
def test_with_langchains_hitl_a_person_is_asked_once_per_call(defer: bool) -> None:
    from langchain.agents.middleware import HumanInTheLoopMiddleware

    ran: list[str] = []

    @table.tool
    def shell(command: str) -> str:
        """Run a shell command."""
        ran.append(command)
        return "ok"

    @table.tool
    def email(to: str) -> str:
        """Send an e-mail (undeclared: the Rule of Two sends it to a person)."""
        ran.append(f"email:{to}")
        return "mailed"

    script = [table.turn(table.call("shell", {"command": "EVIL_BLOCK"}, "s1"),
                         table.call("email", {"to": "boss@corp.example"}, "e1")), "done"]
    guard = GuardMiddleware(LlamaFirewall(config=table.ENGINE), rule_of_two={"tools": {"shell": []}})
    on = {"allowed_decisions": ["approve", "reject"]}
    if defer:
        on = {**on, "when": guard.hitl_when}
    hitl = HumanInTheLoopMiddleware(interrupt_on={"shell": on, "email": on})
    agent = table.create_agent(table.ScriptedChatModel(script=script), tools=[shell, email],
                               middleware=[guard, hitl], checkpointer=table.InMemorySaver())
    config = {"configurable": {"thread_id": f"hitl-{defer}"}}
    out = agent.invoke({"messages": [HumanMessage("go")]}, config)
    asked: list[list[str]] = []
    while "__interrupt__" in out:
        value = out["__interrupt__"][0].value
        asked.append([a["name"] for a in value["action_requests"]])
        out = agent.invoke(Command(resume={"decisions": [{"type": "approve"}] * len(asked[-1])}), config)
    assert ran == ["email:boss@corp.example"]  # the blocked call never ran
    if defer:  # one question, about the one call that needs a person
        assert asked == [["email"]]
    else:  # without the predicate LangChain's middleware also asks, about the blocked call too
        assert asked == [["shell", "email"], ["email"]]
