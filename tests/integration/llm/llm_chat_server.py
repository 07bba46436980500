"""A chat-completions server on 127.0.0.1 with scripted replies, for driving the real clients.

It speaks the OpenAI-style protocol the ``together`` SDK uses (``POST /v1/chat/completions``, JSON body with
``model`` and ``messages``; reply ``{"id", "object": "chat.completion", "choices": [{"message": {...}}],
"usage": {...}}``). Each request takes the next scripted step (the last one repeats); a step may delay, fail
with a status and headers, or send a raw body. The server counts requests and the most it had in flight.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    content: str | None = None  # the assistant message text
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None  # send this body instead of a completion


def verdict(conclusion: bool, observation: str = "obs", thought: str = "because") -> str:
    return json.dumps({"observation": observation, "thought": thought, "conclusion": conclusion})


class ChatServer:
    def __init__(self) -> None:
        self.steps: list[Step] = [Step(content=verdict(False))]
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.auth: list[str | None] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._index = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                step = server._begin(self.path, body, self.headers.get("authorization"))
                try:
                    if step.delay:
                        time.sleep(step.delay)
                    if step.raw is not None:
                        payload = step.raw
                    elif step.status >= 400:
                        payload = json.dumps({"error": {"message": "scripted failure", "type": "test"}}).encode()
                    else:
                        payload = json.dumps({
                            "id": "cmpl-test",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": json.loads(body or b"{}").get("model", "test-model"),
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": step.content}}],
                            "usage": {"prompt_tokens": 123, "completion_tokens": 45, "total_tokens": 168},
                        }).encode()
                    self.send_response(step.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for k, v in step.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up (timeouts)
                        self.wfile.write(payload)
                finally:
                    server._end()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.root = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def script(self, *steps: Step) -> None:
        with self._lock:
            self.steps = list(steps)
            self._index = 0

    def _begin(self, path: str, body: bytes, auth: str | None) -> Step:
        with self._lock:
            self.paths.append(path)
            self.auth.append(auth)
            try:
                self.requests.append(json.loads(body))
            except ValueError:
                self.requests.append({"_raw": body.decode("utf-8", "replace")})
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            step = self.steps[min(self._index, len(self.steps) - 1)]
            self._index += 1
            return step

    def _end(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
