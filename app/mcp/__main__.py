"""`python -m app.mcp`: the MCP tools over stdio, for an agent that launches its memory as a subprocess.

    MCP_API_KEY=cm_... [MCP_USER_ID=alice] python -m app.mcp

The process acts for that one key (its tenant and scopes; `var/api-key`, the local key `make run` made,
when unset), and for `MCP_USER_ID` where a call names no user. It answers `initialize` at once: the models
and the Neo4j driver load in a thread meanwhile, and the first tool call waits for them (a desktop client
gives up on a server that takes a minute to start). Over HTTP the same tools are served by the API at
`/mcp`, each request with its own key.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from app.logs import configure_logging
from app.mcp.server import build_mcp
from app.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.container import Container


def _services(settings: Settings) -> Container:
    from app.container import build_container  # the models and the driver: seconds to load

    return build_container(settings)


def main() -> int:
    """Serve the tools on stdin/stdout until the client closes them."""
    settings = get_settings()
    configure_logging(settings, sys.stderr)  # stdout is the protocol's
    key = settings.mcp_api_key.get_secret_value() if settings.mcp_api_key is not None else None
    if key is None and settings.local_api_key_file.exists():
        key = settings.local_api_key_file.read_text(encoding="utf-8").strip()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mcp-services") as loading:
        services = loading.submit(_services, settings)

        def provided() -> Container:
            return services.result()

        try:
            build_mcp(provided, key=key, default_user=settings.mcp_user_id).run("stdio")
        finally:
            services.result().close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
