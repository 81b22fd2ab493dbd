"""Request bodies of the HTTP API (responses reuse the services' models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from app.clock import Moment
from app.tenancy import Tenant
from app.write.ingest import IncomingMessage

#: An id holds no '/' (it separates tenant and id inside), no control character and no space of any kind;
#: the spaces are listed rather than written `\s`, which regex engines read differently.
ID_PATTERN = r"^[^/\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$"
Id = Field(min_length=1, max_length=200, pattern=ID_PATTERN)


class UserIn(BaseModel):
    """Create or update a user."""

    display_name: str | None = Field(default=None, max_length=200)
    metadata: dict[str, Any] = {}


class CompanionIn(BaseModel):
    """Create or update a companion."""

    name: str = Field(min_length=1, max_length=200)
    persona: str = Field(default="", max_length=20000)


class MessageIn(BaseModel):
    """One message of a conversation."""

    user_id: str = Id
    companion_id: str = Id
    conversation_id: str = Id
    message_id: str = Id
    role: Literal["user", "companion", "system"]
    text: str = Field(max_length=100_000)
    occurred_at: Moment | None = None
    device_id: str | None = Field(default=None, max_length=200)
    metadata: dict[str, Any] = {}

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A naive time is taken as UTC rather than guessed from the server's zone.
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    def to_domain(self, tenant: Tenant) -> IncomingMessage:
        """The service's view of the message, owned by `tenant` (occurred_at defaults to now)."""
        return IncomingMessage(
            user_id=tenant.key(self.user_id),
            companion_id=tenant.key(self.companion_id),
            conversation_id=self.conversation_id,
            role=self.role,
            text=self.text,
            message_id=self.message_id,
            occurred_at=self.occurred_at or datetime.now(UTC),
            device_id=self.device_id,
            metadata=self.metadata,
        )


class MessageBatchIn(BaseModel):
    """A back-fill batch of messages, processed in order."""

    messages: list[MessageIn] = Field(min_length=1, max_length=1000)
