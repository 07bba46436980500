"""A worker process for test_langgraph_postgres: resume every interrupted thread it is given, once.

argv: database URL, JSON list of [thread_id, interrupt_id] pairs, audit log path, start-at (epoch seconds).
Prints what this process's send_http sent and which threads it resumed.
"""

from __future__ import annotations

import json
import sys
import time

import lg_agent
import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from lf_middleware.adapters.langgraph.postgres import resume_once
from lg_persist_child import SCRIPTS

APPROVE = {"decisions": [{"type": "approve", "reviewer": "worker"}]}


def main() -> None:
    url, pairs, audit, start_at = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    lf = lg_agent.engine(assistant=["kw_test"], audit_log=audit)
    resumed = []
    with PostgresSaver.from_conn_string(url) as saver, psycopg.connect(url, autocommit=True) as lock_conn:
        app = lg_agent.build(SCRIPTS["trifecta"], lf=lf, checkpointer=saver)
        time.sleep(max(0.0, start_at - time.time()))  # every worker starts at the same moment
        for thread_id, interrupt_id in pairs:
            if resume_once(app, lock_conn, thread_id, interrupt_id, APPROVE) is not None:
                resumed.append(thread_id)
    lf.audit_log.close()
    print(json.dumps({"sent": lg_agent.SENT, "resumed": resumed}))


if __name__ == "__main__":
    main()
