"""`/demo`: a page that shows type-ahead at work (static files, no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount_demo(app: FastAPI) -> None:
    """Serve the page at `/demo/`; it talks to the API as any client does, with a key the user pastes."""
    app.mount("/demo", StaticFiles(directory=STATIC, html=True), name="demo")
