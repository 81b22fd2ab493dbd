// Hybrid candidates for one user in one round trip: vector ($vector_source: 'given' when the in-process
// vector cache scored them, given as [{id, score}]; 'exact' scans the user's memories; 'index' asks the
// HNSW index, oversampled), Lucene full-text on content, and memories mentioning entities the query
// names. Every branch keeps to $user_id (Lucene through the tenant term). Filters: as of $as_of, minimum
// significance, time range, types and tiers.
// Params: $user_id, $embedding, $vector_source, $given, $vector_k, $candidates, $has_keywords, $lucene,
// $has_entities, $entity_lucene, $as_of, $min_significance, $since, $types, $tiers.
// Returns: memory, sources (list of {source, score}), fact_statuses.
CALL () {
  UNWIND $given AS given
  MATCH (m:Memory {id: given.id}) WHERE m.user_id = $user_id
  RETURN m, 'semantic' AS source, given.score AS score
  UNION ALL
  WITH 1 AS _ WHERE $vector_source = 'exact'
  MATCH (m:Memory {user_id: $user_id})
  WITH m, vector.similarity.cosine(m.embedding, $embedding) AS score
  ORDER BY score DESC LIMIT $candidates
  RETURN m, 'semantic' AS source, score
  UNION ALL
  WITH 1 AS _ WHERE $vector_source = 'index'
  CALL db.index.vector.queryNodes('memory_embedding', $vector_k, $embedding) YIELD node, score
  WITH node AS m, score WHERE m.user_id = $user_id
  RETURN m, 'semantic' AS source, score LIMIT $candidates
  UNION ALL
  WITH 1 AS _ WHERE $has_keywords
  CALL db.index.fulltext.queryNodes('memory_content_en', $lucene, {limit: $candidates}) YIELD node, score
  WITH node AS m, score WHERE m.user_id = $user_id
  RETURN m, 'keyword' AS source, score
  UNION ALL
  WITH 1 AS _ WHERE $has_entities
  CALL db.index.fulltext.queryNodes('entity_names', $entity_lucene, {limit: 20}) YIELD node, score
  WITH node AS e, score WHERE e.user_id = $user_id
  MATCH (m:Memory {user_id: $user_id})-[:MENTIONS]->(e)
  RETURN m, 'graph' AS source, score
}
WITH m, source, max(score) AS score
WHERE m.occurred_at <= $as_of
  AND m.significance >= $min_significance
  AND ($since IS NULL OR m.occurred_at >= $since)
  AND ($types IS NULL OR m.memory_type IN $types)
  AND coalesce(m.tier, 'hot') IN $tiers
WITH m, collect({source: source, score: score}) AS sources
RETURN m {.id, .external_id, .content, .occurred_at, .memory_type, .significance, .conversation_id, .seq,
          .tier, .role} AS memory,
       sources,
       [(m)-[:ASSERTS]->(f:Fact) | f.status] AS fact_statuses
