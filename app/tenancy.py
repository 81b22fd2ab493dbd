"""Tenants: one companion product each, whose users and companions no other tenant ever sees.

Inside the service a user or companion is known by its owner key: the tenant and the client's id in one
string, `<tenant>/<id>`. Every query filters on it and every cache and store is keyed by it, so two tenants'
`alice` are two users everywhere, by construction. Client ids cannot hold a `/` (`Tenant.key` refuses
them), so no owner key of one tenant can be another's. The default tenant, the one `make run` makes a key for and
the batch jobs write to unless told otherwise, keeps the client's id as it is: a graph written before
tenants existed is that tenant's (docs/decisions/0009-tenancy.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import InvalidInputError

DEFAULT_TENANT = "default"
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def valid_tenant(tenant_id: str) -> str:
    """`tenant_id` if it is a valid one (lower-case letters, digits and dashes), else ValueError."""
    if not TENANT_ID.match(tenant_id):
        raise ValueError(f"{tenant_id!r} is not a tenant id: lower-case letters, digits and '-', at most 63")
    return tenant_id


@dataclass(frozen=True)
class Tenant:
    """One tenant, and the owner keys of its users and companions."""

    id: str

    def key(self, client_id: str) -> str:
        """The owner key of one of this tenant's users or companions. An id with a `/` is refused here,
        whichever interface it came through: the default tenant's `acme/alice` would be acme's alice."""
        if "/" in client_id:
            raise InvalidInputError(f"an id holds no '/': {client_id!r}")
        return client_id if self.id == DEFAULT_TENANT else f"{self.id}/{client_id}"

    def shown(self, owner_key: str) -> str:
        """The client's id of an owner key of this tenant, as the API shows it."""
        prefix = f"{self.id}/"
        return owner_key.removeprefix(prefix) if self.id != DEFAULT_TENANT else owner_key


def tenant_of(owner_key: str) -> str:
    """The tenant an owner key belongs to, as every node the user owns records it (`tenant_id`), so that
    analysts can select a tenant's part of the graph."""
    tenant, slash, _ = owner_key.partition("/")
    return tenant if slash else DEFAULT_TENANT


#: The tenant of a graph written before tenants existed, and of batch jobs told no other.
DEFAULT = Tenant(DEFAULT_TENANT)
