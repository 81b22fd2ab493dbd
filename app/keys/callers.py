"""Who is calling, from an API key: the one check of HTTP requests, WebSocket connections and MCP
tool calls."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import AuthenticationError, PermissionDeniedError
from app.keys.limits import KeyRateLimiter
from app.keys.secrets import Scope
from app.keys.service import KeysService, Principal
from app.tenancy import DEFAULT_TENANT, Tenant

_EVERY_SCOPE = frozenset(Scope)


@dataclass(frozen=True)
class Callers:
    """Keys checked and counted against each key's rate, or, with auth off, every caller the default
    tenant."""

    keys: KeysService
    limiter: KeyRateLimiter
    auth_enabled: bool

    def principal_of(self, key: str | None) -> Principal:
        """The caller a key stands for, counted against its rate limit."""
        if not self.auth_enabled:
            return Principal(tenant_id=DEFAULT_TENANT, scopes=_EVERY_SCOPE)
        if key is None:
            raise AuthenticationError("an API key is needed: Authorization: Bearer <key>")
        principal = self.keys.authenticate(key)
        if principal.key_id is not None:
            self.limiter.check(principal.key_id)
        return principal


def tenant_with(principal: Principal, scope: Scope) -> Tenant:
    """The caller's tenant, once its key is known to hold `scope`."""
    if scope not in principal.scopes:
        raise PermissionDeniedError(f"this API key lacks the {scope.value!r} scope")
    return principal.tenant
