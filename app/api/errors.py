"""The one place where domain errors become HTTP answers: a status code and a JSON reason, never a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

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


def register_error_handlers(app: FastAPI) -> None:
    """Install the mapping on an app."""
    app.add_exception_handler(MemoryServiceError, _handle)
