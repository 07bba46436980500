"""The gaps issue #14 listed, one test each (each failed before the adapters shared lf_middleware.guard).

Budgets in GuardedToolNode, approvals reused under another call's arguments, PII treated as injection and
max_rejections that differed between adapters and ``Command(resume=None)`` (bare, and addressed to the
question) are covered by the shared table in test_guard_equivalence.py;
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


BAD_RESUMES = [
    pytest.param({"decisions": [{"type": "approve", "note": table._nested(40)}]}, "nests deeper", id="deeply-nested"),
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


@pytest.mark.parametrize("setup", ["plain", "batched", "per_call"])
def test_with_langchains_hitl_a_person_is_asked_once_per_call(setup: str) -> None:
    """LangChain's HumanInTheLoopMiddleware in the same agent: set up by ``guard.human_in_the_loop`` (the
    documented way), a person is asked once per call and never about a call the guard blocked; set up by hand
    without the guard's predicate, they are asked twice and about the blocked call too."""
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

    @table.tool
    def post(text: str) -> str:
        """Post a note (declared harmless: the guard lets it run, LangChain's middleware asks)."""
        ran.append(f"post:{text}")
        return "posted"

    script = [table.turn(table.call("shell", {"command": "EVIL_BLOCK"}, "s1"),
                         table.call("email", {"to": "boss@corp.example"}, "e1"),
                         table.call("post", {"text": "hi"}, "p1")), "done"]
    guard = GuardMiddleware(LlamaFirewall(config=table.ENGINE), rule_of_two={"tools": {"shell": [], "post": []}})
    on = {"allowed_decisions": ["approve", "reject"]}
    interrupt_on = {"shell": on, "email": on, "post": on}
    if setup == "plain":
        hitl = HumanInTheLoopMiddleware(interrupt_on=interrupt_on)
    else:
        hitl = guard.human_in_the_loop(interrupt_on, interrupt_mode=setup)
    agent = table.create_agent(table.ScriptedChatModel(script=script), tools=[shell, email, post],
                               middleware=[guard, hitl], checkpointer=table.InMemorySaver())
    config = {"configurable": {"thread_id": f"hitl-{setup}"}}
    out = agent.invoke({"messages": [HumanMessage("go")]}, config)
    asked: list[list[str]] = []
    while "__interrupt__" in out:
        pending = out["__interrupt__"]
        if "action_requests" in pending[0].value:  # one batched question
            asked.append([a["name"] for a in pending[0].value["action_requests"]])
            answer: Any = {"decisions": [{"type": "approve"}] * len(asked[-1])}
        else:  # per_call: one question per call, answered by interrupt id
            asked.append([p.value["name"] for p in pending])
            answer = {p.id: {"type": "approve"} for p in pending}
        out = agent.invoke(Command(resume=answer), config)
    assert sorted(ran) == ["email:boss@corp.example", "post:hi"]  # the blocked call never ran
    if setup == "plain":  # LangChain's middleware also asks about the guard's question and the blocked call
        assert asked == [["shell", "email", "post"], ["email"]]
    else:  # one question per call, none about the blocked call
        assert sorted(name for q in asked for name in q) == ["email", "post"]
    assert out["messages"][-1].content == "done"


def test_human_in_the_loop_keeps_the_callers_own_predicate() -> None:
    guard = GuardMiddleware(LlamaFirewall(config=table.ENGINE))
    seen: list[str] = []

    def mine(request: Any) -> bool:
        seen.append(request.tool_call["name"])
        return False

    hitl = guard.human_in_the_loop({"email": {"allowed_decisions": ["approve"], "when": mine}, "shell": True,
                                    "post": False})
    assert set(hitl.interrupt_on) == {"email", "shell"}
    assert hitl.interrupt_on["shell"]["allowed_decisions"] == ["approve", "edit", "reject", "respond"]
    when = hitl.interrupt_on["email"]["when"]
    request = type("R", (), {"state": {"messages": []}, "tool_call": {"name": "email", "args": {}, "id": "e"}})()
    assert when(request) is False and seen == []  # no model turn: nothing for a person to approve
    request.state = {"messages": [table.turn(table.call("email", {"to": "a@b.example"}, "e"))]}
    assert when(request) is False and seen == ["email"]  # a call the guard never judged: the caller decides
