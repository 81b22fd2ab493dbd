"""Request bodies of the HTTP API (responses reuse the services' models)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, Field, field_validator

from app.clock import Moment
from app.metadata import Metadata
from app.retrieval.options import NOT_A_FLAG
from app.roles import Role
from app.tenancy import Tenant

if TYPE_CHECKING:
    from app.write.batch import IncomingMessage

#: What an id may not hold: a '/' (it separates tenant and id inside), what a URL normaliser rewrites in a
#: path (a backslash is a '/' to browsers, a '%' starts an escape it may decode) or ends it ('?', '#'), a
#: control character, and a space of any kind; the spaces are listed rather than written `\s`, which regex
#: engines read differently.
_NOT_IN_ID = "/\\\\%?#\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
#: An id of those characters that is not `.` or `..`, which a client's URL library removes from a path
#: (`DELETE /v1/users/u/memories/..` would reach `DELETE /v1/users/u`). Written without a lookahead, so
#: that every generator of strings from the OpenAPI document reads it as the validator does.
ID_PATTERN = rf"^(?:[^.{_NOT_IN_ID}][^{_NOT_IN_ID}]*|\.[^.{_NOT_IN_ID}][^{_NOT_IN_ID}]*|\.\.[^{_NOT_IN_ID}]+)$"
_ID = re.compile(ID_PATTERN)


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _an_id(value: str) -> str:
    # Half a surrogate pair is refused too, in code: no JSON document carries one, so the schema's pattern
    # leaves it out (regex engines that match UTF-8 cannot name it).
    if not _ID.match(value) or not _encodes(value):
        raise ValueError("an id is not '.' or '..' and holds no '/', '\\', '%', '?', '#', space or control character")
    return value


#: An id as a body, a path or a query gives it: the pattern is the schema's, and the validator applies it
#: with a sentence a person reads.
_ID_SCHEMA = {"min_length": 1, "max_length": 200, "json_schema_extra": {"pattern": ID_PATTERN}}
Id = Annotated[str, Field(**_ID_SCHEMA), AfterValidator(_an_id)]
PathId = Annotated[str, Path(**_ID_SCHEMA), AfterValidator(_an_id)]
QueryId = Annotated[str, Query(**_ID_SCHEMA), AfterValidator(_an_id)]
#: How many memories a context holds, as a body or a tool asks: an integer, never `true` read as 1.
ContextCount = Annotated[int, Field(ge=1, le=50), NOT_A_FLAG]


class UserIn(BaseModel):
    """Create or update a user."""

    display_name: str | None = Field(default=None, max_length=200)
    metadata: Metadata = {}


class CompanionIn(BaseModel):
    """Create or update a companion."""

    name: str = Field(min_length=1, max_length=200)
    persona: str = Field(default="", max_length=20000)


class MessageIn(BaseModel):
    """One message of a conversation."""

    user_id: Id
    companion_id: Id
    conversation_id: Id
    message_id: Id
    role: Role
    text: str = Field(max_length=100_000)
    occurred_at: Moment | None = None
    device_id: str | None = Field(default=None, max_length=200)
    speaker: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="who said it when not the user themselves: in a log of two people, the other one's name. "
        "What a speaker says about themselves becomes their facts, not the user's",
    )
    metadata: Metadata = {}

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        # A naive time is taken as UTC rather than guessed from the server's zone.
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    def to_domain(self, tenant: Tenant) -> IncomingMessage:
        """The service's view of the message, owned by `tenant` (occurred_at defaults to now)."""
        from app.write.batch import IncomingMessage  # the write path loads spaCy: not for a schema's importer

        return IncomingMessage(
            user_id=tenant.key(self.user_id),
            companion_id=tenant.key(self.companion_id),
            conversation_id=self.conversation_id,
            role=self.role,
            text=self.text,
            message_id=self.message_id,
            occurred_at=self.occurred_at or datetime.now(UTC),
            device_id=self.device_id,
            speaker=self.speaker,
            metadata=self.metadata,
        )


class MessageBatchIn(BaseModel):
    """A back-fill batch of messages, processed in order."""

    messages: list[MessageIn] = Field(min_length=1, max_length=1000)


#: A fact's value as a person gives it.
FactValue = Annotated[str, Field(min_length=1, max_length=200, description="the value as it should read")]
#: A memory's text as a person corrects it.
MemoryText = Annotated[str, Field(min_length=1, max_length=100_000, description="the text as it should read")]


class FactCorrectionIn(BaseModel):
    """What a fact should say instead."""

    value: FactValue


class MemoryCorrectionIn(BaseModel):
    """What a memory should say instead."""

    content: MemoryText
