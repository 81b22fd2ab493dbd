"""The README's tour, run as written (bash, curl, jq) against the live service as a fresh tenant, prints
what the README shows (dates aside)."""

from __future__ import annotations

import re
import subprocess
import uuid

import pytest

from app.container import Container
from app.keys.secrets import Scope
from app.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _block(text: str, after: str, language: str) -> str:
    return text.split(after, 1)[1].split(f"```{language}\n", 1)[1].split("```", 1)[0]


def test_the_tour_prints_what_the_readme_shows(live_api: str, container: Container) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    tour, shown = _block(readme, "## A five-minute tour", "sh"), _block(readme, "## A five-minute tour", "text")
    first, rest = tour.split("\n", 1)
    assert first == "KEY=$(cat var/api-key); API=http://127.0.0.1:8000"
    key = container.keys.create(f"tour-{uuid.uuid4().hex[:8]}", list(Scope), name="tour")
    try:
        ran = subprocess.run(
            ["bash", "-c", f"KEY={key.key}; API={live_api}\n{rest}"],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    finally:
        container.keys.revoke(key.api_key.id)
        container.users.store.delete(f"{key.api_key.tenant_id}/alice")
    assert _DAY.sub("DAY", ran.stdout) == _DAY.sub("DAY", shown), ran.stderr
