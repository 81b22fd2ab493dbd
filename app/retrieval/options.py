"""What a search is asked (`SearchOptions`) and what it answers (`SearchHit`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StrictFloat

from app.clock import Moment
from app.memory_types import MemoryType

Mode = Literal["hybrid", "semantic", "keyword"]


def _not_a_flag(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a count is a number, not true or false")
    return value


#: What makes an integer field a count a caller asks for: 20.0 is taken, as JSON Schema reads it, but `true`
#: is not read as 1. (After the field's bounds in `Annotated`, so that the schema still states them.)
NOT_A_FLAG = BeforeValidator(_not_a_flag)
#: How many hits a search asks for.
SearchCount = Annotated[int, Field(ge=1, le=100), NOT_A_FLAG]


class SearchOptions(BaseModel):
    """What to search and which memories qualify."""

    k: SearchCount = 10
    as_of: Moment | None = None
    # Strict: pydantic alone would also take 0 and 1 (and "yes") for a flag the schema says is boolean.
    include_history: StrictBool = False
    include_cold: StrictBool = False
    everyday_filters: StrictBool | None = Field(
        default=None,
        description="everyday context only (the hot tier, cold memories at a discount); "
        "default: on unless the query asks about the past",
    )
    memory_types: list[MemoryType] | None = None
    since: Moment | None = None
    # Strict: a number, not `true` read as 1 or "0.3" as text.
    min_significance: StrictFloat = Field(
        default=0.0, ge=0, le=1, description="only memories at least this significant"
    )
    mode: Mode = "hybrid"
    record_access: StrictBool = True


class SearchHit(BaseModel):
    """One retrieved memory and why it ranked where it did."""

    memory_id: str
    message_id: str
    content: str
    occurred_at: datetime
    memory_type: str
    significance: float
    conversation_id: str
    role: str | None = None
    #: who said it, when not the user
    speaker: str | None = None
    score: float
    parts: dict[str, float]
    #: the kinds of fact this memory told that have since been replaced ("lives_in" of "I live in Seattle"
    #: once the user moved): what it says of them is past
    superseded: list[str] = []
