// The first round trip of every search, light rows only: where the user's memories stand (counts and the
// memory cache's version stamps) and what Lucene finds for the query's words: memories by content,
// memories mentioning entities the query names, conversations as documents; an empty query text skips its
// index (the memory cache scores the words of a user it holds itself). Ids and scores, no content:
// a search answered from the memory cache needs nothing more from Neo4j. Every Lucene query carries the
// user's tenant term, and every hit is checked against $user_id too. The total stands alone in its
// subquery so that the planner answers it from the count store in constant time.
// Params: $user_id, $lucene, $entity_lucene, $conversation_lucene, $candidates, $conversations.
// Returns: user_count, total_count, vector_version, deleted_memories, generation,
// keyword (list of {id, score}), entity (list of {id, score}), conversations (list of {conversation_id, score}).
CALL () { MATCH (m:Memory) RETURN count(m) AS total_count }
OPTIONAL MATCH (u:User {id: $user_id})
CALL () {
  WITH 1 AS _ WHERE $lucene <> ''
  CALL db.index.fulltext.queryNodes('memory_content_en', $lucene, {limit: $candidates}) YIELD node, score
  WITH node, score WHERE node.user_id = $user_id
  RETURN collect({id: node.id, score: score}) AS keyword
}
CALL () {
  WITH 1 AS _ WHERE $entity_lucene <> ''
  CALL db.index.fulltext.queryNodes('entity_names', $entity_lucene, {limit: 20}) YIELD node, score
  WITH node AS e, score WHERE e.user_id = $user_id
  MATCH (m:Memory {user_id: $user_id})-[:MENTIONS]->(e)
  WITH m.id AS id, max(score) AS score
  RETURN collect({id: id, score: score}) AS entity
}
CALL () {
  WITH 1 AS _ WHERE $conversation_lucene <> '' AND $conversations > 0
  CALL db.index.fulltext.queryNodes('conversation_text_en', $conversation_lucene, {limit: $conversations}) YIELD node, score
  WITH node AS c, score WHERE c.user_id = $user_id
  RETURN collect({conversation_id: c.id, score: score}) AS conversations
}
RETURN coalesce(u.memory_count, 0) AS user_count, total_count,
       coalesce(u.vector_version, 0) AS vector_version, coalesce(u.deleted_memories, 0) AS deleted_memories,
       toString(u.created_at) AS generation, keyword, entity, conversations
