// A user's memories, newest first, optionally only of some types and tiers, a page at a time, each with
// the facts it asserts.
// Params: $user_id, $memory_types (null: any), $tiers (null: any), $skip, $limit. Returns: memory, facts.
MATCH (m:Memory {user_id: $user_id})
WHERE ($memory_types IS NULL OR m.memory_type IN $memory_types)
  AND ($tiers IS NULL OR coalesce(m.tier, 'hot') IN $tiers)
WITH m ORDER BY m.occurred_at DESC, m.seq DESC SKIP $skip LIMIT $limit
RETURN m {.*, embedding: null, sentence_embeddings: null, sentence_vectors: null} AS memory,
       [(m)-[:ASSERTS]->(f:Fact) | f {.id, .predicate, .value, .confidence, .status, .modality}] AS facts
ORDER BY m.occurred_at DESC, m.seq DESC
