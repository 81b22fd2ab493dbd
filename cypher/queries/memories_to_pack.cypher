// Memories whose sentence vectors are still float lists (stored before they were packed), a batch at a
// time. Params: $limit. Returns: ref, embedding, sentence_embeddings (flat, or null for one sentence).
MATCH (m:Memory)
WHERE m.embedding IS NOT NULL AND m.sentence_vectors IS NULL
RETURN elementId(m) AS ref, m.embedding AS embedding, m.sentence_embeddings AS sentence_embeddings
LIMIT $limit
