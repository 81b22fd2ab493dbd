// A user's memories, newest first, optionally only of some types and tiers, a page at a time.
// Params: $user_id, $memory_types (null: any), $tiers (null: any), $skip, $limit. Returns: memory.
MATCH (m:Memory {user_id: $user_id})
WHERE ($memory_types IS NULL OR m.memory_type IN $memory_types)
  AND ($tiers IS NULL OR coalesce(m.tier, 'hot') IN $tiers)
RETURN m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null} AS memory
ORDER BY m.occurred_at DESC, m.seq DESC
SKIP $skip LIMIT $limit
