"""Who says a message: the user, the companion, or the system (a product's own notes)."""

from __future__ import annotations

from typing import Literal

Role = Literal["user", "companion", "system"]
