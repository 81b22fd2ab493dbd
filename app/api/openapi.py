"""The OpenAPI document, with what only the running service knows: its embedding model's dimension, the
length a precomputed embedding must have."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi` describe the search's `embedding` with the loaded model's dimension."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        container = getattr(app.state, "container", None)
        schemas = document.get("components", {}).get("schemas", {})
        if container is not None and "SearchIn" in schemas:
            dimension = container.embedder.dimension
            for option in schemas["SearchIn"]["properties"]["embedding"].get("anyOf", []):
                if option.get("type") == "array":
                    option["minItems"] = option["maxItems"] = dimension
        return document

    app.openapi = openapi  # type: ignore[method-assign]
