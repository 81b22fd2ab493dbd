"""Python client of the companion-memory service.

from companion_memory_client import MemoryClient

with MemoryClient("http://127.0.0.1:8000", api_key="cm_...") as memory:
    memory.remember("alice", "I just moved to Tokyo!", conversation_id="c1", companion_id="lucy")
    prompt = memory.context("alice", "how's the new city?", companion_id="lucy").text
"""

from companion_memory_client import models
from companion_memory_client.calls import message
from companion_memory_client.client import AsyncMemoryClient, MemoryClient
from companion_memory_client.errors import (
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    MemoryServiceError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from companion_memory_client.transport import Policy
from companion_memory_client.typeahead import Sent

__all__ = [
    "AsyncMemoryClient",
    "AuthenticationError",
    "ConflictError",
    "InvalidRequestError",
    "MemoryClient",
    "MemoryServiceError",
    "NotFoundError",
    "PermissionDeniedError",
    "Policy",
    "RateLimitedError",
    "Sent",
    "UnavailableError",
    "message",
    "models",
]
