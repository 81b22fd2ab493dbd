"""Request dependencies, declared once as `Annotated` aliases so that routes stay short."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.container import Container
from app.keys.callers import tenant_with
from app.keys.secrets import Scope
from app.keys.service import Principal
from app.tenancy import Tenant

_bearer = HTTPBearer(auto_error=False, description="An API key: `python -m app.keys create ...`")


def get_container(request: Request) -> Container:
    """The container the lifespan built."""
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_principal(
    container: ContainerDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller, from the bearer key."""
    return container.callers.principal_of(credentials.credentials if credentials is not None else None)


def requires(scope: Scope) -> Callable[[Principal], Tenant]:
    """A dependency giving the caller's tenant, once its key is known to hold `scope`."""

    def tenant(principal: Annotated[Principal, Depends(get_principal)]) -> Tenant:
        return tenant_with(principal, scope)

    return tenant


ReaderDep = Annotated[Tenant, Depends(requires(Scope.READ))]
WriterDep = Annotated[Tenant, Depends(requires(Scope.WRITE))]
AdminDep = Annotated[Tenant, Depends(requires(Scope.ADMIN))]
