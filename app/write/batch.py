"""The write path's values: a message as sent, a batch on its way to the graph, and each message's outcome."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel

from app.guard.rules import GuardResult
from app.memory_types import DecayKind
from app.nlp.embedding import MessageVectors
from app.nlp.extraction import Extraction
from app.roles import Role
from app.views import ClarificationOut, EntityOut, FactOut


@dataclass(frozen=True)
class IncomingMessage:
    """One message of a conversation, as the client sent it."""

    user_id: str
    companion_id: str
    conversation_id: str
    role: Role
    text: str
    message_id: str
    occurred_at: datetime
    device_id: str | None = None
    #: who said it, when not the user (a log of two people); their facts are theirs
    speaker: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


class IngestOutcome(BaseModel):
    """What happened to one message: stored, kept for this exchange only, or refused, and why."""

    message_id: str
    status: Literal["stored", "ephemeral", "refused"]
    reason: str | None = None
    detail: str | None = None
    #: the guard's probability behind a verdict of its classifier
    score: float | None = None
    #: a refused message is kept in quarantine (not searchable) until released or expired
    quarantined: bool = False
    quarantine_id: str | None = None
    #: the kinds of secret replaced by a placeholder before anything was kept
    redacted: list[str] = []
    duplicate: bool = False
    truncated: bool = False
    memory_id: str | None = None
    significance: float | None = None
    memory_type: str | None = None
    entities: list[EntityOut] = []
    facts: list[FactOut] = []
    clarifications: list[ClarificationOut] = []


@dataclass
class Prepared:
    """A message analysed for the graph: its clean text, parse, significance, type and sentences."""

    message: IncomingMessage
    screened: GuardResult
    extraction: Extraction
    significance: float
    memory_type: str
    sentences: list[str]
    decay_kind: DecayKind
    #: it carries something a question could need, so age only cools it (`app.decay.model.carries_content`)
    keeps: bool
    #: the cues and parse's signals for the guard's classifier (`app.guard.cues.signals`), where it reads
    #: the message
    signals: npt.NDArray[np.float32] | None
    memory_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def text(self) -> str:
        """The text to store: as written."""
        return self.screened.kept


@dataclass
class PreparedBatch:
    """Messages processed up to the graph write: outcomes of those that stop early, the rest prepared."""

    size: int
    outcomes: dict[int, IngestOutcome] = field(default_factory=dict)
    #: refused messages to keep in quarantine (by index: `quarantine_write` rows)
    quarantine: dict[int, dict[str, Any]] = field(default_factory=dict)
    indexes: list[int] = field(default_factory=list)
    #: the messages that passed the rules, with what the rules made of them
    accepted: list[tuple[IncomingMessage, GuardResult]] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    embeddings: list[MessageVectors] = field(default_factory=list)
    #: released from quarantine by an admin: the guard does not judge it again
    released: bool = False
