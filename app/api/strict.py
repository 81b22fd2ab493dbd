"""A route class that refuses, as 422s, what FastAPI would let through: query parameters the route does
not have (a misspelt `limt=5` is otherwise silently the default), and JSON bodies holding what is not
text: a JSON string may escape half of a UTF-16 surrogate pair (`"\\ud800"`), which Python keeps as a lone
surrogate and which no store can encode; Neo4j's driver, sent one, fails mid-message and leaves its
connection out of step."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


def _lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters of a route and of everything it depends on."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


_LONE = "a string holds a lone UTF-16 surrogate"


class StrictRoute(APIRoute):
    """Answers 422, as for any invalid field, for an unknown query parameter or a lone surrogate."""

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
            if b"\\ud" in body.lower():  # only an escape can carry one: parse only then
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None  # FastAPI answers an unreadable body itself
                if _lone_surrogate(parsed):
                    problem = {
                        "type": "string_unicode",
                        "loc": ("body",),
                        "msg": _LONE,
                    }
                    raise RequestValidationError([problem])
            return await handler(request)

        return checked
