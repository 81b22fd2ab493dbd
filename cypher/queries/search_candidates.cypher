// Candidates for a search answered by Neo4j alone (the user's memories are not in the in-process cache):
// vector hits ($vector_source 'exact' scans the user's memories, 'index' asks the HNSW index, oversampled,
// 'none' skips them) and the memories the first round trip's Lucene queries found ($found ids). Every
// candidate comes with its cosine to the query. Filters: as of $as_of, minimum significance, time range,
// types and tiers. Params: $user_id, $embedding, $vector_source, $vector_k, $candidates, $found, $as_of,
// $min_significance, $since, $types, $tiers. Returns: memory, semantic, facts ([predicate, status] of each
// fact it asserts).
CALL () {
  WITH 1 AS _ WHERE $vector_source = 'exact'
  MATCH (m:Memory {user_id: $user_id}) WHERE m.embedding IS NOT NULL
  WITH m, vector.similarity.cosine(m.embedding, $embedding) AS score
  ORDER BY score DESC LIMIT $candidates
  RETURN m
  UNION
  WITH 1 AS _ WHERE $vector_source = 'index'
  CALL db.index.vector.queryNodes('memory_embedding', $vector_k, $embedding) YIELD node, score
  WITH node AS m, score WHERE m.user_id = $user_id
  RETURN m LIMIT $candidates
  UNION
  UNWIND $found AS id
  MATCH (m:Memory {id: id}) WHERE m.user_id = $user_id
  RETURN m
}
WITH m
WHERE m.occurred_at <= $as_of
  AND m.significance >= $min_significance
  AND ($since IS NULL OR m.occurred_at >= $since)
  AND ($types IS NULL OR m.memory_type IN $types)
  AND coalesce(m.tier, 'hot') IN $tiers
RETURN m {.id, message_id: m.external_id, .content, .occurred_at, .memory_type, .significance,
          .conversation_id, .seq, .tier, .role, .speaker} AS memory,
       vector.similarity.cosine(m.embedding, $embedding) AS semantic,
       [(m)-[:ASSERTS]->(f:Fact) | [f.predicate, f.status]] AS facts
