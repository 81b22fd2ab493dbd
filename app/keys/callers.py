"""Who is calling, from an API key: the one check of HTTP requests, WebSocket connections and MCP
tool calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import AuthenticationError, PermissionDeniedError
from app.keys.secrets import Scope
from app.keys.service import Principal
from app.tenancy import DEFAULT_TENANT, Tenant

if TYPE_CHECKING:
    from app.container import Container

_EVERY_SCOPE = frozenset(Scope)


def principal_of(container: Container, key: str | None) -> Principal:
    """The caller a key stands for, counted against its rate limit (every caller is the default tenant
    when auth is off)."""
    if not container.settings.auth_enabled:
        return Principal(tenant_id=DEFAULT_TENANT, scopes=_EVERY_SCOPE)
    if key is None:
        raise AuthenticationError("an API key is needed: Authorization: Bearer <key>")
    principal = container.keys.authenticate(key)
    if principal.key_id is not None:
        container.rate_limiter.check(principal.key_id)
    return principal


def tenant_with(principal: Principal, scope: Scope) -> Tenant:
    """The caller's tenant, once its key is known to hold `scope`."""
    if scope not in principal.scopes:
        raise PermissionDeniedError(f"this API key lacks the {scope.value!r} scope")
    return principal.tenant
