"""`python -m app.mcp`: the MCP tools over stdio, for an agent that launches its memory as a subprocess.

    MCP_API_KEY=cm_... python -m app.mcp

The process acts for that one key (its tenant and scopes; `var/api-key`, the local key `make run` made,
when unset). Over HTTP the same tools are served by the API at `/mcp`, each request with its own key.
"""

from __future__ import annotations

import sys

from app.container import build_container
from app.logs import configure_logging
from app.mcp.server import build_mcp
from app.settings import get_settings


def main() -> int:
    """Serve the tools on stdin/stdout until the client closes them."""
    settings = get_settings()
    configure_logging(settings, sys.stderr)  # stdout is the protocol's
    key = settings.mcp_api_key.get_secret_value() if settings.mcp_api_key is not None else None
    if key is None and settings.local_api_key_file.exists():
        key = settings.local_api_key_file.read_text(encoding="utf-8").strip()
    container = build_container(settings)
    try:
        build_mcp(container, key=key).run("stdio")
    finally:
        container.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
