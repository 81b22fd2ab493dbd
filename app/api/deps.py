"""Request dependencies, declared once as `Annotated` aliases so that routes stay short."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.container import Container
from app.errors import AuthenticationError, PermissionDeniedError
from app.keys.secrets import Scope
from app.keys.service import Principal
from app.tenancy import DEFAULT_TENANT, Tenant

_bearer = HTTPBearer(auto_error=False, description="An API key: `python -m app.keys create ...`")
_EVERY_SCOPE = frozenset(Scope)


def get_container(request: Request) -> Container:
    """The container the lifespan built."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def principal_of(container: Container, key: str | None) -> Principal:
    """The caller a key stands for, counted against its rate limit (every caller is the default tenant
    when auth is off). The one check of HTTP requests and WebSocket connections."""
    if not container.settings.auth_enabled:
        return Principal(tenant_id=DEFAULT_TENANT, scopes=_EVERY_SCOPE)
    if key is None:
        raise AuthenticationError("an API key is needed: Authorization: Bearer <key>")
    principal = container.keys.authenticate(key)
    if principal.key_id is not None:
        container.rate_limiter.check(principal.key_id)
    return principal


def get_principal(
    container: ContainerDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller, from the bearer key."""
    return principal_of(container, credentials.credentials if credentials is not None else None)


def tenant_with(principal: Principal, scope: Scope) -> Tenant:
    """The caller's tenant, once its key is known to hold `scope`."""
    if scope not in principal.scopes:
        raise PermissionDeniedError(f"this API key lacks the {scope.value!r} scope")
    return principal.tenant


def requires(scope: Scope) -> Callable[[Principal], Tenant]:
    """A dependency giving the caller's tenant, once its key is known to hold `scope`."""

    def tenant(principal: Annotated[Principal, Depends(get_principal)]) -> Tenant:
        return tenant_with(principal, scope)

    return tenant


ReaderDep = Annotated[Tenant, Depends(requires(Scope.READ))]
WriterDep = Annotated[Tenant, Depends(requires(Scope.WRITE))]
AdminDep = Annotated[Tenant, Depends(requires(Scope.ADMIN))]
