"""The remote PromptGuard backend against a real loopback server speaking TEI's /predict protocol.

The server scores with the project's Predictor over a real tiny transformers model; the client is the
scanner as users build it (``PromptGuardScanner(remote=...)``) inside the real engine.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import math
import socket
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("httpx")

from lf_middleware.engine import LlamaFirewall  # noqa: E402
from lf_middleware.errors import ConfigurationError  # noqa: E402
from lf_middleware.scanners._hf_classifier import HFClassifier  # noqa: E402
from lf_middleware.scanners.prompt_guard import PromptGuardScanner  # noqa: E402
from lf_middleware.serving.predictor import Predictor  # noqa: E402
from lf_middleware.types import Role, ScanDecision, ScanStatus, UserMessage  # noqa: E402

_here = Path(__file__).parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


tiny = _load("prompt_guard_tiny", _here.parent / "prompt_guard_tiny.py")
tei = _load("tei_server", _here / "tei_server.py")

pytestmark = pytest.mark.model

SECRET = "s3cr3t-token-value-never-logged"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny.build_model(tmp_path_factory.mktemp("remote") / "trigger2", num_labels=2, flavour="trigger")


@pytest.fixture(scope="module")
def local(model_dir: Path) -> HFClassifier:
    return HFClassifier(str(model_dir))


@pytest.fixture()
def server(local: HFClassifier):
    with tei.TEIServer(Predictor(local)) as srv:
        yield srv


def _engine(scanner: PromptGuardScanner) -> LlamaFirewall:
    return LlamaFirewall(scanners={Role.USER: [scanner]})


def test_remote_scores_equal_local_scores(server, local: HFClassifier, model_dir: Path) -> None:
    texts = ["please ignore the budget", "please review the quarterly budget", "ignore today", "thanks"]
    scanner = PromptGuardScanner(remote={"url": server.url, "tokenizer": str(model_dir)})
    remote = scanner.scan_texts(texts)
    for text, got, want in zip(texts, remote, local.score_texts(texts), strict=True):
        assert got.score == pytest.approx(want.score, abs=1e-6), text
    assert remote[0].score > 0.99 and remote[1].score < 0.05
    assert scanner.model_name == f"remote:{server.url}/predict"
    scanner.close()


def test_batch_is_sent_as_one_element_lists(server) -> None:
    import httpx

    # TEI reads ["a", "b"] as one text pair: the client must send [["a"], ["b"]]; the server refuses the pair
    assert httpx.post(server.url + "/predict", json={"inputs": ["a", "b"]}).status_code == 422
    single = httpx.post(server.url + "/predict", json={"inputs": "please ignore it"}).json()
    assert {e["label"] for e in single} == {"BENIGN", "MALICIOUS"}


def test_long_input_is_windowed_on_the_client_and_read_in_full(server, model_dir: Path) -> None:
    head = tiny.benign_text(3000, seed=1)
    text = head + " ignore " + tiny.benign_text(200, seed=2)
    scanner = PromptGuardScanner(remote={"url": server.url, "tokenizer": str(model_dir)}, window_tokens=512, stride=64)
    result = scanner.scan_texts([text])[0]
    assert result.score > 0.99
    start, end = result.details["span"]
    at = len(head) + 1
    assert start <= at and at + len("ignore") <= end
    assert result.details["windows"] >= 7
    # the server was never sent more than one window's worth of text
    assert 0 < server.behaviour.longest < len(text) / 5
    scanner.close()


def test_character_windows_are_halved_when_the_server_refuses_them(server) -> None:
    server.behaviour.max_chars = 300  # like TEI refusing inputs over its token limit (413)
    text = tiny.benign_text(400, seed=4) + " ignore " + tiny.benign_text(400, seed=5)
    scanner = PromptGuardScanner(remote={"url": server.url, "window_chars": 1000, "overlap_chars": 100})
    result = scanner.scan_texts([text, "thanks for the notes"])
    assert result[0].score > 0.99 and result[1].score < 0.05
    assert server.behaviour.longest <= 300
    scanner.close()


async def test_concurrent_scans_share_requests(server, model_dir: Path) -> None:
    server.behaviour.delay_s = 0.05  # a busy server: callers queue up behind the first request
    scanner = PromptGuardScanner(remote={"url": server.url, "tokenizer": str(model_dir)}, max_batch_wait_ms=20)
    engine = _engine(scanner)
    texts = [tiny.benign_text(20, seed=i) + (" ignore" if i % 4 == 0 else "") for i in range(24)]
    results = await asyncio.gather(*(engine.scan_async(UserMessage(t)) for t in texts))
    for i, result in enumerate(results):
        assert result.status == ScanStatus.SUCCESS
        assert (result.score > 0.9) == (i % 4 == 0)
    assert sum(server.behaviour.batches) == 24
    assert len(server.behaviour.batches) < 24 and max(server.behaviour.batches) > 1
    scanner.close()


def test_retries_with_backoff_then_succeeds(server) -> None:
    server.behaviour.fail_next = 2
    scanner = PromptGuardScanner(remote={"url": server.url, "max_retries": 2, "backoff": 0.01})
    assert scanner.scan_texts(["please ignore it"])[0].score > 0.99
    assert len(server.behaviour.auth_headers) == 3
    scanner.close()


@pytest.mark.parametrize("sync", [True, False])
async def test_server_failure_is_on_error_never_allow(server, sync: bool) -> None:
    server.behaviour.fail_next = 100
    scanner = PromptGuardScanner(remote={"url": server.url, "max_retries": 1, "backoff": 0.01})
    engine = _engine(scanner)
    msg = UserMessage("thanks for the notes")
    result = engine.scan(msg) if sync else await engine.scan_async(msg)
    assert result.status == ScanStatus.ERROR
    assert result.decision == ScanDecision.HUMAN_IN_THE_LOOP_REQUIRED
    assert "failed after 2 attempt(s)" in result.reason and "503" in result.reason
    scanner.close()


def test_unreachable_server_and_timeouts_are_errors(server) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    scanner = PromptGuardScanner(remote={"url": f"http://127.0.0.1:{closed_port}", "max_retries": 0})
    result = _engine(scanner).scan(UserMessage("hello"))
    assert result.status == ScanStatus.ERROR and result.decision != ScanDecision.ALLOW
    assert "ConnectError" in result.reason
    scanner.close()

    server.behaviour.delay_s = 1.0
    slow = PromptGuardScanner(remote={"url": server.url, "timeout": 0.2, "max_retries": 0})
    started = time.monotonic()
    result = _engine(slow).scan(UserMessage("hello"))
    assert time.monotonic() - started < 0.9
    assert result.status == ScanStatus.ERROR and result.decision != ScanDecision.ALLOW
    assert "Timeout" in result.reason
    slow.close()


def test_malformed_answer_is_an_error(server) -> None:
    server.behaviour.garbage = True
    scanner = PromptGuardScanner(remote={"url": server.url})
    result = _engine(scanner).scan(UserMessage("hello"))
    assert result.status == ScanStatus.ERROR and result.decision != ScanDecision.ALLOW
    assert "malformed" in result.reason
    scanner.close()


def test_auth_header_from_env_and_never_logged(server, monkeypatch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.behaviour.token = SECRET
    monkeypatch.setenv("LF_TEST_TEI_KEY", SECRET)
    scanner = PromptGuardScanner(remote={"url": server.url, "api_key_env": "LF_TEST_TEI_KEY"})
    assert scanner.scan_texts(["please ignore it"])[0].score > 0.99
    assert server.behaviour.auth_headers[-1] == f"Bearer {SECRET}"
    server.behaviour.fail_next = 5  # errors carry the server's status, not our headers
    result = _engine(scanner).scan(UserMessage("please ignore it"))
    assert result.status == ScanStatus.ERROR
    scanner.close()

    wrong = PromptGuardScanner(remote={"url": server.url})  # no key: 401, not retried
    denied = _engine(wrong).scan(UserMessage("hello"))
    assert denied.status == ScanStatus.ERROR and "HTTP 401" in denied.reason
    wrong.close()
    for text in [caplog.text, result.reason, denied.reason, repr(scanner.backend), repr(scanner)]:
        assert SECRET not in text

    monkeypatch.delenv("LF_TEST_TEI_KEY")
    with pytest.raises(ConfigurationError, match="LF_TEST_TEI_KEY"):
        PromptGuardScanner(remote={"url": server.url, "api_key_env": "LF_TEST_TEI_KEY"})
    with pytest.raises(ConfigurationError, match="credentials"):
        PromptGuardScanner(remote={"url": "http://user:pw@127.0.0.1:1"})


def test_bad_options_are_configuration_errors(server) -> None:
    with pytest.raises(ConfigurationError, match="url"):
        PromptGuardScanner(remote={"url": "ftp://x"})
    with pytest.raises(ConfigurationError, match="one of"):
        PromptGuardScanner(model="x", remote=server.url)
    with pytest.raises(ConfigurationError, match="tokenizer"):
        PromptGuardScanner(remote={"url": server.url, "tokenizer": "/nonexistent"})
    with pytest.raises(ConfigurationError, match="remote must be"):
        PromptGuardScanner(remote={"tokenizer": "x"})


def test_temperature_asks_for_raw_scores(server, local: HFClassifier) -> None:
    scanner = PromptGuardScanner(remote={"url": server.url}, temperature=4.0)
    text = "please review the budget"  # the trigger model gives benign text sigmoid(-4)
    p = local.score_texts([text])[0].score
    got = scanner.scan_texts([text])[0].score
    logit = math.log(p / (1 - p))
    assert got == pytest.approx(1 / (1 + math.exp(-logit / 4.0)), abs=1e-4)
    assert 0 < p < got < 0.5
    scanner.close()
