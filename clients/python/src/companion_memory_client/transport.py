"""What both clients share: the key, the base URL, when to send again, and reading an answer."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

from companion_memory_client.calls import Call
from companion_memory_client.errors import MemoryServiceError, UnavailableError, error_of

#: Where `make run` serves the API, and the variable a key is read from when none is given.
DEFAULT_URL = "http://127.0.0.1:8000"
KEY_VARIABLE = "COMPANION_MEMORY_API_KEY"
#: Answers worth sending again: Neo4j out of reach (nothing was stored) and the key's rate.
RETRIED = frozenset({429, 503})


@dataclass(frozen=True)
class Policy:
    """How often to send a call again and how long to wait at most before each time."""

    retries: int = 3
    max_wait_s: float = 10.0
    #: before the first retry when the service names no wait; doubled each time
    backoff_s: float = 0.5

    def after(self, error: Exception, attempt: int) -> float:
        """Seconds to wait before sending a call again that failed with `error` on attempt `attempt` (from
        0): the service's Retry-After, within the bound; the error as the client's exception when it is
        not worth another try or the tries are spent."""
        failure = unreachable(error) if isinstance(error, httpx.TransportError) else error
        if not isinstance(failure, MemoryServiceError) or failure.status not in RETRIED or attempt >= self.retries:
            raise failure
        wanted = failure.retry_after_s if failure.retry_after_s is not None else self.backoff_s * 2**attempt
        return max(0.0, min(self.max_wait_s, wanted))


DEFAULT_POLICY = Policy()


def headers(api_key: str | None) -> dict[str, str]:
    """The key's header (from the argument, else the environment); none where the service runs open."""
    key = api_key or os.environ.get(KEY_VARIABLE)
    return {"Authorization": f"Bearer {key}"} if key else {}


def retry_after(response: httpx.Response) -> float | None:
    """The response's Retry-After in seconds, where it gives one as a number."""
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def request(call: Call[Any]) -> dict[str, Any]:
    """httpx's arguments for a call."""
    sent: dict[str, Any] = {"method": call.method, "url": call.path, "params": dict(call.params)}
    if call.body is not None:
        sent["json"] = call.body
    return sent


def answer(call: Call[Any], response: httpx.Response) -> Any:
    """The call's model of a successful answer, or the exception of a refusal."""
    if response.is_success:
        return call.read(response.json()) if call.answer is not None else None
    try:
        body = response.json()
    except ValueError:
        body = response.text
    raise error_of(response.status_code, body, retry_after(response))


def unreachable(error: httpx.TransportError) -> MemoryServiceError:
    """No answer at all (refused, reset, timed out): as the service's 503, safe to send again."""
    return UnavailableError(503, "unreachable", f"{type(error).__name__}: {error}")
