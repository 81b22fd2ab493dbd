"""The one rule for a moment a caller gives: none means now, and a time without a zone is UTC (never the
server's zone, which a client cannot know)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _written_out(value: object) -> object:
    """A moment as its API schema says, an ISO 8601 string; pydantic alone would also take a number (or
    a string of digits) as seconds since 1970, which no client means by a date."""
    if isinstance(value, int | float) or (isinstance(value, str) and not _ISO_DATE.match(value)):
        raise ValueError("a time is an ISO 8601 string, such as 2026-01-31T18:00:00Z")
    return value


#: The largest offset from UTC that Neo4j stores; Python takes up to a day, and Neo4j's driver, sent more,
#: fails at the protocol and drops its connection.
_STORABLE_OFFSET = timedelta(hours=18)


def _storable(moment: datetime) -> datetime:
    """The moment itself where Neo4j can hold its offset, else the same instant in UTC."""
    offset = moment.utcoffset()
    if offset is None or abs(offset) <= _STORABLE_OFFSET:
        return moment
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is outside the years 1 to 9999 once taken to UTC") from None


#: A moment a caller gives (a field of a request body).
Moment = Annotated[datetime, BeforeValidator(_written_out), AfterValidator(_storable)]


def aware(moment: datetime | None) -> datetime:
    """`moment` as an aware datetime: now when None, UTC when naive."""
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
