"""API keys' text and hashes, when their uses are written, and tenants' owner keys: pure."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from app.errors import InvalidInputError
from app.keys.secrets import hash_secret, matches, new_key, parse
from app.keys.service import KeysService
from app.tenancy import DEFAULT, Tenant, tenant_of, valid_tenant


def test_a_new_key_parses_back_to_its_id_and_a_secret_that_matches_only_its_hash() -> None:
    made = new_key()
    parsed = parse(made.text)
    assert parsed is not None
    key_id, secret = parsed
    assert key_id == made.key_id
    assert matches(secret, made.secret_hash)
    assert not matches(secret[:-1] + ("A" if secret[-1] != "A" else "B"), made.secret_hash)
    assert made.secret_hash == hash_secret(secret)
    assert secret not in made.secret_hash
    assert new_key().text != made.text


@pytest.mark.parametrize(
    "text", ["", "Bearer x", "cm_nothex_" + "a" * 43, "cm_0123456789abcdef_short", "xx_0123456789abcdef_" + "a" * 43]
)
def test_text_not_shaped_like_a_key_is_no_key(text: str) -> None:
    assert parse(text) is None


def test_two_tenants_alice_are_two_owner_keys_and_each_shows_as_alice() -> None:
    acme, globex = Tenant("acme"), Tenant("globex")
    assert acme.key("alice") != globex.key("alice")
    assert acme.shown(acme.key("alice")) == globex.shown(globex.key("alice")) == "alice"
    # The default tenant keeps the client's id, and no other tenant's key can equal one: client ids hold no "/".
    assert DEFAULT.key("alice") == "alice"
    assert "/" in acme.key("alice")
    assert [tenant_of(t.key("alice")) for t in (acme, globex, DEFAULT)] == ["acme", "globex", "default"]


@pytest.mark.parametrize("tenant", [DEFAULT, Tenant("globex")])
def test_an_id_with_a_slash_is_refused_by_every_tenant(tenant: Tenant) -> None:
    with pytest.raises(InvalidInputError):
        tenant.key(Tenant("acme").key("alice"))  # the default tenant's "acme/alice" would be acme's alice


@pytest.mark.parametrize("tenant_id", ["", "Acme", "a/b", "a b", "-x", "x" * 64])
def test_tenant_ids_are_lower_case_words(tenant_id: str) -> None:
    with pytest.raises(ValueError, match="not a tenant id"):
        valid_tenant(tenant_id)


class _SlowWrites:
    """A repository whose writes wait until they are let through, to hold a flush mid-write."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.written: list[object] = []

    def write_one(self, query: object, **values: object) -> None:
        self.started.set()
        self.release.wait(5)
        self.written.append(values)


def test_a_flush_returns_only_after_a_write_already_under_way_has_landed() -> None:
    repository = _SlowWrites()
    keys = KeysService(repository, touch_interval_s=3600)  # type: ignore[arg-type]
    keys._used["k"] = datetime.now(UTC)
    background = threading.Thread(target=keys.flush)
    background.start()
    assert repository.started.wait(5)
    second = threading.Thread(target=keys.flush)
    second.start()
    second.join(0.2)
    assert second.is_alive(), "a flush with nothing left to write returned before the write in flight landed"
    repository.release.set()
    second.join(5)
    background.join(5)
    assert len(repository.written) == 1
    keys.close()
