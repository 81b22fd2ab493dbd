// Where a user's memories stand, and those stamped after $after (-1: all of them) with everything a search
// reads, for the in-process memory cache; no memories when the user holds more than $at_most.
// The user is read first: a memory written meanwhile is then either among those returned or stamped after
// the version returned, which the cache's next refresh loads.
// Params: $user_id, $after, $at_most. Returns: user_count, vector_version, deleted_memories, generation, and
// memories: a map each: memory (the fields a search hit shows, but occurred_at), occurred_at as [epoch
// seconds, microsecond, offset seconds] (a driver DateTime costs far more to decode than three integers),
// sentence_vectors (packed), or for memories stored before they were packed embedding and
// sentence_embeddings (flat, or null), facts ([predicate, status] of each fact it asserts), entities
// (those it mentions: {id, name, aliases}), and successors: the ids of the memories asserting a current
// fact that replaced one of the memory's (a memory is stamped again when its facts are replaced, not when
// their successors are: the cache follows a chain one link at a time).
OPTIONAL MATCH (u:User {id: $user_id})
WITH coalesce(u.memory_count, 0) AS user_count, coalesce(u.vector_version, 0) AS vector_version,
     coalesce(u.deleted_memories, 0) AS deleted_memories, toString(u.created_at) AS generation
CALL (user_count) {
  WITH user_count WHERE user_count <= $at_most
  MATCH (m:Memory {user_id: $user_id})
  WHERE m.vector_version > $after AND m.embedding IS NOT NULL
  RETURN collect({
    memory: m {.id, message_id: m.external_id, .content, .memory_type, .significance, .conversation_id,
               .seq, .tier, .role, .speaker},
    occurred_at: [m.occurred_at.epochSeconds, m.occurred_at.microsecond, m.occurred_at.offsetSeconds],
    sentence_vectors: m.sentence_vectors,
    embedding: CASE WHEN m.sentence_vectors IS NULL THEN m.embedding END,
    sentence_embeddings: CASE WHEN m.sentence_vectors IS NULL THEN m.sentence_embeddings END,
    facts: [(m)-[:ASSERTS]->(f:Fact) | [f.predicate, f.status]],
    entities: [(m)-[:MENTIONS]->(e:Entity) | e {.id, .name, .aliases}],
    successors: [(m)-[:ASSERTS]->(:Fact)<-[:SUPERSEDES*1..8]-(:Fact {status: 'current'})<-[:ASSERTS]-(n:Memory)
                 | n.id]
  }) AS memories
}
RETURN user_count, vector_version, deleted_memories, generation, memories
