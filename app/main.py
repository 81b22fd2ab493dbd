"""The FastAPI application: lifespan (driver, models, schema), routers, error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from mcp.server.auth.routes import create_protected_resource_routes
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator
from pydantic import AnyHttpUrl
from starlette.types import ASGIApp, Receive, Scope, Send

from app import __version__
from app.api.errors import register_error_handlers
from app.api.openapi import install_openapi
from app.api.routes import ephemeral, facts, health, memories, messages, quarantine, retrieval, typeahead, users
from app.background.periodic import PeriodicWorker
from app.container import Container, build_container
from app.demo import mount_demo
from app.keys.secrets import Scope as KeyScope
from app.logs import configure_logging
from app.mcp.server import build_mcp
from app.memory_page import mount_memory_page
from app.metrics import LATENCY_BUCKETS_S
from app.settings import Settings, get_settings

log = logging.getLogger(__name__)
#: How often expired quarantined messages are purged (their retention is days; an hour late is nothing).
QUARANTINE_PURGE_S = 3600.0


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """Build the app; the container (driver, models, services) is made in the lifespan, once.

    A container passed in (tests, embedding in another process) is used as is and not closed here.
    """
    settings = settings or get_settings()
    mcp_url = AnyHttpUrl(settings.public_url.rstrip("/") + "/mcp")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not settings.auth_enabled:
            log.warning(
                "AUTH_ENABLED is false: every caller is the default tenant with every scope, no key asked. "
                "Never expose this port beyond a trusted host."
            )
        owned = container is None
        app.state.container = build_container(settings) if container is None else container
        mcp = build_mcp(app.state.container, http_url=str(mcp_url))
        app.state.mcp = mcp.streamable_http_app(streamable_http_path="/", host=settings.api_host)
        # Every replica runs the pass on its interval; the lease in Neo4j lets one at a time do it.
        decay = PeriodicWorker(
            "decay",
            lambda: app.state.container.decay.run(stop=lambda: decay.stopping, rest_share=settings.decay_rest_share),
            settings.decay_interval_s,
            final_round=False,
        )
        purge = PeriodicWorker(
            "quarantine-purge", app.state.container.quarantine.purge, QUARANTINE_PURGE_S, final_round=False
        )
        if settings.decay_interval_s > 0:
            decay.start()
        purge.start()
        try:
            async with mcp.session_manager.run():
                yield
        finally:
            decay.close()
            purge.close()
            if owned:
                app.state.container.close()

    app = FastAPI(
        title="companion-memory",
        version=__version__,
        summary="Long-term memory for AI companions, in Neo4j.",
        lifespan=lifespan,
    )
    register_error_handlers(app)
    install_openapi(app)
    if settings.metrics_enabled:
        # Latency by route template (`/v1/users/{user_id}/search`), never by the path a client sent. Each
        # app counts its requests in a registry of its own (the instrumentator declines to count a second
        # app's in the process-wide one, which already holds the first's), beside the process's metrics.
        registry = CollectorRegistry()
        registry.register(REGISTRY)  # a registry collects like any collector
        Instrumentator(should_group_status_codes=False, excluded_handlers=["/metrics"], registry=registry).instrument(
            app, latency_lowr_buckets=LATENCY_BUCKETS_S
        ).expose(app, include_in_schema=False)
    app.include_router(health.router)
    app.include_router(messages.router)
    app.include_router(users.router)
    app.include_router(memories.router)
    app.include_router(ephemeral.router)
    app.include_router(retrieval.router)
    app.include_router(facts.router)
    app.include_router(typeahead.router)
    app.include_router(quarantine.router)
    # The MCP tools over streamable HTTP; the server is built with the container, in the lifespan. Its
    # protected-resource metadata (RFC 9728) is served where its 401 points clients: at the root, not
    # under the mount.
    scopes = [scope.value for scope in KeyScope]
    app.router.routes.extend(create_protected_resource_routes(mcp_url, [mcp_url], scopes, "companion-memory"))
    app.mount("/mcp", _Deferred(lambda: app.state.mcp))
    mount_demo(app)
    mount_memory_page(app)
    return app


class _Deferred:
    """An ASGI app that forwards to one made later (in the lifespan)."""

    def __init__(self, target: Callable[[], ASGIApp]) -> None:
        self.target = target

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.target()(scope, receive, send)


def main() -> None:
    """`python -m app.main`: serve on the configured host and port."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings)
    uvicorn.run(
        create_app(settings),
        host=settings.api_host,
        port=settings.api_port,
        log_level=settings.log_level.lower(),
        timeout_keep_alive=settings.api_keep_alive_s,
        log_config=None,  # configure_logging (above) formats uvicorn's records too
    )


if __name__ == "__main__":
    main()
