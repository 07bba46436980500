"""A loopback HTTP server speaking text-embeddings-inference's ``/predict`` protocol, for the remote tests.

It scores with the project's real :class:`Predictor` over a real (tiny) transformers model, and can misbehave
on purpose: require a bearer token, fail the next N requests with 503, refuse inputs longer than a number of
characters with 413 (as TEI refuses inputs over its token limit), answer slowly, or answer garbage.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lf_middleware.scanners._tei import ProtocolError, parse_request
from lf_middleware.serving.predictor import Predictor


@dataclass
class Behaviour:
    token: str | None = None
    fail_next: int = 0
    fail_status: int = 503
    max_chars: int | None = None
    delay_s: float = 0.0
    garbage: bool = False
    batches: list[int] = field(default_factory=list)  # inputs per answered request
    longest: int = 0  # longest input seen, in characters
    auth_headers: list[str | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class TEIServer:
    def __init__(self, predictor: Predictor) -> None:
        self.predictor = predictor
        self.behaviour = Behaviour()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                b = outer.behaviour
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with b.lock:
                    b.auth_headers.append(self.headers.get("Authorization"))
                    failing = b.fail_next > 0
                    if failing:
                        b.fail_next -= 1
                if self.path != "/predict":
                    return self._send(404, {"error": "not found", "error_type": "NotFound"})
                if b.token is not None and self.headers.get("Authorization") != f"Bearer {b.token}":
                    return self._send(401, {"error": "unauthorized", "error_type": "Unauthorized"})
                if failing:
                    return self._send(b.fail_status, {"error": "overloaded", "error_type": "overloaded"})
                if b.delay_s:
                    time.sleep(b.delay_s)
                try:
                    request = parse_request(json.loads(raw))
                except (ValueError, ProtocolError) as err:
                    return self._send(422, {"error": str(err), "error_type": "Validation"})
                longest = max(len(t) for t in request.texts)
                if b.max_chars is not None and longest > b.max_chars:
                    return self._send(413, {"error": "input is too long", "error_type": "Validation"})
                with b.lock:
                    b.batches.append(len(request.texts))
                    b.longest = max(b.longest, longest)
                if b.garbage:
                    return self._send(200, [{"label": "BENIGN"}])
                return self._send(200, outer.predictor.predict(json.loads(raw)))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> TEIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
