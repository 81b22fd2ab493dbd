// Memories not yet embedded with a model (forgotten ones have nothing to embed), a batch at a time. Params: $model, $limit. Returns: id, content.
MATCH (m:Memory)
WHERE m.content IS NOT NULL AND (m.embedding_model IS NULL OR m.embedding_model <> $model)
RETURN m.id AS id, m.content AS content
LIMIT $limit
