"""Migrate the graph to another embedding model explicitly (never mixed silently).

    EMBEDDING_MODEL=/path/or/name python -m pipelines.reembed

Drops the vector index, re-embeds every memory (sentence by sentence, as the write path does) with the
configured model in batches (resumable: a memory already carrying the model's name is skipped), marks
conversation documents for a rebuild, then recreates the vector index with the new dimension, waits
until it is online, and records the model as the graph's (a service configured for another refuses to
start: `app.graph.schema.check_embedding_model`).
"""

from __future__ import annotations

import sys

from tqdm import tqdm

from app.graph.driver import create_driver
from app.graph.repository import GraphRepository
from app.graph.schema import await_indexes, create_vector_index, drop_vector_index, record_embedding_model
from app.memories.store import MemoriesStore
from app.nlp.embedding import Embedder
from app.nlp.packed_vectors import pack
from app.nlp.sentences import sentences
from app.nlp.spacy_pipeline import load_spacy
from app.settings import get_settings

BATCH = 512


def main() -> int:
    """Command-line entry point."""
    settings = get_settings()
    embedder = Embedder(settings)
    nlp = load_spacy(settings)
    driver = create_driver(settings)
    repository = GraphRepository(driver, settings.neo4j_database)
    memories = MemoriesStore(repository)
    database = settings.neo4j_database
    try:
        drop_vector_index(driver, database)
        bar = tqdm(unit="memory")
        while rows := memories.to_reembed(embedder.name, BATCH):
            split = [sentences(doc) for doc in nlp.pipe([text for _, text in rows], batch_size=256)]
            vectors = embedder.encode_sentences(split)
            memories.set_embeddings(
                embedder.name,
                [
                    {"id": memory_id, "embedding": whole, "sentence_vectors": pack(by_sentence)}
                    for (memory_id, _), (whole, by_sentence) in zip(rows, vectors, strict=True)
                ],
            )
            bar.update(len(rows))
        bar.close()
        create_vector_index(driver, database, embedder.dimension)
        await_indexes(driver, database, timeout_s=3600)
        # Only now: a service configured for the new model refuses to start on a graph half re-embedded.
        record_embedding_model(driver, database, embedder.name)
    finally:
        repository.close()
        driver.close()
    print(f"every memory is embedded with {embedder.name} ({embedder.dimension} dimensions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
