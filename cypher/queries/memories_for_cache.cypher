// A user's memories stamped after $after (-1: all of them), with everything a search reads, for the
// in-process memory cache. Params: $user_id, $after.
// Returns: memory (the fields a search hit shows), occurred_at_ms, embedding, sentence_embeddings (flat, or
// null), fact_statuses.
MATCH (m:Memory {user_id: $user_id})
WHERE m.vector_version > $after AND m.embedding IS NOT NULL
RETURN m {.id, message_id: m.external_id, .content, .occurred_at, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role} AS memory,
       m.occurred_at.epochMillis AS occurred_at_ms, m.embedding AS embedding,
       m.sentence_embeddings AS sentence_embeddings,
       [(m)-[:ASSERTS]->(f:Fact) | f.status] AS fact_statuses
