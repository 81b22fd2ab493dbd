"""Manage API keys.

    python -m app.keys create --tenant T --scopes read,write [--name N]
    python -m app.keys list [--tenant T]
    python -m app.keys revoke KEY_ID
    python -m app.keys ensure-local

`create` prints the key once: only its hash is stored. Two live keys of a tenant let a backend rotate:
create the new one, deploy it, revoke the old. `ensure-local` (what `make run` calls) makes a key of the
default tenant with every scope, unless the one in `LOCAL_API_KEY_FILE` still works, and says where it is.
"""

from __future__ import annotations

import argparse
import os
import sys

from app.errors import AuthenticationError, MemoryServiceError
from app.graph.driver import create_driver
from app.graph.repository import GraphRepository
from app.keys.secrets import Scope
from app.keys.service import KeysService
from app.settings import Settings, get_settings
from app.tenancy import DEFAULT_TENANT


def ensure_local(keys: KeysService, settings: Settings) -> str:
    """The local key's file, made (or made again) unless the key in it still authenticates."""
    path = settings.local_api_key_file
    if path.exists():
        try:
            keys.authenticate(path.read_text(encoding="utf-8"))
            return f"API key of the default tenant in {path}"
        except AuthenticationError:
            pass
    created = keys.create(DEFAULT_TENANT, list(Scope), name="local")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(created.key + "\n")
    return f"new API key of the default tenant (every scope) written to {path}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make a key (printed once)")
    create.add_argument("--tenant", required=True)
    create.add_argument("--scopes", required=True, help="comma-separated: read, write, admin")
    create.add_argument("--name", default="")
    listing = commands.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--tenant")
    revoke = commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    commands.add_parser("ensure-local", help="a key of the default tenant for this checkout")
    args = parser.parse_args(argv)
    settings = get_settings()
    driver = create_driver(settings)
    repository = GraphRepository(driver, settings.neo4j_database)
    keys = KeysService(repository)
    try:
        if args.command == "create":
            try:
                scopes = [Scope(s.strip()) for s in args.scopes.split(",") if s.strip()]
            except ValueError:
                parser.error(f"scopes are {', '.join(s.value for s in Scope)}")
            created = keys.create(args.tenant, scopes, args.name)
            print(created.key)
            print(
                f"key {created.api_key.id} of tenant {created.api_key.tenant_id}: {','.join(scopes)}", file=sys.stderr
            )
        elif args.command == "list":
            for key in keys.list(args.tenant):
                state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "live"
                used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
                print(f"{key.id}  {key.tenant_id}  {','.join(key.scopes)}  {state}  last used {used}  {key.name}")
        elif args.command == "revoke":
            print(f"revoked {keys.revoke(args.key_id).id}")
        else:
            print(ensure_local(keys, settings))
    except (MemoryServiceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        keys.close()
        repository.close()
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
