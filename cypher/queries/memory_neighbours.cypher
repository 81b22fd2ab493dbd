// Conversation neighbours (NEXT, both ways) of the strongest hits, with their similarity to the query.
// Params: $user_id, $ids, $embedding, $as_of. Returns: parent_id, memory, semantic, facts ([predicate,
// status] of each fact it asserts).
UNWIND $ids AS parent_id
MATCH (p:Memory {id: parent_id, user_id: $user_id})-[:NEXT]-(n:Memory {user_id: $user_id})
WHERE n.occurred_at <= $as_of AND coalesce(n.tier, 'hot') <> 'forgotten'
RETURN parent_id,
       n {.id, message_id: n.external_id, .content, .occurred_at, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role, .speaker} AS memory,
       vector.similarity.cosine(n.embedding, $embedding) AS semantic,
       [(n)-[:ASSERTS]->(f:Fact) | [f.predicate, f.status]] AS facts
