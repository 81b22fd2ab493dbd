// A user's memories stamped after $after (-1: all of them), with everything a search reads, for the
// in-process memory cache. Params: $user_id, $after.
// Returns: memory (the fields a search hit shows, but occurred_at), occurred_at as [epoch seconds,
// microsecond, offset seconds] (a driver DateTime costs far more to decode than three integers),
// sentence_vectors (packed), or for memories stored before they were packed embedding and
// sentence_embeddings (flat, or null), and fact_statuses.
MATCH (m:Memory {user_id: $user_id})
WHERE m.vector_version > $after AND m.embedding IS NOT NULL
RETURN m {.id, message_id: m.external_id, .content, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role} AS memory,
       [m.occurred_at.epochSeconds, m.occurred_at.microsecond, m.occurred_at.offsetSeconds] AS occurred_at,
       m.sentence_vectors AS sentence_vectors,
       CASE WHEN m.sentence_vectors IS NULL THEN m.embedding END AS embedding,
       CASE WHEN m.sentence_vectors IS NULL THEN m.sentence_embeddings END AS sentence_embeddings,
       [(m)-[:ASSERTS]->(f:Fact) | f.status] AS fact_statuses
