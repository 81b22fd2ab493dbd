"""What the service refused, as exceptions a caller can catch by kind; each carries the service's own
sentence (`detail`), its error kind (`error`) and the HTTP status."""

from __future__ import annotations

from typing import Any


class MemoryServiceError(Exception):
    """A refusal of the service (or no answer from it)."""

    def __init__(self, status: int, error: str, detail: str, retry_after_s: float | None = None) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status, self.error, self.detail, self.retry_after_s = status, error, detail, retry_after_s


class InvalidRequestError(MemoryServiceError):
    """400 or 422: the request's body or a field was refused; `detail` says which and why."""


class AuthenticationError(MemoryServiceError):
    """401: no API key, or an unknown or revoked one."""


class PermissionDeniedError(MemoryServiceError):
    """403: the key lacks the scope the call needs (read, write, admin)."""


class NotFoundError(MemoryServiceError):
    """404: no such user, memory, fact or quarantined message in the key's tenant."""


class ConflictError(MemoryServiceError):
    """409: not in a state that allows it (a fact not pending, retracted; a memory forgotten)."""


class RateLimitedError(MemoryServiceError):
    """429: over the key's rate; `retry_after_s` says when to try again."""


class UnavailableError(MemoryServiceError):
    """503 (Neo4j out of reach: nothing was stored), or no connection at all; safe to send again."""


_BY_STATUS: dict[int, type[MemoryServiceError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidRequestError,
    429: RateLimitedError,
    503: UnavailableError,
}


def error_of(status: int, body: Any, retry_after_s: float | None) -> MemoryServiceError:
    """The exception for a refusal: the service's `{"error", "detail"}`, or FastAPI's list of field problems."""
    kind = _BY_STATUS.get(status, MemoryServiceError)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return kind(status, str(body.get("error", "error")), body["detail"], retry_after_s)
    if isinstance(body, dict) and isinstance(body.get("detail"), list):
        problems = "; ".join(f"{'.'.join(map(str, p.get('loc', [])))}: {p.get('msg')}" for p in body["detail"])
        return kind(status, "invalid", problems, retry_after_s)
    return kind(status, "error", str(body)[:500], retry_after_s)
