"""Batch ingestion of conversation logs through the same stages as the API, in large batches.

    python -m pipelines.ingest FILE.jsonl [--batch-size 128] [--restart] [--tenant T]

Input: JSON Lines, one message a line, with the API's fields (user_id, companion_id, conversation_id,
message_id, role, text, occurred_at, device_id?, metadata?). A line that is not a valid message is
counted as invalid and reported with its line number; it does not stop the run.

Resumable: after each committed batch the number of lines done is written to `FILE.checkpoint`; a run
killed half-way starts again after the last committed batch (and ingestion is idempotent on message id,
so a batch written just before the kill is not doubled). Batches go through the write path's overlapped
stages (`app.write.staged`: while one is written the next is embedded and the one after analysed); in
runs of 10,000 lines or more the embedding runs in a child process (`app.nlp.embedding_process`).

At the end the run reports where the next decay pass will leave the imported users' memories (hot, cold,
forgotten), computed as a dry pass as of now: logs years old arrive mostly cold, and only what carries
nothing a question could need is forgotten (docs/decisions/0017-forget-by-content.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from app.api.schemas import MessageIn
from app.container import Container, build_container
from app.settings import get_settings
from app.tenancy import DEFAULT, DEFAULT_TENANT, Tenant, valid_tenant
from app.write.batch import IncomingMessage

#: How often a thread holding the GIL hands it over when another waits (Python's default is 5 ms). The
#: embedding thread's ONNX Runtime call releases the GIL while it computes and needs it back to return;
#: with the default it often waited that long for the spaCy thread (docs/performance.md).
GIL_SWITCH_INTERVAL_S = 0.0005

#: Runs of at least this many lines start the embedding child process (`Container.embedding_process`):
#: it takes seconds to load, on the cores the run uses meanwhile, which only a long run earns back.
EMBED_IN_CHILD_FROM = 10_000


@contextmanager
def _gil_switch_interval(seconds: float) -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _chunks(lines: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(lines)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _save_checkpoint(path: Path, lines_done: int, totals: Counter[str]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"lines_done": lines_done, "totals": totals}), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a crash leaves the old or the new checkpoint, never half of one


def ingest_lines(
    container: Container,
    lines: Iterable[tuple[int, str]],
    total: int | None,
    batch_size: int = 128,
    checkpoint: Path | None = None,
    start_line: int = 0,
    totals: Counter[str] | None = None,
    tenant: Tenant = DEFAULT,
    progress: bool = True,
    users: set[str] | None = None,
) -> Counter[str]:
    """Ingest numbered JSON lines; returns counts by outcome (stored, duplicate, ephemeral, refused, invalid).
    `users`, where given, receives the id of every user a valid line names."""
    totals = totals if totals is not None else Counter()
    # A child process pays for itself on long runs only (it loads for a few seconds, on the same cores);
    # once started, every later run of this process uses it.
    encoder = container.embedding_process(start=total is None or total - start_line >= EMBED_IN_CHILD_FROM)
    bar = tqdm(total=total, initial=start_line, unit="msg", disable=not progress, smoothing=0.1)

    # (last line, lines, invalid lines) of each chunk handed to the stages, counted once it is written so
    # that a checkpoint never counts a line it will read again
    sizes: deque[tuple[int, int, int]] = deque()

    def chunks() -> Iterator[list[IncomingMessage]]:
        for chunk in _chunks(lines, batch_size):
            messages = []
            for number, line in chunk:
                try:
                    messages.append(MessageIn.model_validate_json(line).to_domain(tenant))
                    if users is not None:
                        users.add(messages[-1].user_id)
                except ValidationError as error:
                    tqdm.write(f"line {number}: invalid message: {error.errors()[0]['msg']}", file=sys.stderr)
            sizes.append((chunk[-1][0], len(chunk), len(chunk) - len(messages)))
            yield messages

    with (
        container.embedder.threads(container.settings.batch_inference_threads),
        _gil_switch_interval(GIL_SWITCH_INTERVAL_S),
    ):
        for outcomes in container.stages.stream(chunks(), encoder):
            for outcome in outcomes:
                totals["duplicate" if outcome.duplicate else outcome.status] += 1
            last_line, size, invalid = sizes.popleft()
            totals["invalid"] += invalid
            if checkpoint is not None:
                _save_checkpoint(checkpoint, last_line, totals)
            bar.update(size)
            bar.set_postfix(stored=totals["stored"], ephemeral=totals["ephemeral"], refused=totals["refused"])
    bar.close()
    return totals


def ingest_file(
    container: Container,
    path: Path,
    batch_size: int,
    restart: bool,
    progress: bool = True,
    tenant: Tenant = DEFAULT,
    users: set[str] | None = None,
) -> Counter[str]:
    """Ingest a JSONL file into `tenant`, resuming from its checkpoint unless `restart`; `users` receives
    the ids of the users it names."""
    checkpoint = path.with_name(path.name + ".checkpoint")
    start, totals = 0, Counter[str]()
    if checkpoint.exists() and not restart:
        state = json.loads(checkpoint.read_text(encoding="utf-8"))
        start, totals = int(state["lines_done"]), Counter(state["totals"])
        print(f"resuming after line {start} ({checkpoint})", file=sys.stderr)
    with path.open(encoding="utf-8") as handle:
        total = sum(1 for _ in handle)
    with path.open(encoding="utf-8") as handle:
        numbered = ((n, line) for n, line in enumerate(handle, start=1) if n > start and line.strip())
        return ingest_lines(container, numbered, total, batch_size, checkpoint, start, totals, tenant, progress, users)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, help="JSON Lines file of messages")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--restart", action="store_true", help="ignore the checkpoint and start from the top")
    parser.add_argument("--tenant", default=DEFAULT_TENANT, help="the tenant the messages belong to")
    args = parser.parse_args(argv)
    if not args.file.exists():
        parser.error(f"{args.file} does not exist")
    container = build_container(get_settings())
    users: set[str] = set()
    try:
        totals = ingest_file(
            container, args.file, args.batch_size, args.restart, tenant=Tenant(valid_tenant(args.tenant)), users=users
        )
        placed = container.decay.run_users(sorted(users), dry_run=True).placed
    finally:
        container.close()
    print(summary(totals))
    print(placement(placed, len(users)))
    return 0


def placement(placed: dict[str, int], users: int) -> str:
    """Where the next decay pass will leave the imported users' memories."""
    tiers = ", ".join(f"{tier} {placed.get(tier, 0)}" for tier in ("hot", "cold", "forgotten"))
    return f"next decay pass (as of now) over these {users} users: {tiers}"


def summary(totals: Counter[str]) -> str:
    """The closing line of a run: how many messages went which way."""
    return "summary: " + ", ".join(
        f"{key} {totals[key]}" for key in ("stored", "duplicate", "ephemeral", "refused", "invalid")
    )


if __name__ == "__main__":
    sys.exit(main())
