// The memories asserting a current fact that replaced (directly or down a chain of replacements) a fact of
// each superseded hit, with their similarity to the query. Params: $user_id, $ids, $embedding, $as_of.
// Returns: parent_id (the superseded hit), memory, semantic, facts ([predicate, status] of each fact it
// asserts).
UNWIND $ids AS parent_id
MATCH (p:Memory {id: parent_id, user_id: $user_id})-[:ASSERTS]->(:Fact)
      <-[:SUPERSEDES*1..8]-(:Fact {status: 'current'})<-[:ASSERTS]-(n:Memory {user_id: $user_id})
WHERE n.occurred_at <= $as_of AND coalesce(n.tier, 'hot') <> 'forgotten'
WITH DISTINCT parent_id, n
RETURN parent_id,
       n {.id, message_id: n.external_id, .content, .occurred_at, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role, .speaker} AS memory,
       vector.similarity.cosine(n.embedding, $embedding) AS semantic,
       [(n)-[:ASSERTS]->(f:Fact) | [f.predicate, f.status]] AS facts
