"""The HTTP/1.1 protocol central serves with: uvicorn's h11 protocol, except that a request
the parser cannot read (a malformed ``Content-Length``, a broken request line) is answered
with the same JSON problem detail as every other error, not uvicorn's plain-text 400.

The parser refuses such a request before any ASGI app sees it, so the answer has to be
given here. Nothing of the request is logged: it may hold anything.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync import wire

BAD_REQUEST_BODY = (
    wire.Problem(
        title="Bad request",
        status=400,
        detail="The request could not be read as HTTP/1.1 (check Content-Length and the"
        " request line).",
        code="bad_request",
    )
    .model_dump_json()
    .encode()
)


KEEP_ALIVE_S = 75
"""How long central keeps an idle keep-alive connection open (uvicorn's default is 5 s).
A device probes ``GET /v1/sync/head`` every 5 s on the same connection: at 5 s central
closed it just as the next probe was sent (measured: ~0.5 % of probes failed with a
dropped connection, ``make bench-fleet``). Longer than nginx's upstream ``keepalive_timeout``
(60 s, ``packaging/central/nginx.conf``), so it is always nginx that closes first."""


class ProblemH11Protocol(H11Protocol):
    """``uvicorn.Config(http=ProblemH11Protocol)``: unreadable requests get a problem detail."""

    def send_400_response(self, msg: str) -> None:
        del msg  # the parser's own text is not shown
        response = h11.Response(
            status_code=400,
            reason=b"Bad Request",
            headers=[
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(BAD_REQUEST_BODY)).encode()),
                (b"connection", b"close"),
            ],
        )
        for event in (response, h11.Data(data=BAD_REQUEST_BODY), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()
