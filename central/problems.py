"""Every error as RFC 9457 problem details (``wire.Problem``) with a stable ``code``."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import wire

log = logging.getLogger("clienteling.central")

PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid request",
    429: "Too many attempts",
    500: "Central failed",
}

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_args",
    429: "too_many_attempts",
    500: "internal_error",
}


def describe_failure(error: BaseException) -> str:
    """A bug for the log: the exception's type and where it happened, never its message.

    The message of an exception raised deep in a handler can quote the data it choked on
    (a shopper's email, a note); the frames (file, line, function: no source, no locals)
    say where to look without repeating it.
    """
    frames = [
        f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(error.__traceback__)
    ]
    if not frames:
        return type(error).__name__
    return f"{type(error).__name__} at {frames[-1]}\n  " + "\n  ".join(frames)


class ProblemError(Exception):
    """Raise in a route to answer with a problem details body."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = wire.Problem(
        title=title or _TITLES.get(status, "Error"), status=status, detail=detail, code=code
    )
    return JSONResponse(
        body.model_dump(), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def _validation_detail(errors: list[Any]) -> tuple[int, str, str]:
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "invalid_json", "The request body is not valid JSON."
    parts = []
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ()) if p != "body"]
        where = ".".join(loc) or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return 422, "invalid_args", "; ".join(parts)


def install(app: FastAPI) -> None:
    """Exception handlers that turn every error into a problem details body."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status, exc.code, exc.detail, title=exc.title, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, detail = _validation_detail(list(exc.errors()))
        return problem_response(status, code, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(status, "Error")
        if status == 404:
            detail = "There is nothing at this address."
        return problem_response(
            status,
            _CODES.get(status, "error"),
            detail,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        # the last resort (CatchAll answers first): Starlette re-raises after this answer
        log.error(
            "unhandled error on %s %s: %s",
            request.method,
            route_of(request.scope),
            describe_failure(exc),
        )
        return internal_error()

    app.add_middleware(CatchAll)


def route_of(scope: Scope) -> str:
    """The route's template (``/v1/integration/links/{token}``), never the path itself: a
    path may carry a link's token or an unsubscribe token, which must not reach the log."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else "(a path no route matched)"


def internal_error() -> JSONResponse:
    return problem_response(500, "internal_error", "Central failed to answer this request.")


class CatchAll:
    """ASGI middleware: a bug answers 500 ``internal_error`` and is logged exactly once.

    Starlette's own last-resort handler answers and then re-raises, so the server logs
    the same traceback (message included) a second time; this one answers and stops.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as error:
            if started:  # too late to answer: the server closes the connection
                raise
            log.error(
                "unhandled error on %s %s: %s",
                scope.get("method", "?"),
                route_of(scope),
                describe_failure(error),
            )
            await internal_error()(scope, receive, send)


class BodyLimit:
    """ASGI middleware: a request body larger than ``max_bytes`` gets 413."""

    def __init__(self, app: ASGIApp, max_bytes: int = 1_000_000) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(scope, receive, send)
                    return
        received = 0
        limit = self.max_bytes

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # an HTTPException passes FastAPI's body reader untouched
                    raise StarletteHTTPException(413, self._detail())
            return message

        await self.app(scope, limited, send)

    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes // 1000} kB."

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(413, "too_large", self._detail())
        await response(scope, receive, send)
