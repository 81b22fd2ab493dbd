"""The guard's two places on the write path, and what becomes of a message it stops.

Before the parse, the rules (`Guard.screen`); once the batch is embedded, the classifier (`Guard.judge`).
A refused message is kept in quarantine, written in the batch's own transaction, so that nothing
acknowledged is lost even when the guard errs; make-believe goes to the exchange's ephemeral store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from prometheus_client import Counter

from app.guard import rules
from app.guard.classifier import Verdict
from app.guard.rules import GuardResult, RefusalReason
from app.guard.service import Guard, Judged
from app.settings import Settings
from app.write import ephemeral
from app.write.batch import IncomingMessage, IngestOutcome, PreparedBatch
from app.write.ephemeral import EphemeralReason, EphemeralStore
from app.write.refusal import Refusal, quarantine_row

OUTCOMES = Counter("memory_messages_total", "Messages by outcome and reason", ["status", "reason"])


class Screening:
    """Runs the guard over a batch and files what it stops."""

    def __init__(self, settings: Settings, guard: Guard, ephemeral_store: EphemeralStore) -> None:
        self.guard = guard
        self.ephemeral_store = ephemeral_store
        self.retention_days = settings.quarantine_retention_days

    def screen(self, messages: list[IncomingMessage], released: bool = False) -> PreparedBatch:
        """The rules over each message: those they stop get their outcome, the rest are accepted. A message
        an admin `released` from quarantine is not judged again."""
        batch = PreparedBatch(size=len(messages))
        for index, message in enumerate(messages):
            checked = rules.released(message.text) if released else self.guard.screen(message.text)
            if checked.refusal is RefusalReason.EMPTY:
                batch.outcomes[index] = self._counted(message, "refused", checked.refusal.value, checked.detail)
            elif checked.refusal is not None:
                refusal = Refusal(checked.kept, checked.refusal.value, checked.detail, None, checked.redacted)
                self._quarantine(batch, index, message, refusal)
            elif (reason := ephemeral.of_role(checked.text, message.role, message.metadata)) is not None:
                batch.outcomes[index] = self._ephemeral(message, checked, reason, None)
            else:
                batch.indexes.append(index)
                batch.accepted.append((message, checked))
        batch.released = released
        return batch

    def judge(self, batch: PreparedBatch, instead: dict[int, Judged | None] | None = None) -> None:
        """The classifier over the embedded messages (a prepared message's index in `instead`: judged as
        given there, stored unjudged where None); those it stops leave the batch's prepared list."""
        if batch.released or not batch.prepared:
            return
        instead = instead or {}
        asked = [
            Judged(p.message.role, v, p.signals, p.extraction.states_facts)
            for p, v in zip(batch.prepared, batch.embeddings, strict=True)
        ]
        judged = self.guard.judge([instead.get(i, judgement) for i, judgement in enumerate(asked)])
        kept = [i for i, j in enumerate(judged) if j.verdict is Verdict.STORE]
        if len(kept) == len(judged):
            return
        for i, judgement in enumerate(judged):
            prepared, index = batch.prepared[i], batch.indexes[i]
            if judgement.verdict is Verdict.REFUSE:
                detail = "reads as an attempt to instruct the assistant or plant a memory"
                refusal = Refusal(
                    prepared.text, str(judgement.reason), detail, judgement.score, prepared.screened.redacted
                )
                self._quarantine(batch, index, prepared.message, refusal)
            elif judgement.verdict is Verdict.EPHEMERAL:
                reason = EphemeralReason(judgement.reason or EphemeralReason.MAKE_BELIEVE)
                batch.outcomes[index] = self._ephemeral(prepared.message, prepared.screened, reason, judgement.score)
        batch.prepared = [batch.prepared[i] for i in kept]
        batch.embeddings = [batch.embeddings[i] for i in kept]
        batch.indexes = [batch.indexes[i] for i in kept]

    def _quarantine(self, batch: PreparedBatch, index: int, message: IncomingMessage, refusal: Refusal) -> None:
        batch.quarantine[index] = quarantine_row(message, refusal, datetime.now(UTC), self.retention_days)
        outcome = self._counted(message, "refused", refusal.reason, refusal.detail)
        batch.outcomes[index] = outcome.model_copy(
            update={"score": refusal.score, "quarantined": True, "redacted": list(refusal.redacted)}
        )

    def _ephemeral(
        self, message: IncomingMessage, checked: GuardResult, reason: EphemeralReason, score: float | None
    ) -> IngestOutcome:
        self.ephemeral_store.add(
            message.user_id,
            message.conversation_id,
            message_id=message.message_id,
            role=message.role,
            text=checked.kept,
            reason=reason,
            occurred_at=message.occurred_at,
        )
        outcome = self._counted(
            message, "ephemeral", reason.value, "kept for this exchange only, never written to long-term memory"
        )
        return outcome.model_copy(update={"score": score, "redacted": list(checked.redacted)})

    @staticmethod
    def _counted(
        message: IncomingMessage, status: Literal["ephemeral", "refused"], reason: str, detail: str | None
    ) -> IngestOutcome:
        OUTCOMES.labels(status, reason).inc()
        return IngestOutcome(message_id=message.message_id, status=status, reason=reason, detail=detail)
