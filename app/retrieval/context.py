"""Context for one reply: the best memories, who the user is (current facts), the companion's persona;
as a structured object and as ready-to-use text within a token budget."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from pydantic import BaseModel

from app.errors import NotFoundError
from app.graph.cypher import Query
from app.graph.repository import GraphRepository
from app.retrieval.options import SearchHit, SearchOptions
from app.retrieval.service import RetrievalService
from app.users.service import Companion, UsersService

IDENTITY_MIN_CONFIDENCE = 0.6
IDENTITY_LIMIT = 30


class IdentityFact(BaseModel):
    """A current, confident fact about the user or someone close to them."""

    predicate: str
    value: str
    confidence: float
    subject: str


class Context(BaseModel):
    """Everything the language model should see before replying."""

    user_id: str
    memories: list[SearchHit]
    identity: list[IdentityFact]
    companion: Companion | None
    text: str
    approx_tokens: int


def approx_tokens(text: str) -> int:
    """A cheap token estimate (about 4 characters a token for English), no tokenizer needed."""
    return max(1, (len(text) + 3) // 4)


def render(identity: list[IdentityFact], companion: Companion | None, memories: list[SearchHit], budget: int) -> str:
    """Context text: persona, identity, then memories best first, stopping at the budget."""
    lines: list[str] = []
    if companion is not None and companion.persona:
        lines.append(f"You are {companion.name}. {companion.persona}".strip())
    if identity:
        facts = "; ".join(f"{f.predicate.replace('_', ' ')}: {f.value}" for f in identity if f.subject == "self")
        if facts:
            lines.append(f"About the user: {facts}.")
    header = "What you remember that matters now:"
    text = "\n".join(lines)
    for i, memory in enumerate(memories):
        line = f"- ({memory.occurred_at:%Y-%m-%d}) {memory.content}"
        candidate = "\n".join([text, header, line] if i == 0 else [text, line]).strip()
        if approx_tokens(candidate) > budget:
            break
        text = candidate
    return text


class ContextService:
    """Assembles the context for a reply."""

    def __init__(
        self, repository: GraphRepository, retrieval: RetrievalService, users: UsersService, token_budget: int
    ) -> None:
        self.repository = repository
        self.retrieval = retrieval
        self.users = users
        self.token_budget = token_budget
        # Identity and persona are read while the search runs.
        self._readers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="context-reads")

    def close(self) -> None:
        """Stop the reader threads."""
        self._readers.shutdown(wait=True)

    def identity(self, user_id: str) -> list[IdentityFact]:
        """The user's current, confident facts."""
        rows = self.repository.read_all(
            Query.IDENTITY_FACTS, user_id=user_id, min_confidence=IDENTITY_MIN_CONFIDENCE, limit=IDENTITY_LIMIT
        )
        return [
            IdentityFact(predicate=r["predicate"], value=r["value"], confidence=r["confidence"], subject=r["subject"])
            for r in rows
        ]

    def _companion(self, companion_id: str) -> Companion | None:
        try:
            return self.users.get_companion(companion_id)
        except NotFoundError:
            return None

    def build(
        self,
        user_id: str,
        text: str,
        *,
        companion_id: str | None = None,
        k: int = 10,
        as_of: datetime | None = None,
        embedding: list[float] | None = None,
        token_budget: int | None = None,
        record_access: bool = True,
    ) -> Context:
        """Top memories for `text`, identity facts and persona, rendered within the budget (`record_access`:
        whether the memories count as recalled)."""
        identity_read = self._readers.submit(self.identity, user_id)
        companion_read = self._readers.submit(self._companion, companion_id) if companion_id is not None else None
        memories = self.retrieval.search(
            user_id, text, SearchOptions(k=k, as_of=as_of, record_access=record_access), embedding=embedding
        )
        identity = identity_read.result()
        companion = companion_read.result() if companion_read is not None else None
        rendered = render(identity, companion, memories, token_budget or self.token_budget)
        return Context(
            user_id=user_id,
            memories=memories,
            identity=identity,
            companion=companion,
            text=rendered,
            approx_tokens=approx_tokens(rendered),
        )
