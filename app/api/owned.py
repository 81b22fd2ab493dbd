"""What the API shows of owner keys: the client's own ids, never the tenant's prefix (app/tenancy.py)."""

from __future__ import annotations

from app.memories.store import Memory
from app.quarantine.held import QuarantinedMessage
from app.tenancy import Tenant
from app.users.store import Companion, User


def shown_user(tenant: Tenant, user: User) -> User:
    """The user with the client's id."""
    return user.model_copy(update={"id": tenant.shown(user.id)})


def shown_companion(tenant: Tenant, companion: Companion) -> Companion:
    """The companion with the client's id."""
    return companion.model_copy(update={"id": tenant.shown(companion.id)})


def shown_memory(tenant: Tenant, memory: Memory) -> Memory:
    """The memory with the client's ids of its user and companion."""
    companion = tenant.shown(memory.companion_id) if memory.companion_id is not None else None
    return memory.model_copy(update={"user_id": tenant.shown(memory.user_id), "companion_id": companion})


def shown_quarantined(tenant: Tenant, item: QuarantinedMessage) -> QuarantinedMessage:
    """The quarantined message with the client's id of its companion."""
    return item.model_copy(update={"companion_id": tenant.shown(item.companion_id)})
