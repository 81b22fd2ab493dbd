// A conversation's memories in timeline order. Params: $user_id, $conversation_id, $limit.
// Returns: memory.
MATCH (m:Memory {user_id: $user_id, conversation_id: $conversation_id})
RETURN m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null} AS memory
ORDER BY m.occurred_at, m.seq
LIMIT $limit
