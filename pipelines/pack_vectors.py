"""Pack the sentence vectors of memories stored before they were packed (`app.nlp.packed_vectors`).

    python -m pipelines.pack_vectors

Searches read such memories correctly as they are, only their first load into the memory cache is slower.
Resumable: each batch is its own transaction, and a packed memory is not read again.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from tqdm import tqdm

from app.graph.driver import create_driver
from app.graph.repository import GraphRepository
from app.memories.store import MemoriesStore
from app.nlp.packed_vectors import pack
from app.settings import get_settings

BATCH = 2000


def pack_all(repository: GraphRepository, progress: tqdm[Any] | None = None) -> int:
    """Pack every memory still holding float lists; how many were packed."""
    packed = 0
    memories = MemoriesStore(repository)
    while rows := memories.to_pack(BATCH):
        updates = [
            {
                "ref": r.ref,
                "sentence_vectors": pack(
                    np.asarray(r.sentence_embeddings or r.embedding, dtype=np.float32).reshape(-1, len(r.embedding))
                ),
            }
            for r in rows
        ]
        memories.set_packed(updates)
        packed += len(rows)
        if progress is not None:
            progress.update(len(rows))
    return packed


def main() -> int:
    """Command-line entry point."""
    settings = get_settings()
    driver = create_driver(settings)
    repository = GraphRepository(driver, settings.neo4j_database)
    try:
        with tqdm(unit="memory") as bar:
            packed = pack_all(repository, bar)
    finally:
        repository.close()
        driver.close()
    print(f"{packed} memories' sentence vectors packed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
