"""The one place where domain errors become HTTP answers: a status code and a JSON reason, never a 500."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match

from app.errors import (
    AuthenticationError,
    ConflictError,
    GraphUnavailableError,
    InvalidInputError,
    MemoryServiceError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    SchemaMismatchError,
)

STATUS_BY_ERROR: dict[type[MemoryServiceError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    RateLimitedError: 429,
    NotFoundError: 404,
    ConflictError: 409,
    InvalidInputError: 422,
    GraphUnavailableError: 503,
    SchemaMismatchError: 503,
}


class ErrorBody(BaseModel):
    """Every refusal of ours: the error's kind and a sentence saying what to do."""

    error: str
    detail: str


class FieldProblem(BaseModel):
    """One field FastAPI's validation refused."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationBody(BaseModel):
    """A request whose fields FastAPI refused, one entry a field."""

    detail: list[FieldProblem]


_MEANING = {
    400: "the body could not be read (not UTF-8 JSON)",
    401: "no API key, or an unknown or revoked one",
    403: "the key lacks the scope this call needs",
    404: "no such user, memory, fact or quarantined message in this tenant",
    409: "the fact or memory is not in a state that allows it (not pending, retracted, forgotten)",
    429: "over the key's rate limit; Retry-After says when to try again",
    503: "Neo4j is unreachable or its schema is not this service's; nothing was stored; Retry-After",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of the refusals a route may answer (and its 422s, in both shapes)."""
    answers: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorBody, "description": _MEANING[status]} for status in statuses
    }
    answers[422] = {"model": ValidationBody | ErrorBody, "description": "a field is invalid"}
    return answers


#: What every route behind a key may answer besides its success.
BEHIND_A_KEY = documented(401, 403, 404, 429, 503)
#: The same for routes that read a JSON body.
WITH_A_BODY = documented(400, 401, 403, 404, 429, 503)


def status_for(error: MemoryServiceError) -> int:
    """The HTTP status of a domain error (the most specific registered class wins)."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


async def _handle(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, MemoryServiceError)
    status = status_for(error)
    headers = _headers(error, status)
    return JSONResponse(
        status_code=status,
        content={"error": type(error).__name__, "detail": str(error)},
        headers=headers,
    )


def _headers(error: MemoryServiceError, status: int) -> dict[str, str] | None:
    if isinstance(error, RateLimitedError):
        return {"Retry-After": str(error.retry_after_s)}
    if status == 503:
        return {"Retry-After": "5"}
    if status == 401:
        return {"WWW-Authenticate": "Bearer"}
    return None


async def _handle_http(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's and Starlette's own refusals (an unreadable body, an unknown path or method) in the
    same shape as ours, with their headers (a 405's `Allow`)."""
    assert isinstance(error, HTTPException)
    kind = HTTPStatus(error.status_code).phrase.replace(" ", "")
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request))
    return JSONResponse(
        status_code=error.status_code, content={"error": kind, "detail": str(error.detail)}, headers=headers
    )


def _allowed(request: Request) -> list[str]:
    """Every method of the path: Starlette's 405 names only those of the first route it matched, and a
    path with GET and DELETE is two routes."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, BaseRoute) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _readable(text: object) -> str:
    """Text that any JSON answer can carry, whatever a client sent."""
    return str(text).encode("utf-8", "replace").decode("utf-8")


async def _handle_invalid(_: Request, error: Exception) -> JSONResponse:
    """FastAPI's refusal of a field, as `ValidationBody` says: where, what and why. It never echoes the
    value refused, which may be one no JSON answer can hold (NaN, a lone surrogate) or megabytes long."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "loc": [part if isinstance(part, int) else _readable(part) for part in problem.get("loc", ())],
            "msg": _readable(problem.get("msg", "")),
            "type": _readable(problem.get("type", "")),
        }
        for problem in error.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": problems})


def register_error_handlers(app: FastAPI) -> None:
    """Install the mapping on an app."""
    app.add_exception_handler(MemoryServiceError, _handle)
    app.add_exception_handler(HTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_invalid)
