"""One JSON shape for every API error: ``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from polybius.errors import PolybiusError

log = logging.getLogger("polybius.serve")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
          422: "invalid_request", 500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    """An error the API answers with on purpose (status, machine code, human message)."""

    def __init__(self, status: int, message: str, code: str | None = None,
                 details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.details = details or []
        self.headers = headers


def error_body(status: int, message: str, code: str | None = None,
               details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The error JSON object."""
    return {"error": {"status": status, "code": code or _CODES.get(status, "error"),
                      "message": message, "details": details or []}}


def error_response(status: int, message: str, code: str | None = None,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The error as a response."""
    return JSONResponse(error_body(status, message, code, details), status_code=status,
                        headers=headers)


def _where(loc: Any) -> str:
    # list positions ("status", 0) name the parameter, not the item
    parts = [str(p) for p in loc if p not in ("body", "query", "path") and not isinstance(p, int)] \
        if loc else []
    return ".".join(parts) or "request"


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            # loc is ("body", character position): say so instead of naming a field "9"
            out.append({"field": "body", "type": "json_invalid",
                        "problem": f"malformed JSON near character {err.get('loc', (0, '?'))[-1]}"})
            continue
        # the raw input can be bytes or huge: report where and what, not the value itself
        out.append({"field": _where(err.get("loc")), "problem": str(err.get("msg", "invalid")),
                    "type": str(err.get("type", ""))})
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one error shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.code, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:5])
        return error_response(422, f"invalid request: {summary}", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI's body reader wraps this in a bare "error parsing the body"
            return error_response(400, f"request body is not UTF-8 JSON: {exc.__cause__.reason} "
                                       f"at byte {exc.__cause__.start}", "bad_encoding")
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(PolybiusError)
    async def _polybius(_: Request, exc: PolybiusError) -> JSONResponse:
        # store trouble (locked, unreachable) is the server's problem, input trouble the client's
        from polybius.errors import InputError, StoreError

        if isinstance(exc, InputError):
            return error_response(422, str(exc), "invalid_input")
        if isinstance(exc, StoreError):
            log.error("store error: %s", exc)
            return error_response(503, "the store is unavailable; try again later")
        return error_response(422, str(exc), "invalid_input")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(500, "internal error; the server log has the details")
