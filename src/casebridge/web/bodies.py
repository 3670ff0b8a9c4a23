"""Request bodies bounded before they are read (DESIGN.md, Hostile input; issue 16 points 8, 12).

`BodyLimits` is an ASGI middleware in front of every route:

- a declared `Content-Length` over the route's cap is answered 413 before a byte is read;
- import routes (`/api/v1/import/...`, TAXII under `/taxii2/`) and multipart uploads stream to
  their handler, each chunk counted: past the cap the middleware answers 413 itself and the
  handler's reading stops (their JSON depth is checked while streaming, by the services);
- every other body (ordinary API JSON, page forms) is read here up to its cap (1 MB by
  default), and a JSON body nested deeper than `json_max_depth` is answered 422 before
  FastAPI's `json.loads` (which recurses once per level) sees it.

Caps come from the settings: `max_body_kb`, `max_import_mb`, `max_upload_mb`.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import IO

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casebridge.config import Settings
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, PayloadTooLarge
from casebridge.kernel import jsonbounds
from casebridge.web import problems

MB = 1024 * 1024
IMPORT_PREFIXES = ("/api/v1/import/", "/taxii2/")
MULTIPART_SLACK = MB  # boundaries and form fields around an upload of max_upload_mb


@dataclass
class _Stream:
    size: int = 0  # bytes received
    started: bool = False  # the handler began its response
    answered: bool = False  # the 413 went out instead


class _Overflow(Exception):
    """A streamed body passed its cap; the 413 is sent, the handler is stopped."""


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _is_json(content_type: str) -> bool:
    """FastAPI parses a body as JSON when it has no type or a JSON (sub)type."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "" or media.endswith("json")


async def spool_body(request: Request, spool: IO[bytes], limit_mb: int) -> None:
    """The body into the spool, never more than limit_mb, rewound for reading."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit_mb * MB:
            raise PayloadTooLarge(f"the body is larger than {limit_mb} MB")
        spool.write(chunk)
    spool.seek(0)


class BodyLimits:
    """Caps every request body before the route reads it; see the module docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _streamed_cap(self, scope: Scope) -> tuple[int, str] | None:
        """(bytes, words) for a body that streams to its handler; None: read it here."""
        if str(scope.get("path", "")).startswith(IMPORT_PREFIXES):
            return self.settings.max_import_mb * MB, f"{self.settings.max_import_mb} MB"
        if _header(scope, b"content-type").lower().startswith("multipart/form-data"):
            cap = self.settings.max_upload_mb * MB + MULTIPART_SLACK
            return cap, f"{self.settings.max_upload_mb} MB"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streamed = self._streamed_cap(scope)
        cap, words = streamed or (
            self.settings.max_body_kb * 1024,
            f"{self.settings.max_body_kb} KB",
        )
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > cap:
            await _answer(scope, send, _too_large(words))
            return
        if streamed is None:
            await self._buffered(scope, receive, send, cap, words)
        else:
            await self._streamed(scope, receive, send, cap, words)

    async def _buffered(
        self, scope: Scope, receive: Receive, send: Send, cap: int, words: str
    ) -> None:
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await _answer(scope, send, _too_large(words))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and _is_json(_header(scope, b"content-type")):
            try:
                jsonbounds.check_depth(body, self.settings.json_max_depth)
            except jsonbounds.TooDeep as error:
                await _answer(scope, send, _too_deep(error))
                return
        replay: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        await self.app(scope, _replay(replay, receive), send)

    async def _streamed(
        self, scope: Scope, receive: Receive, send: Send, cap: int, words: str
    ) -> None:
        state = _Stream()

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state.size += len(message.get("body", b""))
                if state.size > cap:
                    if not state.started:
                        state.answered = True
                        await _answer(scope, send, _too_large(words))
                    raise _Overflow
            return message

        async def guarded_send(message: Message) -> None:
            if state.answered:
                return  # the 413 went out: what the stopped handler answers is dropped
            state.started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _Overflow:
            if not state.answered:
                raise


def _replay(messages: list[Message], receive: Receive) -> Callable[[], Awaitable[Message]]:
    """A receive that gives the messages read already, then the client's."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _too_large(words: str) -> PayloadTooLarge:
    return PayloadTooLarge(f"the body is larger than {words}: refused before reading it")


def _too_deep(error: jsonbounds.TooDeep) -> InvalidInput:
    return InvalidInput(str(error), field_errors=(FieldError("body", str(error)),))


async def _answer(scope: Scope, send: Send, error: CaseBridgeError) -> None:
    response = problems.from_error(Request(scope), error)
    await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
