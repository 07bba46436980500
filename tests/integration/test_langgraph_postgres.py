"""Approvals and Rule of Two state in PostgreSQL, with many worker processes (a real server the tests start)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("langgraph.checkpoint.postgres")
psycopg = pytest.importorskip("psycopg")

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import lg_agent  # noqa: E402
import pg_server  # noqa: E402
from langchain_core.messages import HumanMessage  # noqa: E402
from langgraph.checkpoint.postgres import PostgresSaver  # noqa: E402
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver  # noqa: E402
from lf_middleware.adapters.langgraph.postgres import aresume_once, open_interrupts, resume_once  # noqa: E402
from lg_persist_child import SCRIPTS  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

APPROVE = {"decisions": [{"type": "approve", "reviewer": "erin"}]}


@pytest.fixture(scope="module")
def pg():  # type: ignore[no-untyped-def]
    reason = pg_server.unavailable()
    if reason:
        pytest.skip(reason)
    server = pg_server.start()
    try:
        with PostgresSaver.from_conn_string(server.url) as saver:
            saver.setup()
        yield server
    finally:
        server.stop()


def _start_threads(url: str, threads: list[str], audit: Path) -> dict[str, str]:
    """Run each thread to its send_http review; thread id -> the open interrupt's id."""
    lf = lg_agent.engine(assistant=["kw_test"], audit_log=audit)
    out = {}
    with PostgresSaver.from_conn_string(url) as saver:
        app = lg_agent.build(SCRIPTS["trifecta"], lf=lf, checkpointer=saver)
        for thread in threads:
            result = app.invoke({"messages": [HumanMessage("go")]}, lg_agent.cfg(thread))
            (interrupt,) = result["__interrupt__"]
            assert interrupt.value["action_requests"][0]["name"] == "send_http"
            out[thread] = interrupt.id
    lf.audit_log.close()
    assert lg_agent.SENT == []
    return out


def test_many_workers_apply_each_approval_exactly_once(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    threads = [f"pg-{i}" for i in range(8)]
    audit = tmp_path / "audit.jsonl"
    pending = _start_threads(pg.url, threads, audit)
    workers = 4
    start_at = time.time() + 6.0  # after every worker has imported and connected
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    procs = []
    for w in range(workers):
        pairs = list(pending.items())
        random.Random(w).shuffle(pairs)  # every worker tries every thread, in its own order
        procs.append(subprocess.Popen(
            [sys.executable, str(HERE / "lg_pg_worker.py"), pg.url, json.dumps(pairs), str(audit), str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        ))
    reports = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr[-3000:]
        reports.append(json.loads(stdout.strip().splitlines()[-1]))
    resumed = [t for r in reports for t in r["resumed"]]
    assert sorted(resumed) == sorted(threads)  # every thread resumed, none twice
    assert sum(len(r["sent"]) for r in reports) == len(threads)  # the approved tool ran once per thread
    for r in reports:
        assert len(r["sent"]) == len(r["resumed"])
    # no thread lost: each finished, with its Rule of Two record intact in PostgreSQL
    lf = lg_agent.engine(assistant=["kw_test"])
    with PostgresSaver.from_conn_string(pg.url) as saver:
        app = lg_agent.build(SCRIPTS["trifecta"], lf=lf, checkpointer=saver)
        for thread in threads:
            snapshot = app.get_state(lg_agent.cfg(thread))
            assert open_interrupts(snapshot) == {}
            values = snapshot.values
            assert values["messages"][-1].content == "all done"
            assert sorted(values["lf_rule_of_two"]["marks"]) == ["A", "B", "C"]
            sends = [m for m in values["messages"] if m.type == "tool" and m.name == "send_http"]
            assert len(sends) == 1 and sends[0].status == "success"
            # a stale approval for the answered review changes nothing
            assert resume_once(app, psycopg.connect(pg.url, autocommit=True), thread, pending[thread], APPROVE) is None
    records = [json.loads(x) for x in audit.read_text().splitlines()]
    decisions = [r for r in records if r["event"] == "hitl_decision"]
    assert len(decisions) == len(threads)


async def test_async_saver_concurrent_resumes_in_one_process(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    threads = [f"apg-{i}" for i in range(3)]
    pending = _start_threads(pg.url, threads, tmp_path / "a.jsonl")
    lg_agent.SENT.clear()
    lf = lg_agent.engine(assistant=["kw_test"])
    async with AsyncPostgresSaver.from_conn_string(pg.url) as saver:
        app = lg_agent.build(SCRIPTS["trifecta"], lf=lf, checkpointer=saver)

        async def worker() -> list[str]:
            done = []
            async with await psycopg.AsyncConnection.connect(pg.url, autocommit=True) as conn:
                for thread, interrupt_id in pending.items():
                    if await aresume_once(app, conn, thread, interrupt_id, APPROVE) is not None:
                        done.append(thread)
            return done

        results = await asyncio.gather(*(worker() for _ in range(4)))
        assert sorted(t for r in results for t in r) == sorted(threads)
        assert len(lg_agent.SENT) == len(threads)
        for thread in threads:
            snapshot = await app.aget_state(lg_agent.cfg(thread))
            assert snapshot.values["messages"][-1].content == "all done"
    lg_agent.SENT.clear()
