"""When a query points at: "10 days ago", "last Saturday", "two weeks ago", "in February". Pure.

A regular expression finds the phrase (cheap, so queries without one pay nothing); dateparser resolves it
against the query's `as_of`, preferring the past. The tolerance grows with the distance: "yesterday" means
that day give or take one, "three months ago" means within a few weeks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dateparser

_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of|several)"
_UNIT = r"(?:days?|weeks?|months?|years?)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# Relative to when the query is asked: these words say when, never what ("a month ago" is about no month).
_RELATIVE = rf"{_NUMBER} {_UNIT} ago|yesterday|last (?:week|month|year)"
_PHRASE = re.compile(
    rf"\b(?:{_RELATIVE}|last {_WEEKDAY}|(?:on |this past ){_WEEKDAY}|(?:in|during|early|late|mid|end of) {_MONTH})\b",
    re.I,
)
_RELATIVE_PHRASE = re.compile(rf"\b(?:{_RELATIVE})\b", re.I)
# dateparser knows these words but not "a couple of" or "several"; say them as numbers.
_VAGUE = {"a few": "3", "a couple of": "2", "several": "4"}
_DATEPARSER_SETTINGS: Any = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}


@dataclass(frozen=True)
class TimeFrame:
    """The moment a query points at, and how loosely."""

    phrase: str
    target: datetime
    tolerance_days: float

    def closeness(self, occurred_at: datetime) -> float:
        """1.0 at the target, 0.5 one tolerance away, falling to 0 (a Gaussian on the distance in days)."""
        distance = abs((occurred_at - self.target).total_seconds()) / 86400
        return math.exp(-math.log(2) * (distance / self.tolerance_days) ** 2)


def names_a_moment(text: str) -> bool:
    """Whether a query names a moment at all (cheap: no date is resolved)."""
    return _PHRASE.search(text) is not None


def time_frame(text: str, as_of: datetime) -> TimeFrame | None:
    """The time frame a query names, resolved against `as_of`; None when it names none."""
    match = _PHRASE.search(text)
    if match is None:
        return None
    phrase = match.group(0).lower()
    spoken = phrase
    for vague, number in _VAGUE.items():
        spoken = spoken.replace(vague, number)
    spoken = re.sub(r"^(?:on|this past|during|early|late|mid|end of) ", "", spoken)
    base = as_of.astimezone(UTC).replace(tzinfo=None)
    resolved = dateparser.parse(spoken, languages=["en"], settings=_DATEPARSER_SETTINGS | {"RELATIVE_BASE": base})
    if resolved is None:
        return None
    if re.search(_MONTH, phrase):
        # "in February" is the whole month: aim at its middle.
        resolved = resolved.replace(day=15)
        tolerance = 12.0
    elif unit := re.fullmatch(r"last (week|month|year)", phrase):
        # A calendar unit, not a day: anywhere in it.
        tolerance = {"week": 3.5, "month": 12.0, "year": 120.0}[unit.group(1)]
    else:
        days_back = max(0.0, (base - resolved).total_seconds() / 86400)
        tolerance = max(1.5, 0.25 * days_back)
    return TimeFrame(phrase=phrase, target=resolved.replace(tzinfo=UTC), tolerance_days=tolerance)


def without_relative_time(text: str) -> str:
    """The query without its relative time phrases ("10 days ago", "yesterday", "last month"), for the
    keyword search: the time part scores them, and as words they match any memory that says "days" or
    "month". Named days and months stay: a memory may name them too ("I left home at 7 on Monday")."""
    return _RELATIVE_PHRASE.sub(" ", text)


def warm_up() -> None:
    """dateparser builds its language tables on first use; do it at start-up, not on a query."""
    dateparser.parse("2 days ago", languages=["en"], settings=_DATEPARSER_SETTINGS)
