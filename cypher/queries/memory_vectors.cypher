// A user's memory vectors stamped after $after (-1: all of them), for the in-process vector cache.
// Params: $user_id, $after.
// Returns: id, conversation_id, occurred_at_ms, significance, embedding, sentence_embeddings (flat, or null).
MATCH (m:Memory {user_id: $user_id})
WHERE m.vector_version > $after AND m.embedding IS NOT NULL
RETURN m.id AS id, m.conversation_id AS conversation_id, m.occurred_at.epochMillis AS occurred_at_ms,
       m.significance AS significance, m.embedding AS embedding, m.sentence_embeddings AS sentence_embeddings
