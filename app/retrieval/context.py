"""Context for one reply: the memories that matter now, who the user is (current facts), the companion's
persona; as a structured object and as ready-to-use text within a token budget (`context_text`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from pydantic import BaseModel

from app.errors import NotFoundError
from app.facts.store import FactsStore, IdentityFact
from app.graph.repository import GraphRepository
from app.retrieval.context_text import Relevance, approx_tokens, chosen, render
from app.retrieval.options import SearchHit, SearchOptions
from app.retrieval.plan import reaches_back
from app.retrieval.service import RetrievalService
from app.users.service import UsersService
from app.users.store import Companion

IDENTITY_LIMIT = 30


class Context(BaseModel):
    """Everything the language model should see before replying."""

    user_id: str
    memories: list[SearchHit]
    identity: list[IdentityFact]
    companion: Companion | None
    text: str
    approx_tokens: int


class ContextService:
    """Assembles the context for a reply."""

    def __init__(
        self,
        repository: GraphRepository,
        retrieval: RetrievalService,
        users: UsersService,
        token_budget: int,
        min_confidence: float,
        relevance: Relevance,
    ) -> None:
        self.facts = FactsStore(repository)
        self.min_confidence = min_confidence
        self.relevance = relevance
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
        return self.facts.identity(user_id, self.min_confidence, IDENTITY_LIMIT)

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
        """The memories that matter for `text` (of the search's `k` best), identity facts and persona,
        rendered within the budget (`record_access`: whether the memories count as recalled)."""
        identity_read = self._readers.submit(self.identity, user_id)
        companion_read = self._readers.submit(self._companion, companion_id) if companion_id is not None else None
        back = reaches_back(text)
        # A query that reaches back sees what was replaced too, marked as such.
        options = SearchOptions(k=k, as_of=as_of, record_access=record_access, include_history=back)
        memories = chosen(self.retrieval.search(user_id, text, options, embedding=embedding), self.relevance, back)
        identity = identity_read.result()
        companion = companion_read.result() if companion_read is not None else None
        rendered, memories = render(identity, companion, memories, token_budget or self.token_budget, text)
        return Context(
            user_id=user_id,
            memories=memories,
            identity=identity,
            companion=companion,
            text=rendered,
            approx_tokens=approx_tokens(rendered),
        )
