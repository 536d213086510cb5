"""A webhook receiver on loopback for the webhook tests: a real HTTP server that checks
each request's signature with the verification snippet of ``docs/integration-api.md``
(executed from the page itself, so the page's code is what is tested) and can be told to
fail the first N requests.

    with Receiver(secret, fail_first=2) as receiver:
        ...  # point a webhook endpoint at receiver.url
        wait_until(lambda: receiver.accepted)
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "integration-api.md"
SNIPPET = re.compile(r"```python\n(# verify_clienteling_webhook.*?)```", re.S)


def documented_verifier() -> Any:
    """``verify_clienteling_webhook`` as the docs page writes it."""
    found = SNIPPET.search(DOC.read_text(encoding="utf-8"))
    assert found, "the verification snippet is missing from docs/integration-api.md"
    namespace: dict[str, Any] = {}
    exec(compile(found.group(1), str(DOC), "exec"), namespace)
    return namespace["verify_clienteling_webhook"]


class Receiver:
    """Records every request (``requests``) and the events it accepted (``accepted``)."""

    def __init__(self, secret: str, fail_first: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.verify = documented_verifier()
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.accepted: list[dict[str, Any]] = []
        self.rejected_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver does

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver.answer(body, self.headers)  # case-insensitive .get
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def answer(self, body: bytes, headers: Any) -> int:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if not self.verify(self.secret, body, headers):
                self.rejected_signatures += 1
                return 401
            if len(self.requests) <= self.fail_first:
                return 503
            self.accepted.append({"headers": headers, "event": json.loads(body)})
            return 200

    def event_ids(self) -> list[str]:
        with self.lock:
            return [a["headers"]["X-Clienteling-Event-Id"] for a in self.accepted]

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
