"""The domain's exception hierarchy. The HTTP layer maps these to status codes in one place."""

from __future__ import annotations


class MemoryServiceError(Exception):
    """Base of every error the service raises on purpose."""


class NotFoundError(MemoryServiceError):
    """A user, companion, memory or fact that does not exist (for this user)."""


class ConflictError(MemoryServiceError):
    """The request contradicts the stored state (for instance a reused id with other content)."""


class InvalidInputError(MemoryServiceError):
    """Input the service understood but refuses, with the reason in the message."""


class GraphUnavailableError(MemoryServiceError):
    """Neo4j cannot be reached or refused the connection; the cause is chained."""


class SchemaMismatchError(MemoryServiceError):
    """The graph's schema does not fit this process (for instance a vector index of another dimension)."""


class AuthenticationError(MemoryServiceError):
    """No API key, or one that is unknown, malformed or revoked."""


class PermissionDeniedError(MemoryServiceError):
    """A valid key without the scope the call needs."""


class RateLimitedError(MemoryServiceError):
    """A key that sent more requests than its rate allows; it may try again after `retry_after_s`."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
