"""The process's logging: one JSON object a line (python-json-logger) for log collectors, or plain text for
a person at a terminal. What is logged is the service's own sentences with counts and ids: never a
message's text, a query or a key, which the log audit test holds it to."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from app.settings import Settings


def configure_logging(settings: Settings, stream: TextIO = sys.stderr) -> None:
    """Route every logger (uvicorn's too) through one handler on `stream`, in the configured format."""
    handler = logging.StreamHandler(stream)
    if settings.log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # The driver's debug records are the protocol's messages, parameters (texts, queries) included.
    logging.getLogger("neo4j").setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []  # theirs would print a second, unstructured copy
        logging.getLogger(name).propagate = True
