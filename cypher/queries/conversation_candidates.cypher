// Whole conversations as documents, for a search answered by Neo4j alone: the user's conversations
// closest to the query by embedding (exact scan over the user's conversations) and those Lucene found in
// the first round trip ($keyword_conversations), then the memories of those conversations most similar to the
// query, so that a turn of a matching conversation can surface.
// Params: $user_id, $embedding, $conversations, $keyword_conversations, $per_conversation, $as_of.
// Returns: conversation_id, conversation_semantic, memory, semantic, facts ([predicate, status] of each
// fact it asserts).
CALL () {
  MATCH (c:Conversation {user_id: $user_id})
  WHERE c.embedding_sum IS NOT NULL
  WITH c, vector.similarity.cosine(c.embedding_sum, $embedding) AS score
  ORDER BY score DESC LIMIT $conversations
  RETURN c
  UNION
  UNWIND $keyword_conversations AS id
  MATCH (c:Conversation {user_id: $user_id, id: id})
  RETURN c
}
CALL (c) {
  MATCH (m:Memory {user_id: $user_id, conversation_id: c.id})
  WHERE m.occurred_at <= $as_of AND coalesce(m.tier, 'hot') <> 'forgotten'
  WITH m, vector.similarity.cosine(m.embedding, $embedding) AS semantic
  ORDER BY semantic DESC LIMIT $per_conversation
  RETURN m, semantic
}
// A conversation without a document yet scores 0.5 (Neo4j's scale for a cosine of 0).
RETURN c.id AS conversation_id,
       coalesce(vector.similarity.cosine(c.embedding_sum, $embedding), 0.5) AS conversation_semantic,
       m {.id, message_id: m.external_id, .content, .occurred_at, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role, .speaker} AS memory,
       semantic,
       [(m)-[:ASSERTS]->(f:Fact) | [f.predicate, f.status]] AS facts
