// Whole conversations as documents: the user's conversations closest to the query by embedding (exact
// scan over the user's conversations) and by Lucene (tenant-scoped), then the memories of those
// conversations most similar to the query, so that a turn of a matching conversation can surface.
// Params: $user_id, $embedding, $sessions, $has_keywords, $lucene, $per_session, $as_of.
// Returns: conversation_id, session_semantic, session_keyword, memory, semantic.
CALL () {
  MATCH (c:Conversation {user_id: $user_id})
  WHERE c.embedding_sum IS NOT NULL
  WITH c, vector.similarity.cosine(c.embedding_sum, $embedding) AS score
  ORDER BY score DESC LIMIT $sessions
  RETURN c, 'semantic' AS source, score
  UNION ALL
  WITH 1 AS _ WHERE $has_keywords
  CALL db.index.fulltext.queryNodes('conversation_text_en', $lucene, {limit: $sessions}) YIELD node, score
  WITH node AS c, score WHERE c.user_id = $user_id
  RETURN c, 'keyword' AS source, score
}
WITH c, max(CASE source WHEN 'semantic' THEN score END) AS session_semantic,
     max(CASE source WHEN 'keyword' THEN score END) AS session_keyword
CALL (c) {
  MATCH (m:Memory {user_id: $user_id, conversation_id: c.id})
  WHERE m.occurred_at <= $as_of AND coalesce(m.tier, 'hot') <> 'forgotten'
  WITH m, vector.similarity.cosine(m.embedding, $embedding) AS semantic
  ORDER BY semantic DESC LIMIT $per_session
  RETURN m, semantic
}
RETURN c.id AS conversation_id,
       coalesce(session_semantic, vector.similarity.cosine(c.embedding_sum, $embedding)) AS session_semantic,
       coalesce(session_keyword, 0.0) AS session_keyword,
       m {.id, .external_id, .content, .occurred_at, .memory_type, .significance, .conversation_id, .seq,
          .tier, .role} AS memory,
       semantic
