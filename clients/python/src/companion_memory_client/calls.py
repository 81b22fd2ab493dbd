"""Every operation of the service's HTTP API, once: its method and path as the OpenAPI document names them,
what it sends, and the model its answer is read into. The sync and async clients run these calls; a test
holds this table to the OpenAPI document (every operation, no other)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

from pydantic import TypeAdapter

from companion_memory_client import models

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., "Call[Any]"])
Role = Literal["user", "companion", "system"]
Tier = Literal["hot", "cold", "forgotten"]

#: (method, path template) of each operation, to its function's name.
OPERATIONS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and how to read its answer (`answer` None: no body, as a 204)."""

    method: str
    template: str
    path_values: Mapping[str, str]
    answer: TypeAdapter[T] | None
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None

    @property
    def path(self) -> str:
        """The path with its values, each quoted whole (an id may hold characters a path reads otherwise)."""
        return self.template.format(**{k: quote(v, safe="") for k, v in self.path_values.items()})

    def read(self, body: Any) -> T:
        """The answer's body as its model."""
        assert self.answer is not None
        return self.answer.validate_python(body)


def operation(method: str, template: str) -> Callable[[F], F]:
    """Register a function as the one that builds `method template`'s call."""

    def register(build: F) -> F:
        OPERATIONS[(method, template)] = build.__name__
        return build

    return register


def _read(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _given(**values: Any) -> dict[str, Any]:
    """The values given, without those left unset (the service's defaults apply)."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items() if v is not None}


def message(
    user_id: str,
    text: str,
    *,
    conversation_id: str,
    companion_id: str,
    role: Role = "user",
    message_id: str | None = None,
    occurred_at: datetime | None = None,
    speaker: str | None = None,
    device_id: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A message as `remember` and `remember_batch` send it; a message id is made when none is given
    (keep it to send the message again: the service stores it once)."""
    return _given(
        user_id=user_id,
        companion_id=companion_id,
        conversation_id=conversation_id,
        message_id=message_id or str(uuid.uuid4()),
        role=role,
        text=text,
        occurred_at=occurred_at,
        speaker=speaker,
        device_id=device_id,
        metadata=dict(metadata) if metadata else None,
    )


@operation("GET", "/health")
def health() -> Call[models.HealthReport]:
    return Call("GET", "/health", {}, _read(models.HealthReport))


@operation("POST", "/v1/messages")
def remember(sent: dict[str, Any]) -> Call[models.IngestOutcome]:
    return Call("POST", "/v1/messages", {}, _read(models.IngestOutcome), body=sent)


@operation("POST", "/v1/messages/batch")
def remember_batch(sent: Sequence[dict[str, Any]]) -> Call[list[models.IngestOutcome]]:
    return Call("POST", "/v1/messages/batch", {}, _read(list[models.IngestOutcome]), body={"messages": list(sent)})


@operation("PUT", "/v1/users/{user_id}")
def put_user(
    user_id: str, display_name: str | None = None, metadata: Mapping[str, Any] | None = None
) -> Call[models.User]:
    body = _given(display_name=display_name, metadata=dict(metadata) if metadata else None)
    return Call("PUT", "/v1/users/{user_id}", {"user_id": user_id}, _read(models.User), body=body)


@operation("GET", "/v1/users/{user_id}")
def get_user(user_id: str) -> Call[models.User]:
    return Call("GET", "/v1/users/{user_id}", {"user_id": user_id}, _read(models.User))


@operation("DELETE", "/v1/users/{user_id}")
def delete_user(user_id: str) -> Call[dict[str, int]]:
    return Call("DELETE", "/v1/users/{user_id}", {"user_id": user_id}, _read(dict[str, int]))


@operation("GET", "/v1/users/{user_id}/export")
def export_user(user_id: str) -> Call[models.UserExport]:
    return Call("GET", "/v1/users/{user_id}/export", {"user_id": user_id}, _read(models.UserExport))


@operation("PUT", "/v1/companions/{companion_id}")
def put_companion(companion_id: str, name: str, persona: str = "") -> Call[models.Companion]:
    body = {"name": name, "persona": persona}
    return Call(
        "PUT", "/v1/companions/{companion_id}", {"companion_id": companion_id}, _read(models.Companion), body=body
    )


@operation("GET", "/v1/companions/{companion_id}")
def get_companion(companion_id: str) -> Call[models.Companion]:
    return Call("GET", "/v1/companions/{companion_id}", {"companion_id": companion_id}, _read(models.Companion))


_MEMORY = "/v1/users/{user_id}/memories/{memory_id}"


@operation("GET", _MEMORY)
def get_memory(user_id: str, memory_id: str, as_of: datetime | None = None) -> Call[models.Memory]:
    ids = {"user_id": user_id, "memory_id": memory_id}
    return Call("GET", _MEMORY, ids, _read(models.Memory), params=_given(as_of=as_of))


@operation("PATCH", _MEMORY)
def correct_memory(user_id: str, memory_id: str, content: str) -> Call[models.Memory]:
    ids = {"user_id": user_id, "memory_id": memory_id}
    return Call("PATCH", _MEMORY, ids, _read(models.Memory), body={"content": content})


@operation("DELETE", _MEMORY)
def delete_memory(user_id: str, memory_id: str) -> Call[None]:
    return Call("DELETE", _MEMORY, {"user_id": user_id, "memory_id": memory_id}, None)


@operation("GET", "/v1/users/{user_id}/memories")
def list_memories(
    user_id: str,
    memory_type: Sequence[str] | None = None,
    tier: Sequence[Tier] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Call[list[models.Memory]]:
    params = _given(memory_type=list(memory_type or []) or None, tier=list(tier or []) or None)
    params |= {"offset": offset, "limit": limit}
    path = "/v1/users/{user_id}/memories"
    return Call("GET", path, {"user_id": user_id}, _read(list[models.Memory]), params=params)


@operation("GET", "/v1/users/{user_id}/conversations/{conversation_id}/memories")
def conversation_memories(user_id: str, conversation_id: str, limit: int = 500) -> Call[list[models.Memory]]:
    ids = {"user_id": user_id, "conversation_id": conversation_id}
    path = "/v1/users/{user_id}/conversations/{conversation_id}/memories"
    return Call("GET", path, ids, _read(list[models.Memory]), params={"limit": limit})


_EPHEMERAL = "/v1/users/{user_id}/conversations/{conversation_id}/ephemeral"


@operation("GET", _EPHEMERAL)
def ephemeral(user_id: str, conversation_id: str) -> Call[list[models.EphemeralItem]]:
    ids = {"user_id": user_id, "conversation_id": conversation_id}
    return Call("GET", _EPHEMERAL, ids, _read(list[models.EphemeralItem]))


@operation("DELETE", _EPHEMERAL)
def end_exchange(user_id: str, conversation_id: str) -> Call[dict[str, int]]:
    ids = {"user_id": user_id, "conversation_id": conversation_id}
    return Call("DELETE", _EPHEMERAL, ids, _read(dict[str, int]))


@operation("POST", "/v1/users/{user_id}/search")
def search(user_id: str, query: str, **options: Any) -> Call[list[models.SearchHit]]:
    """`options`: `k`, `as_of`, `include_history`, `include_cold`, `everyday_filters`, `memory_types`,
    `since`, `mode` ("hybrid", "semantic", "keyword"), `embedding`, `record_access`."""
    body = _given(query=query, **options)
    return Call("POST", "/v1/users/{user_id}/search", {"user_id": user_id}, _read(list[models.SearchHit]), body=body)


@operation("POST", "/v1/users/{user_id}/context")
def context(
    user_id: str,
    query: str,
    companion_id: str | None = None,
    k: int | None = None,
    as_of: datetime | None = None,
    token_budget: int | None = None,
    record_access: bool | None = None,
) -> Call[models.Context]:
    body = _given(
        query=query, companion_id=companion_id, k=k, as_of=as_of, token_budget=token_budget, record_access=record_access
    )
    return Call("POST", "/v1/users/{user_id}/context", {"user_id": user_id}, _read(models.Context), body=body)


@operation("GET", "/v1/users/{user_id}/facts")
def facts(user_id: str, status: Sequence[str] | None = None) -> Call[list[models.FactView]]:
    """The current facts, or those of `status` (["pending"]: awaiting an answer to a clarification)."""
    params = _given(status=list(status) if status else None)
    return Call("GET", "/v1/users/{user_id}/facts", {"user_id": user_id}, _read(list[models.FactView]), params=params)


@operation("GET", "/v1/users/{user_id}/facts/history")
def fact_history(user_id: str, predicate: str, subject: str = "self") -> Call[models.FactHistory]:
    params = {"predicate": predicate, "subject": subject}
    path = "/v1/users/{user_id}/facts/history"
    return Call("GET", path, {"user_id": user_id}, _read(models.FactHistory), params=params)


@operation("GET", "/v1/users/{user_id}/timeline")
def timeline(user_id: str, entity: str = "self", limit: int = 200) -> Call[list[models.TimelineEntry]]:
    params = {"entity": entity, "limit": limit}
    path = "/v1/users/{user_id}/timeline"
    return Call("GET", path, {"user_id": user_id}, _read(list[models.TimelineEntry]), params=params)


_FACT = "/v1/users/{user_id}/facts/{fact_id}"


@operation("POST", _FACT + "/confirm")
def confirm_fact(user_id: str, fact_id: str) -> Call[list[models.FactView]]:
    ids = {"user_id": user_id, "fact_id": fact_id}
    return Call("POST", _FACT + "/confirm", ids, _read(list[models.FactView]))


@operation("POST", _FACT + "/reject")
def reject_fact(user_id: str, fact_id: str) -> Call[list[models.FactView]]:
    ids = {"user_id": user_id, "fact_id": fact_id}
    return Call("POST", _FACT + "/reject", ids, _read(list[models.FactView]))


@operation("PATCH", _FACT)
def correct_fact(user_id: str, fact_id: str, value: str) -> Call[models.FactHistory]:
    ids = {"user_id": user_id, "fact_id": fact_id}
    return Call("PATCH", _FACT, ids, _read(models.FactHistory), body={"value": value})


@operation("DELETE", _FACT)
def retract_fact(user_id: str, fact_id: str) -> Call[models.FactHistory]:
    return Call("DELETE", _FACT, {"user_id": user_id, "fact_id": fact_id}, _read(models.FactHistory))


@operation("GET", "/v1/users/{user_id}/quarantine")
def quarantine(user_id: str, limit: int = 100) -> Call[list[models.QuarantinedMessage]]:
    path = "/v1/users/{user_id}/quarantine"
    return Call("GET", path, {"user_id": user_id}, _read(list[models.QuarantinedMessage]), params={"limit": limit})


_HELD = "/v1/users/{user_id}/quarantine/{quarantine_id}"


@operation("POST", _HELD + "/release")
def release_quarantined(user_id: str, quarantine_id: str) -> Call[models.IngestOutcome]:
    ids = {"user_id": user_id, "quarantine_id": quarantine_id}
    return Call("POST", _HELD + "/release", ids, _read(models.IngestOutcome))


@operation("DELETE", _HELD)
def discard_quarantined(user_id: str, quarantine_id: str) -> Call[None]:
    return Call("DELETE", _HELD, {"user_id": user_id, "quarantine_id": quarantine_id}, None)
