"""A route class that refuses, as 422s, what FastAPI would let through: query parameters the route does
not have (a misspelt `limt=5` is otherwise silently the default), and JSON bodies holding what is not
JSON's or not text. Python's parser takes `NaN`, `Infinity` and `1e400` (an infinity) as numbers, which no
answer can echo back; and a JSON string may escape half of a UTF-16 surrogate pair (`"\\ud800"`), which
Python keeps as a lone surrogate and which no store can encode; Neo4j's driver, sent one, fails
mid-message and leaves its connection out of step."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


def _lone_surrogate(value: Any) -> bool:
    """Whether any string in a parsed body (a key too) cannot be encoded; iterative, for any depth."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters of a route and of everything it depends on."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


_LONE = "a string holds a lone UTF-16 surrogate"
_NOT_FINITE = "a number is not finite (NaN, Infinity or beyond a double's range), which JSON has not"
_TOO_DEEP = "the body is nested too deep to read"


class _NotFiniteError(ValueError):
    pass


def _refuse_constant(_: str) -> float:
    raise _NotFiniteError


def _finite(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise _NotFiniteError
    return value


def body_problem(body: bytes) -> str | None:
    """What in a JSON body is not JSON's or not text, or nested past what the parser reads, or None (and
    None for a body that is not JSON at all, which FastAPI answers itself)."""
    try:
        parsed = json.loads(body, parse_constant=_refuse_constant, parse_float=_finite)
    except _NotFiniteError:
        return _NOT_FINITE
    except RecursionError:
        return _TOO_DEEP
    except ValueError:
        return None
    if b"\\ud" in body.lower() and _lone_surrogate(parsed):  # only an escape can carry one
        return _LONE
    return None


class StrictRoute(APIRoute):
    """Answers 422, as for any invalid field, for an unknown query parameter, a number that is not finite,
    a body nested too deep to parse or a lone surrogate."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = _query_names(self.dependant)

        async def checked(request: Request) -> Response:
            unknown = [name for name in request.query_params if name not in known]
            if unknown:
                raise RequestValidationError(
                    [
                        {"type": "extra_forbidden", "loc": ("query", name), "msg": "no such parameter"}
                        for name in unknown
                    ]
                )
            body = await request.body()
            problem = body_problem(body) if body else None
            if problem is not None:
                raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": problem}])
            return await handler(request)

        return checked
