"""`/memories`: the page where a person (or whoever answers for them) sees what is remembered about a
user and corrects it: memories, facts and their history, questions waiting for an answer, refused
messages (with an admin key), and the context a companion's model would be given. Static files, no build
step; it calls the HTTP API as any client does, with a key the user pastes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount_memory_page(app: FastAPI) -> None:
    """Serve the page at `/memories/`."""
    app.mount("/memories", StaticFiles(directory=STATIC, html=True), name="memories")
