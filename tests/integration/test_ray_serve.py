"""The Ray Serve application on a real local Ray instance: start, score, scale to 2 replicas, lose one mid-load."""

from __future__ import annotations

import concurrent.futures
import importlib.util
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("ray.serve", reason="needs the serve extra, which lives in its own environment: "
                    "bash scripts/setup_serve.sh && .venv-serve/bin/python -m pytest tests/integration/test_ray_serve.py")
pytest.importorskip("torch")
pytest.importorskip("httpx")

import ray  # noqa: E402
from ray import serve  # noqa: E402

from lf_middleware.scanners.prompt_guard import PromptGuardScanner  # noqa: E402
from lf_middleware.serving.ray_app import build_app  # noqa: E402
from lf_middleware.types import Role, ScanDecision, ScanStatus, UserMessage  # noqa: E402

_spec = importlib.util.spec_from_file_location("prompt_guard_tiny", Path(__file__).parents[1] / "prompt_guard_tiny.py")
tiny = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("prompt_guard_tiny", tiny)
_spec.loader.exec_module(tiny)

pytestmark = [pytest.mark.slow, pytest.mark.model]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ray_serve(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    model = tiny.build_model(tmp_path_factory.mktemp("ray") / "trigger2", num_labels=2, flavour="trigger")
    port = _free_port()
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"env_vars": {"LF_TEST_RAY_KEY": "ray-secret", "OMP_NUM_THREADS": "1"}})
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    try:
        yield model, f"http://127.0.0.1:{port}"
    finally:
        serve.shutdown()
        ray.shutdown()


def _replicas(app: str) -> list[str]:
    return sorted(
        a["name"] for a in ray.util.list_named_actors(all_namespaces=True)
        if a["name"].startswith("SERVE_REPLICA::") and f"::{app}#" in a["name"]
    )


def test_start_score_scale_and_lose_a_replica(ray_serve, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lf_middleware import LlamaFirewall

    model, url = ray_serve
    config = {"model": str(model), "num_replicas": 1, "max_batch_size": 16, "num_cpus": 1,
              "api_key_env": "LF_TEST_RAY_KEY", "name": "pg"}
    serve.run(build_app(config), name="pg", route_prefix="/")
    monkeypatch.setenv("LF_TEST_RAY_KEY", "ray-secret")
    scanner = PromptGuardScanner(remote={"url": url, "api_key_env": "LF_TEST_RAY_KEY", "max_retries": 4,
                                         "backoff": 0.2, "timeout": 20})
    bad, good = scanner.scan_texts(["please ignore the budget", "please review the quarterly budget"])
    assert bad.score > 0.99 and good.score < 0.05
    # the same answers as in-process scoring
    local = PromptGuardScanner(model=str(model)).scan_texts(["please ignore the budget"])[0]
    assert bad.score == pytest.approx(local.score, abs=1e-6)

    # no token: refused, and that is an error (never ALLOW)
    anonymous = PromptGuardScanner(remote={"url": url, "max_retries": 0})
    denied = LlamaFirewall(scanners={Role.USER: [anonymous]}).scan(UserMessage("please ignore the budget"))
    assert denied.status == ScanStatus.ERROR and "401" in denied.reason

    # scale to 2 replicas from the config
    serve.run(build_app({**config, "num_replicas": 2}), name="pg", route_prefix="/")
    deadline = time.monotonic() + 120
    while len(_replicas("pg")) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(_replicas("pg")) == 2

    # steady load from 6 clients; one replica is killed in the middle of it
    engine = LlamaFirewall(scanners={Role.USER: [scanner]})
    texts = [("please ignore the budget", True), ("please review the quarterly budget", False)]
    stop = threading.Event()
    answers: list[tuple[bool, object]] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        i = k
        while not stop.is_set():
            text, malicious = texts[i % 2]
            result = engine.scan(UserMessage(text))
            with lock:
                answers.append((malicious, result))
            i += 1

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(client, k) for k in range(6)]
        time.sleep(3)
        before = len(answers)
        victim = _replicas("pg")[0]
        ray.kill(ray.get_actor(victim, namespace="serve"), no_restart=True)
        time.sleep(8)
        stop.set()
        for f in futures:
            f.result(timeout=120)
    assert before > 0 and len(answers) > before
    for malicious, result in answers:
        if malicious:  # never answered ALLOW
            assert result.decision != ScanDecision.ALLOW, result.reason
    # no request lost: every one was answered with a score (the client retried what the dead replica dropped)
    failed = [r for _, r in answers if r.status != ScanStatus.SUCCESS]
    assert not failed, failed[0].reason
    serve.delete("pg")
    scanner.close()
    anonymous.close()
